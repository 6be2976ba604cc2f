using System.Text.Json.Serialization;

namespace OrderPayments.Application.Storefront;

/// <summary>
/// One event for the storefront, as delivered: the body is <c>{ id, type, timestamp, data }</c> (the Standard Webhooks
/// payload shape). The id is the same on every delivery attempt; <see cref="StorefrontEventData.Version"/> orders an
/// order's events, so a consumer can drop duplicates and stale ones.
/// </summary>
/// <param name="Id">The event's id (also the <c>webhook-id</c> header).</param>
/// <param name="Type">One of <see cref="StorefrontEventTypes"/>.</param>
/// <param name="Timestamp">When the step that caused it was committed.</param>
/// <param name="Data">The order's state after that step, and what moved.</param>
public sealed record StorefrontEvent(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("timestamp")] DateTimeOffset Timestamp,
    [property: JsonPropertyName("data")] StorefrontEventData Data);
