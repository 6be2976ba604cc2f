namespace OrderPayments.Application.Queues;

/// <summary>What became of a queued shipment (<see cref="FulfillmentIntake.RecordAsync"/>), and so what a host does with the message.</summary>
public enum FulfillmentDisposition
{
    /// <summary>Recorded as the order's fulfillment signal (or recorded before: a repeat answered with its own outcome). Delete the message.</summary>
    Recorded = 1,

    /// <summary>Not a shipment (not JSON, a field missing or invalid): no retry can change that. Poison it; nothing was recorded.</summary>
    Malformed = 2,

    /// <summary>No order has the id (yet). Retry a few times, then poison it; nothing was recorded.</summary>
    NotFound = 3,

    /// <summary>The order refuses the shipment (409/422: not authorized yet, over-capture, …). Retry a few times, then poison it; nothing was recorded.</summary>
    Refused = 4,
}
