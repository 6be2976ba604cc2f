namespace OrderPayments.Domain.Workflow;

/// <summary>Abort a payment that is not authorized (PayEx's way to end it before the customer decides).</summary>
/// <param name="Key">The idempotency key.</param>
/// <param name="Reference">The payment.</param>
public sealed record AbortPayment(IdempotencyKey Key, PaymentReference Reference) : WorkflowAction(Key, Reference)
{
    /// <inheritdoc />
    public override ActionKind Kind => ActionKind.Abort;
}
