namespace OrderPayments.Domain.Workflow;

/// <summary>A refund the storefront requested.</summary>
/// <param name="RefundId">The refund's id (the dedupe key).</param>
/// <param name="Amount">The amount.</param>
/// <param name="Key">The refund's idempotency key.</param>
/// <param name="Outcome">Where the refund stands.</param>
public sealed record RefundRecord(string RefundId, Money Amount, IdempotencyKey Key, OperationOutcome Outcome);
