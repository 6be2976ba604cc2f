using OrderPayments.Application.Workflows;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Application.Http;

/// <summary>
/// The status document of an order's payment (<c>GET /api/orders/{orderId}/payment</c>); fields are only ever added.
/// Amounts are minor units in its <c>currency</c>.
/// </summary>
/// <param name="OrderId">The order.</param>
/// <param name="Status">Where the payment stands: Creating, AwaitingCustomer, Authorized, Captured, Unpaid, Failed, Cancelled, Completed.</param>
/// <param name="Provider">vipps or payex.</param>
/// <param name="Reference">The provider's payment reference of the current attempt.</param>
/// <param name="ProviderPaymentId">The provider's own id of the current attempt's payment, when it assigns one (PayEx).</param>
/// <param name="Attempt">The current attempt, from 1.</param>
/// <param name="RedirectUrl">Where to send the customer (once created; none for push messages).</param>
/// <param name="Currency">The currency of every amount.</param>
/// <param name="Amount">The amount requested at start.</param>
/// <param name="Description">The description shown to the customer.</param>
/// <param name="UserFlow">How the customer reaches the payment.</param>
/// <param name="ProviderState">The provider's state of the current attempt as last observed (CREATED, AUTHORIZED, ABORTED, EXPIRED, TERMINATED).</param>
/// <param name="Amounts">The provider's totals and what may still be captured or refunded.</param>
/// <param name="Deadlines">When the workflow acts on its own if nothing happens.</param>
/// <param name="NeedsAttention">A provider call (other than a read) of the current attempt failed permanently; see <paramref name="Problems"/>.</param>
/// <param name="Problems">Provider calls that failed permanently, and the first failed read of each attempt (reads are tried again, and need no attention).</param>
/// <param name="Shipments">Shipments signalled and whether their captures succeeded.</param>
/// <param name="Refunds">Refunds requested and whether they succeeded.</param>
/// <param name="PendingSignals">Signals recorded but not applied yet (a moment's lag).</param>
/// <param name="Version">Increases with every step that changes the order's state (an input that changes nothing leaves it).</param>
/// <param name="StartedAt">When the payment was started.</param>
/// <param name="UpdatedAt">When the last step was committed.</param>
/// <param name="History">Inputs, decisions, status changes and problems, oldest first.</param>
/// <param name="HistoryDropped">How many of the oldest history entries were dropped to bound it.</param>
/// <param name="Fault">
/// Present while the runtime cannot step the order (e.g. a recorded signal cannot be read): how often it failed,
/// when it is tried next and the last error. The order does not move until it is fixed; other orders are not affected.
/// </param>
public sealed record OrderPaymentDocument(
    string OrderId,
    PaymentStatus Status,
    string Provider,
    string Reference,
    string? ProviderPaymentId,
    int Attempt,
    string? RedirectUrl,
    Currency Currency,
    long Amount,
    string Description,
    UserFlow UserFlow,
    string ProviderState,
    AmountsDocument Amounts,
    DeadlinesDocument Deadlines,
    bool NeedsAttention,
    IReadOnlyList<ProblemEntry> Problems,
    IReadOnlyList<ShipmentEntry> Shipments,
    IReadOnlyList<RefundEntry> Refunds,
    int PendingSignals,
    long Version,
    DateTimeOffset StartedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<HistoryEntry>? History,
    int HistoryDropped,
    OrderPaymentFault? Fault = null)
{
    /// <summary>The document of a snapshot; <paramref name="withHistory"/> false leaves the history out (listings).</summary>
    public static OrderPaymentDocument From(OrderPaymentSnapshot snapshot, bool withHistory = true)
    {
        var state = snapshot.State;
        return new OrderPaymentDocument(
            state.OrderId.Value,
            state.Status,
            ProviderName(state.Request.Provider),
            state.Reference.Value,
            state.ProviderPaymentIds.GetValueOrDefault(state.Reference.Value),
            state.Attempt,
            state.RedirectUrl,
            state.Request.Amount.Currency,
            state.Request.Amount.Value,
            state.Request.Description,
            state.Request.UserFlow,
            state.ProviderState.ToString().ToUpperInvariant(),
            AmountsDocument.Of(state),
            new DeadlinesDocument(state.AuthorizationDeadline, state.FulfillmentDeadline, state.RefundWindowClosesAt, state.NextPollAt, state.WakeAt),
            state.NeedsAttention,
            [.. state.Problems.Select(p => new ProblemEntry(p.At, p.Attempt, p.Action.ToString(), p.Key.Value, p.ErrorCode, p.Detail))],
            [.. state.Shipments.Select(s => new ShipmentEntry(s.ShipmentId, s.Amount.Value, s.Outcome.ToString(), RejectionEntry.From(s.Rejection)))],
            [.. state.Refunds.Select(r => new RefundEntry(r.RefundId, r.Amount.Value, r.Outcome.ToString(), RejectionEntry.From(r.Rejection)))],
            snapshot.PendingSignals,
            snapshot.Version,
            state.StartedAt,
            snapshot.UpdatedAt,
            withHistory ? state.History : null,
            state.HistoryDropped,
            snapshot.Fault);
    }

    /// <summary>The provider's name in the contract (<c>vipps</c>, <c>payex</c>).</summary>
    public static string ProviderName(PaymentProvider provider) => provider.ToString().ToLowerInvariant();
}

/// <summary>The provider's totals for the current attempt (minor units) and what may still be taken.</summary>
/// <param name="Authorized">Reserved by the customer.</param>
/// <param name="Captured">Charged.</param>
/// <param name="Cancelled">Released.</param>
/// <param name="Refunded">Paid back.</param>
/// <param name="Capturable">What a new shipment may still capture.</param>
/// <param name="Refundable">What a new refund may still pay back.</param>
public sealed record AmountsDocument(long Authorized, long Captured, long Cancelled, long Refunded, long Capturable, long Refundable)
{
    /// <summary>The amounts of <paramref name="state"/>.</summary>
    public static AmountsDocument Of(OrderPaymentState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var aggregate = state.Aggregate;
        return new(aggregate.Authorized.Value, aggregate.Captured.Value, aggregate.Cancelled.Value, aggregate.Refunded.Value, state.Capturable.Value, state.Refundable.Value);
    }
}

/// <summary>When the workflow acts on its own.</summary>
/// <param name="Authorization">It stops waiting for the customer and cancels.</param>
/// <param name="Fulfillment">It releases what is not captured.</param>
/// <param name="RefundWindowCloses">Refunds stop being accepted and the order completes.</param>
/// <param name="NextPoll">It reads the payment if no webhook came.</param>
/// <param name="WakeAt">The earliest of these that is pending.</param>
public sealed record DeadlinesDocument(DateTimeOffset? Authorization, DateTimeOffset? Fulfillment, DateTimeOffset? RefundWindowCloses, DateTimeOffset? NextPoll, DateTimeOffset? WakeAt);

/// <summary>A provider call that failed permanently.</summary>
/// <param name="At">When.</param>
/// <param name="Attempt">The payment attempt.</param>
/// <param name="Action">Create, Query, Capture, Cancel, Refund or Abort.</param>
/// <param name="Key">The call's idempotency key.</param>
/// <param name="ErrorCode">The provider's error code.</param>
/// <param name="Detail">The provider's explanation.</param>
public sealed record ProblemEntry(DateTimeOffset At, int Attempt, string Action, string Key, string ErrorCode, string? Detail);

/// <summary>A shipment and its capture.</summary>
/// <param name="ShipmentId">The fulfillment system's id.</param>
/// <param name="Amount">Captured for it (minor units); for a rejected shipment, what it asked for (0 for "the rest").</param>
/// <param name="Outcome">Pending, Succeeded, Failed, or Rejected (accepted, then refused when applied: nothing was captured).</param>
/// <param name="Rejection">Why it was rejected, when it was.</param>
public sealed record ShipmentEntry(string ShipmentId, long Amount, string Outcome, RejectionEntry? Rejection);

/// <summary>A refund.</summary>
/// <param name="RefundId">The storefront's id.</param>
/// <param name="Amount">Minor units.</param>
/// <param name="Outcome">Pending, Succeeded, Failed, or Rejected (accepted, then refused when applied: nothing was refunded).</param>
/// <param name="Rejection">Why it was rejected, when it was.</param>
public sealed record RefundEntry(string RefundId, long Amount, string Outcome, RejectionEntry? Rejection);

/// <summary>A page of orders (<c>GET /api/orders</c>).</summary>
/// <param name="Items">The orders, by id, without their histories.</param>
/// <param name="Next">Pass as <c>after</c> for the next page; null on the last page.</param>
public sealed record OrderPage(IReadOnlyList<OrderPaymentDocument> Items, string? Next);
