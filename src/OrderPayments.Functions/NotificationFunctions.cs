using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using OrderPayments.Application.Http;
using OrderPayments.Application.Notifications;
using OrderPayments.Application.Queues;
using OrderPayments.Application.Workflows;
using OrderPayments.Domain.Serialization;

namespace OrderPayments.Functions;

/// <summary>
/// Queue-triggered intake: verified webhooks become signals for their orders, and the fulfillment system may post
/// shipments as messages. A message that fails (the function throws) is retried by the platform and moved to the
/// poison queue (<c>&lt;queue&gt;-poison</c>) after <c>maxDequeueCount</c> attempts (host.json). Both functions throw,
/// so that the message ends in the poison queue for someone to look at rather than being lost: for an order not found
/// (yet), for a transient fault, for a malformed message (not JSON, a field missing or invalid; logged with the
/// reason, never with the body), and for a shipment the order refuses (its state or amounts; logged with the reason).
/// </summary>
public sealed partial class NotificationFunctions
{
    private readonly DurableOrderPayments _orders;
    private readonly ILogger<NotificationFunctions> _logger;

    /// <summary>Creates the functions.</summary>
    public NotificationFunctions(DurableOrderPayments orders, ILogger<NotificationFunctions> logger)
    {
        _orders = orders;
        _logger = logger;
    }

    /// <summary>
    /// Raises a verified notification (a <see cref="ProviderNotification"/> as JSON) to its order, once per dedupe key;
    /// a notification no order's reference matches is logged and dropped (as the API acknowledges it).
    /// </summary>
    /// <exception cref="InvalidDataException">The message is not a notification (not JSON, a field missing or invalid).</exception>
    [Function(nameof(ApplyNotification))]
    public async Task ApplyNotification([QueueTrigger(OrchestrationNames.NotificationsQueue)] string message, [DurableClient] DurableTaskClient client, FunctionContext context)
    {
        var notification = ReadNotification(message);
        var outcome = await NotificationHandling.RecordAsync(_orders.Client(client), notification, context.CancellationToken);
        if (outcome.Result == SignalResult.NotFound)
        {
            LogUnknownReference(_logger, notification.Reference.Value);
            return;
        }

        LogNotification(_logger, notification.DedupeKey, outcome.Result, outcome.Repeated ? " (recorded before)" : "");
    }

    /// <summary>
    /// A shipment from the fulfillment system: <c>{ "orderId": "…", "fulfillment": { "shipmentId": "…", "amount": {…} } }</c>,
    /// the fulfillment being the body of <c>POST /api/orders/{orderId}/fulfillments</c>, read and recorded by
    /// <see cref="FulfillmentIntake"/> (the self-hosted API's queue intake does the same). Returns once the shipment is
    /// recorded (or was before: a redelivery is answered as a repeat). Throws otherwise, so the platform retries the
    /// message and moves it to the poison queue after <c>maxDequeueCount</c> attempts: when the message is not such a
    /// shipment, when the order is not found, and when the order refuses the shipment (its state or amounts; logged with
    /// the reason) — a refused shipment is kept for someone to look at, never dropped.
    /// </summary>
    /// <exception cref="InvalidDataException">The message is not a shipment (not JSON, <c>orderId</c> or <c>fulfillment</c> missing, a field invalid).</exception>
    /// <exception cref="InvalidOperationException">No order has the id (yet), or the order refuses the shipment.</exception>
    [Function(nameof(ApplyFulfillment))]
    public async Task ApplyFulfillment([QueueTrigger(OrchestrationNames.FulfillmentsQueue)] string message, [DurableClient] DurableTaskClient client, FunctionContext context)
    {
        var requests = _orders.Requests(client, TimeSpan.Zero);
        var result = await FulfillmentIntake.RecordAsync(requests, message, FulfillmentIntake.Caller(OrchestrationNames.FulfillmentsQueue), context.CancellationToken);
        switch (result.Disposition)
        {
            case FulfillmentDisposition.Malformed:
                // No retry can fix it, but it must not be lost: the platform's retries end in the poison queue.
                throw Malformed(OrchestrationNames.FulfillmentsQueue, result.Reason!);
            case FulfillmentDisposition.NotFound:
                // The order may not be visible yet: let the platform retry (then the poison queue).
                throw new InvalidOperationException($"Order '{result.OrderId}' not found for a queued shipment.");
            case FulfillmentDisposition.Refused:
                LogRefusedShipment(_logger, result.OrderId!, result.Reason!);
                throw new InvalidOperationException($"The shipment queued for order '{result.OrderId}' is refused: {result.Reason}");
        }
    }

    /// <summary>The notification in a message, or the malformed message thrown (after logging why).</summary>
    private ProviderNotification ReadNotification(string message)
    {
        ProviderNotification? notification;
        try
        {
            notification = JsonSerializer.Deserialize<ProviderNotification>(message, OrderPaymentsJson.Options);
        }
        catch (Exception exception) when (exception is JsonException or NotSupportedException)
        {
            throw Malformed(OrchestrationNames.NotificationsQueue, $"it is not a notification: {exception.Message}", exception);
        }

        return notification is { Reference.Value: not null, Input: not null } && !string.IsNullOrWhiteSpace(notification.DedupeKey)
            ? notification
            : throw Malformed(OrchestrationNames.NotificationsQueue, "a notification needs reference, input and dedupeKey");
    }

    /// <summary>Logs why a message is malformed and returns the exception to throw: the platform retries it, then moves it to the poison queue.</summary>
    private InvalidDataException Malformed(string queue, string reason, Exception? inner = null)
    {
        LogMalformedMessage(_logger, queue, reason);
        return new InvalidDataException($"Malformed message on {queue}: {reason}.", inner);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification about unknown payment {Reference} ignored.")]
    private static partial void LogUnknownReference(ILogger logger, string reference);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification {DedupeKey}: {Result}{Repeat}.")]
    private static partial void LogNotification(ILogger logger, string dedupeKey, SignalResult result, string repeat);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queued shipment for order {OrderId} refused: {Reason}. Retried, then moved to the poison queue.")]
    private static partial void LogRefusedShipment(ILogger logger, string orderId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Malformed message on queue {Queue}: {Reason}. Retried, then moved to the poison queue.")]
    private static partial void LogMalformedMessage(ILogger logger, string queue, string reason);
}
