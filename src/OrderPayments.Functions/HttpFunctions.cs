using System.Net;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.DurableTask.Client;
using OrderPayments.Application.Http;
using OrderPayments.Application.Notifications;
using OrderPayments.Domain;
using OrderPayments.Durable;

namespace OrderPayments.Functions;

/// <summary>
/// The HTTP contract of the self-hosted API, bound to the same shared handlers (<see cref="OrderPaymentRequests"/>),
/// with the same answers: the same 413 and 415, and webhooks and callbacks recorded in the request and answered 200
/// with what was recorded, as the API does (a failure to record answers 5xx, and the provider retries the delivery).
/// Storefront and fulfillment routes use function keys (auth level Function); the provider routes are anonymous, a
/// Vipps webhook authenticated by its HMAC signature, a PayEx callback only a hint to read the payment.
/// </summary>
public sealed class HttpFunctions
{
    /// <summary>The caller named in the history for HTTP requests (authenticated by a function key, whose name the worker does not see).</summary>
    private const string FunctionKeyCaller = "function-key";

    private readonly DurableOrderPayments _orders;

    /// <summary>Creates the functions over the interpreter.</summary>
    public HttpFunctions(DurableOrderPayments orders) => _orders = orders;

    /// <summary><c>PUT /api/orders/{orderId}/payment</c>.</summary>
    [Function("StartPayment")]
    public Task<HttpResponseData> StartPayment(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "orders/{orderId}/payment")] HttpRequestData request,
        string orderId,
        [DurableClient] DurableTaskClient client) =>
        WithJsonBodyAsync(request, (body, ct) => Requests(client).StartAsync(orderId, body, FunctionKeyCaller, ct));

    /// <summary>
    /// <c>GET /api/orders/{orderId}/payment</c>, with <c>If-None-Match</c> (304) and the long poll
    /// (<c>?waitForChange=&amp;timeout=</c>) as on the self-hosted API. Here a change is seen by reading the order again
    /// (50 ms, doubling to 500 ms: the engine pushes no commits to the worker), and the bound on waiting reads is per
    /// worker instance.
    /// </summary>
    [Function("GetPayment")]
    public async Task<HttpResponseData> GetPayment(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "orders/{orderId}/payment")] HttpRequestData request,
        string orderId,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = System.Web.HttpUtility.ParseQueryString(request.Url.Query);
        var ifNoneMatch = request.Headers.TryGetValues("If-None-Match", out var tags) ? string.Join(",", tags) : null;
        return await WriteAsync(request, await Requests(client).GetAsync(orderId, ifNoneMatch, query["waitForChange"], query["timeout"], request.FunctionContext.CancellationToken));
    }

    /// <summary><c>GET /api/orders?status=&amp;after=&amp;limit=</c>.</summary>
    [Function("ListOrders")]
    public async Task<HttpResponseData> ListOrders(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "orders")] HttpRequestData request,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = System.Web.HttpUtility.ParseQueryString(request.Url.Query);
        return await WriteAsync(request, await Requests(client).ListAsync(query["status"], query["after"], query["limit"], request.FunctionContext.CancellationToken));
    }

    /// <summary><c>POST /api/orders/{orderId}/fulfillments</c>.</summary>
    [Function("Fulfill")]
    public Task<HttpResponseData> Fulfill(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "orders/{orderId}/fulfillments")] HttpRequestData request,
        string orderId,
        [DurableClient] DurableTaskClient client) =>
        WithJsonBodyAsync(request, (body, ct) => Requests(client).FulfillAsync(orderId, body, FunctionKeyCaller, ct));

    /// <summary><c>POST /api/orders/{orderId}/cancellation</c>.</summary>
    [Function("Cancel")]
    public Task<HttpResponseData> Cancel(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "orders/{orderId}/cancellation")] HttpRequestData request,
        string orderId,
        [DurableClient] DurableTaskClient client) =>
        WithJsonBodyAsync(request, (body, ct) => Requests(client).CancelAsync(orderId, body, FunctionKeyCaller, ct));

    /// <summary><c>POST /api/orders/{orderId}/refunds</c>.</summary>
    [Function("Refund")]
    public Task<HttpResponseData> Refund(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "orders/{orderId}/refunds")] HttpRequestData request,
        string orderId,
        [DurableClient] DurableTaskClient client) =>
        WithJsonBodyAsync(request, (body, ct) => Requests(client).RefundAsync(orderId, body, FunctionKeyCaller, ct));

    /// <summary><c>POST /api/orders/{orderId}/attempts</c>.</summary>
    [Function("NewAttempt")]
    public Task<HttpResponseData> NewAttempt(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "orders/{orderId}/attempts")] HttpRequestData request,
        string orderId,
        [DurableClient] DurableTaskClient client) =>
        WithJsonBodyAsync(request, (body, ct) => Requests(client).NewAttemptAsync(orderId, body, FunctionKeyCaller, ct));

    /// <summary><c>POST /api/webhooks/vipps</c>: verifies the signature over the raw body, then records each event for its order.</summary>
    [Function("VippsWebhook")]
    public Task<HttpResponseData> VippsWebhook(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "webhooks/vipps")] HttpRequestData request,
        [DurableClient] DurableTaskClient client) =>
        NotifyAsync(PaymentProvider.Vipps, request, client);

    /// <summary>
    /// <c>POST /api/callbacks/payex?reference=…</c>: PayEx callbacks are unsigned, so each is only a hint to read the
    /// payment through the authenticated API (at most one per payment and hint interval is recorded). The worker does not
    /// see the caller's address, so <c>PayEx:CallbackAllowedSources</c> refuses every callback here: restrict the source
    /// with the Function App's access restrictions instead.
    /// </summary>
    [Function("PayExCallback")]
    public Task<HttpResponseData> PayExCallback(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "callbacks/payex")] HttpRequestData request,
        [DurableClient] DurableTaskClient client) =>
        NotifyAsync(PaymentProvider.PayEx, request, client);

    /// <summary>Reads the capped raw body of a JSON route and answers with <paramref name="handle"/>'s response (413 when too large, 415 when not JSON, as the self-hosted API).</summary>
    internal static async Task<HttpResponseData> WithJsonBodyAsync(HttpRequestData request, Func<ReadOnlyMemory<byte>, CancellationToken, Task<ApiResponse>> handle)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!JsonMediaType.Accepts(request.Headers.TryGetValues("Content-Type", out var types) ? string.Join(",", types) : null))
        {
            return await WriteAsync(request, ApiResponse.Problem(ApiProblem.UnsupportedMediaType()));
        }

        var cancellationToken = request.FunctionContext.CancellationToken;
        return await WriteAsync(request, await RawBodies.ReadAsync(request.Body, null, cancellationToken) is { } body
            ? await handle(body, cancellationToken)
            : RawBodies.TooLarge);
    }

    internal static async Task<HttpResponseData> WriteAsync(HttpRequestData request, ApiResponse response)
    {
        var http = request.CreateResponse((HttpStatusCode)response.StatusCode);
        if (response.Location is { } location)
        {
            http.Headers.Add("Location", location);
        }

        if (response.ETag is { } tag)
        {
            http.Headers.Add("ETag", tag);
        }

        if (response.RetryAfterSeconds is { } retryAfter)
        {
            http.Headers.Add("Retry-After", retryAfter);
        }

        if (response.Body is not null)
        {
            http.Headers.Add("Content-Type", response.ContentType + "; charset=utf-8");
            await http.WriteStringAsync(JsonSerializer.Serialize(response.Body, response.Body.GetType(), ApiJson.Options));
        }

        return http;
    }

    private async Task<HttpResponseData> NotifyAsync(PaymentProvider provider, HttpRequestData request, DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        var cancellationToken = request.FunctionContext.CancellationToken;
        if (await RawBodies.ReadAsync(request.Body, null, cancellationToken) is not { } body)
        {
            return await WriteAsync(request, RawBodies.TooLarge);
        }

        var query = System.Web.HttpUtility.ParseQueryString(request.Url.Query);
        var delivery = NotificationDelivery.From(request.Headers.Select(h => KeyValuePair.Create(h.Key, string.Join(",", h.Value))), body) with
        {
            Query = query.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => query[k] ?? "", StringComparer.Ordinal),
        };
        return await WriteAsync(request, await Requests(client).NotifyAsync(provider, delivery, cancellationToken));
    }

    private OrderPaymentRequests Requests(DurableTaskClient client) => _orders.Requests(client, TimeSpan.FromSeconds(5));
}
