namespace OrderPayments.Domain.Workflow;

/// <summary>A shipment the fulfillment system signalled and the capture made for it.</summary>
/// <param name="ShipmentId">The shipment's id (the dedupe key).</param>
/// <param name="Amount">The amount captured for it.</param>
/// <param name="CaptureKey">The capture's idempotency key.</param>
/// <param name="Outcome">Where the capture stands.</param>
public sealed record ShipmentRecord(string ShipmentId, Money Amount, IdempotencyKey CaptureKey, OperationOutcome Outcome);
