using Microsoft.Extensions.Logging;

namespace OrderPayments.Vipps;

/// <summary>The client's log events, with stable ids. Nothing here logs a token, secret, key or body.</summary>
internal static partial class VippsLogs
{
    // 3001 (retrying) and 3002 (circuit opened) are retired: the resilience handler's own telemetry (Polly's
    // "Resilience event occurred" logs and metrics, per client pipeline) reports them now.

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Fetched a Vipps access token for client {ClientId}; it expires at {ExpiresAt:O}")]
    public static partial void TokenFetched(ILogger logger, string clientId, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Vipps answered 401 to {Method} {Path}; fetching a new access token and trying once more")]
    public static partial void TokenRejected(ILogger logger, string method, string path);
}
