namespace OrderPayments.Application.Reports;

/// <summary>A page of a filtered listing (<c>GET /api/reports/orders</c>), newest first.</summary>
/// <param name="Items">The orders.</param>
/// <param name="Next">Pass as <c>after</c> (with the same filter) for the next page; left out on the last page (an answer never writes null).</param>
public sealed record OrderSummaryPage(IReadOnlyList<OrderSummary> Items, string? Next);
