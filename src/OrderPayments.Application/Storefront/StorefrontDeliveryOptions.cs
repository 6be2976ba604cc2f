namespace OrderPayments.Application.Storefront;

/// <summary>How storefront events are delivered (section <c>Notifications</c>).</summary>
public sealed class StorefrontDeliveryOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Notifications";

    /// <summary>How long one attempt may take before it counts as failed (default 10 s).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an event is retried before it is kept as failed (default 3 days).</summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromDays(3);

    /// <summary>The first retry's delay; each next one is 4 times longer, up to <see cref="MaxRetryDelay"/> (default 5 s).</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest delay between two attempts (default 1 h).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Deliveries in flight at once, across endpoints (default 64).</summary>
    public int MaxConcurrentDeliveries { get; set; } = 64;

    /// <summary>Deliveries in flight at once to one endpoint, so a slow one cannot take every slot (default 8).</summary>
    public int MaxConcurrentPerEndpoint { get; set; } = 8;

    /// <summary>The delay before attempt <paramref name="attempt"/> + 1 after <paramref name="attempt"/> failed ones.</summary>
    public TimeSpan RetryDelay(int attempt)
    {
        var delay = FirstRetryDelay.Ticks * Math.Pow(4, Math.Clamp(attempt - 1, 0, 30));
        return delay >= MaxRetryDelay.Ticks ? MaxRetryDelay : TimeSpan.FromTicks((long)delay);
    }
}
