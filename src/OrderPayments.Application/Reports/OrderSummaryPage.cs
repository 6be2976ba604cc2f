using System.Text.Json.Serialization;

namespace OrderPayments.Application.Reports;

/// <summary>A page of a filtered listing (<c>GET /api/reports/orders</c>), newest first.</summary>
/// <param name="Items">The orders.</param>
/// <param name="Next">Pass as <c>after</c> (with the same filter) for the next page; null on the last page (always written, as the schema says).</param>
public sealed record OrderSummaryPage(
    IReadOnlyList<OrderSummary> Items,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Next);
