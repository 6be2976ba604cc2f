using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using OrderPayments.Application.Http;
using OrderPayments.Application.Notifications;
using OrderPayments.Application.Workflows;
using OrderPayments.Domain.Serialization;

namespace OrderPayments.Functions;

/// <summary>
/// Queue-triggered intake: verified webhooks become signals for their orders, and the fulfillment system may post
/// shipments as messages. A message that fails (the function throws) is retried by the platform and moved to the
/// poison queue (<c>&lt;queue&gt;-poison</c>) after <c>maxDequeueCount</c> attempts (host.json). Both functions throw,
/// so that the message ends in the poison queue for someone to look at rather than being lost: for an order not found
/// (yet), for a transient fault, and for a malformed message (not JSON, a field missing or invalid; logged with the
/// reason, never with the body). A well-formed shipment the order refuses (its state or amounts) is logged and dropped:
/// retrying cannot change that answer.
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
    /// the fulfillment being the body of <c>POST /api/orders/{orderId}/fulfillments</c>. Throws (retried, then the
    /// poison queue) when the order is not found and when the message is not such a shipment; a shipment the order
    /// refuses is logged and dropped.
    /// </summary>
    /// <exception cref="InvalidDataException">The message is not a shipment (not JSON, <c>orderId</c> or <c>fulfillment</c> missing, a field invalid).</exception>
    /// <exception cref="InvalidOperationException">No order has the id (yet).</exception>
    [Function(nameof(ApplyFulfillment))]
    public async Task ApplyFulfillment([QueueTrigger(OrchestrationNames.FulfillmentsQueue)] string message, [DurableClient] DurableTaskClient client, FunctionContext context)
    {
        var (orderId, body) = ReadShipment(message);
        var requests = _orders.Requests(client, TimeSpan.Zero);
        var response = await requests.FulfillAsync(orderId, body, $"queue:{OrchestrationNames.FulfillmentsQueue}", context.CancellationToken);
        var reason = response.Body is ApiProblem problem ? problem.Detail : response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (response.StatusCode == 404)
        {
            // The order may not be visible yet: let the platform retry (then the poison queue).
            throw new InvalidOperationException($"Order '{orderId}' not found for a queued shipment.");
        }

        if (response.StatusCode == 400)
        {
            // The shipment itself is invalid (a field missing or malformed): no retry can fix it, but it must not be lost.
            throw Malformed(OrchestrationNames.FulfillmentsQueue, $"the shipment for order '{orderId}' is invalid: {reason}");
        }

        if (response.StatusCode >= 400)
        {
            LogRefusedShipment(_logger, orderId, reason);
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

    /// <summary>The order id and the fulfillment body in a shipment message, or the malformed message thrown (after logging why).</summary>
    private (string OrderId, byte[] Body) ReadShipment(string message)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(message);
        }
        catch (JsonException exception)
        {
            throw Malformed(OrchestrationNames.FulfillmentsQueue, $"it is not JSON: {exception.Message}", exception);
        }

        if (node is not JsonObject shipment)
        {
            throw Malformed(OrchestrationNames.FulfillmentsQueue, "it is not a JSON object");
        }

        if (shipment["orderId"] is not JsonValue id || !id.TryGetValue<string>(out var orderId) || string.IsNullOrWhiteSpace(orderId))
        {
            throw Malformed(OrchestrationNames.FulfillmentsQueue, "orderId (a string) is required");
        }

        if (shipment["fulfillment"] is not JsonObject fulfillment)
        {
            throw Malformed(OrchestrationNames.FulfillmentsQueue, $"the shipment for order '{orderId}' has no fulfillment object");
        }

        return (orderId, Encoding.UTF8.GetBytes(fulfillment.ToJsonString()));
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queued shipment for order {OrderId} refused: {Reason}. Dropped.")]
    private static partial void LogRefusedShipment(ILogger logger, string orderId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Malformed message on queue {Queue}: {Reason}. Retried, then moved to the poison queue.")]
    private static partial void LogMalformedMessage(ILogger logger, string queue, string reason);
}
