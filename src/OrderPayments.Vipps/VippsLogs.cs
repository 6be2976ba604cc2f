using Microsoft.Extensions.Logging;

namespace OrderPayments.Vipps;

/// <summary>The client's log events, with stable ids. Nothing here logs a token, secret, key or body.</summary>
internal static partial class VippsLogs
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Vipps call failed (status {StatusCode}, exception {ExceptionType}); attempt {Attempt} in {Delay}")]
    public static partial void Retrying(ILogger logger, int attempt, int? statusCode, string? exceptionType, TimeSpan delay);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "Vipps circuit opened for {BreakDuration}: too many failing calls")]
    public static partial void CircuitOpened(ILogger logger, TimeSpan breakDuration);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Fetched a Vipps access token for client {ClientId}; it expires at {ExpiresAt:O}")]
    public static partial void TokenFetched(ILogger logger, string clientId, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Vipps answered 401 to {Method} {Path}; fetching a new access token and trying once more")]
    public static partial void TokenRejected(ILogger logger, string method, string path);
}
