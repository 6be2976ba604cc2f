namespace OrderPayments.Domain.Workflow;

/// <summary>Capture part or all of the reservation for one shipment.</summary>
/// <param name="Key">The idempotency key.</param>
/// <param name="Reference">The payment.</param>
/// <param name="Amount">The amount to capture; never more than what is left of the reservation.</param>
/// <param name="ShipmentId">The fulfillment system's shipment this capture is for.</param>
public sealed record CapturePayment(IdempotencyKey Key, PaymentReference Reference, Money Amount, string ShipmentId)
    : WorkflowAction(Key, Reference)
{
    /// <inheritdoc />
    public override ActionKind Kind => ActionKind.Capture;
}
