namespace OrderPayments.PayEx;

/// <summary>Settings of the PayEx (Swedbank Pay) Vipps client (<c>PayEx</c> section, <c>PayEx__X</c> as environment variables).</summary>
public sealed class PayExOptions : OrderPayments.Http.HttpResilienceOptions
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

    /// <summary>
    /// Source addresses the callback is taken from, as CIDR ranges or single addresses (<c>PayEx:CallbackAllowedSources:0</c>,
    /// …); empty (the default) takes callbacks from anywhere. Swedbank Pay publishes its callback source range as
    /// <c>20.91.170.120/29</c> from 2025-03-12, earlier <c>51.107.183.58</c> and <c>91.132.170.1</c>, and asks for
    /// IP allow-listing, not names (shared/swedbankpay/NOTES.md §7, from its <c>_includes/callback.md</c>). A callback
    /// from elsewhere is answered 403 and nothing is recorded. The address checked is the connection's: behind a reverse
    /// proxy it is the proxy's unless the host is configured explicitly for forwarded headers (never a header read here).
    /// The Functions worker does not see the caller's address, so there a set list refuses every callback: use the Function
    /// App's access restrictions instead.
    /// </summary>
    public IList<string> CallbackAllowedSources { get; } = new List<string>();

    /// <summary>Where the payer returns when the order has no return URL (push-message flows); PayEx requires one.</summary>
    public Uri? DefaultCompleteUrl { get; set; }

    /// <summary>The payment page language (<c>nb-NO</c>, <c>en-US</c> or <c>sv-SE</c> for Vipps).</summary>
    public string Language { get; set; } = "nb-NO";

    /// <summary>The user agent sent as the payer's (the server creates the payment).</summary>
    public string UserAgent { get; set; } = "OrderPayments/0.1";

    /// <summary>
    /// No limit per payment (Swedbank Pay documents none, shared/swedbankpay): only the pause, so after a 429 with
    /// <c>Retry-After</c> that payment's calls of that kind (reads or operations) are held for that long and fail as that
    /// 429 would. <c>PayEx:RateLimits:MutationsPerMinute</c> and <c>QueriesPerMinute</c> can set limits if a contract
    /// states them; <c>PayEx:RateLimits:Enabled</c> <see langword="false"/> switches the pause off.
    /// </summary>
    public override OrderPayments.Http.ProviderRateLimitOptions RateLimits { get; set; } = new();

    /// <summary>The API root with a trailing slash, so relative paths keep a base path.</summary>
    public Uri ApiRoot => BaseUrl.AbsoluteUri.EndsWith('/') ? BaseUrl : new Uri(BaseUrl.AbsoluteUri + "/");
}
