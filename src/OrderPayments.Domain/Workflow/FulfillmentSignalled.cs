namespace OrderPayments.Domain.Workflow;

/// <summary>The fulfillment system shipped (part of) the order: capture for it.</summary>
/// <param name="ShipmentId">The shipment's id; the same shipment captures once however often it is signalled.</param>
/// <param name="Amount">The amount to capture; without it, all that is left of the reservation.</param>
public sealed record FulfillmentSignalled(string ShipmentId, Money? Amount = null) : WorkflowInput;
