using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderPayments.Application.Http;
using OrderPayments.Application.Storefront;

namespace OrderPayments.Functions.Notifications;

/// <summary>
/// Storefront notifications in the Functions app: the orchestration records each step's events through an activity
/// (idempotent by event id), a timer delivers what is due every few seconds (the same deliverer as the self-hosted API:
/// signed, in order per order and endpoint, retried, then kept as failed), and operators manage endpoints and failed
/// deliveries over HTTP with the host's admin key.
/// </summary>
public sealed partial class StorefrontFunctions
{
    private readonly TableNotificationStore _store;
    private readonly StorefrontDeliverer _deliverer;
    private readonly StorefrontDeliveryOptions _options;
    private readonly NotificationEndpointRequests _requests;
    private readonly ILogger<StorefrontFunctions> _logger;
    private readonly Lazy<Task> _configured;

    internal StorefrontFunctions(TableNotificationStore store, StorefrontDeliverer deliverer, IOptions<StorefrontDeliveryOptions> options, ILogger<StorefrontFunctions> logger)
    {
        _store = store;
        _deliverer = deliverer;
        _options = options.Value;
        _requests = new NotificationEndpointRequests(store);
        _logger = logger;
        _configured = new Lazy<Task>(() => _store.ConfigureAsync(_options.Endpoints, CancellationToken.None));
    }

    /// <summary>Records a step's events for the endpoints that want them (the orchestration's activity).</summary>
    [Function(OrchestrationNames.RecordStorefrontEvents)]
    public Task<string> RecordStorefrontEvents([ActivityTrigger] string input, FunctionContext context) =>
        RecordAsync(_store, input, context.CancellationToken);

    /// <summary>Delivers what is due (every 5 seconds; the Functions host runs one timer at a time across instances).</summary>
    [Function(nameof(DeliverStorefrontEvents))]
    public async Task DeliverStorefrontEvents([TimerTrigger("*/5 * * * * *")] TimerInfo timer, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await _configured.Value;
        var delivered = await _deliverer.DeliverDueAsync(context.CancellationToken);
        if (delivered > 0)
        {
            LogDelivered(_logger, delivered);
        }
    }

    /// <summary><c>POST /api/notification-endpoints</c> (admin key).</summary>
    [Function("AddNotificationEndpoint")]
    public Task<HttpResponseData> Add([HttpTrigger(AuthorizationLevel.Admin, "post", Route = "notification-endpoints")] HttpRequestData request) =>
        HttpFunctions.WithBodyAsync(request, _requests.AddAsync);

    /// <summary><c>GET /api/notification-endpoints</c> (admin key).</summary>
    [Function("ListNotificationEndpoints")]
    public async Task<HttpResponseData> List([HttpTrigger(AuthorizationLevel.Admin, "get", Route = "notification-endpoints")] HttpRequestData request) =>
        await HttpFunctions.WriteAsync(request, await _requests.ListAsync(request.FunctionContext.CancellationToken));

    /// <summary><c>DELETE /api/notification-endpoints/{id}</c> (admin key).</summary>
    [Function("DeleteNotificationEndpoint")]
    public async Task<HttpResponseData> Delete([HttpTrigger(AuthorizationLevel.Admin, "delete", Route = "notification-endpoints/{id}")] HttpRequestData request, string id) =>
        await HttpFunctions.WriteAsync(request, await _requests.DeleteAsync(id, request.FunctionContext.CancellationToken));

    /// <summary><c>POST /api/notification-endpoints/{id}/test</c> (admin key).</summary>
    [Function("TestNotificationEndpoint")]
    public async Task<HttpResponseData> Test([HttpTrigger(AuthorizationLevel.Admin, "post", Route = "notification-endpoints/{id}/test")] HttpRequestData request, string id) =>
        await HttpFunctions.WriteAsync(request, await _requests.SendTestAsync(id, request.FunctionContext.CancellationToken));

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
        string eventId) =>
        await HttpFunctions.WriteAsync(request, await _requests.RetryAsync(endpointId, eventId, request.FunctionContext.CancellationToken));

    /// <summary>The activity's body (also run by workers outside the Functions host).</summary>
    internal static async Task<string> RecordAsync(TableNotificationStore store, string input, CancellationToken cancellationToken)
    {
        var message = StorefrontEventsMessage.FromJson(input);
        await store.RecordEventsAsync(message.OrderId, [.. message.Events.Select(e => (e.Sequence, e.Event))], cancellationToken);
        return "recorded";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivered {Count} storefront events (or attempted them).")]
    private static partial void LogDelivered(ILogger logger, int count);
}
