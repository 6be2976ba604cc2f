namespace OrderPayments.Application.Storefront;

/// <summary>A delivery as operators see it (e.g. the failed ones, to retry).</summary>
/// <param name="EndpointId">The endpoint.</param>
/// <param name="EventId">The event.</param>
/// <param name="OrderId">The order it is about.</param>
/// <param name="Type">The event type.</param>
/// <param name="Status"><c>pending</c>, <c>delivered</c> or <c>failed</c>.</param>
/// <param name="Attempts">Attempts made.</param>
/// <param name="LastError">Why the last attempt failed.</param>
/// <param name="NextAttemptAt">For a pending one: when it is tried next.</param>
/// <param name="DoneAt">When it was delivered or given up.</param>
public sealed record DeliveryRecord(string EndpointId, string EventId, string OrderId, string Type, string Status, int Attempts, string? LastError, DateTimeOffset? NextAttemptAt, DateTimeOffset? DoneAt);
