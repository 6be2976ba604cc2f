namespace OrderPayments.Domain.Workflow;

/// <summary>Read the payment's state and totals. Succeeds with an observation.</summary>
/// <param name="Key">Identifies the result; a query sends no idempotency key to the provider.</param>
/// <param name="Reference">The payment to read.</param>
public sealed record QueryPayment(IdempotencyKey Key, PaymentReference Reference) : WorkflowAction(Key, Reference)
{
    /// <inheritdoc />
    public override ActionKind Kind => ActionKind.Query;
}
