using OrderPayments.Vipps.Webhooks;

namespace OrderPayments.Vipps;

/// <summary>
/// Settings of the Vipps client, bound from the <c>Vipps</c> configuration section and validated at start
/// (<see cref="VippsOptionsValidator"/>). <see cref="ClientSecret"/> and <see cref="SubscriptionKey"/> are
/// secrets: they are sent only in the headers Vipps requires and never logged.
/// </summary>
public sealed class VippsOptions : OrderPayments.Http.HttpResilienceOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Vipps";

    /// <summary>The API base URL: <c>https://apitest.vipps.no</c> (test, the default) or <c>https://api.vipps.no</c> (production).</summary>
    public Uri BaseUrl { get; set; } = new("https://apitest.vipps.no");

    /// <summary>The sales unit's client id (header <c>client_id</c> on the token call).</summary>
    public string ClientId { get; set; } = "";

    /// <summary>The sales unit's client secret (secret).</summary>
    public string ClientSecret { get; set; } = "";

    /// <summary>The <c>Ocp-Apim-Subscription-Key</c> (secret); the same key for the token and the API calls.</summary>
    public string SubscriptionKey { get; set; } = "";

    /// <summary>The merchant serial number (MSN), 4 to 10 digits.</summary>
    public string MerchantSerialNumber { get; set; } = "";

    /// <summary>
    /// The public HTTPS URL Vipps delivers webhooks to; the signature is computed over its path and host. http is refused
    /// unless <see cref="BaseUrl"/> is http too (a simulator).
    /// </summary>
    public Uri? WebhookUrl { get; set; }

    /// <summary>
    /// How far a webhook's signed <c>x-ms-date</c> may be from this host's clock, either way (default 5 min). A valid
    /// signature proves who sent a delivery, not when: outside this window the delivery is answered 401 and nothing is
    /// recorded, so a captured delivery cannot be replayed for ever. Vipps retries failed deliveries for up to 7 days
    /// and does not document whether a retry carries a fresh date (shared/vipps/NOTES.md §10.4): if refused retries show
    /// up in the logs, widen this (the dedupe of redeliveries does not depend on it).
    /// </summary>
    public TimeSpan WebhookMaxClockSkew { get; set; } = VippsWebhookVerifier.DefaultMaxClockSkew;

    /// <summary><c>Vipps-System-Name</c>, at most 30 characters (default <c>OrderPayments</c>).</summary>
    public string SystemName { get; set; } = "OrderPayments";

    /// <summary><c>Vipps-System-Version</c>, at most 30 characters.</summary>
    public string SystemVersion { get; set; } = "0.1.0";

    /// <summary><c>Vipps-System-Plugin-Name</c>, at most 30 characters.</summary>
    public string PluginName { get; set; } = "OrderPayments";

    /// <summary><c>Vipps-System-Plugin-Version</c>, at most 30 characters.</summary>
    public string PluginVersion { get; set; } = "0.1.0";

    /// <summary>
    /// Calls per payment reference in any minute, as Vipps documents them (shared/vipps/NOTES.md §9: counted per
    /// reference, not in total): <c>Vipps:RateLimits:MutationsPerMinute</c> 5 (create, capture, cancel, refund) and
    /// <c>Vipps:RateLimits:QueriesPerMinute</c> 120 (get payment, get event log); <c>Vipps:RateLimits:Enabled</c>
    /// <see langword="false"/> switches the limit and the pause after a 429 off. A call over the limit is not sent and fails
    /// as a Vipps 429 with <c>Retry-After</c> would; a Vipps 429 with <c>Retry-After</c> holds that reference's calls of
    /// that kind for that long.
    /// </summary>
    public override OrderPayments.Http.ProviderRateLimitOptions RateLimits { get; set; } = new() { MutationsPerMinute = 5, QueriesPerMinute = 120 };

    /// <summary>Refresh the access token this long before it expires (default 5 min; half the lifetime if that is shorter).</summary>
    public TimeSpan TokenRefreshMargin { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// <see cref="BaseUrl"/> with a trailing slash, so relative paths keep a base path such as the simulator's
    /// <c>/simulator/vipps</c> (without the slash, <c>new Uri(base, "x")</c> would drop its last segment).
    /// </summary>
    internal Uri ApiRoot => BaseUrl.AbsoluteUri.EndsWith('/') ? BaseUrl : new Uri(BaseUrl.AbsoluteUri + "/");
}
