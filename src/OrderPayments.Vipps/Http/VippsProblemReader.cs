using OrderPayments.Http;
using System.Text.Json;

namespace OrderPayments.Vipps.Http;

/// <summary>
/// Turns an error response into a <see cref="VippsApiException"/>. Reads RFC 7807 problem+json with
/// <c>extraDetails</c>, and also the other shapes Azure API Management answers with (<c>statusCode</c>/<c>message</c>)
/// or a body that is not JSON at all.
/// </summary>
internal static class VippsProblemReader
{
    private const int MaxBodyInMessage = 500;

    public static async Task<VippsApiException> ReadAsync(HttpResponseMessage response, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var body = response.Content is null ? "" : await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        string? title = null, detail = null, traceId = null, instance = null, type = null, errorCode = null;
        var extra = new List<VippsProblemDetail>();
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                title = Text(root, "title");
                detail = Text(root, "detail") ?? Text(root, "message");
                traceId = Text(root, "traceId");
                instance = Text(root, "instance");
                type = Text(root, "type");
                if (root.TryGetProperty("extraDetails", out var details) && details.ValueKind == JsonValueKind.Array)
                {
                    foreach (var item in details.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object))
                    {
                        extra.Add(new VippsProblemDetail(Text(item, "name"), Text(item, "reason")));
                    }
                }

                errorCode = extra.Find(d => string.Equals(d.Name, "ErrorCode", StringComparison.OrdinalIgnoreCase))?.Reason;
            }
        }
        catch (JsonException)
        {
            detail = body.Length > MaxBodyInMessage ? body[..MaxBodyInMessage] : body;
        }

        return new VippsApiException(response.StatusCode, title, detail, errorCode, traceId, instance, type, extra, RetryAfter.From(response, now));
    }

    /// <summary>The Vipps error code of an error response, without consuming it (the body is buffered).</summary>
    public static async Task<string?> PeekErrorCodeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content is null)
        {
            return null;
        }

        await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        var problem = await ReadAsync(response, DateTimeOffset.MinValue, cancellationToken).ConfigureAwait(false);
        return problem.ErrorCode;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;
}
