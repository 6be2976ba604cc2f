using System.Net.Http.Headers;

namespace OrderPayments.Vipps.Http;

/// <summary>
/// A request captured once (content buffered) so that <see cref="VippsAuthenticationHandler"/> can send it again with
/// a fresh token after a 401, with another <c>Authorization</c> header. Kept by hand: the resilience library re-sends
/// the same message for a retry, and has no "change a header and send once more" step. The request's options are kept
/// too: they carry what the handlers inside need (the call's reference and kind for the rate limit).
/// </summary>
internal sealed class HttpRequestSnapshot
{
    private readonly HttpMethod _method;
    private readonly Uri? _uri;
    private readonly Version _version;
    private readonly HttpVersionPolicy _versionPolicy;
    private readonly KeyValuePair<string, IEnumerable<string>>[] _headers;
    private readonly byte[]? _content;
    private readonly KeyValuePair<string, IEnumerable<string>>[] _contentHeaders;
    private readonly KeyValuePair<string, object?>[] _options;

    private HttpRequestSnapshot(HttpRequestMessage request, byte[]? content)
    {
        _method = request.Method;
        _uri = request.RequestUri;
        _version = request.Version;
        _versionPolicy = request.VersionPolicy;
        _headers = [.. request.Headers];
        _content = content;
        _contentHeaders = request.Content is null ? [] : [.. request.Content.Headers];
        _options = [.. request.Options];
    }

    public static async Task<HttpRequestSnapshot> CaptureAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var content = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return new HttpRequestSnapshot(request, content);
    }

    /// <summary>A new request equal to the captured one, with <paramref name="replace"/> applied to its headers.</summary>
    public HttpRequestMessage Create(Action<HttpRequestHeaders>? replace = null)
    {
        var request = new HttpRequestMessage(_method, _uri) { Version = _version, VersionPolicy = _versionPolicy };
        foreach (var header in _headers)
        {
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        if (_content is not null)
        {
            request.Content = new ByteArrayContent(_content);
            foreach (var header in _contentHeaders)
            {
                request.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        IDictionary<string, object?> options = request.Options;
        foreach (var option in _options)
        {
            options[option.Key] = option.Value;
        }

        replace?.Invoke(request.Headers);
        return request;
    }
}
