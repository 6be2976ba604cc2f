namespace OrderPayments.Application.Storefront;

/// <summary>One event waiting to be delivered to one endpoint (the oldest undelivered one of its order for that endpoint).</summary>
/// <param name="EndpointId">The endpoint.</param>
/// <param name="Url">Where to POST it.</param>
/// <param name="Secret">The endpoint's <c>whsec_</c> secret (signs the delivery; never logged).</param>
/// <param name="Sequence">The event's place in the outbox (orders an order's events).</param>
/// <param name="EventId">The event's id (<c>webhook-id</c>, the same on every attempt).</param>
/// <param name="OrderId">The order it is about.</param>
/// <param name="Body">The JSON body, exactly as signed.</param>
/// <param name="Attempts">Attempts made so far.</param>
/// <param name="Since">When it became due the first time (or was retried by an operator): retries stop after the retry period from here.</param>
public sealed record PendingDelivery(string EndpointId, Uri Url, string Secret, long Sequence, string EventId, string OrderId, string Body, int Attempts, DateTimeOffset Since);
