using OrderPayments.Runtime;

namespace OrderPayments.Api;

/// <summary>
/// A page of orders the runtime cannot step (<c>GET /api/orders/faults</c>): each with its status, how often stepping
/// it failed, when it is tried next and the last error. Listed even when an order's stored state cannot be read.
/// </summary>
/// <param name="Items">The orders, by id.</param>
/// <param name="Next">Pass as <c>after</c> for the next page; null on the last page.</param>
public sealed record FaultPage(IReadOnlyList<FaultedOrder> Items, string? Next);
