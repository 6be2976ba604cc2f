namespace OrderPayments.Application.Payments;

/// <summary>
/// A provider call failed. <see cref="IsTransient"/> tells the interpreter what to do: retry later with the same
/// idempotency key (timeouts, 5xx, 429, 423, "try again" codes), or give the workflow an
/// <c>ActivityFailed</c> input (a business rejection that will not change by retrying).
/// </summary>
public sealed class PaymentProviderException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errorCode">The provider's error code (Vipps: the numeric code, else the HTTP status).</param>
    /// <param name="message">What went wrong, without secrets.</param>
    /// <param name="isTransient">Whether a later retry with the same key may succeed.</param>
    /// <param name="retryAfter">How long the provider asked to wait, when it said.</param>
    /// <param name="innerException">The underlying failure.</param>
    public PaymentProviderException(string errorCode, string message, bool isTransient, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
        IsTransient = isTransient;
        RetryAfter = retryAfter;
    }

    /// <summary>The provider's error code, or the HTTP status when there is none.</summary>
    public string ErrorCode { get; }

    /// <summary>Whether a retry with the same idempotency key may succeed.</summary>
    public bool IsTransient { get; }

    /// <summary>How long the provider asked to wait before retrying, when it said.</summary>
    public TimeSpan? RetryAfter { get; }
}
