namespace PaymentSimulator;

/// <summary>Settings of the simulator (<c>Simulator</c> section). The defaults are the development credentials.</summary>
public sealed class SimulatorOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Simulator";

    /// <summary>The path the Vipps APIs are served under (default <c>/simulator/vipps</c>).</summary>
    public string BasePath { get; set; } = "/simulator/vipps";

    /// <summary>Accepted <c>client_id</c>.</summary>
    public string ClientId { get; set; } = "simulator-client";

    /// <summary>Accepted <c>client_secret</c>.</summary>
    public string ClientSecret { get; set; } = "simulator-secret";

    /// <summary>Accepted <c>Ocp-Apim-Subscription-Key</c>.</summary>
    public string SubscriptionKey { get; set; } = "simulator-subscription-key";

    /// <summary>Accepted <c>Merchant-Serial-Number</c>.</summary>
    public string MerchantSerialNumber { get; set; } = "123456";

    /// <summary>Shown on the landing page.</summary>
    public string MerchantName { get; set; } = "Simulated Shop";

    /// <summary>How long a customer has before an unanswered payment expires (default 10 minutes, as Vipps).</summary>
    public TimeSpan PaymentWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long an access token lives (default 1 hour, as Vipps' test environment).</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Webhook delivery attempts before an event is dropped (default 12; Vipps retries for 7 days).</summary>
    public int WebhookMaxAttempts { get; set; } = 12;

    /// <summary>Faults to inject from the start (see <see cref="Faults.FaultSettings"/>); off by default.</summary>
    public Faults.FaultSettings Faults { get; set; } = new();

    /// <summary>Whether the control API (approve, reject, expire, clock, stats) is served. On in Development.</summary>
    public bool? ControlApi { get; set; }
}
