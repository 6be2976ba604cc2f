using OrderPayments.Application.Http;
using OrderPayments.Domain;

namespace OrderPayments.Application.Storefront;

/// <summary>The data of a storefront event: the order's state after the step, and what this event is about.</summary>
/// <param name="OrderId">The order.</param>
/// <param name="Version">The order's version after the step (as in the status document); increases with every step.</param>
/// <param name="Status">The order's status after the step.</param>
/// <param name="Currency">The currency of every amount.</param>
/// <param name="Amounts">The provider's totals and what may still be captured or refunded (minor units).</param>
/// <param name="Amount">What moved with this event (captured, released or refunded), in minor units.</param>
/// <param name="RedirectUrl">For <c>payment.ready</c>: where to send the customer.</param>
/// <param name="ShipmentIds">For <c>payment.captured</c>: the shipments whose captures succeeded.</param>
/// <param name="RefundIds">For <c>payment.refunded</c>: the refunds that succeeded.</param>
/// <param name="Problem">For <c>payment.needs_attention</c>: the call that failed.</param>
/// <param name="Signal">For <c>signal.rejected</c>: <c>shipment</c>, <c>refund</c>, <c>cancellation</c> or <c>attempt</c>.</param>
/// <param name="SignalId">For <c>signal.rejected</c>: the shipment, refund or attempt id.</param>
/// <param name="Rejection">For <c>signal.rejected</c>: why.</param>
public sealed record StorefrontEventData(
    string OrderId,
    long Version,
    string Status,
    Currency Currency,
    AmountsDocument Amounts,
    long? Amount = null,
    string? RedirectUrl = null,
    IReadOnlyList<string>? ShipmentIds = null,
    IReadOnlyList<string>? RefundIds = null,
    ProblemEntry? Problem = null,
    string? Signal = null,
    string? SignalId = null,
    RejectionEntry? Rejection = null);
