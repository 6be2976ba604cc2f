using System.Net;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.DurableTask.Client;
using OrderPayments.Application.Http;
using OrderPayments.Application.Notifications;
using OrderPayments.Domain;
using OrderPayments.Domain.Serialization;

namespace OrderPayments.Functions;

/// <summary>
/// The HTTP contract of the self-hosted API, bound to the same shared handlers (<see cref="OrderPaymentRequests"/>).
/// Storefront and fulfillment routes use function keys (auth level Function); the webhook is anonymous and
/// authenticated by its HMAC signature, then handed to a queue so it is answered fast.
/// </summary>
public sealed class HttpFunctions
{
    private readonly DurableOrderPayments _orders;

    /// <summary>Creates the functions.</summary>
    public HttpFunctions(DurableOrderPayments orders) => _orders = orders;

    /// <summary><c>PUT /api/orders/{orderId}/payment</c>.</summary>
    [Function("StartPayment")]
    public Task<HttpResponseData> StartPayment(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "orders/{orderId}/payment")] HttpRequestData request,
        string orderId,
        [DurableClient] DurableTaskClient client) =>
        WithBodyAsync(request, (body, ct) => Requests(client).StartAsync(orderId, body, FunctionKeyCaller, ct));

    /// <summary><c>GET /api/orders/{orderId}/payment</c>.</summary>
    [Function("GetPayment")]
    public async Task<HttpResponseData> GetPayment(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "orders/{orderId}/payment")] HttpRequestData request,
        string orderId,
        [DurableClient] DurableTaskClient client) =>
        await WriteAsync(request, await Requests(client).GetAsync(orderId, request.FunctionContext.CancellationToken));

    /// <summary><c>GET /api/orders?status=&amp;after=&amp;limit=</c>.</summary>
    [Function("ListOrders")]
    public async Task<HttpResponseData> ListOrders(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "orders")] HttpRequestData request,
        [DurableClient] DurableTaskClient client)
    {
        var query = System.Web.HttpUtility.ParseQueryString(request.Url.Query);
        return await WriteAsync(request, await Requests(client).ListAsync(query["status"], query["after"], query["limit"], request.FunctionContext.CancellationToken));
    }

    /// <summary><c>POST /api/orders/{orderId}/fulfillments</c>.</summary>
    [Function("Fulfill")]
    public Task<HttpResponseData> Fulfill(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "orders/{orderId}/fulfillments")] HttpRequestData request,
        string orderId,
        [DurableClient] DurableTaskClient client) =>
        WithBodyAsync(request, (body, ct) => Requests(client).FulfillAsync(orderId, body, FunctionKeyCaller, ct));

    /// <summary><c>POST /api/orders/{orderId}/cancellation</c>.</summary>
    [Function("Cancel")]
    public Task<HttpResponseData> Cancel(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "orders/{orderId}/cancellation")] HttpRequestData request,
        string orderId,
        [DurableClient] DurableTaskClient client) =>
        WithBodyAsync(request, (body, ct) => Requests(client).CancelAsync(orderId, body, FunctionKeyCaller, ct));

    /// <summary><c>POST /api/orders/{orderId}/refunds</c>.</summary>
    [Function("Refund")]
    public Task<HttpResponseData> Refund(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "orders/{orderId}/refunds")] HttpRequestData request,
        string orderId,
        [DurableClient] DurableTaskClient client) =>
        WithBodyAsync(request, (body, ct) => Requests(client).RefundAsync(orderId, body, FunctionKeyCaller, ct));

    /// <summary><c>POST /api/orders/{orderId}/attempts</c>.</summary>
    [Function("NewAttempt")]
    public Task<HttpResponseData> NewAttempt(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "orders/{orderId}/attempts")] HttpRequestData request,
        string orderId,
        [DurableClient] DurableTaskClient client) =>
        WithBodyAsync(request, (body, ct) => Requests(client).NewAttemptAsync(orderId, body, FunctionKeyCaller, ct));

    /// <summary>
    /// <c>POST /api/webhooks/vipps</c>: verifies the signature over the raw body, then queues the verified delivery
    /// (answered 202 at once); <see cref="NotificationFunctions.ApplyNotification"/> records it for the order.
    /// </summary>
    [Function("VippsWebhook")]
    public Task<WebhookResult> VippsWebhook(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "webhooks/vipps")] HttpRequestData request) =>
        IntakeAsync(PaymentProvider.Vipps, request);

    /// <summary>
    /// <c>POST /api/callbacks/payex?reference=…</c>: PayEx callbacks are unsigned, so each is only a trigger to read the
    /// payment through the authenticated API; queued like the webhooks (at most one per payment and hint interval is
    /// recorded). The worker does not see the caller's address, so <c>PayEx:CallbackAllowedSources</c> refuses every
    /// callback here: restrict the source with the Function App's access restrictions instead.
    /// </summary>
    [Function("PayExCallback")]
    public Task<WebhookResult> PayExCallback(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "callbacks/payex")] HttpRequestData request) =>
        IntakeAsync(PaymentProvider.PayEx, request);

    private async Task<WebhookResult> IntakeAsync(PaymentProvider provider, HttpRequestData request)
    {
        var cancellationToken = request.FunctionContext.CancellationToken;
        if (await RawBodies.ReadAsync(request.Body, null, cancellationToken) is not { } body)
        {
            return new WebhookResult { HttpResponse = await WriteAsync(request, RawBodies.TooLarge) };
        }

        var query = System.Web.HttpUtility.ParseQueryString(request.Url.Query);
        var delivery = NotificationDelivery.From(request.Headers.Select(h => KeyValuePair.Create(h.Key, string.Join(",", h.Value))), body) with
        {
            Query = query.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => query[k] ?? "", StringComparer.Ordinal),
        };
        var (refusal, notifications) = await NotificationHandling.ReadAsync(_orders.Notifications, provider, delivery, cancellationToken);
        if (refusal is not null)
        {
            return new WebhookResult { HttpResponse = await WriteAsync(request, refusal) };
        }

        string[] messages = [.. notifications.Select(n => JsonSerializer.Serialize(n, OrderPaymentsJson.Options))];
        return new WebhookResult
        {
            HttpResponse = await WriteAsync(request, new ApiResponse(202, new NotificationReceipt(messages.Length, 0))),
            Messages = messages,
        };
    }

    /// <summary>Reads the capped raw body and answers with <paramref name="handle"/>'s response (413 when too large, as the self-hosted API).</summary>
    internal static async Task<HttpResponseData> WithBodyAsync(HttpRequestData request, Func<ReadOnlyMemory<byte>, CancellationToken, Task<ApiResponse>> handle)
    {
        var cancellationToken = request.FunctionContext.CancellationToken;
        return await WriteAsync(request, await RawBodies.ReadAsync(request.Body, null, cancellationToken) is { } body
            ? await handle(body, cancellationToken)
            : RawBodies.TooLarge);
    }

    /// <summary>The caller named in the history for HTTP requests (authenticated by a function key, whose name the worker does not see).</summary>
    private const string FunctionKeyCaller = "function-key";

    private OrderPaymentRequests Requests(DurableTaskClient client) => _orders.Requests(client, TimeSpan.FromSeconds(5));

    internal static async Task<HttpResponseData> WriteAsync(HttpRequestData request, ApiResponse response)
    {
        var http = request.CreateResponse((HttpStatusCode)response.StatusCode);
        if (response.Location is { } location)
        {
            http.Headers.Add("Location", location);
        }

        if (response.Body is not null)
        {
            http.Headers.Add("Content-Type", response.ContentType + "; charset=utf-8");
            await http.WriteStringAsync(JsonSerializer.Serialize(response.Body, response.Body.GetType(), ApiJson.Options));
        }

        return http;
    }

    /// <summary>The webhook's two outputs: the HTTP answer and the queued notifications.</summary>
    public sealed class WebhookResult
    {
        /// <summary>The HTTP answer.</summary>
        public required HttpResponseData HttpResponse { get; init; }

        /// <summary>The verified notifications, one queue message each (an array binds as several messages).</summary>
        [QueueOutput(OrchestrationNames.NotificationsQueue)]
        [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "The queue output binding takes an array for several messages.")]
        public string[]? Messages { get; init; }
    }
}
