namespace OrderPayments.Application.Storefront;

/// <summary>Where a host keeps its storefront notification endpoints and deliveries (the management routes' store).</summary>
public interface INotificationEndpoints
{
    /// <summary>Adds an endpoint with a new secret, answered here and never again.</summary>
    Task<(NotificationEndpoint Endpoint, string Secret)> AddAsync(Uri url, IReadOnlyList<string>? types, CancellationToken cancellationToken);

    /// <summary>The active endpoints, by id.</summary>
    Task<IReadOnlyList<NotificationEndpoint>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Deletes an endpoint (its undelivered events are dropped); false when there is none.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>Queues a <c>test</c> event for one endpoint; its id, or null when there is no such endpoint.</summary>
    Task<string?> SendTestAsync(string id, CancellationToken cancellationToken);

    /// <summary>Deliveries of one status, oldest event first.</summary>
    Task<IReadOnlyList<DeliveryRecord>> DeliveriesAsync(string status, string? endpointId, int limit, CancellationToken cancellationToken);

    /// <summary>Retries a failed delivery now, with a fresh retry period; false when there is no such failed delivery.</summary>
    Task<bool> RetryAsync(string endpointId, string eventId, CancellationToken cancellationToken);
}
