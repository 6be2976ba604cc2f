using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrderPayments.Api.Tests;
using OrderPayments.Durable.Orchestration;
using OrderPayments.Functions.Tests.Host;

namespace OrderPayments.Functions.Tests.Hosting;

/// <summary>
/// The queue-triggered function (<see cref="FulfillmentFunctions"/>) with real messages: sent and received through the
/// Azure Storage queue client against Azurite, run by <see cref="QueueTrigger"/> (the Functions host's queue trigger,
/// retries and poison queue, as host.json configures them), the function created and invoked as the worker does
/// (<see cref="FunctionsEngine"/>), its orders on the Durable Task engine.
/// </summary>
public sealed class QueueFunctionsTests(Azurite azurite) : IClassFixture<Azurite>
{
    [Fact]
    public async Task ApplyFulfillment_ShipmentForAuthorizedOrder_CapturesAndDeletesTheMessage()
    {
        await using var sut = await CreateSutAsync();
        await sut.AuthorizedOrderAsync("queued-1", 1000);

        await sut.Fulfillments.SendAsync(Shipment("queued-1", "ship-1"));
        var deliveries = await sut.Fulfillments.ProcessAllAsync();

        deliveries.Select(d => (d.Delivery, d.DequeueCount)).ShouldBe([(QueueDelivery.Completed, 1L)]);
        var order = await sut.Api.WaitForOrderAsync("queued-1", o => (string?)o["status"] == "Captured", "captured");
        ((long?)order["amounts"]!["captured"]).ShouldBe(1000);
        (await QueueTrigger.PeekAsync(sut.Fulfillments.Queue)).ShouldBeEmpty();
        (await QueueTrigger.PeekAsync(sut.Fulfillments.PoisonQueue)).ShouldBeEmpty();
        (await sut.AppliedAsync("queued-1")).ShouldBe("queued-1-1-capture-1=1 queued-1-1-create-1=1");
    }

    [Fact]
    public async Task ApplyFulfillment_SameShipmentTwiceAndAgainAfterCapture_CapturedOnce()
    {
        await using var sut = await CreateSutAsync();
        await sut.AuthorizedOrderAsync("twice-1", 1000);
        var shipment = Shipment("twice-1", "ship-1", 1000);

        await sut.Fulfillments.SendAsync(shipment);
        await sut.Fulfillments.SendAsync(shipment);
        var duplicates = await sut.Fulfillments.ProcessAllAsync();
        await sut.Api.WaitForOrderAsync("twice-1", o => (string?)o["status"] == "Captured", "captured");
        await sut.Fulfillments.SendAsync(shipment);
        var redelivery = await sut.Fulfillments.ProcessAllAsync();

        duplicates.Concat(redelivery).Select(d => d.Delivery).ShouldBe([QueueDelivery.Completed, QueueDelivery.Completed, QueueDelivery.Completed]);
        var order = await sut.Api.WaitForStatusAsync("twice-1", "Captured");
        order["shipments"]!.AsArray().Select(s => $"{s!["shipmentId"]}:{s["outcome"]}").ShouldBe(["ship-1:Succeeded"]);
        (await sut.AppliedAsync("twice-1")).ShouldBe("twice-1-1-capture-1=1 twice-1-1-create-1=1");
        sut.Log.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public async Task ApplyFulfillment_UnknownOrder_RetriedMaxDequeueCountTimesThenMovedToPoisonQueue()
    {
        await using var sut = await CreateSutAsync();
        var shipment = Shipment("ghost-1", "ship-1", 500);

        await sut.Fulfillments.SendAsync(shipment);
        var deliveries = await sut.Fulfillments.ProcessAllAsync();

        sut.Fulfillments.MaxDequeueCount.ShouldBe(5, "host.json's extensions.queues.maxDequeueCount");
        deliveries.Select(d => (d.Delivery, d.DequeueCount)).ShouldBe(
            [(QueueDelivery.Released, 1L), (QueueDelivery.Released, 2L), (QueueDelivery.Released, 3L), (QueueDelivery.Released, 4L), (QueueDelivery.Poisoned, 5L)]);
        deliveries.ShouldAllBe(d => d.Failure is InvalidOperationException && d.Failure.Message.Contains("'ghost-1' not found"));
        (await QueueTrigger.PeekAsync(sut.Fulfillments.Queue)).ShouldBeEmpty();
        (await QueueTrigger.PeekAsync(sut.Fulfillments.PoisonQueue)).ShouldBe([shipment]);
        using var lookup = await sut.Api.Http.GetAsync("api/orders/ghost-1/payment");
        lookup.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await sut.Api.StatsAsync())["appliedPerIdempotencyKey"]!.AsObject().ShouldBeEmpty();
    }

    [Fact]
    public async Task ApplyFulfillment_ShipmentTheOrderRefuses_LoggedRetriedThenMovedToPoisonQueue()
    {
        await using var sut = await CreateSutAsync();
        await sut.AuthorizedOrderAsync("refused-1", 1000);
        var shipment = Shipment("refused-1", "ship-1", 1500);

        await sut.Fulfillments.SendAsync(shipment);
        var deliveries = await sut.Fulfillments.ProcessAllAsync();

        deliveries.Select(d => d.Delivery).ShouldBe([.. Enumerable.Repeat(QueueDelivery.Released, 4), QueueDelivery.Poisoned]);
        deliveries.ShouldAllBe(d => d.Failure is InvalidOperationException && d.Failure.Message.Contains("'refused-1' is refused"));
        (await QueueTrigger.PeekAsync(sut.Fulfillments.Queue)).ShouldBeEmpty();
        (await QueueTrigger.PeekAsync(sut.Fulfillments.PoisonQueue)).ShouldBe([shipment], "kept for someone to look at, not dropped");
        sut.Log.Warnings.Count.ShouldBe(5, "one logged reason per attempt");
        sut.Log.Warnings.ShouldAllBe(w => w.StartsWith("Queued shipment for order refused-1 refused: Capturing", StringComparison.Ordinal));
        var order = await sut.Api.GetOrderAsync("refused-1");
        ((long?)order["amounts"]!["captured"]).ShouldBe(0);
        order["shipments"]!.AsArray().ShouldBeEmpty();
        (await sut.AppliedAsync("refused-1")).ShouldBe("refused-1-1-create-1=1");
    }

    [Theory]
    [InlineData("shipment ship-1 for malformed-1", "it is not JSON")]
    [InlineData("""["malformed-1","ship-1"]""", "it is not a JSON object")]
    [InlineData("""{"fulfillment":{"shipmentId":"ship-1"}}""", "orderId (a string) is required")]
    [InlineData("""{"orderId":42,"fulfillment":{"shipmentId":"ship-1"}}""", "orderId (a string) is required")]
    [InlineData("""{"orderId":"malformed-1"}""", "has no fulfillment object")]
    [InlineData("""{"orderId":"malformed-1","fulfillment":{"amount":{"currency":"NOK","value":100}}}""", "shipmentId")]
    [InlineData("""{"orderId":"malformed-1","fulfillment":{"shipmentId":"ship-1","colour":"red"}}""", "colour")]
    public async Task ApplyFulfillment_MalformedMessage_LoggedWithReasonRetriedThenMovedToPoisonQueue(string message, string reason)
    {
        await using var sut = await CreateSutAsync();
        await sut.AuthorizedOrderAsync("malformed-1", 1000);

        await sut.Fulfillments.SendAsync(message);
        var deliveries = await sut.Fulfillments.ProcessAllAsync();

        deliveries.Select(d => d.Delivery).ShouldBe([.. Enumerable.Repeat(QueueDelivery.Released, 4), QueueDelivery.Poisoned]);
        deliveries.ShouldAllBe(d => d.Failure is InvalidDataException);
        (await QueueTrigger.PeekAsync(sut.Fulfillments.Queue)).ShouldBeEmpty();
        (await QueueTrigger.PeekAsync(sut.Fulfillments.PoisonQueue)).ShouldBe([message]);
        sut.Log.Warnings.Count.ShouldBe(5, "one logged reason per attempt");
        sut.Log.Warnings.ShouldAllBe(w => w.Contains("Malformed message on queue order-fulfillments") && w.Contains(reason));
        var order = await sut.Api.GetOrderAsync("malformed-1");
        order["status"]!.GetValue<string>().ShouldBe("Authorized");
        order["shipments"]!.AsArray().ShouldBeEmpty();
        (await sut.AppliedAsync("malformed-1")).ShouldBe("malformed-1-1-create-1=1");
    }

    [Fact]
    public async Task QueueTrigger_MessageAlreadyDequeuedMaxDequeueCountTimes_MovedToPoisonQueueWithoutRunningTheFunction()
    {
        var runs = 0;
        var trigger = await QueueTrigger.StartAsync(azurite.ConnectionString, "trigger-check", _ =>
        {
            runs++;
            return Task.CompletedTask;
        });
        await trigger.SendAsync("orphan");
        for (var i = 0; i < trigger.MaxDequeueCount; i++)
        {
            // A worker took the message and died without deleting or releasing it: one dequeue used. (Making it visible
            // at once stands in for waiting out its visibility timeout.)
            var taken = (await trigger.Queue.ReceiveMessageAsync(TimeSpan.FromMinutes(1))).Value;
            await trigger.Queue.UpdateMessageAsync(taken.MessageId, taken.PopReceipt, visibilityTimeout: TimeSpan.Zero);
        }

        var deliveries = await trigger.ProcessAllAsync();

        deliveries.Select(d => (d.Delivery, d.DequeueCount)).ShouldBe([(QueueDelivery.Poisoned, trigger.MaxDequeueCount + 1L)]);
        runs.ShouldBe(0);
        (await QueueTrigger.PeekAsync(trigger.PoisonQueue)).ShouldBe(["orphan"]);
    }

    /// <summary>A shipment message as the fulfillment system sends it.</summary>
    private static string Shipment(string orderId, string shipmentId, long? amount = null)
    {
        var fulfillment = new JsonObject { ["shipmentId"] = shipmentId };
        if (amount is { } value)
        {
            fulfillment["amount"] = ApiHost.Amount(value);
        }

        return new JsonObject { ["orderId"] = orderId, ["fulfillment"] = fulfillment }.ToJsonString();
    }

    /// <summary>
    /// The API's simulator and the Functions app run as the Functions host runs it (<see cref="FunctionsEngine"/>: its
    /// orders on the Durable Task engine, its function classes created by the worker's activator), with the fulfillment
    /// queue's trigger invoking <see cref="FulfillmentFunctions.ApplyFulfillment"/> through its real signature.
    /// </summary>
    private async Task<Sut> CreateSutAsync(Dictionary<string, string?>? settings = null)
    {
        var log = new RecordingLogger();
        var engine = new FunctionsEngine(azurite.ConnectionString, host: worker => worker.ConfigureLogging(logging => logging.AddProvider(log)));
        var api = await ApiHost.StartAsync(settings, engine: engine);
        return new Sut(
            api,
            log,
            await QueueTrigger.StartAsync(azurite.ConnectionString, OrchestrationNames.FulfillmentsQueue, message => engine.InvokeAsync(nameof(FulfillmentFunctions.ApplyFulfillment), _ => message)));
    }

    private sealed class Sut(ApiHost api, RecordingLogger log, QueueTrigger fulfillments) : IAsyncDisposable
    {
        public ApiHost Api => api;

        public RecordingLogger Log => log;

        /// <summary>The trigger of <c>order-fulfillments</c> running <see cref="FulfillmentFunctions.ApplyFulfillment"/>.</summary>
        public QueueTrigger Fulfillments => fulfillments;

        /// <summary>Starts a payment for the order and has the customer approve it (the simulator's webhook tells the order).</summary>
        public async Task AuthorizedOrderAsync(string orderId, long amount)
        {
            var started = await api.StartPaymentAsync(orderId, amount);
            await api.CustomerAsync((string)started["reference"]!, "approve");
            await api.WaitForStatusAsync(orderId, "Authorized");
        }

        /// <summary>How often the provider applied each of the order's mutations, by idempotency key (ordinal order).</summary>
        public async Task<string> AppliedAsync(string orderId) =>
            string.Join(' ', (await api.StatsAsync())["appliedPerIdempotencyKey"]!.AsObject()
                .Where(p => p.Key.StartsWith(orderId + "-", StringComparison.Ordinal))
                .OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => $"{p.Key}={p.Value}"));

        public ValueTask DisposeAsync() => api.DisposeAsync();
    }

    /// <summary>The queue function's log (its category only): each entry's formatted message, in order (copies, taken when read).</summary>
    private sealed class RecordingLogger : ILoggerProvider, ILogger
    {
        private readonly Lock _lock = new();
        private readonly List<(LogLevel Level, string Message)> _entries = [];

        public List<string> Entries => Snapshot(_ => true);

        public List<string> Warnings => Snapshot(level => level >= LogLevel.Warning);

        public ILogger CreateLogger(string categoryName) =>
            categoryName == typeof(FulfillmentFunctions).FullName ? this : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_lock)
            {
                _entries.Add((logLevel, formatter(state, exception)));
            }
        }

        public void Dispose()
        {
        }

        private List<string> Snapshot(Func<LogLevel, bool> which)
        {
            lock (_lock)
            {
                return [.. _entries.Where(e => which(e.Level)).Select(e => e.Message)];
            }
        }
    }
}
