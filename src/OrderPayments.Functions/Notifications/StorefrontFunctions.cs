using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderPayments.Application.Hosting;
using OrderPayments.Application.Http;
using OrderPayments.Application.Storefront;
using OrderPayments.Durable;

namespace OrderPayments.Functions.Notifications;

/// <summary>
/// Storefront notifications in the Functions app: the orchestration records each step's events (in its sync), a timer
/// delivers what is due every few seconds (the same deliverer as the self-hosted API: signed, in order per order and
/// endpoint, retried, then kept as failed; a tick waits at most <see cref="TickBudget"/>, so a dead endpoint's slow
/// attempts never hold up the others), and operators manage endpoints and failed deliveries over HTTP with the host's
/// admin key.
/// </summary>
public sealed partial class StorefrontFunctions
{
    /// <summary>How long a tick of the timer waits for its deliveries (the timer runs every 5 s; the rest go on and record themselves).</summary>
    public static readonly TimeSpan TickBudget = TimeSpan.FromSeconds(4);

    private readonly DurableOrderPayments _orders;
    private readonly NotificationEndpointRequests _requests;
    private readonly ILogger<StorefrontFunctions> _logger;
    private readonly Initializer _configured;

    /// <summary>Creates the functions over the interpreter; the configured endpoints are written on first delivery.</summary>
    public StorefrontFunctions(DurableOrderPayments orders, IOptions<StorefrontDeliveryOptions> options, ILogger<StorefrontFunctions> logger)
    {
        ArgumentNullException.ThrowIfNull(orders);
        ArgumentNullException.ThrowIfNull(options);
        _orders = orders;
        _requests = new NotificationEndpointRequests(orders.Storage.Endpoints);
        _logger = logger;
        var endpoints = options.Value.Endpoints;
        _configured = new Initializer(() => orders.Storage.ConfigureEndpointsAsync(endpoints, CancellationToken.None));
    }

    /// <summary>Delivers what is due (every 5 seconds; the Functions host runs one timer at a time across instances).</summary>
    [Function(nameof(DeliverStorefrontEvents))]
    public async Task DeliverStorefrontEvents([TimerTrigger("*/5 * * * * *")] TimerInfo timer, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await _configured.EnsureAsync(context.CancellationToken);
        var started = await _orders.Deliverer.DeliverDueAsync(TickBudget, e => LogRecordFailed(_logger, e), context.CancellationToken);
        if (started > 0)
        {
            LogDelivered(_logger, started);
        }
    }

    /// <summary><c>POST /api/notification-endpoints</c> (admin key).</summary>
    [Function("AddNotificationEndpoint")]
    public Task<HttpResponseData> Add([HttpTrigger(AuthorizationLevel.Admin, "post", Route = "notification-endpoints")] HttpRequestData request) =>
        HttpFunctions.WithJsonBodyAsync(request, _requests.AddAsync);

    /// <summary><c>GET /api/notification-endpoints</c> (admin key).</summary>
    [Function("ListNotificationEndpoints")]
    public async Task<HttpResponseData> List([HttpTrigger(AuthorizationLevel.Admin, "get", Route = "notification-endpoints")] HttpRequestData request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await HttpFunctions.WriteAsync(request, await _requests.ListAsync(request.FunctionContext.CancellationToken));
    }

    /// <summary><c>DELETE /api/notification-endpoints/{id}</c> (admin key).</summary>
    [Function("DeleteNotificationEndpoint")]
    public async Task<HttpResponseData> Delete([HttpTrigger(AuthorizationLevel.Admin, "delete", Route = "notification-endpoints/{id}")] HttpRequestData request, string id)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await HttpFunctions.WriteAsync(request, await _requests.DeleteAsync(id, request.FunctionContext.CancellationToken));
    }

    /// <summary><c>POST /api/notification-endpoints/{id}/test</c> (admin key).</summary>
    [Function("TestNotificationEndpoint")]
    public async Task<HttpResponseData> Test([HttpTrigger(AuthorizationLevel.Admin, "post", Route = "notification-endpoints/{id}/test")] HttpRequestData request, string id)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await HttpFunctions.WriteAsync(request, await _requests.SendTestAsync(id, request.FunctionContext.CancellationToken));
    }

    /// <summary><c>GET /api/notification-deliveries?status=&amp;endpoint=&amp;limit=</c> (admin key).</summary>
    [Function("ListNotificationDeliveries")]
    public async Task<HttpResponseData> Deliveries([HttpTrigger(AuthorizationLevel.Admin, "get", Route = "notification-deliveries")] HttpRequestData request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = System.Web.HttpUtility.ParseQueryString(request.Url.Query);
        return await HttpFunctions.WriteAsync(request, await _requests.DeliveriesAsync(query["status"], query["endpoint"], query["limit"], request.FunctionContext.CancellationToken));
    }

    /// <summary><c>POST /api/notification-deliveries/{endpointId}/{eventId}/retry</c> (admin key).</summary>
    [Function("RetryNotificationDelivery")]
    public async Task<HttpResponseData> Retry(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "notification-deliveries/{endpointId}/{eventId}/retry")] HttpRequestData request,
        string endpointId,
        string eventId)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await HttpFunctions.WriteAsync(request, await _requests.RetryAsync(endpointId, eventId, request.FunctionContext.CancellationToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Started {Count} storefront event deliveries.")]
    private static partial void LogDelivered(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A storefront delivery's result could not be recorded; the event is sent again later.")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception);
}
