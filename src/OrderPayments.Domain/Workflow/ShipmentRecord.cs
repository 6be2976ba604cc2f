namespace OrderPayments.Domain.Workflow;

/// <summary>A shipment the fulfillment system signalled and the capture made for it (or why none was).</summary>
/// <param name="ShipmentId">The shipment's id (the dedupe key).</param>
/// <param name="Amount">The amount captured for it; for a rejected shipment, the amount asked for (zero for "the rest").</param>
/// <param name="CaptureKey">The capture's idempotency key; null for a rejected shipment (nothing was sent).</param>
/// <param name="Outcome">Where the capture stands.</param>
/// <param name="Rejection">Why the workflow refused the shipment when it applied it (<see cref="OperationOutcome.Rejected"/>).</param>
public sealed record ShipmentRecord(string ShipmentId, Money Amount, IdempotencyKey? CaptureKey, OperationOutcome Outcome, InputRejection? Rejection = null);
