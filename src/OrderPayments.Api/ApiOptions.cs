namespace OrderPayments.Api;

/// <summary>Settings of the self-hosted API (<c>OrderPayments</c> section).</summary>
public sealed class ApiOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "OrderPayments";

    /// <summary>The single key of earlier versions; now the operator's (every route). Prefer <see cref="ApiKeys"/>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The keys callers send in <c>X-Api-Key</c>, by role (at most two per role). Required outside Development.</summary>
    public ApiKeysOptions ApiKeys { get; set; } = new();

    /// <summary>The SQLite file of the embedded runtime (<c>OrderPayments:Store:Path</c>, default <c>./data/orders.db</c>).</summary>
    public StoreOptions Store { get; set; } = new();

    /// <summary>How long <c>PUT …/payment</c> waits for the provider's redirect URL before answering 202 (default 5 s).</summary>
    public TimeSpan StartWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many status reads may wait for a change at once (<c>GET …/payment?waitForChange=</c>, default 1,000). Each
    /// holds a connection and a subscription to the order's commits, no thread; past the bound a long poll is answered
    /// 503 with <c>Retry-After</c> (a plain read still answers).
    /// </summary>
    public int MaxLongPolls { get; set; } = Application.Http.StatusWaits.DefaultCapacity;

    /// <summary>The API keys of each role (<c>OrderPayments:ApiKeys:Storefront:0</c>, <c>…:1</c>, …).</summary>
    public sealed class ApiKeysOptions
    {
        /// <summary>The storefront's keys: start, read, cancel, refund, new attempt.</summary>
        public List<string> Storefront { get; set; } = [];

        /// <summary>The fulfillment system's keys: shipments, cancellations, read one order.</summary>
        public List<string> Fulfillment { get; set; } = [];

        /// <summary>Operators' keys: every route.</summary>
        public List<string> Operator { get; set; } = [];
    }

    /// <summary>The store settings.</summary>
    public sealed class StoreOptions
    {
        /// <summary>The SQLite file; its folder is created when missing.</summary>
        public string Path { get; set; } = "./data/orders.db";
    }
}
