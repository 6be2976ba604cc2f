namespace OrderPayments.Application.Http;

/// <summary>
/// What a shared request handler answers, independent of the host: the status code, the body (serialized with
/// <see cref="ApiJson.Options"/>; an <see cref="ApiProblem"/> as <c>application/problem+json</c>) and the optional
/// <c>Location</c>, <c>ETag</c> and <c>Retry-After</c> headers. Hosts write it as it is.
/// </summary>
/// <param name="StatusCode">The HTTP status code.</param>
/// <param name="Body">The body, or null for none.</param>
/// <param name="Location">The <c>Location</c> header (a path), or null.</param>
public sealed record ApiResponse(int StatusCode, object? Body, string? Location = null)
{
    /// <summary>The <c>ETag</c> header (a quoted entity tag, <see cref="EntityTags"/>), or null.</summary>
    public string? ETag { get; init; }

    /// <summary>The <c>Retry-After</c> header (written in whole seconds), or null.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The <c>Retry-After</c> header's value: whole seconds, at least 1; null when there is none.</summary>
    public string? RetryAfterSeconds => RetryAfter is { } wait
        ? Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture)
        : null;

    /// <summary>The content type of the body.</summary>
    public string ContentType => Body is ApiProblem ? "application/problem+json" : "application/json";

    /// <summary>A problem response.</summary>
    public static ApiResponse Problem(ApiProblem problem) => new(problem.Status, problem);
}
