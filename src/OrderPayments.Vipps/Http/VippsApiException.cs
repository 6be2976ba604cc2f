using System.Net;

namespace OrderPayments.Vipps.Http;

/// <summary>
/// Vipps answered with an error. Carries what Vipps support asks for (trace id, instance) and what code should
/// branch on: the HTTP status and the numeric <see cref="ErrorCode"/>, never the title or detail text.
/// </summary>
public sealed class VippsApiException : Exception
{
    /// <summary>Creates the exception.</summary>
    public VippsApiException(
        HttpStatusCode statusCode,
        string? title,
        string? detail,
        string? errorCode,
        string? traceId,
        string? instance,
        string? type,
        IReadOnlyList<VippsProblemDetail> extraDetails,
        TimeSpan? retryAfter)
        : base(Describe(statusCode, title, detail, errorCode, traceId))
    {
        StatusCode = statusCode;
        Title = title;
        Detail = detail;
        ErrorCode = errorCode;
        TraceId = traceId;
        Instance = instance;
        Type = type;
        ExtraDetails = extraDetails;
        RetryAfter = retryAfter;
    }

    /// <summary>The HTTP status.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The problem's title.</summary>
    public string? Title { get; }

    /// <summary>The problem's detail.</summary>
    public string? Detail { get; }

    /// <summary>The numeric Vipps error code from <c>extraDetails</c> (<c>ErrorCode</c>), when there is one.</summary>
    public string? ErrorCode { get; }

    /// <summary>The trace id to quote to Vipps support.</summary>
    public string? TraceId { get; }

    /// <summary>The problem's instance (newer responses use it instead of the trace id).</summary>
    public string? Instance { get; }

    /// <summary>The problem type URI.</summary>
    public string? Type { get; }

    /// <summary>All <c>extraDetails</c> entries.</summary>
    public IReadOnlyList<VippsProblemDetail> ExtraDetails { get; }

    /// <summary>The <c>Retry-After</c> Vipps sent, if any.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Whether retrying with the same idempotency key may succeed (see <see cref="VippsErrorClassifier"/>).</summary>
    public bool IsTransient => VippsErrorClassifier.IsTransient(StatusCode, ErrorCode);

    private static string Describe(HttpStatusCode status, string? title, string? detail, string? code, string? traceId) =>
        $"Vipps answered {(int)status} {title ?? status.ToString()}{(code is null ? "" : $" (error code {code})")}"
        + $"{(string.IsNullOrWhiteSpace(detail) ? "" : ": " + detail)}{(traceId is null ? "" : $" [trace {traceId}]")}";
}
