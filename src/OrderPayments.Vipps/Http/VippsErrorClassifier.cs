using System.Net;

namespace OrderPayments.Vipps.Http;

/// <summary>
/// Which Vipps failures are worth retrying with the same idempotency key. Transient: 408, 423 (a concurrent
/// operation on the payment), 429, 5xx, and the codes Vipps documents as "try again" (6160 order processing,
/// 6250 cannot cancel a processing payment, 6280 capture failed). Everything else (4xx business rejections such
/// as 6090 capture too high) is permanent and becomes a workflow input.
/// </summary>
public static class VippsErrorClassifier
{
    private static readonly HashSet<string> RetryCodes = ["6160", "6250", "6280"];

    /// <summary>Whether a response with this status and error code may succeed if retried.</summary>
    public static bool IsTransient(HttpStatusCode status, string? errorCode) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.Locked or HttpStatusCode.TooManyRequests
        || (int)status >= 500
        || (errorCode is not null && RetryCodes.Contains(errorCode));
}
