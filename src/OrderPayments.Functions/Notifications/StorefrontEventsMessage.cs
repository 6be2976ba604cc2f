using System.Text.Json;
using OrderPayments.Application.Http;
using OrderPayments.Application.Storefront;

namespace OrderPayments.Functions.Notifications;

/// <summary>The input of the <c>RecordStorefrontEvents</c> activity: one step's events, each with its place in the order.</summary>
/// <param name="OrderId">The order.</param>
/// <param name="Events">The events, in order.</param>
internal sealed record StorefrontEventsMessage(string OrderId, IReadOnlyList<SequencedEvent> Events)
{
    public string ToJson() => JsonSerializer.Serialize(this, ApiJson.Options);

    public static StorefrontEventsMessage FromJson(string json) =>
        JsonSerializer.Deserialize<StorefrontEventsMessage>(json, ApiJson.Options) ?? throw new JsonException("The storefront events message is empty.");
}

/// <summary>An event and its place among the order's events (its version, then its place in the step).</summary>
/// <param name="Sequence">Orders the order's events.</param>
/// <param name="Event">The event.</param>
internal sealed record SequencedEvent(long Sequence, StorefrontEvent Event);
