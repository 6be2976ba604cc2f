namespace OrderPayments.Domain.Workflow;

/// <summary>Refund part or all of what was captured.</summary>
/// <param name="Key">The idempotency key.</param>
/// <param name="Reference">The payment.</param>
/// <param name="Amount">The amount; never more than captured minus refunded.</param>
/// <param name="RefundId">The storefront's id of the refund request.</param>
public sealed record RefundPayment(IdempotencyKey Key, PaymentReference Reference, Money Amount, string RefundId)
    : WorkflowAction(Key, Reference)
{
    /// <inheritdoc />
    public override ActionKind Kind => ActionKind.Refund;
}
