using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrderPayments.Api.Queues;
using OrderPayments.Application.Http;
using OrderPayments.Application.Workflows;

namespace OrderPayments.Api.Tests.Queues;

/// <summary>
/// The API's intake of shipments from an Azure Storage queue (<see cref="FulfillmentQueueService"/>) against Azurite:
/// messages put on the queue as the fulfillment system puts them (base64, as for the Functions host) become captures;
/// what cannot be applied ends in the poison queue with its reason and leaves the queue; a message delivered again
/// after it was recorded is captured once. The API runs as the one-command run starts it, with the simulator embedded.
/// </summary>
public sealed class FulfillmentQueueServiceTests(Azurite azurite) : IClassFixture<Azurite>
{
    private const string Section = FulfillmentQueueOptions.SectionName;

    [Fact]
    public async Task ExecuteAsync_ShipmentsForAuthorizedOrder_CapturedAndDeleted()
    {
        await using var sut = await CreateSutAsync("shipments-in");
        await sut.AuthorizedOrderAsync("queued-1", 1000);

        await sut.SendAsync(Shipment("queued-1", "ship-1", 400));
        await sut.SendAsync(Shipment("queued-1", "ship-2", 600));

        var order = await sut.Api.WaitForOrderAsync(
            "queued-1",
            o => (long?)o["amounts"]!["captured"] == 1000 && (int?)o["pendingSignals"] == 0,
            "both shipments captured");
        order["shipments"]!.AsArray().Select(s => $"{s!["shipmentId"]}:{s["outcome"]}").ShouldBe(["ship-1:Succeeded", "ship-2:Succeeded"], ignoreOrder: true);
        order["history"]!.AsArray().Select(h => (string?)h!["text"]).Count(t => t!.EndsWith(" by queue:shipments-in", StringComparison.Ordinal)).ShouldBe(2);
        await sut.QueueEmptiedAsync();
        (await sut.PoisonedAsync()).ShouldBeEmpty();
        (await sut.AppliedAsync("queued-1")).ShouldBe("queued-1-1-capture-1=1 queued-1-1-capture-2=1 queued-1-1-create-1=1");
    }

    [Theory]
    [InlineData("shipment ship-1 for malformed-1", true, "it is not JSON")]
    [InlineData("""{"orderId":"malformed-1"}""", true, "the shipment for order 'malformed-1' has no fulfillment object")]
    [InlineData("""{"orderId":"malformed-1","fulfillment":{"shipmentId":"ship-1","colour":"red"}}""", true, "the shipment for order 'malformed-1' is invalid: colour: Unknown field.")]
    [InlineData("""{"orderId":"malformed-1","fulfillment":{"shipmentId":"ship-1"}}""", false, "it is not Base64 encoded UTF-8 text")]
    public async Task ExecuteAsync_MalformedMessage_PoisonedAtOnceWithItsReasonAndDeleted(string message, bool base64, string reason)
    {
        await using var sut = await CreateSutAsync("shipments-malformed");
        await sut.AuthorizedOrderAsync("malformed-1", 1000);

        await (base64 ? sut.SendAsync(message) : sut.SendUnencodedAsync(message));

        var envelope = await sut.PoisonedOneAsync();
        ((string?)envelope["queue"]).ShouldBe("shipments-malformed");
        ((string?)envelope["message"]).ShouldBe(message);
        ((string?)envelope["reason"]).ShouldStartWith(reason);
        ((long?)envelope["dequeueCount"]).ShouldBe(1, "no retry can fix a malformed message");
        envelope["failedAt"]!.GetValue<DateTimeOffset>().ShouldBeGreaterThanOrEqualTo(envelope["insertedAt"]!.GetValue<DateTimeOffset>());
        ((string?)envelope["messageId"]).ShouldNotBeNullOrEmpty();
        await sut.QueueEmptiedAsync();
        var order = await sut.Api.GetOrderAsync("malformed-1");
        ((string?)order["status"]).ShouldBe("Authorized");
        order["shipments"]!.AsArray().ShouldBeEmpty();
        (await sut.AppliedAsync("malformed-1")).ShouldBe("malformed-1-1-create-1=1");
    }

    [Fact]
    public async Task ExecuteAsync_UnknownOrder_RetriedUntilMaxDequeueCountThenPoisonedAndDeleted()
    {
        await using var sut = await CreateSutAsync("shipments-ghost", new() { [$"{Section}:RetryDelay"] = "00:00:00" });

        await sut.SendAsync(Shipment("ghost-1", "ship-1", 500));

        var envelope = await sut.PoisonedOneAsync();
        ((string?)envelope["reason"]).ShouldBe("No payment was started for order 'ghost-1'.");
        ((long?)envelope["dequeueCount"]).ShouldBe(5, "the default MaxDequeueCount");
        await sut.QueueEmptiedAsync();
        using var lookup = await sut.Api.Http.GetAsync("api/orders/ghost-1/payment");
        lookup.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await sut.Api.StatsAsync())["appliedPerIdempotencyKey"]!.AsObject().ShouldBeEmpty();
    }

    [Fact]
    public async Task ExecuteAsync_OverCapture_RetriedUntilMaxDequeueCountThenPoisonedWithTheRefusalAndNothingCaptured()
    {
        await using var sut = await CreateSutAsync("shipments-over", new() { [$"{Section}:RetryDelay"] = "00:00:00", [$"{Section}:MaxDequeueCount"] = "3" });
        await sut.AuthorizedOrderAsync("over-1", 1000);

        await sut.SendAsync(Shipment("over-1", "ship-1", 1500));

        var envelope = await sut.PoisonedOneAsync();
        ((long?)envelope["dequeueCount"]).ShouldBe(3);
        await sut.QueueEmptiedAsync();
        using var same = await sut.Api.FulfillAsync("over-1", "ship-1", 1500);
        same.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        ((string?)envelope["reason"]).ShouldBe((string?)(await ApiHost.ProblemAsync(same))["detail"], "the reason is the problem's detail");
        var order = await sut.Api.GetOrderAsync("over-1");
        ((long?)order["amounts"]!["captured"]).ShouldBe(0);
        order["shipments"]!.AsArray().ShouldBeEmpty();
        (await sut.AppliedAsync("over-1")).ShouldBe("over-1-1-create-1=1");
    }

    [Fact]
    public async Task ExecuteAsync_DeleteFailsAfterTheShipmentIsRecorded_RedeliveredAnsweredAsARepeatAndCapturedOnce()
    {
        // A stop between recording and deleting, as the queue sees it: the message is not deleted and comes back once
        // its visibility timeout (1 s here) has passed, handed out a second time.
        var queue = new FailingFirstDeleteQueue(azurite.ConnectionString, "shipments-crash");
        await using var sut = await CreateSutAsync(
            "shipments-crash",
            new() { [$"{Section}:VisibilityTimeout"] = "00:00:01" },
            new FulfillmentQueueClients(queue, new QueueClient(azurite.ConnectionString, "shipments-crash-poison", FulfillmentQueueClients.ClientOptions())));
        await sut.AuthorizedOrderAsync("crash-1", 1000);

        await sut.SendAsync(Shipment("crash-1", "ship-1", 1000));

        await sut.QueueEmptiedAsync();
        queue.Deletes.ShouldBe([1L, 2L], "the first delete failed; the message came back and was deleted");
        var order = await sut.Api.WaitForStatusAsync("crash-1", "Captured");
        ((long?)order["amounts"]!["captured"]).ShouldBe(1000);
        order["shipments"]!.AsArray().Select(s => $"{s!["shipmentId"]}:{s["outcome"]}").ShouldBe(["ship-1:Succeeded"]);
        (await sut.PoisonedAsync()).ShouldBeEmpty();
        (await sut.AppliedAsync("crash-1")).ShouldBe("crash-1-1-capture-1=1 crash-1-1-create-1=1");
    }

    [Fact]
    public async Task Issue24_StoreFailsMoreOftenThanMaxDequeueCount_ShipmentNotPoisonedAndCapturedOnceTheStoreIsBack()
    {
        // The store fails the first five times the shipment is recorded; the queue hands a message out at most twice.
        var failing = new FailingStore(failures: 5);
        await using var sut = await CreateSutAsync(
            "shipments-store-down",
            new() { [$"{Section}:MaxDequeueCount"] = "2", [$"{Section}:RetryDelay"] = "00:00:00.100" },
            configure: builder => builder.Services.AddSingleton<IOrderPaymentClient>(sp => failing.Over(sp.GetRequiredService<OrderPayments.Runtime.EmbeddedOrderPaymentClient>())));
        await sut.AuthorizedOrderAsync("down-1", 1000);

        await sut.SendAsync(Shipment("down-1", "ship-1", 1000));

        var order = await sut.Api.WaitForOrderAsync("down-1", o => (string?)o["status"] == "Captured", "captured once the store is back", TimeSpan.FromSeconds(30));
        failing.Failed.ShouldBe(5);
        order["shipments"]!.AsArray().Select(s => $"{s!["shipmentId"]}:{s["outcome"]}").ShouldBe(["ship-1:Succeeded"]);
        await sut.QueueEmptiedAsync();
        (await sut.PoisonedAsync()).ShouldBeEmpty("a store failure never counts toward the poison queue");
        (await sut.AppliedAsync("down-1")).ShouldBe("down-1-1-capture-1=1 down-1-1-create-1=1");
    }

    [Fact]
    public async Task ExecuteAsync_SameShipmentSentAgainAfterItWasCaptured_DeletedAndCapturedOnce()
    {
        await using var sut = await CreateSutAsync("shipments-again");
        await sut.AuthorizedOrderAsync("again-1", 1000);
        var shipment = Shipment("again-1", "ship-1", 1000);
        await sut.SendAsync(shipment);
        await sut.Api.WaitForStatusAsync("again-1", "Captured");
        await sut.QueueEmptiedAsync();

        await sut.SendAsync(shipment);

        await sut.QueueEmptiedAsync();
        (await sut.PoisonedAsync()).ShouldBeEmpty();
        var order = await sut.Api.WaitForStatusAsync("again-1", "Captured");
        order["shipments"]!.AsArray().Select(s => $"{s!["shipmentId"]}:{s["outcome"]}").ShouldBe(["ship-1:Succeeded"]);
        (await sut.AppliedAsync("again-1")).ShouldBe("again-1-1-capture-1=1 again-1-1-create-1=1");
    }

    [Fact]
    public async Task ExecuteAsync_QueueStaysEmpty_PollsLessOftenUpToMaxPollingIntervalAndStopsCleanly()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var queue = new EmptyQueue(clock);
        var options = new FulfillmentQueueOptions { ConnectionString = "not used", MaxPollingInterval = TimeSpan.FromMilliseconds(500) };
        // The handlers are never reached: the queue stays empty.
        var requests = new OrderPaymentRequests(null!, [], [], TimeSpan.Zero);
        using var sut = new FulfillmentQueueService(new FulfillmentQueueClients(queue, queue), Options.Create(options), requests, clock, new StartedLifetime(), NullLogger<FulfillmentQueueService>.Instance);
        TimeSpan[] waits = [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(500)];

        await sut.StartAsync(CancellationToken.None);
        for (var i = 0; i < waits.Length; i++)
        {
            var polls = i + 1;
            await Eventually.Holds(() => queue.Receives.Count == polls && clock.PendingTimers == 1, $"poll {polls} and the wait after it");
            clock.Advance(waits[i] - TimeSpan.FromTicks(1));
            queue.Receives.Count.ShouldBe(polls, "no poll before its wait is over");
            clock.Advance(TimeSpan.FromTicks(1));
        }

        await Eventually.Holds(() => queue.Receives.Count == waits.Length + 1, "the last poll");
        await sut.StopAsync(CancellationToken.None);

        var times = queue.Receives.ToArray();
        times.Zip(times.Skip(1), (a, b) => b - a).ShouldBe(waits);
        sut.ExecuteTask!.Status.ShouldBe(TaskStatus.RanToCompletion);
    }

    [Fact]
    public async Task AddFulfillmentQueueIntake_InvalidSettings_StartRefusedNamingEach()
    {
        var refused = await Should.ThrowAsync<OptionsValidationException>(() => ApiHost.StartAsync(new()
        {
            [$"{Section}:ConnectionString"] = azurite.ConnectionString,
            [$"{Section}:QueueName"] = "Order_Fulfillments",
            [$"{Section}:MaxDequeueCount"] = "0",
        }));

        refused.Failures.ShouldBe(
        [
            $"{Section}:QueueName must be 3 to 56 lowercase letters, digits and single hyphens (its poison queue adds '-poison').",
            $"{Section}:MaxDequeueCount must be 1 to 1000.",
        ]);
    }

    /// <summary>A shipment message as the fulfillment system sends it.</summary>
    private static string Shipment(string orderId, string shipmentId, long amount) =>
        new JsonObject { ["orderId"] = orderId, ["fulfillment"] = new JsonObject { ["shipmentId"] = shipmentId, ["amount"] = ApiHost.Amount(amount) } }.ToJsonString();

    /// <summary>
    /// The API with its simulator and the queue intake on <paramref name="queueName"/> of this class's Azurite (polled at
    /// least every 200 ms), the queue and its poison queue emptied first; <paramref name="clients"/> stand in for the
    /// intake's queue clients when given.
    /// </summary>
    private async Task<Sut> CreateSutAsync(string queueName, Dictionary<string, string?>? settings = null, FulfillmentQueueClients? clients = null, Action<Microsoft.AspNetCore.Builder.WebApplicationBuilder>? configure = null)
    {
        var values = new Dictionary<string, string?>
        {
            [$"{Section}:ConnectionString"] = azurite.ConnectionString,
            [$"{Section}:QueueName"] = queueName,
            [$"{Section}:MaxPollingInterval"] = "00:00:00.200",
        };
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        // Producers send base64, as the Functions host expects (the intake's default encoding).
        var producer = new QueueClient(azurite.ConnectionString, queueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var unencoded = new QueueClient(azurite.ConnectionString, queueName, FulfillmentQueueClients.ClientOptions());
        var poison = new QueueClient(azurite.ConnectionString, queueName + "-poison", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await producer.CreateIfNotExistsAsync();
        await producer.ClearMessagesAsync();
        if (await poison.ExistsAsync())
        {
            await poison.ClearMessagesAsync();
        }

        var api = await ApiHost.StartAsync(values, configure: builder =>
        {
            if (clients is not null)
            {
                builder.Services.AddSingleton(clients);
            }

            configure?.Invoke(builder);
        });
        return new Sut(api, producer, unencoded, poison);
    }

    private sealed class Sut(ApiHost api, QueueClient producer, QueueClient unencoded, QueueClient poison) : IAsyncDisposable
    {
        public ApiHost Api => api;

        public async Task SendAsync(string message) => await producer.SendMessageAsync(message);

        /// <summary>Sends the text as it is, not base64-encoded (a producer that got the encoding wrong).</summary>
        public async Task SendUnencodedAsync(string message) => await unencoded.SendMessageAsync(message);

        /// <summary>Starts a payment for the order and has the customer approve it (the simulator's webhook tells the order).</summary>
        public async Task AuthorizedOrderAsync(string orderId, long amount)
        {
            var started = await api.StartPaymentAsync(orderId, amount);
            await api.CustomerAsync((string)started["reference"]!, "approve");
            await api.WaitForStatusAsync(orderId, "Authorized");
        }

        /// <summary>Waits until no message is left in the queue, visible or not (each was deleted or moved).</summary>
        public Task QueueEmptiedAsync() => Eventually.Holds(
            async () => (await producer.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0,
            $"the queue {producer.Name} to be empty",
            TimeSpan.FromSeconds(30));

        /// <summary>The envelopes on the poison queue (at most 32), without receiving them.</summary>
        public async Task<IReadOnlyList<JsonObject>> PoisonedAsync() =>
            await poison.ExistsAsync()
                ? [.. (await poison.PeekMessagesAsync(maxMessages: 32)).Value.Select(m => JsonNode.Parse(m.MessageText)!.AsObject())]
                : [];

        /// <summary>Waits until the poison queue holds one envelope, and returns it.</summary>
        public async Task<JsonObject> PoisonedOneAsync()
        {
            IReadOnlyList<JsonObject> poisoned = [];
            await Eventually.Holds(async () => (poisoned = await PoisonedAsync()).Count > 0, $"a message on {poison.Name}", TimeSpan.FromSeconds(30));
            poisoned.Count.ShouldBe(1);
            return poisoned[0];
        }

        /// <summary>How often the provider applied each of the order's mutations, by idempotency key (ordinal order).</summary>
        public async Task<string> AppliedAsync(string orderId) =>
            string.Join(' ', (await api.StatsAsync())["appliedPerIdempotencyKey"]!.AsObject()
                .Where(p => p.Key.StartsWith(orderId + "-", StringComparison.Ordinal))
                .OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => $"{p.Key}={p.Value}"));

        public ValueTask DisposeAsync() => api.DisposeAsync();
    }

    /// <summary>The real queue, except that the first delete fails (as if the process had stopped just before it).</summary>
    private sealed class FailingFirstDeleteQueue(string connectionString, string queueName)
        : QueueClient(connectionString, queueName, FulfillmentQueueClients.ClientOptions())
    {
        private readonly ConcurrentQueue<long> _deletes = new();
        private long _count;

        /// <summary>The deletes asked for, numbered from 1.</summary>
        public IReadOnlyList<long> Deletes => [.. _deletes];

        public override async Task<Response> DeleteMessageAsync(string messageId, string popReceipt, CancellationToken cancellationToken = default)
        {
            var number = Interlocked.Increment(ref _count);
            _deletes.Enqueue(number);
            return number == 1
                ? throw new RequestFailedException(503, "Simulated: the process stopped before deleting the message.")
                : await base.DeleteMessageAsync(messageId, popReceipt, cancellationToken);
        }
    }

    /// <summary>The store (the workflow client) failing its first <paramref name="failures"/> signals, as a store out of reach does.</summary>
    private sealed class FailingStore(int failures)
    {
        private readonly int _failures = failures;
        private int _attempts;

        /// <summary>How many signals were failed.</summary>
        public int Failed => Math.Min(Volatile.Read(ref _attempts), _failures);

        public IOrderPaymentClient Over(IOrderPaymentClient store) => new Client(this, store);

        private sealed class Client(FailingStore failing, IOrderPaymentClient store) : IOrderPaymentClient
        {
            public Task<StartOutcome> StartAsync(OrderPayments.Domain.Workflow.PaymentRequest request, string? by, CancellationToken cancellationToken) => store.StartAsync(request, by, cancellationToken);

            public Task<SignalOutcome> RaiseAsync(OrderPayments.Domain.OrderId orderId, OrderPayments.Domain.Workflow.WorkflowInput signal, string dedupeKey, CancellationToken cancellationToken) =>
                signal is OrderPayments.Domain.Workflow.FulfillmentSignalled && Interlocked.Increment(ref failing._attempts) <= failing._failures
                    ? throw new IOException("Simulated: the store is out of reach.")
                    : store.RaiseAsync(orderId, signal, dedupeKey, cancellationToken);

            public Task<OrderPayments.Domain.OrderId?> FindByReferenceAsync(OrderPayments.Domain.PaymentReference reference, CancellationToken cancellationToken) => store.FindByReferenceAsync(reference, cancellationToken);

            public Task<OrderPaymentSnapshot?> GetAsync(OrderPayments.Domain.OrderId orderId, CancellationToken cancellationToken) => store.GetAsync(orderId, cancellationToken);

            public Task<OrderPaymentSnapshot?> WaitForAsync(OrderPayments.Domain.OrderId orderId, Func<OrderPaymentSnapshot, bool> condition, TimeSpan timeout, CancellationToken cancellationToken) =>
                store.WaitForAsync(orderId, condition, timeout, cancellationToken);

            public Task<IReadOnlyList<OrderPaymentSnapshot>> ListAsync(OrderPayments.Domain.Workflow.PaymentStatus? status, OrderPayments.Domain.OrderId? afterOrderId, int limit, CancellationToken cancellationToken) =>
                store.ListAsync(status, afterOrderId, limit, cancellationToken);
        }
    }

    /// <summary>A queue that is always empty and notes the time of each receive.</summary>
    private sealed class EmptyQueue(TimeProvider clock) : QueueClient
    {
        private readonly ConcurrentQueue<DateTimeOffset> _receives = new();

        public IReadOnlyList<DateTimeOffset> Receives => [.. _receives];

        public override Task<Response> CreateIfNotExistsAsync(IDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default) =>
            Task.FromResult<Response>(null!);

        public override Task<Response<QueueMessage[]>> ReceiveMessagesAsync(int? maxMessages = null, TimeSpan? visibilityTimeout = null, CancellationToken cancellationToken = default)
        {
            _receives.Enqueue(clock.GetUtcNow());
            return Task.FromResult(Response.FromValue(Array.Empty<QueueMessage>(), null!));
        }
    }

    /// <summary>An application that has started.</summary>
    private sealed class StartedLifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => new(canceled: true);

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }
}
