using OrderPayments.Application.Storefront;

namespace OrderPayments.Durable.Notifications;

/// <summary>A storefront event and its place among the order's events (its step's version, then its place in the step).</summary>
/// <param name="Sequence">Orders the order's events: <c>version × 1000 + index</c>.</param>
/// <param name="Event">The event.</param>
internal sealed record SequencedEvent(long Sequence, StorefrontEvent Event);
