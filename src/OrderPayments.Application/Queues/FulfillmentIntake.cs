using OrderPayments.Application.Http;

namespace OrderPayments.Application.Queues;

/// <summary>
/// Queued shipments, handled the same way by both hosts: the message is read with <see cref="FulfillmentMessage"/> and
/// recorded through the very handler of <c>POST /api/orders/{orderId}/fulfillments</c>, and the answer is classified
/// for the host's queue: delete, poison at once, or retry. The shipment id and amount are the signal's dedupe key, so a
/// message delivered again (after a crash between recording and deleting) is answered as a repeat and captured once.
/// </summary>
public static class FulfillmentIntake
{
    /// <summary>The caller named in the order's history for shipments taken from <paramref name="queueName"/> (<c>queue:order-fulfillments</c>).</summary>
    public static string Caller(string queueName) => $"queue:{queueName}";

    /// <summary>
    /// Reads <paramref name="message"/> and records its shipment as the order's fulfillment signal. Returns
    /// <see cref="FulfillmentDisposition.Recorded"/> only once the signal is durably recorded (the handler answers after
    /// the store's commit); for every other disposition nothing was recorded.
    /// </summary>
    /// <param name="requests">The shared request handlers of the host.</param>
    /// <param name="message">The message's text.</param>
    /// <param name="by">The caller named in the order's history (<see cref="Caller"/>).</param>
    /// <param name="cancellationToken">Cancels the call (then nothing or the whole signal is recorded).</param>
    /// <remarks>What the workflow client throws (the store or the engine unreachable) is passed on: the message is to be retried.</remarks>
    public static async Task<FulfillmentIntakeResult> RecordAsync(OrderPaymentRequests requests, string message, string by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        if (!FulfillmentMessage.TryRead(message, out var shipment, out var malformed))
        {
            return new FulfillmentIntakeResult(FulfillmentDisposition.Malformed, null, malformed);
        }

        var orderId = shipment.OrderId;
        var response = await requests.FulfillAsync(orderId, shipment.Fulfillment, by, cancellationToken).ConfigureAwait(false);
        var detail = response.Body is ApiProblem problem ? problem.Detail : $"HTTP {response.StatusCode}";
        return response.StatusCode switch
        {
            < 400 => new FulfillmentIntakeResult(FulfillmentDisposition.Recorded, orderId, null, response.Body is SignalReceipt { Repeated: true }),
            400 => new FulfillmentIntakeResult(FulfillmentDisposition.Malformed, orderId, $"the shipment for order '{orderId}' is invalid: {detail}"),
            404 => new FulfillmentIntakeResult(FulfillmentDisposition.NotFound, orderId, detail),
            _ => new FulfillmentIntakeResult(FulfillmentDisposition.Refused, orderId, detail),
        };
    }
}
