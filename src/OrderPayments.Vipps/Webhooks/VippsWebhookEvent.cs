using OrderPayments.Domain;

namespace OrderPayments.Vipps.Webhooks;

/// <summary>
/// An ePayment webhook payload (<c>WebhookEvent</c>); the same shape for every event, only <see cref="Name"/>
/// varies. Parse it only after <see cref="VippsWebhookVerifier"/> accepted the delivery.
/// </summary>
/// <param name="Msn">The merchant serial number.</param>
/// <param name="Reference">The payment.</param>
/// <param name="PspReference">This event's own PSP reference.</param>
/// <param name="Name">CREATED, ABORTED, EXPIRED, CANCELLED, CAPTURED, REFUNDED, AUTHORIZED or TERMINATED.</param>
/// <param name="Amount">The amount of this operation (not the totals).</param>
/// <param name="Timestamp">When it happened.</param>
/// <param name="IdempotencyKey">The key of the request that caused it, when there was one.</param>
/// <param name="Success">Whether the operation succeeded (a delivered event may describe a failure).</param>
public sealed record VippsWebhookEvent(
    string? Msn,
    string Reference,
    string? PspReference,
    string Name,
    Money? Amount,
    DateTimeOffset? Timestamp,
    string? IdempotencyKey,
    bool Success);
