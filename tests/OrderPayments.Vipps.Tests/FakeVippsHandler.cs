using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace OrderPayments.Vipps.Tests;

/// <summary>One request as the fake saw it, with the manual clock's time.</summary>
internal sealed record RecordedRequest(HttpMethod Method, Uri Uri, Dictionary<string, string> Headers, string? Body, string? ContentType, DateTimeOffset At)
{
    public string Path => Uri.AbsolutePath;

    public string? Header(string name) => Headers.GetValueOrDefault(name);
}

/// <summary>
/// Stands in for Vipps: answers the token endpoint with a token, and every other request with the next response
/// from <see cref="Respond"/>. Records everything.
/// </summary>
internal sealed class FakeVippsHandler(TimeProvider time) : HttpMessageHandler
{
    private int _tokens;

    public List<RecordedRequest> Requests { get; } = [];

    public IEnumerable<RecordedRequest> ApiRequests => Requests.Where(r => !r.Path.EndsWith("/accesstoken/get", StringComparison.Ordinal));

    public IEnumerable<RecordedRequest> TokenRequests => Requests.Where(r => r.Path.EndsWith("/accesstoken/get", StringComparison.Ordinal));

    /// <summary>The answer to an API request; by default 200 with an empty object.</summary>
    public Func<RecordedRequest, CancellationToken, Task<HttpResponseMessage>> Respond { get; set; } = (_, _) => Task.FromResult(Json(HttpStatusCode.OK, "{}"));

    /// <summary>The answer to a token request; by default a fresh token valid for an hour.</summary>
    public Func<RecordedRequest, int, Task<HttpResponseMessage>> RespondToken { get; set; } = (_, n) => Task.FromResult(Token($"token-{n}", 3600, time.GetUtcNow()));

    public static HttpResponseMessage Json(HttpStatusCode status, string json, string mediaType = "application/json")
    {
        var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType);
        return new HttpResponseMessage(status) { Content = content };
    }

    public static HttpResponseMessage Token(string token, int expiresIn, DateTimeOffset now) => Json(HttpStatusCode.OK, $$"""
        {"token_type":"Bearer","expires_in":"{{expiresIn}}","ext_expires_in":"0","expires_on":"{{now.AddSeconds(expiresIn).ToUnixTimeSeconds()}}","not_before":"{{now.ToUnixTimeSeconds()}}","resource":"00000002-0000-0000-c000-000000000000","access_token":"{{token}}"}
        """, "application/json; charset=utf-8");

    public static HttpResponseMessage Problem(HttpStatusCode status, string? code = null, string title = "Bad Request") => Json(status, $$"""
        {"type":"https://developer.vippsmobilepay.com/docs/APIs/epayment-api/api-guide/errors","title":"{{title}}","status":{{(int)status}},"detail":"Something about the request","instance":"/epayment/v1/payments/x","traceId":"trace-123"{{(code is null ? "" : $$""","extraDetails":[{"name":"ErrorCode","reason":"{{code}}"}]""")}}}
        """, "application/problem+json");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var recorded = new RecordedRequest(request.Method, request.RequestUri!, headers, body, request.Content?.Headers.ContentType?.MediaType, time.GetUtcNow());
        lock (Requests)
        {
            Requests.Add(recorded);
        }

        if (recorded.Path.EndsWith("/accesstoken/get", StringComparison.Ordinal))
        {
            return await RespondToken(recorded, Interlocked.Increment(ref _tokens));
        }

        return await Respond(recorded, cancellationToken);
    }
}
