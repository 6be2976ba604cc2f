using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace OrderPayments.Http;

/// <summary>
/// The answer to a call the rate limit did not send: <c>429 Too Many Requests</c> with <c>Retry-After</c> (whole seconds,
/// rounded up) and a problem document saying so, exactly what the provider would answer over its limit, so the client
/// turns it into the same transient failure with the same wait. The retry strategy recognises it by its type (never by
/// anything a provider could send) and leaves it to the interpreter's retry.
/// </summary>
internal sealed class RateLimitedResponse : HttpResponseMessage
{
    /// <summary>Creates the answer to <paramref name="request"/>.</summary>
    /// <param name="request">The request that was not sent.</param>
    /// <param name="wait">How long until the call would be sent.</param>
    /// <param name="reason">Why it was not sent, for the problem's detail (and so the interpreter's retry log).</param>
    public RateLimitedResponse(HttpRequestMessage request, TimeSpan wait, string reason)
        : base(HttpStatusCode.TooManyRequests)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds));
        RequestMessage = request;
        Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds));
        var detail = string.Create(CultureInfo.InvariantCulture, $"Not sent: {reason}; retry after {seconds} s.");
        Content = new StringContent(
            $$"""{"type":"about:blank","title":"Too Many Requests (client-side rate limit)","status":429,"detail":"{{detail}}"}""",
            Encoding.UTF8,
            "application/problem+json");
    }
}
