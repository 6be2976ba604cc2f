using Microsoft.Extensions.Logging;
using OrderPayments.Application.Payments;
using OrderPayments.Durable.Orchestration;

namespace OrderPayments.Durable;

/// <summary>
/// The orchestration's activities, for any Durable Task host (the Functions app binds each to an activity trigger; the
/// engine tests and the benchmark register them on a worker of their own): JSON in, JSON out, so the Durable Task
/// serializer never has to know the workflow's types.
/// </summary>
public sealed partial class DurableActivities
{
    private readonly PaymentActivities _activities;
    private readonly ActivityRetryPolicy _retries;
    private readonly DurableStorage _storage;
    private readonly DurableOptions _options;
    private readonly ILogger _logger;

    internal DurableActivities(PaymentActivities activities, ActivityRetryPolicy retries, DurableStorage storage, DurableOptions options, ILogger logger)
    {
        _activities = activities;
        _retries = retries;
        _storage = storage;
        _options = options;
        _logger = logger;
    }

    /// <summary>
    /// One attempt of a provider call (an <c>ActivityRequest</c> in, an <see cref="AttemptOutcome"/> out): its answer, or
    /// a transient failure for the orchestration to retry as the shared <see cref="ActivityRetryPolicy"/> says. Never
    /// throws for the provider's failures; it throws only when the host stops.
    /// </summary>
    public async Task<string> CallProviderAsync(string input, CancellationToken cancellationToken)
    {
        var request = ActivityRequest.FromJson(input);
        var outcome = await _retries.AttemptAsync(_activities, request.Provider, request.Action, cancellationToken);
        if (outcome.Crash is { } crash)
        {
            LogCrashed(_logger, request.Action.Key.Value, crash);
        }

        return new ActivityAnswer(ActivityAnswer.Fingerprint(input), outcome).ToJson();
    }

    /// <summary>
    /// Makes what the orchestration did durable outside its history (a <c>SyncRequest</c> in, a <c>SyncResult</c> out),
    /// each part idempotent: records the storefront events, saves the order's state (indexing a finished order for
    /// purging), records the applied signals' outcomes, then answers the signals still to apply and closes the inbox
    /// when asked and nothing is left. Throws when a table is out of reach (the orchestration tries again later).
    /// </summary>
    public async Task<string> SyncOrderAsync(string input, CancellationToken cancellationToken)
    {
        var request = SyncRequest.FromJson(input);
        await _storage.Notifications.RecordEventsAsync(request.OrderId, request.Events, cancellationToken);
        string? etag = null;
        if (request.Order is { } order)
        {
            var retention = _options.FinishedOrderRetention > TimeSpan.Zero ? _options.FinishedOrderRetention : (TimeSpan?)null;
            etag = await _storage.Orders.SaveAsync(order, request.OrderETag, retention, cancellationToken);
        }

        await _storage.Inbox.RecordAsync(request.OrderId, request.Applied, cancellationToken);
        var result = request.Drain || request.Close
            ? await _storage.Inbox.DrainAsync(request.OrderId, request.AfterSequence, request.Close, cancellationToken)
            : new SyncResult([]);
        return (result with { OrderETag = etag, For = ActivityAnswer.Fingerprint(input) }).ToJson();
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "Provider call {Key} threw; it is retried with the same key.")]
    private static partial void LogCrashed(ILogger logger, string key, Exception exception);
}
