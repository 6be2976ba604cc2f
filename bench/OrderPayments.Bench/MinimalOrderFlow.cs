using DurableWorker;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrderPayments.Application.Hosting;
using OrderPayments.Application.Payments;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;
using OrderPayments.Vipps;
using OrderPayments.Vipps.Webhooks;

namespace OrderPayments.Bench;

/// <summary>
/// The baseline for the Durable figures: the smallest Durable Task orchestration of the same order flow, as a
/// Durable Functions sample would write it. Create the payment (an activity, the same Vipps client against the same
/// simulator), publish the redirect URL as the custom status, wait for the <c>authorized</c> event (raised by a webhook
/// endpoint that verifies the simulator's signed webhook), wait for the <c>shipped</c> event, capture (an activity),
/// end. Same engine, same settings, same storage account as ours; none of what ours adds: no signal inbox (a raised
/// event is all), no order row, no sync activity, no polling timer for a webhook that never comes, no cancel, refund or
/// second shipment, no bound on history or status, no per-order lock.
/// </summary>
internal sealed class MinimalOrderFlow : IAsyncDisposable
{
    private const string Orchestrator = "MinimalOrder";
    private const string CreateActivity = "MinimalCreatePayment";
    private const string CaptureActivity = "MinimalCapturePayment";
    private const string AuthorizedEvent = "authorized";
    private const string ShippedEvent = "shipped";

    private static readonly TaskOptions Retries = TaskOptions.FromRetryPolicy(new RetryPolicy(8, TimeSpan.FromMilliseconds(50), 2, TimeSpan.FromSeconds(1)));

    private readonly WebApplication _app;
    private readonly AzureStorageEngine _engine;

    private MinimalOrderFlow(WebApplication app, AzureStorageEngine engine)
    {
        _app = app;
        _engine = engine;
    }

    /// <summary>The Durable Task client the storefront side uses (schedule, read, raise events).</summary>
    public DurableTaskClient Client => _engine.Client;

    /// <summary>Starts the webhook endpoint (registered at the simulator) and the engine on a new task hub.</summary>
    public static async Task<MinimalOrderFlow> StartAsync(string storage, string hub, ChildSimulator simulator)
    {
        var port = ChildSimulator.FreePort();
        var builder = WebApplication.CreateSlimBuilder(["--urls", $"http://127.0.0.1:{port}"]);
        builder.Logging.SetMinimumLevel(LogLevel.Error);
        builder.Configuration.AddInMemoryCollection(simulator.ApiSettings(port));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Vipps:RetryBaseDelay"] = "00:00:00.020",
            ["Vipps:MaxRetryDelay"] = "00:00:00.500",
            ["Vipps:CircuitBreakerMinimumThroughput"] = "1000000",
        });
        builder.Services.AddVipps(builder.Configuration);
        builder.Services.AddSingleton<IHostValueStore, MemoryValues>();
        var app = builder.Build();
        AzureStorageEngine? engine = null;
        app.MapPost("/api/webhooks/vipps", async (HttpRequest request, VippsWebhookSubscription subscription) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            if (subscription.Verifier is not { } verifier)
            {
                return Results.StatusCode(503);
            }

            var (result, webhook) = verifier.VerifyAndParse(
                body.ToArray(),
                request.Headers[VippsWebhookVerifier.Headers.Date],
                request.Headers[VippsWebhookVerifier.Headers.ContentSha256],
                request.Headers[VippsWebhookVerifier.Headers.Authorization]);
            if (result != WebhookVerificationResult.Valid)
            {
                return Results.Unauthorized();
            }

            // The reference is {order}-1: the order's instance waits for its authorization.
            if (webhook!.Name == "AUTHORIZED" && webhook.Success && webhook.Reference.EndsWith("-1", StringComparison.Ordinal))
            {
                await engine!.Client.RaiseEventAsync(webhook.Reference[..^2], AuthorizedEvent, webhook.PspReference);
            }

            return Results.Ok();
        });
        await app.StartAsync();
        var webhook = new Uri($"http://127.0.0.1:{port}/api/webhooks/vipps");
        await app.Services.GetRequiredService<VippsWebhookSubscription>().EnsureRegisteredAsync(webhook, CancellationToken.None);

        var vipps = app.Services.GetServices<IPaymentProvider>().Single(p => p.Provider == PaymentProvider.Vipps);
        engine = await AzureStorageEngine.StartAsync(AzureStorageEngine.Settings(storage, hub, "bench-minimal"), registry => registry
            .AddOrchestratorFunc<MinimalOrder, string>(Orchestrator, RunAsync)
            .AddActivityFunc<MinimalOrder, string?>(CreateActivity, async (_, order) =>
                (await vipps.CreateAsync(
                    new CreatePayment(
                        IdempotencyKey.For(order.ParsedId(), 1, "create", 1),
                        PaymentReference.For(order.ParsedId(), 1),
                        PaymentProvider.Vipps,
                        new Money(order.Amount, Currency.NOK),
                        "Benchmark order",
                        UserFlow.WebRedirect,
                        "https://shop.example/return",
                        null),
                    CancellationToken.None)).RedirectUrl)
            .AddActivityFunc<MinimalOrder, string>(CaptureActivity, async (_, order) =>
                (await vipps.CaptureAsync(
                    new CapturePayment(IdempotencyKey.For(order.ParsedId(), 1, "capture", 1), PaymentReference.For(order.ParsedId(), 1), new Money(order.Amount, Currency.NOK), "ship-1"),
                    CancellationToken.None)).State.ToString()));
        return new MinimalOrderFlow(app, engine);
    }

    /// <summary>Schedules the order's orchestration (instance id = order id).</summary>
    public Task StartOrderAsync(string orderId, long amount) =>
        Client.ScheduleNewOrchestrationInstanceAsync(Orchestrator, new MinimalOrder(orderId, amount), new StartOrchestrationOptions(orderId));

    /// <summary>The order's published status (status and redirect URL), null before the first one.</summary>
    public async Task<MinimalStatus?> StatusAsync(string orderId)
    {
        // With inputs and outputs, as ours reads: without them the gRPC client leaves the custom status out.
        var instance = await Client.GetInstanceAsync(orderId, getInputsAndOutputs: true);
        return instance?.SerializedCustomStatus is { Length: > 0 } ? instance.ReadCustomStatusAs<MinimalStatus>() : null;
    }

    /// <summary>The fulfillment system's shipment: the <c>shipped</c> event.</summary>
    public Task ShipAsync(string orderId) => Client.RaiseEventAsync(orderId, ShippedEvent, "ship-1");

    public async ValueTask DisposeAsync()
    {
        await _engine.DisposeAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task<string> RunAsync(TaskOrchestrationContext context, MinimalOrder order)
    {
        var redirect = await context.CallActivityAsync<string?>(CreateActivity, order, Retries);
        context.SetCustomStatus(new MinimalStatus("Created", redirect));
        await context.WaitForExternalEvent<string>(AuthorizedEvent);
        context.SetCustomStatus(new MinimalStatus("Authorized", redirect));
        await context.WaitForExternalEvent<string>(ShippedEvent);
        var state = await context.CallActivityAsync<string>(CaptureActivity, order, Retries);
        context.SetCustomStatus(new MinimalStatus("Captured", redirect));
        return state;
    }

    /// <summary>The orchestration's input.</summary>
    internal sealed record MinimalOrder(string Id, long Amount)
    {
        public OrderId ParsedId() => OrderId.Parse(Id);
    }

    /// <summary>The custom status: where the order is and where the customer goes.</summary>
    internal sealed record MinimalStatus(string Status, string? RedirectUrl);

    /// <summary>The webhook registration's id and secret, for this process's life.</summary>
    private sealed class MemoryValues : IHostValueStore
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _values = new();

        public Task<string?> GetAsync(string name, CancellationToken cancellationToken) => Task.FromResult(_values.TryGetValue(name, out var value) ? value : null);

        public Task SetAsync(string name, string value, CancellationToken cancellationToken)
        {
            _values[name] = value;
            return Task.CompletedTask;
        }
    }
}
