using Microsoft.Extensions.Logging;

namespace OrderPayments.Runtime;

/// <summary>The runtime's log events, with stable ids. Keys and order ids only; never secrets or bodies.</summary>
internal static partial class RuntimeLogs
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Dispatcher {Owner} took ownership of {Database}")]
    public static partial void LeaseTaken(ILogger logger, string owner, string database);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Dispatcher {Owner} does not own the file (another process dispatches); waiting")]
    public static partial void LeaseHeldElsewhere(ILogger logger, string owner);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Activity {Key} of order {OrderId} failed transiently (attempt {Attempt}); retrying at {RetryAt:O}: {Error}")]
    public static partial void ActivityRetry(ILogger logger, string key, string orderId, int attempt, DateTimeOffset retryAt, string error);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Error, Message = "Dispatcher cycle failed; retrying")]
    public static partial void CycleFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Warning, Message = "Signal {Seq} for order {OrderId} was rejected when applied: {Reason} {Message}")]
    public static partial void SignalRejected(ILogger logger, long seq, string orderId, string reason, string message);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Error, Message = "Activity {Key} of order {OrderId} threw unexpectedly; retrying")]
    public static partial void ActivityCrashed(ILogger logger, string key, string orderId, Exception exception);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Error, Message = "Order {OrderId} could not be stepped (failure {Attempts} in a row); it alone was rolled back and is tried again at {RetryAt:O}")]
    public static partial void StepFailed(ILogger logger, string orderId, int attempts, DateTimeOffset retryAt, Exception exception);

    [LoggerMessage(EventId = 5008, Level = LogLevel.Information, Message = "Order {OrderId} stepped again after {Attempts} failures; its fault is cleared")]
    public static partial void StepRecovered(ILogger logger, string orderId, int attempts);

    [LoggerMessage(EventId = 5009, Level = LogLevel.Debug, Message = "Pruned the records of {Orders} finished orders and {Signals} applied signals")]
    public static partial void Pruned(ILogger logger, int orders, int signals);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Error, Message = "Pruning failed; trying again later")]
    public static partial void PruneFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Error, Message = "Storefront notifications: reading or recording the outbox failed; trying again (undelivered events stay due)")]
    public static partial void NotifierFailed(ILogger logger, Exception exception);
}
