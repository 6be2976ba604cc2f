namespace OrderPayments.Api;

/// <summary>Settings of the self-hosted API (<c>OrderPayments</c> section).</summary>
public sealed class ApiOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "OrderPayments";

    /// <summary>The key storefront and fulfillment callers send in <c>X-Api-Key</c>. Required outside Development.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The SQLite file of the embedded runtime (<c>OrderPayments:Store:Path</c>, default <c>./data/orders.db</c>).</summary>
    public StoreOptions Store { get; set; } = new();

    /// <summary>How long <c>PUT …/payment</c> waits for the provider's redirect URL before answering 202 (default 5 s).</summary>
    public TimeSpan StartWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The store settings.</summary>
    public sealed class StoreOptions
    {
        /// <summary>The SQLite file; its folder is created when missing.</summary>
        public string Path { get; set; } = "./data/orders.db";
    }
}
