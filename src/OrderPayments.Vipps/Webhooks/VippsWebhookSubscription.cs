using Microsoft.Extensions.Logging;
using OrderPayments.Application.Hosting;

namespace OrderPayments.Vipps.Webhooks;

/// <summary>
/// This deployment's webhook registration at Vipps: registers the public URL once, keeps the id and secret in the
/// host's store (so a restart reuses them), and hands the verifier to the webhook intake. A registration for the
/// same URL whose secret is not known here (e.g. the store was lost) is deleted and made again: without the secret
/// its deliveries could not be verified.
/// </summary>
public sealed partial class VippsWebhookSubscription
{
    /// <summary>The events registered: every payment event except CREATED (the workflow learns creation from its own call).</summary>
    public static IReadOnlyList<string> Events { get; } = [.. VippsWebhookEvents.AllPaymentEvents.Where(e => e != "epayments.payment.created.v1")];

    private const string StoreKey = "vipps.webhook";
    private readonly VippsWebhooksClient _client;
    private readonly IHostValueStore? _store;
    private readonly ILogger<VippsWebhookSubscription> _logger;
    private readonly TimeProvider _time;
    private readonly TimeSpan _maxClockSkew;
    private volatile VippsWebhookVerifier? _verifier;

    /// <summary>Creates the subscription; without a <paramref name="store"/> only <see cref="UseRegistered"/> is possible.</summary>
    /// <param name="client">The Webhooks API client.</param>
    /// <param name="logger">The log.</param>
    /// <param name="store">Where the registration's id and secret are kept, if the host keeps values.</param>
    /// <param name="time">The clock deliveries' dates are checked against (default: the system clock).</param>
    /// <param name="options">The Vipps options: <see cref="VippsOptions.WebhookMaxClockSkew"/> (default 5 min).</param>
    public VippsWebhookSubscription(
        VippsWebhooksClient client,
        ILogger<VippsWebhookSubscription> logger,
        IHostValueStore? store = null,
        TimeProvider? time = null,
        Microsoft.Extensions.Options.IOptions<VippsOptions>? options = null)
    {
        _client = client;
        _store = store;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _maxClockSkew = options?.Value.WebhookMaxClockSkew ?? VippsWebhookVerifier.DefaultMaxClockSkew;
    }

    /// <summary>The verifier of the current registration, or null until <see cref="EnsureRegisteredAsync"/> succeeded.</summary>
    public VippsWebhookVerifier? Verifier => _verifier;

    /// <summary>
    /// Uses a registration made elsewhere (e.g. once per deployment, its secret kept in Key Vault) without calling Vipps.
    /// </summary>
    public void UseRegistered(Uri url, string secret) => _verifier = NewVerifier(url, secret);

    /// <summary>Makes sure Vipps delivers payment events to <paramref name="url"/> with a secret known here.</summary>
    /// <exception cref="Http.VippsApiException">Vipps refused or could not be reached (retry later).</exception>
    /// <exception cref="InvalidOperationException">The host keeps no values (no <see cref="IHostValueStore"/>): register once per deployment and call <see cref="UseRegistered"/>.</exception>
    public async Task EnsureRegisteredAsync(Uri url, CancellationToken cancellationToken)
    {
        var store = _store ?? throw new InvalidOperationException("This host keeps no values to store a webhook secret in; register the webhook once per deployment and configure its secret.");
        var stored = Stored.Parse(await store.GetAsync(StoreKey, cancellationToken).ConfigureAwait(false));
        var registered = await _client.ListAsync(cancellationToken).ConfigureAwait(false);
        var forUrl = registered.Where(r => string.Equals(r.Url, url.AbsoluteUri, StringComparison.Ordinal)).ToList();

        if (stored is not null && stored.Url == url.AbsoluteUri && forUrl.Find(r => r.Id == stored.Id) is { } existing
            && Events.All(existing.Events.Contains))
        {
            _verifier = NewVerifier(url, stored.Secret);
            LogReused(_logger, stored.Id, url);
            return;
        }

        foreach (var orphan in forUrl)
        {
            // Registered for this URL, but its secret is not ours to verify with: replace it.
            await _client.DeleteAsync(orphan.Id, cancellationToken).ConfigureAwait(false);
            LogReplaced(_logger, orphan.Id, url);
        }

        var created = await _client.RegisterAsync(url, Events, cancellationToken).ConfigureAwait(false);
        await store.SetAsync(StoreKey, new Stored(url.AbsoluteUri, created.Id, created.Secret).ToString(), cancellationToken).ConfigureAwait(false);
        _verifier = NewVerifier(url, created.Secret);
        LogRegistered(_logger, created.Id, url);
    }

    private VippsWebhookVerifier NewVerifier(Uri url, string secret) => new(url, secret, _time, _maxClockSkew);

    [LoggerMessage(Level = LogLevel.Information, Message = "Vipps webhook {Id} for {Url} is registered; reusing its stored secret.")]
    private static partial void LogReused(ILogger logger, Guid id, Uri url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Vipps webhook {Id} for {Url} has no secret stored here; deleting it to register again.")]
    private static partial void LogReplaced(ILogger logger, Guid id, Uri url);

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered Vipps webhook {Id} for {Url}.")]
    private static partial void LogRegistered(ILogger logger, Guid id, Uri url);

    /// <summary>The stored form: URL, id and secret, tab-separated (none of them contains a tab).</summary>
    private sealed record Stored(string Url, Guid Id, string Secret)
    {
        public static Stored? Parse(string? text) =>
            text?.Split('\t') is [var url, var id, var secret] && Guid.TryParse(id, out var guid) ? new Stored(url, guid, secret) : null;

        public override string ToString() => $"{Url}\t{Id}\t{Secret}";
    }
}
