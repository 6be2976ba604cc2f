namespace OrderPayments.Api;

/// <summary>The body of <c>POST /api/notification-endpoints</c> (for the OpenAPI document).</summary>
/// <param name="Url">Where events are POSTed (absolute http(s)).</param>
/// <param name="Types">The event types to receive (e.g. <c>payment.captured</c>); leave out for all.</param>
public sealed record NotificationEndpointBody(string Url, IReadOnlyList<string>? Types);
