using OrderPayments.Application.Http;

namespace OrderPayments.Api;

/// <summary>The management routes of storefront notifications (operators only).</summary>
public static partial class ApiApp
{
    private static void MapNotificationManagement(WebApplication app, ApiKeys keys)
    {
        var endpoints = app.MapGroup("/api/notification-endpoints").WithTags("Notifications");
        endpoints.MapPost("", (HttpRequest request, NotificationEndpointRequests api) => WithBodyAsync(request, api.AddAsync))
            .AcceptsJson<NotificationEndpointBody>()
            .Produces<CreatedEndpoint>(201).ProducesProblems(400)
            .WithName("AddNotificationEndpoint")
            .WithSummary("Add an endpoint for storefront events; the answer carries its whsec_ secret, shown this once.")
            .RequireRoles(keys, ApiRole.Operator);
        endpoints.MapGet("", async (NotificationEndpointRequests api, CancellationToken ct) => Write(await api.ListAsync(ct)))
            .Produces<EndpointList>()
            .WithName("ListNotificationEndpoints")
            .WithSummary("The endpoints (without secrets).")
            .RequireRoles(keys, ApiRole.Operator);
        endpoints.MapDelete("/{id}", async (string id, NotificationEndpointRequests api, CancellationToken ct) => Write(await api.DeleteAsync(id, ct)))
            .Produces(204).ProducesProblems(404)
            .WithName("DeleteNotificationEndpoint")
            .WithSummary("Delete an endpoint; its undelivered events are dropped.")
            .RequireRoles(keys, ApiRole.Operator);
        endpoints.MapPost("/{id}/test", async (string id, NotificationEndpointRequests api, CancellationToken ct) => Write(await api.SendTestAsync(id, ct)))
            .Produces<TestEventReceipt>(202).ProducesProblems(404)
            .WithName("SendTestEvent")
            .WithSummary("Send a signed test event to the endpoint.")
            .RequireRoles(keys, ApiRole.Operator);

        var deliveries = app.MapGroup("/api/notification-deliveries").WithTags("Notifications");
        deliveries.MapGet("", async (string? status, string? endpoint, string? limit, NotificationEndpointRequests api, CancellationToken ct) => Write(await api.DeliveriesAsync(status, endpoint, limit, ct)))
            .Produces<DeliveryList>().ProducesProblems(400)
            .WithName("ListNotificationDeliveries")
            .WithSummary("Deliveries of a status (failed by default): event, order, attempts, last error.")
            .RequireRoles(keys, ApiRole.Operator);
        deliveries.MapPost("/{endpointId}/{eventId}/retry", async (string endpointId, string eventId, NotificationEndpointRequests api, CancellationToken ct) => Write(await api.RetryAsync(endpointId, eventId, ct)))
            .Produces<TestEventReceipt>(202).ProducesProblems(404)
            .WithName("RetryNotificationDelivery")
            .WithSummary("Retry a failed delivery now, with a fresh retry period.")
            .RequireRoles(keys, ApiRole.Operator);
    }
}
