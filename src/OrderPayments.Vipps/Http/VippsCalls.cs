using System.Net.Http.Json;
using System.Text.Json;
using OrderPayments.Domain;
using OrderPayments.Http;

namespace OrderPayments.Vipps.Http;

/// <summary>
/// The one way the API clients call Vipps: JSON body, optional idempotency key, the call's reference and kind for the
/// rate limit (a call the limit holds back fails as a Vipps 429 with Retry-After would), problems as exceptions.
/// </summary>
internal static class VippsCalls
{
    /// <summary>Sends the request; a non-success answer is thrown as a <see cref="VippsApiException"/>.</summary>
    public static async Task<HttpResponseMessage> SendAsync(
        HttpClient http, TimeProvider time, HttpMethod method, string path, object? body, IdempotencyKey? key, ProviderCall? call, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: VippsJson.Options);
        }

        call?.ApplyTo(request);
        if (key is { } idempotencyKey)
        {
            request.Headers.Add(VippsHeaders.IdempotencyKey, idempotencyKey.Value);
        }

        var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await VippsProblemReader.ReadAsync(response, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sends the request and reads the answer as JSON, whatever JSON media type it is declared with.</summary>
    public static async Task<T> SendAsync<T>(
        HttpClient http, TimeProvider time, HttpMethod method, string path, object? body, IdempotencyKey? key, ProviderCall? call, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(http, time, method, path, body, key, call, cancellationToken).ConfigureAwait(false);
        // Capture, cancel and refund are declared as application/problem+json even on 200.
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await JsonSerializer.DeserializeAsync<T>(stream, VippsJson.Options, cancellationToken).ConfigureAwait(false)
                ?? throw new JsonException($"Vipps answered {method} {path} with an empty body.");
        }
    }
}
