namespace OrderPayments.Application.Http;

/// <summary>Which request bodies the JSON routes take, on both hosts (the self-hosted API's routing applies the same rule).</summary>
public static class JsonMediaType
{
    /// <summary>
    /// Whether a request with this <c>Content-Type</c> may reach a route that takes JSON: <c>application/json</c> or an
    /// <c>application/…+json</c> type, with any parameters (e.g. <c>charset=utf-8</c>), or no <c>Content-Type</c> at all
    /// (ASP.NET Core's <c>AcceptsMatcherPolicy</c> lets those through too, and the body is then read as it is). Anything
    /// else is answered 415 (<see cref="ApiProblem.UnsupportedMediaType"/>).
    /// </summary>
    public static bool Accepts(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return true;
        }

        var mediaType = contentType.Split(';', 2)[0].Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }
}
