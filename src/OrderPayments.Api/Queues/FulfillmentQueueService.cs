using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Options;
using OrderPayments.Application.Http;
using OrderPayments.Application.Queues;

namespace OrderPayments.Api.Queues;

/// <summary>
/// Takes shipments from the fulfillment queue and records each as its order's fulfillment signal through the handler
/// of <c>POST /api/orders/{orderId}/fulfillments</c> (<see cref="FulfillmentIntake"/>, caller <c>queue:&lt;queue&gt;</c>).
/// A message is deleted only after its signal is recorded (the handler answers after the store's commit); when the
/// process stops between the two, the message is handed out again after its visibility timeout and answered as a repeat
/// (the shipment id and amount are the signal's dedupe key), so nothing is lost and nothing is captured twice.
/// A malformed message goes to the poison queue at once; one whose order is not found or refuses the shipment is retried
/// after <see cref="FulfillmentQueueOptions.RetryDelay"/> until it was handed out
/// <see cref="FulfillmentQueueOptions.MaxDequeueCount"/> times, then goes there too (a <see cref="PoisonEnvelope"/>).
/// A failure of the store (the order could not be read or the signal recorded) is the store's, not the message's: the
/// message is tried again after the retry delay, however often, and never counts toward the poison queue.
/// An empty queue is polled less and less often (100 ms doubling up to <see cref="FulfillmentQueueOptions.MaxPollingInterval"/>,
/// on the injected <see cref="TimeProvider"/>). Stopping ends the loop after the message in hand; the rest of its batch is
/// made visible again.
/// </summary>
internal sealed partial class FulfillmentQueueService : BackgroundService
{
    /// <summary>The first wait after an empty receive (then doubled up to the maximum).</summary>
    internal static readonly TimeSpan MinPollingInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>How long stopping may spend making the rest of a batch visible again.</summary>
    private static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(5);

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly FulfillmentQueueClients _queues;
    private readonly FulfillmentQueueOptions _options;
    private readonly OrderPaymentRequests _requests;
    private readonly TimeProvider _time;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<FulfillmentQueueService> _logger;
    private readonly string _by;
    private bool _queueExists;
    private bool _poisonExists;

    public FulfillmentQueueService(
        FulfillmentQueueClients queues,
        IOptions<FulfillmentQueueOptions> options,
        OrderPaymentRequests requests,
        TimeProvider time,
        IHostApplicationLifetime lifetime,
        ILogger<FulfillmentQueueService> logger)
    {
        _queues = queues;
        _options = options.Value;
        _requests = requests;
        _time = time;
        _lifetime = lifetime;
        _logger = logger;
        _by = FulfillmentIntake.Caller(_options.QueueName);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Signals are recorded once the app (and its runtime) has started.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (_lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        LogListening(_logger, _options.QueueName, _options.PoisonQueueName);
        var wait = MinPollingInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            QueueMessage[] batch = [];
            try
            {
                batch = await ReceiveAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogReceiveFailed(_logger, _options.QueueName, wait, exception);
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }

            if (batch.Length == 0)
            {
                if (!await DelayAsync(wait, stoppingToken).ConfigureAwait(false))
                {
                    break;
                }

                wait = wait * 2 < _options.MaxPollingInterval ? wait * 2 : _options.MaxPollingInterval;
                continue;
            }

            wait = MinPollingInterval;
            for (var i = 0; i < batch.Length; i++)
            {
                if (stoppingToken.IsCancellationRequested)
                {
                    await ReleaseAsync(batch[i..]).ConfigureAwait(false);
                    break;
                }

                try
                {
                    await HandleAsync(batch[i], stoppingToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    // The queue (or the store) failed mid-way: the message comes back after its visibility timeout.
                    LogHandlingFailed(_logger, _options.QueueName, batch[i].MessageId, exception);
                }
                catch (Exception) when (stoppingToken.IsCancellationRequested)
                {
                    // Stopping while recording: all of the signal or none of it was committed; a redelivery is answered as a repeat.
                    await ReleaseAsync(batch[i..]).ConfigureAwait(false);
                    break;
                }
            }
        }

        LogStopped(_logger, _options.QueueName);
    }

    private async Task<QueueMessage[]> ReceiveAsync(CancellationToken cancellationToken)
    {
        if (!_queueExists)
        {
            await _queues.Queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            _queueExists = true;
        }

        return (await _queues.Queue.ReceiveMessagesAsync(_options.BatchSize, _options.VisibilityTimeout, cancellationToken).ConfigureAwait(false)).Value;
    }

    /// <summary>Handles one message: recorded and deleted, retried later, or poisoned. Throws when the queue or the store fails.</summary>
    private async Task HandleAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        if (!TryDecode(message, out var text))
        {
            await PoisonAsync(message, text, $"it is not {_options.MessageEncoding} encoded UTF-8 text", cancellationToken).ConfigureAwait(false);
            return;
        }

        if (message.DequeueCount > _options.MaxDequeueCount)
        {
            // Handed out this often without an outcome: its readers stopped while handling it (perhaps because of it).
            await PoisonAsync(message, text, $"it was handed out {message.DequeueCount} times without an outcome (more than {_options.MaxDequeueCount})", cancellationToken).ConfigureAwait(false);
            return;
        }

        FulfillmentIntakeResult result;
        try
        {
            result = await FulfillmentIntake.RecordAsync(_requests, text, _by, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The store failed, not the message: it is tried again after the retry delay without counting toward the
            // poison queue (a copy goes back on the queue with its count reset, then this one is deleted: never lost, at
            // worst handed out twice, and a shipment is recorded once).
            LogRecordFailed(_logger, _options.QueueName, message.MessageId, exception);
            await _queues.Queue.SendMessageAsync(message.Body, _options.RetryDelay, cancellationToken: cancellationToken).ConfigureAwait(false);
            await _queues.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
            return;
        }

        switch (result.Disposition)
        {
            case FulfillmentDisposition.Recorded:
                await DeleteRecordedAsync(message, result, cancellationToken).ConfigureAwait(false);
                return;
            case FulfillmentDisposition.Malformed:
                await PoisonAsync(message, text, result.Reason!, cancellationToken).ConfigureAwait(false);
                return;
            default:
                await RetryOrPoisonAsync(message, text, result.Reason!, cancellationToken).ConfigureAwait(false);
                return;
        }
    }

    private async Task DeleteRecordedAsync(QueueMessage message, FulfillmentIntakeResult result, CancellationToken cancellationToken)
    {
        try
        {
            await _queues.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            LogDeleteFailed(_logger, result.OrderId!, _options.QueueName, message.MessageId, exception);
            return;
        }

        LogRecorded(_logger, result.OrderId!, _options.QueueName, result.Repeated ? " (recorded before)" : "");
    }

    /// <summary>Hides the message until its next attempt, or, on its last, moves it to the poison queue.</summary>
    private async Task RetryOrPoisonAsync(QueueMessage message, string text, string reason, CancellationToken cancellationToken)
    {
        if (message.DequeueCount >= _options.MaxDequeueCount)
        {
            await PoisonAsync(message, text, reason, cancellationToken).ConfigureAwait(false);
            return;
        }

        LogRetrying(_logger, _options.QueueName, message.MessageId, reason, message.DequeueCount, _options.MaxDequeueCount, _options.RetryDelay);
        await _queues.Queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: _options.RetryDelay, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Puts the message in its envelope on the poison queue, then deletes it from the queue (in that order: never lost).</summary>
    private async Task PoisonAsync(QueueMessage message, string text, string reason, CancellationToken cancellationToken)
    {
        var envelope = new PoisonEnvelope(_options.QueueName, message.MessageId, text, reason, message.DequeueCount, message.InsertedOn, _time.GetUtcNow());
        if (!_poisonExists)
        {
            await _queues.Poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            _poisonExists = true;
        }

        await _queues.Poison.SendMessageAsync(Encode(JsonSerializer.Serialize(envelope, ApiJson.Options)), cancellationToken).ConfigureAwait(false);
        await _queues.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
        LogPoisoned(_logger, _options.QueueName, message.MessageId, _options.PoisonQueueName, reason, message.DequeueCount);
    }

    /// <summary>Makes messages taken but not handled visible again at once (best effort: otherwise they return after their visibility timeout).</summary>
    private async Task ReleaseAsync(IEnumerable<QueueMessage> messages)
    {
        using var deadline = new CancellationTokenSource(ReleaseTimeout, _time);
        foreach (var message in messages)
        {
            try
            {
                await _queues.Queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: deadline.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                LogReleaseFailed(_logger, _options.QueueName, message.MessageId, exception);
                return;
            }
        }
    }

    /// <summary>Waits on the injected clock; false when stopping.</summary>
    private async Task<bool> DelayAsync(TimeSpan wait, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(wait, _time, stoppingToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The message's text in the configured encoding; false (and the raw body) when it is not valid in it.</summary>
    private bool TryDecode(QueueMessage message, out string text)
    {
        text = message.Body.ToString();
        if (_options.MessageEncoding != QueueMessageEncoding.Base64)
        {
            return true;
        }

        try
        {
            text = StrictUtf8.GetString(Convert.FromBase64String(text));
            return true;
        }
        catch (Exception exception) when (exception is FormatException or DecoderFallbackException)
        {
            return false;
        }
    }

    private string Encode(string text) =>
        _options.MessageEncoding == QueueMessageEncoding.Base64 ? Convert.ToBase64String(Encoding.UTF8.GetBytes(text)) : text;

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Taking shipments from queue {Queue} (poison queue {PoisonQueue}).")]
    private static partial void LogListening(ILogger logger, string queue, string poisonQueue);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "Shipment for order {OrderId} from queue {Queue} recorded{Repeat}; message deleted.")]
    private static partial void LogRecorded(ILogger logger, string orderId, string queue, string repeat);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Warning, Message = "Message {MessageId} on queue {Queue} not applied: {Reason}. Attempt {Attempt} of {MaxAttempts}; retried in {Delay}.")]
    private static partial void LogRetrying(ILogger logger, string queue, string messageId, string reason, long attempt, int maxAttempts, TimeSpan delay);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Error, Message = "Message {MessageId} on queue {Queue} moved to {PoisonQueue} after {Attempts} attempt(s): {Reason}.")]
    private static partial void LogPoisoned(ILogger logger, string queue, string messageId, string poisonQueue, string reason, long attempts);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Warning, Message = "Shipment for order {OrderId} recorded, but message {MessageId} could not be deleted from queue {Queue}: it comes back after its visibility timeout and is answered as a repeat.")]
    private static partial void LogDeleteFailed(ILogger logger, string orderId, string queue, string messageId, Exception exception);

    [LoggerMessage(EventId = 7006, Level = LogLevel.Warning, Message = "Receiving from queue {Queue} failed; trying again in {Delay} or later.")]
    private static partial void LogReceiveFailed(ILogger logger, string queue, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 7007, Level = LogLevel.Error, Message = "Recording message {MessageId} of queue {Queue} failed.")]
    private static partial void LogRecordFailed(ILogger logger, string queue, string messageId, Exception exception);

    [LoggerMessage(EventId = 7008, Level = LogLevel.Warning, Message = "Handling message {MessageId} of queue {Queue} failed; it comes back after its visibility timeout.")]
    private static partial void LogHandlingFailed(ILogger logger, string queue, string messageId, Exception exception);

    [LoggerMessage(EventId = 7009, Level = LogLevel.Warning, Message = "Releasing message {MessageId} of queue {Queue} while stopping failed; it comes back after its visibility timeout.")]
    private static partial void LogReleaseFailed(ILogger logger, string queue, string messageId, Exception exception);

    [LoggerMessage(EventId = 7010, Level = LogLevel.Information, Message = "Stopped taking shipments from queue {Queue}.")]
    private static partial void LogStopped(ILogger logger, string queue);
}
