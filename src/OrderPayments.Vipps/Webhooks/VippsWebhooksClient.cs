using System.Net.Http.Json;
using OrderPayments.Vipps.Http;

namespace OrderPayments.Vipps.Webhooks;

/// <summary>The Webhooks API v1: register, list and delete the merchant's webhook registrations.</summary>
/// <exception cref="VippsApiException">Any non-success answer, with Vipps' problem details.</exception>
public sealed class VippsWebhooksClient
{
    private const string Webhooks = "webhooks/v1/webhooks";
    private readonly HttpClient _http;
    private readonly TimeProvider _time;

    /// <summary>Creates the client over an HTTP client whose base address is the Vipps base URL.</summary>
    public VippsWebhooksClient(HttpClient http, TimeProvider time)
    {
        _http = http;
        _time = time;
    }

    /// <summary><c>POST /webhooks/v1/webhooks</c> → 201 with the id and the secret (shown only once).</summary>
    public async Task<VippsRegisteredWebhook> RegisterAsync(Uri url, IReadOnlyList<string> events, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, Webhooks, new { url = url.AbsoluteUri, events }, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync<VippsRegisteredWebhook>(VippsJson.Options, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("Vipps answered the webhook registration with an empty body.");
    }

    /// <summary><c>GET /webhooks/v1/webhooks</c>.</summary>
    public async Task<IReadOnlyList<VippsWebhookRegistration>> ListAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, Webhooks, null, cancellationToken).ConfigureAwait(false);
        var list = await response.Content.ReadFromJsonAsync<WebhookList>(VippsJson.Options, cancellationToken).ConfigureAwait(false);
        return list?.Webhooks ?? [];
    }

    /// <summary><c>DELETE /webhooks/v1/webhooks/{id}</c> → 204.</summary>
    public async Task DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Delete, $"{Webhooks}/{id}", null, cancellationToken).ConfigureAwait(false);
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken) =>
        VippsCalls.SendAsync(_http, _time, method, path, body, null, null, cancellationToken);

    private sealed record WebhookList(IReadOnlyList<VippsWebhookRegistration>? Webhooks);
}
