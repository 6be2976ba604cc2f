using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using OrderPayments.Application.Queues;
using OrderPayments.Durable;
using OrderPayments.Durable.Orchestration;

namespace OrderPayments.Functions;

/// <summary>
/// Queue-triggered intake of the fulfillment system's shipments (the contract both hosts read). A message that fails
/// (the function throws) is retried by the platform and moved to the poison queue (<c>&lt;queue&gt;-poison</c>) after
/// <c>maxDequeueCount</c> attempts (host.json), so that it ends where someone looks at it rather than being lost.
/// </summary>
public sealed partial class FulfillmentFunctions
{
    private readonly DurableOrderPayments _orders;
    private readonly ILogger<FulfillmentFunctions> _logger;

    /// <summary>Creates the function.</summary>
    public FulfillmentFunctions(DurableOrderPayments orders, ILogger<FulfillmentFunctions> logger)
    {
        _orders = orders;
        _logger = logger;
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
        ArgumentNullException.ThrowIfNull(context);
        var requests = _orders.Requests(client, TimeSpan.Zero);
        var result = await FulfillmentIntake.RecordAsync(requests, message, FulfillmentIntake.Caller(OrchestrationNames.FulfillmentsQueue), context.CancellationToken);
        switch (result.Disposition)
        {
            case FulfillmentDisposition.Malformed:
                // No retry can fix it, but it must not be lost: the platform's retries end in the poison queue.
                LogMalformedMessage(_logger, OrchestrationNames.FulfillmentsQueue, result.Reason!);
                throw new InvalidDataException($"Malformed message on {OrchestrationNames.FulfillmentsQueue}: {result.Reason}.");
            case FulfillmentDisposition.NotFound:
                // The order may not be visible yet: let the platform retry (then the poison queue).
                throw new InvalidOperationException($"Order '{result.OrderId}' not found for a queued shipment.");
            case FulfillmentDisposition.Refused:
                LogRefusedShipment(_logger, result.OrderId!, result.Reason!);
                throw new InvalidOperationException($"The shipment queued for order '{result.OrderId}' is refused: {result.Reason}");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queued shipment for order {OrderId} refused: {Reason}. Retried, then moved to the poison queue.")]
    private static partial void LogRefusedShipment(ILogger logger, string orderId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Malformed message on queue {Queue}: {Reason}. Retried, then moved to the poison queue.")]
    private static partial void LogMalformedMessage(ILogger logger, string queue, string reason);
}
