namespace OrderPayments.Application.Storefront;

/// <summary>What one delivery attempt came to.</summary>
public enum DeliveryOutcome
{
    /// <summary>The endpoint answered 2xx.</summary>
    Delivered = 1,

    /// <summary>It failed; it is tried again later (the order's later events for that endpoint wait behind it).</summary>
    RetryLater = 2,

    /// <summary>It kept failing for the whole retry period: kept as failed and listed; the order's later events go on.</summary>
    Failed = 3,
}
