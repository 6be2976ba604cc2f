namespace OrderPayments.Domain.Workflow;

/// <summary>A refund the storefront requested (or why it was not made).</summary>
/// <param name="RefundId">The refund's id (the dedupe key).</param>
/// <param name="Amount">The amount.</param>
/// <param name="Key">The refund's idempotency key; null for a rejected refund (nothing was sent).</param>
/// <param name="Outcome">Where the refund stands.</param>
/// <param name="Rejection">Why the workflow refused the refund when it applied it (<see cref="OperationOutcome.Rejected"/>).</param>
public sealed record RefundRecord(string RefundId, Money Amount, IdempotencyKey? Key, OperationOutcome Outcome, InputRejection? Rejection = null);
