namespace OrderPayments.Application.Storefront;

/// <summary>The result of one delivery attempt, to record in the outbox.</summary>
/// <param name="Delivery">What was attempted.</param>
/// <param name="Outcome">What it came to.</param>
/// <param name="At">When the attempt ended.</param>
/// <param name="RetryAt">For <see cref="DeliveryOutcome.RetryLater"/>: when to try again.</param>
/// <param name="Error">Why it failed (status code or exception), when it did.</param>
public sealed record DeliveryResult(PendingDelivery Delivery, DeliveryOutcome Outcome, DateTimeOffset At, DateTimeOffset? RetryAt = null, string? Error = null);
