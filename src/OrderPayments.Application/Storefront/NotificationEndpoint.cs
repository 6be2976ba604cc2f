namespace OrderPayments.Application.Storefront;

/// <summary>Where storefront events are delivered (the secret is never part of it: it is shown once, at creation).</summary>
/// <param name="Id">The endpoint's id (for configured ones: their name in the configuration).</param>
/// <param name="Url">Where events are POSTed.</param>
/// <param name="Types">The event types it receives; null for all.</param>
/// <param name="Source"><c>api</c> or <c>configuration</c>.</param>
/// <param name="CreatedAt">When it was added.</param>
public sealed record NotificationEndpoint(string Id, Uri Url, IReadOnlyList<string>? Types, string Source, DateTimeOffset CreatedAt);
