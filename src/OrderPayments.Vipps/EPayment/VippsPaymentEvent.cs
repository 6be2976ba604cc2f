using OrderPayments.Domain;

namespace OrderPayments.Vipps.EPayment;

/// <summary>One entry of the ePayment event log (<c>PaymentEvent</c>).</summary>
/// <param name="Reference">The payment.</param>
/// <param name="PspReference">This event's own PSP reference.</param>
/// <param name="Name">CREATED, ABORTED, EXPIRED, CANCELLED, CAPTURED, REFUNDED, AUTHORIZED or TERMINATED.</param>
/// <param name="Amount">The amount of this operation.</param>
/// <param name="Timestamp">When it happened.</param>
/// <param name="IdempotencyKey">The key of the request that caused it, when there was one.</param>
/// <param name="Success">Whether the operation succeeded.</param>
public sealed record VippsPaymentEvent(
    string Reference,
    string? PspReference,
    string? Name,
    Money Amount,
    DateTimeOffset Timestamp,
    string? IdempotencyKey,
    bool Success);
