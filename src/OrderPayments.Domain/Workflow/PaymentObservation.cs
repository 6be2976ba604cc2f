namespace OrderPayments.Domain.Workflow;

/// <summary>
/// What the provider said about one payment at some moment: its state and totals. It may be stale,
/// duplicated or out of order; the workflow only ever moves forward on it.
/// </summary>
/// <param name="Reference">The payment it describes.</param>
/// <param name="State">The provider's state.</param>
/// <param name="Aggregate">The provider's totals.</param>
public sealed record PaymentObservation(PaymentReference Reference, ProviderPaymentState State, PaymentAggregate Aggregate)
{
    /// <inheritdoc />
    public override string ToString() => $"{Reference} {State} ({Aggregate})";
}
