using System.Net;

namespace OrderPayments.PayEx;

/// <summary>PayEx answered with an error (or an operation needed is not offered); classified transient or permanent.</summary>
public sealed class PayExApiException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PayExApiException(HttpStatusCode? statusCode, PayExProblem? problem, string message, bool isTransient, TimeSpan? retryAfter = null)
        : base(message)
    {
        StatusCode = statusCode;
        Problem = problem;
        IsTransient = isTransient;
        RetryAfter = retryAfter;
    }

    /// <summary>The HTTP status, when there was a response.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The problem document, when PayEx sent one.</summary>
    public PayExProblem? Problem { get; }

    /// <summary>Whether the same request may succeed later.</summary>
    public bool IsTransient { get; }

    /// <summary>How long PayEx asked to wait.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>The error code reported to the workflow: the problem type's last segment, else the HTTP status.</summary>
    public string ErrorCode => Problem?.Kind ?? (StatusCode is { } status ? ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture) : "operation-not-available");

    /// <summary>Whether a status (and problem type) is worth retrying: 408, 429, 5xx, and the PSP's system/gateway errors.</summary>
    public static bool IsTransientStatus(HttpStatusCode status, string? kind) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500
        || kind is "systemerror" or "acquirer_gateway_timeout" or "bad_gateway" or "internal_server_error";
}
