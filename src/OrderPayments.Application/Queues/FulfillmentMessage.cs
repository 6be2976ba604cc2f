using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrderPayments.Application.Queues;

/// <summary>
/// A shipment as the fulfillment system puts it on the <c>order-fulfillments</c> queue:
/// <c>{ "orderId": "…", "fulfillment": { "shipmentId": "…", "amount": { "currency": "NOK", "value": 1000 } } }</c>
/// (<c>amount</c> optional: the rest of the reservation), the fulfillment being the body of
/// <c>POST /api/orders/{orderId}/fulfillments</c>. The one reader of that contract for both hosts: the Functions app's
/// queue trigger and the self-hosted API's queue intake.
/// </summary>
/// <param name="OrderId">The order the shipment is for, as sent (the fulfillment handler validates it).</param>
/// <param name="Fulfillment">The <c>fulfillment</c> object as UTF-8 JSON: the body the fulfillment handler reads.</param>
public sealed record FulfillmentMessage(string OrderId, ReadOnlyMemory<byte> Fulfillment)
{
    /// <summary>The queue the fulfillment system sends shipments to (its poison queue is <c>order-fulfillments-poison</c>).</summary>
    public const string DefaultQueueName = "order-fulfillments";

    /// <summary>
    /// Reads a message's text. Only the envelope is checked here (JSON, an object, <c>orderId</c> a non-empty string,
    /// <c>fulfillment</c> an object); the fulfillment's own fields are the handler's to check, as for the HTTP route.
    /// </summary>
    /// <param name="text">The message as received (already decoded from the queue's encoding).</param>
    /// <param name="message">The shipment, when the envelope is well-formed.</param>
    /// <param name="reason">Why it is not a shipment (never the message itself), when it is not.</param>
    /// <returns>Whether the text is a shipment message.</returns>
    public static bool TryRead(string text, [NotNullWhen(true)] out FulfillmentMessage? message, [NotNullWhen(false)] out string? reason)
    {
        message = null;
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException exception)
        {
            reason = $"it is not JSON: {exception.Message}";
            return false;
        }

        if (node is not JsonObject shipment)
        {
            reason = "it is not a JSON object";
            return false;
        }

        if (shipment["orderId"] is not JsonValue id || !id.TryGetValue<string>(out var orderId) || string.IsNullOrWhiteSpace(orderId))
        {
            reason = "orderId (a string) is required";
            return false;
        }

        if (shipment["fulfillment"] is not JsonObject fulfillment)
        {
            reason = $"the shipment for order '{orderId}' has no fulfillment object";
            return false;
        }

        message = new FulfillmentMessage(orderId, Encoding.UTF8.GetBytes(fulfillment.ToJsonString()));
        reason = null;
        return true;
    }
}
