namespace OrderPayments.Application.Queues;

/// <summary>What <see cref="FulfillmentIntake.RecordAsync"/> did with one queued shipment.</summary>
/// <param name="Disposition">Recorded, or why not (and so whether a retry may help).</param>
/// <param name="OrderId">The order the message names; null when the message does not name one.</param>
/// <param name="Reason">Why it was not recorded (the problem's detail; never the message body); null when recorded.</param>
/// <param name="Repeated">Recorded before with the same shipment id and amount (a redelivery); this is its outcome.</param>
public sealed record FulfillmentIntakeResult(FulfillmentDisposition Disposition, string? OrderId, string? Reason, bool Repeated = false);
