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
/// shipments as messages. A message that fails is retried by the platform and lands in the poison queue after
/// <c>maxDequeueCount</c> (host.json); a message that can never succeed (bad input) is logged and dropped.
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

    /// <summary>Raises a verified notification (a <see cref="ProviderNotification"/> as JSON) to its order (ignored when no order has the reference).</summary>
    [Function(nameof(ApplyNotification))]
    public async Task ApplyNotification([QueueTrigger(OrchestrationNames.NotificationsQueue)] string message, [DurableClient] DurableTaskClient client, FunctionContext context)
    {
        var notification = JsonSerializer.Deserialize<ProviderNotification>(message, OrderPaymentsJson.Options)
            ?? throw new JsonException("The notification message is empty.");
        var outcome = await NotificationHandling.RecordAsync(_orders.Client(client), notification, context.CancellationToken);
        if (outcome.Result == SignalResult.NotFound)
        {
            LogUnknownReference(_logger, notification.Reference.Value);
            return;
        }

        LogNotification(_logger, notification.DedupeKey, outcome.Result);
    }

    /// <summary>
    /// A shipment from the fulfillment system: <c>{ "orderId": "…", "fulfillment": { "shipmentId": "…", "amount": {…} } }</c>,
    /// the fulfillment being the body of <c>POST /api/orders/{orderId}/fulfillments</c>.
    /// </summary>
    [Function(nameof(ApplyFulfillment))]
    public async Task ApplyFulfillment([QueueTrigger(OrchestrationNames.FulfillmentsQueue)] string message, [DurableClient] DurableTaskClient client, FunctionContext context)
    {
        var node = JsonNode.Parse(message) as JsonObject;
        var orderId = node?["orderId"]?.GetValue<string>() ?? "";
        var body = Encoding.UTF8.GetBytes(node?["fulfillment"]?.ToJsonString() ?? "");
        var requests = _orders.Requests(client, TimeSpan.Zero);
        var response = await requests.FulfillAsync(orderId, body, context.CancellationToken);
        if (response.StatusCode == 404)
        {
            // The order may not be visible yet: let the platform retry (then the poison queue).
            throw new InvalidOperationException($"Order '{orderId}' not found for a queued shipment.");
        }

        if (response.StatusCode >= 400)
        {
            LogRefusedShipment(_logger, orderId, response.Body is ApiProblem problem ? problem.Detail : response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification about unknown payment {Reference} ignored.")]
    private static partial void LogUnknownReference(ILogger logger, string reference);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification {DedupeKey}: {Result}.")]
    private static partial void LogNotification(ILogger logger, string dedupeKey, SignalResult result);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queued shipment for order {OrderId} refused: {Reason}. Dropped.")]
    private static partial void LogRefusedShipment(ILogger logger, string orderId, string reason);
}
