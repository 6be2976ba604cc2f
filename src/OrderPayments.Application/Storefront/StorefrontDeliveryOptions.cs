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

    /// <summary>Deliveries in flight at once to one endpoint, so a slow one cannot take every slot (default 32).</summary>
    public int MaxConcurrentPerEndpoint { get; set; } = 32;

    /// <summary>Endpoints from the configuration, by name (<c>Notifications:Endpoints:{name}:Url</c>, <c>:Secret</c>, <c>:Types:0</c>…).</summary>
    public Dictionary<string, EndpointSettings> Endpoints { get; set; } = [];

    /// <summary>The problems with the settings, in words that name each setting; empty when they are usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Timeout <= TimeSpan.Zero || FirstRetryDelay <= TimeSpan.Zero || MaxRetryDelay < FirstRetryDelay || RetryFor <= TimeSpan.Zero)
        {
            problems.Add($"{SectionName}: Timeout, FirstRetryDelay and RetryFor must be positive, MaxRetryDelay at least FirstRetryDelay.");
        }

        if (MaxConcurrentDeliveries < 1 || MaxConcurrentPerEndpoint < 1)
        {
            problems.Add($"{SectionName}: MaxConcurrentDeliveries and MaxConcurrentPerEndpoint must be at least 1.");
        }

        foreach (var (name, endpoint) in Endpoints)
        {
            if (!Uri.TryCreate(endpoint.Url, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
            {
                problems.Add($"{SectionName}:Endpoints:{name}:Url must be an absolute http(s) URL.");
            }

            if (!StandardWebhooks.IsValidSecret(endpoint.Secret))
            {
                problems.Add($"{SectionName}:Endpoints:{name}:Secret must be whsec_ followed by 24 to 64 bytes in base64.");
            }

            if (endpoint.Types?.FirstOrDefault(t => !StorefrontEventTypes.All.Contains(t)) is { } unknown)
            {
                problems.Add($"{SectionName}:Endpoints:{name}:Types has '{unknown}'; known types: {string.Join(", ", StorefrontEventTypes.All)}.");
            }
        }

        return problems;
    }

    /// <summary>The delay before attempt <paramref name="attempt"/> + 1 after <paramref name="attempt"/> failed ones.</summary>
    public TimeSpan RetryDelay(int attempt)
    {
        var delay = FirstRetryDelay.Ticks * Math.Pow(4, Math.Clamp(attempt - 1, 0, 30));
        return delay >= MaxRetryDelay.Ticks ? MaxRetryDelay : TimeSpan.FromTicks((long)delay);
    }

    /// <summary>One configured endpoint.</summary>
    public sealed class EndpointSettings
    {
        /// <summary>Where events are POSTed.</summary>
        public string? Url { get; set; }

        /// <summary>Its <c>whsec_</c> secret (kept in configuration, never returned by the API).</summary>
        public string? Secret { get; set; }

        /// <summary>The event types it receives; none for all.</summary>
        public List<string>? Types { get; set; }
    }
}
