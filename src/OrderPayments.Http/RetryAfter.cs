namespace OrderPayments.Http;

/// <summary>Reads a <c>Retry-After</c> header (seconds or an HTTP date).</summary>
internal static class RetryAfter
{
    /// <summary>How long the response asks to wait, never negative; null when it does not say.</summary>
    public static TimeSpan? From(HttpResponseMessage? response, DateTimeOffset now)
    {
        var header = response?.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        return header?.Date is { } date ? (date > now ? date - now : TimeSpan.Zero) : null;
    }
}
