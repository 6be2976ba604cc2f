using OrderPayments.Application.Storefront;

namespace OrderPayments.Application.Http;

/// <summary>
/// The management routes of storefront notifications (operators): endpoints (<c>/api/notification-endpoints</c>) and
/// deliveries (<c>/api/notification-deliveries</c>), with the same problem+json rules as the order routes.
/// </summary>
public sealed class NotificationEndpointRequests(INotificationEndpoints endpoints)
{
    /// <summary>The longest endpoint URL taken.</summary>
    public const int MaxUrlLength = 2000;

    private static readonly string[] Statuses = ["pending", "delivered", "failed"];

    /// <summary>The delivery statuses <c>GET /api/notification-deliveries?status=</c> takes (default <c>failed</c>).</summary>
    public static IReadOnlyList<string> DeliveryStatuses => Statuses;

    /// <summary><c>POST /api/notification-endpoints</c> <c>{ url, types? }</c>: 201 with the secret (shown this once).</summary>
    public async Task<ApiResponse> AddAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var (json, malformed) = JsonBody.Parse(body);
        if (json is null)
        {
            return ApiResponse.Problem(malformed!);
        }

        var url = json.String("url", required: true, MaxUrlLength);
        var types = json.Strings("types", StorefrontEventTypes.All);
        json.RefuseUnknownFields();
        Uri? parsed = null;
        if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out parsed) || parsed.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(parsed.UserInfo)))
        {
            json.Error("url", "Must be an absolute http(s) URL without credentials.");
        }

        if (json.Errors.Count > 0)
        {
            return ApiResponse.Problem(ApiProblem.Invalid(json.Errors));
        }

        var (endpoint, secret) = await endpoints.AddAsync(parsed!, types, cancellationToken).ConfigureAwait(false);
        var location = $"/api/notification-endpoints/{endpoint.Id}";
        return new ApiResponse(201, new CreatedEndpoint(endpoint.Id, endpoint.Url.AbsoluteUri, endpoint.Types, endpoint.Source, endpoint.CreatedAt, secret), location);
    }

    /// <summary><c>GET /api/notification-endpoints</c>: the endpoints, without secrets.</summary>
    public async Task<ApiResponse> ListAsync(CancellationToken cancellationToken) =>
        new(200, new EndpointList([.. (await endpoints.ListAsync(cancellationToken).ConfigureAwait(false)).Select(e => new EndpointEntry(e.Id, e.Url.AbsoluteUri, e.Types, e.Source, e.CreatedAt))]));

    /// <summary><c>DELETE /api/notification-endpoints/{id}</c>: 204, or 404.</summary>
    public async Task<ApiResponse> DeleteAsync(string id, CancellationToken cancellationToken) =>
        await endpoints.DeleteAsync(id, cancellationToken).ConfigureAwait(false) ? new ApiResponse(204, null) : ApiResponse.Problem(EndpointNotFound(id));

    /// <summary><c>POST /api/notification-endpoints/{id}/test</c>: 202 with the test event's id, or 404.</summary>
    public async Task<ApiResponse> SendTestAsync(string id, CancellationToken cancellationToken) =>
        await endpoints.SendTestAsync(id, cancellationToken).ConfigureAwait(false) is { } eventId ? new ApiResponse(202, new TestEventReceipt(eventId)) : ApiResponse.Problem(EndpointNotFound(id));

    /// <summary><c>GET /api/notification-deliveries?status=failed&amp;endpoint=&amp;limit=</c>: deliveries of a status (default failed).</summary>
    public async Task<ApiResponse> DeliveriesAsync(string? status, string? endpoint, string? limit, CancellationToken cancellationToken)
    {
        var errors = new List<ApiFieldError>();
        status ??= "failed";
        if (!Statuses.Contains(status))
        {
            errors.Add(new ApiFieldError("status", $"Must be one of {string.Join(", ", Statuses)}."));
        }

        var size = OrderPaymentRequests.PageSize(limit, errors);

        return errors.Count > 0
            ? ApiResponse.Problem(ApiProblem.Invalid(errors))
            : new ApiResponse(200, new DeliveryList(await endpoints.DeliveriesAsync(status, endpoint, size, cancellationToken).ConfigureAwait(false)));
    }

    /// <summary><c>POST /api/notification-deliveries/{endpointId}/{eventId}/retry</c>: 202, or 404 when there is no such failed delivery.</summary>
    public async Task<ApiResponse> RetryAsync(string endpointId, string eventId, CancellationToken cancellationToken) =>
        await endpoints.RetryAsync(endpointId, eventId, cancellationToken).ConfigureAwait(false)
            ? new ApiResponse(202, new TestEventReceipt(eventId))
            : ApiResponse.Problem(ApiProblem.NotFound($"No failed delivery of event '{eventId}' to endpoint '{endpointId}'."));

    private static ApiProblem EndpointNotFound(string id) => ApiProblem.NotFound($"There is no notification endpoint '{id}'.");
}
