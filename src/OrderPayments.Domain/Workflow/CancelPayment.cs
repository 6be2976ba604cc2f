namespace OrderPayments.Domain.Workflow;

/// <summary>
/// Cancel the payment. With <paramref name="CancelTransactionOnly"/> (before authorization) the provider
/// cancels only if the customer has not approved yet, so an approval that raced in is never released
/// silently; without it, whatever is left of the reservation is released.
/// </summary>
/// <param name="Key">The idempotency key.</param>
/// <param name="Reference">The payment.</param>
/// <param name="CancelTransactionOnly">Cancel only if not authorized (Vipps <c>cancelTransactionOnly</c>).</param>
public sealed record CancelPayment(IdempotencyKey Key, PaymentReference Reference, bool CancelTransactionOnly)
    : WorkflowAction(Key, Reference)
{
    /// <inheritdoc />
    public override ActionKind Kind => ActionKind.Cancel;
}
