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

    /// <summary>The path the PayEx (Swedbank Pay) Vipps instrument API is served under (default <c>/simulator/payex</c>).</summary>
    public string PayExBasePath { get; set; } = "/simulator/payex";

    /// <summary>The merchant token the PayEx API accepts as <c>Authorization: Bearer …</c>.</summary>
    public string PayExAccessToken { get; set; } = "simulator-payex-token";

    /// <summary>The merchant id (<c>payeeId</c>) the PayEx API accepts.</summary>
    public string PayExPayeeId { get; set; } = "simulator-payee";

    /// <summary>
    /// Waits before each PayEx callback retry, in seconds (default PayEx's documented 30, 60, 360, 432, 864, 1265;
    /// tests shorten them). The first delivery is immediate; up to 8 attempts in all.
    /// </summary>
    public IReadOnlyList<double> PayExCallbackRetrySeconds { get; set; } = [30, 60, 360, 432, 864, 1265, 1265];

    /// <summary>
    /// The SQLite file the simulator keeps its payments, idempotency records, tokens, webhook registrations and PayEx
    /// payments in, read back when it starts, so that a restarted simulator carries on every payment where it was.
    /// Default: none, everything in memory and gone with the process (the standalone run the benchmark starts). The
    /// API's embedded simulator uses a file beside the API's store (<c>orders.simulator.db</c> beside <c>orders.db</c>).
    /// Webhooks and callbacks still queued when the process stops are not kept, nor are the statistics and faults.
    /// </summary>
    public string? DatabasePath { get; set; }

    /// <summary>Whether the control API (approve, reject, expire, clock, stats) is served. On in Development.</summary>
    public bool? ControlApi { get; set; }
}
