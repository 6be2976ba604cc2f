namespace OrderPayments.Application.Storefront;

/// <summary>Where a host keeps its storefront notification endpoints and deliveries (the management routes' store).</summary>
public interface INotificationEndpoints
{
    /// <summary>Adds an endpoint with a new secret, answered here and never again.</summary>
    (NotificationEndpoint Endpoint, string Secret) Add(Uri url, IReadOnlyList<string>? types);

    /// <summary>The active endpoints, by id.</summary>
    IReadOnlyList<NotificationEndpoint> List();

    /// <summary>Deletes an endpoint (its undelivered events are dropped); false when there is none.</summary>
    bool Delete(string id);

    /// <summary>Queues a <c>test</c> event for one endpoint; its id, or null when there is no such endpoint.</summary>
    string? SendTest(string id);

    /// <summary>Deliveries of one status, oldest event first.</summary>
    IReadOnlyList<DeliveryRecord> Deliveries(string status, string? endpointId, int limit);

    /// <summary>Retries a failed delivery now, with a fresh retry period; false when there is no such failed delivery.</summary>
    bool Retry(string endpointId, string eventId);
}
