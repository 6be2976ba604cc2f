namespace OrderPayments.PayEx;

/// <summary>Settings of the PayEx (Swedbank Pay) Vipps client (<c>PayEx</c> section, <c>PayEx__X</c> as environment variables).</summary>
public sealed class PayExOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "PayEx";

    /// <summary>The API host: <c>https://api.externalintegration.payex.com</c> (test) or <c>https://api.payex.com</c>; a path is kept (a simulator's <c>/simulator/payex</c>).</summary>
    public Uri BaseUrl { get; set; } = new("https://api.externalintegration.payex.com");

    /// <summary>The merchant access token from the Merchant Portal (a secret: never logged).</summary>
    public string AccessToken { get; set; } = "";

    /// <summary>The merchant id (<c>payeeInfo.payeeId</c>).</summary>
    public string PayeeId { get; set; } = "";

    /// <summary>The merchant name shown to the payer (<c>payeeInfo.payeeName</c>), optional.</summary>
    public string? PayeeName { get; set; }

    /// <summary>The public URL of this deployment's <c>/api/callbacks/payex</c>; each payment's reference is added as <c>?reference=</c>.</summary>
    public Uri? CallbackUrl { get; set; }

    /// <summary>Where the payer returns when the order has no return URL (push-message flows); PayEx requires one.</summary>
    public Uri? DefaultCompleteUrl { get; set; }

    /// <summary>The payment page language (<c>nb-NO</c>, <c>en-US</c> or <c>sv-SE</c> for Vipps).</summary>
    public string Language { get; set; } = "nb-NO";

    /// <summary>The user agent sent as the payer's (the server creates the payment).</summary>
    public string UserAgent { get; set; } = "OrderPayments/0.1";

    /// <summary>One HTTP attempt (default 10 s).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>One call including retries (default 60 s).</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Retries of a transient failure (default 3).</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>First back-off (default 500 ms).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest back-off and cap on <c>Retry-After</c> (default 30 s).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Failure ratio that opens the circuit (default 0.5).</summary>
    public double CircuitBreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Calls in the sampling window before the ratio counts (default 20).</summary>
    public int CircuitBreakerMinimumThroughput { get; set; } = 20;

    /// <summary>Sampling window (default 30 s).</summary>
    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit refuses calls (default 15 s).</summary>
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The API root with a trailing slash, so relative paths keep a base path.</summary>
    public Uri ApiRoot => BaseUrl.AbsoluteUri.EndsWith('/') ? BaseUrl : new Uri(BaseUrl.AbsoluteUri + "/");
}
