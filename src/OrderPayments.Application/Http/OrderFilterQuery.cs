namespace OrderPayments.Application.Http;

/// <summary>
/// The filter of <c>GET /api/reports/orders</c> and <c>GET /api/reports/totals</c> as sent in the query string, before
/// validation (<see cref="OrderReportRequests"/>); an absent or empty value does not filter.
/// </summary>
/// <param name="Q">The start of an order id or of the current payment reference, case-insensitive: 1 to 64 of <c>A-Z a-z 0-9 -</c>.</param>
/// <param name="Status">A <see cref="Domain.Workflow.PaymentStatus"/> name, any case.</param>
/// <param name="NeedsAttention"><c>true</c> (only orders that need attention) or <c>false</c> (only those that do not).</param>
/// <param name="From">The earliest start time, inclusive: RFC 3339 with an offset.</param>
/// <param name="To">The latest start time, exclusive: RFC 3339 with an offset, later than <paramref name="From"/>.</param>
public sealed record OrderFilterQuery(string? Q = null, string? Status = null, string? NeedsAttention = null, string? From = null, string? To = null);
