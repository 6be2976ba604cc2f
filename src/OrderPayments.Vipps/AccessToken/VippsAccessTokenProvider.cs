using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderPayments.Vipps.Http;

namespace OrderPayments.Vipps.AccessToken;

/// <summary>
/// Gets and caches Vipps access tokens (<c>POST /accesstoken/get</c>), one cache entry per credentials
/// (client id, subscription key, MSN). A token is reused until <see cref="VippsOptions.TokenRefreshMargin"/> before it
/// expires (half its lifetime for short-lived tokens); concurrent callers on an empty or stale cache share one
/// request; <see cref="Invalidate"/> drops a token Vipps refused, so the next caller fetches a fresh one.
/// </summary>
public sealed class VippsAccessTokenProvider
{
    /// <summary>The name of the HTTP client used for token requests.</summary>
    public const string HttpClientName = "Vipps.AccessToken";

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly IOptionsMonitor<VippsOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<VippsAccessTokenProvider> _logger;
    private readonly ConcurrentDictionary<(string, string, string), Entry> _entries = new();

    /// <summary>Creates the provider.</summary>
    public VippsAccessTokenProvider(
        IHttpClientFactory httpClientFactory,
        IOptionsMonitor<VippsOptions> options,
        TimeProvider time,
        ILogger<VippsAccessTokenProvider> logger)
    {
        _httpClientFactory = httpClientFactory;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>A valid access token for the configured credentials.</summary>
    /// <exception cref="VippsApiException">Vipps refused the credentials or failed.</exception>
    public async ValueTask<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        var options = _options.CurrentValue;
        var entry = _entries.GetOrAdd((options.ClientId, options.SubscriptionKey, options.MerchantSerialNumber), _ => new Entry());
        if (entry.Current is { } fresh && _time.GetUtcNow() < fresh.RefreshAt)
        {
            return fresh.Value;
        }

        await entry.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (entry.Current is { } fetched && _time.GetUtcNow() < fetched.RefreshAt)
            {
                return fetched.Value;
            }

            var token = await FetchAsync(options, cancellationToken).ConfigureAwait(false);
            entry.Current = token;
            return token.Value;
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    /// <summary>Forgets <paramref name="token"/> if it is the cached one (Vipps answered 401 to it).</summary>
    public void Invalidate(string token)
    {
        var options = _options.CurrentValue;
        if (_entries.TryGetValue((options.ClientId, options.SubscriptionKey, options.MerchantSerialNumber), out var entry)
            && entry.Current?.Value == token)
        {
            entry.Current = null;
        }
    }

    private async Task<CachedToken> FetchAsync(VippsOptions options, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.ApiRoot, "accesstoken/get"));
        request.Headers.Add(VippsHeaders.ClientId, options.ClientId);
        request.Headers.Add(VippsHeaders.ClientSecret, options.ClientSecret);
        VippsHeaders.AddCommon(request.Headers, options);

        var client = _httpClientFactory.CreateClient(HttpClientName);
        using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        if (!response.IsSuccessStatusCode)
        {
            throw await VippsProblemReader.ReadAsync(response, now, cancellationToken).ConfigureAwait(false);
        }

        var body = await response.Content.ReadFromJsonAsync<AccessTokenResponse>(VippsJson.Options, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(body?.Token))
        {
            throw new InvalidOperationException("Vipps' access token response has no access_token.");
        }

        var expiresAt = ExpiresAt(body, now);
        var lifetime = expiresAt - now;
        var margin = options.TokenRefreshMargin < lifetime / 2 ? options.TokenRefreshMargin : lifetime / 2;
        VippsLogs.TokenFetched(_logger, options.ClientId, expiresAt);
        return new CachedToken(body.Token, expiresAt - margin);
    }

    /// <summary>Expiry from <c>expires_on</c> when it is in the future, else from <c>expires_in</c>, else one hour (the test environment's lifetime).</summary>
    private static DateTimeOffset ExpiresAt(AccessTokenResponse body, DateTimeOffset now)
    {
        if (long.TryParse(body.ExpiresOn, NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch)
            && DateTimeOffset.FromUnixTimeSeconds(epoch) is var on && on > now)
        {
            return on;
        }

        return long.TryParse(body.ExpiresIn, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? now.AddSeconds(seconds)
            : now.AddHours(1);
    }

    private sealed record CachedToken(string Value, DateTimeOffset RefreshAt);

    private sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public CachedToken? Current { get; set; }
    }
}
