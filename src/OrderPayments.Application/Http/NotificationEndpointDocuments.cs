namespace OrderPayments.Application.Http;

/// <summary>A notification endpoint just created: the only answer that carries its secret.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Url">Where events are POSTed.</param>
/// <param name="Types">The event types it receives; null for all.</param>
/// <param name="Source"><c>api</c> or <c>configuration</c>.</param>
/// <param name="CreatedAt">When it was added.</param>
/// <param name="Secret">The <c>whsec_</c> secret to verify signatures with; shown this once.</param>
public sealed record CreatedEndpoint(string Id, string Url, IReadOnlyList<string>? Types, string Source, DateTimeOffset CreatedAt, string Secret);

/// <summary>A notification endpoint (never with its secret).</summary>
/// <param name="Id">Its id.</param>
/// <param name="Url">Where events are POSTed.</param>
/// <param name="Types">The event types it receives; null for all.</param>
/// <param name="Source"><c>api</c> or <c>configuration</c>.</param>
/// <param name="CreatedAt">When it was added.</param>
public sealed record EndpointEntry(string Id, string Url, IReadOnlyList<string>? Types, string Source, DateTimeOffset CreatedAt);

/// <summary>The notification endpoints.</summary>
/// <param name="Items">By id.</param>
public sealed record EndpointList(IReadOnlyList<EndpointEntry> Items);

/// <summary>The answer to a test event or a retry.</summary>
/// <param name="EventId">The event queued for delivery.</param>
public sealed record TestEventReceipt(string EventId);

/// <summary>Deliveries of one status.</summary>
/// <param name="Items">Oldest event first.</param>
public sealed record DeliveryList(IReadOnlyList<Storefront.DeliveryRecord> Items);
