using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Moq;
using OrderPayments.Api.Tests;
using OrderPayments.Application.Notifications;
using OrderPayments.Domain;
using OrderPayments.Domain.Serialization;
using OrderPayments.Domain.Workflow;
using OrderPayments.Functions.Tests.Engine;

namespace OrderPayments.Functions.Tests.Hosting;

/// <summary>
/// The queue-triggered functions (<see cref="NotificationFunctions"/>) with real messages: sent and received through
/// the Azure Storage queue client against Azurite, run by <see cref="QueueTrigger"/> (the Functions host's queue
/// trigger, retries and poison queue, as host.json configures them), with the functions reaching orders of the
/// self-hosted API (and its payment simulator) run on the Durable Task engine.
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
    public async Task ApplyNotification_VerifiedAuthorizedObservation_OrderBecomesAuthorizedOnce()
    {
        // No webhooks from the simulator and no poll for 10 s: the queued notification is what tells the authorization.
        await using var sut = await CreateSutAsync(new() { ["Workflow:FirstPollDelay"] = "00:00:10", ["Workflow:MaxPollInterval"] = "00:00:10" });
        await sut.Api.SetFaultsAsync(new { webhookDropRate = 1.0 });
        var reference = (string)(await sut.Api.StartPaymentAsync("notified-1", 1000))["reference"]!;
        await sut.Api.CustomerAsync(reference, "approve");
        var message = Notification(reference, 1000);

        await sut.Notifications.SendAsync(message);
        await sut.Notifications.SendAsync(message);
        var deliveries = await sut.Notifications.ProcessAllAsync();

        deliveries.Select(d => d.Delivery).ShouldBe([QueueDelivery.Completed, QueueDelivery.Completed]);
        var order = await sut.Api.WaitForStatusAsync("notified-1", "Authorized");
        ((long?)order["amounts"]!["authorized"]).ShouldBe(1000);
        (await sut.Api.StatsAsync())["calls"]!.AsObject().ContainsKey("get").ShouldBeFalse("the notification told the authorization");
        // The repeat is answered with the first one's outcome: accepted while it waits, applied once it was.
        sut.Log.Entries[0].ShouldBe($"Notification vipps:{reference}:AUTHORIZED:psp-1: Accepted.");
        sut.Log.Entries[1].ShouldBeOneOf(
            $"Notification vipps:{reference}:AUTHORIZED:psp-1: Accepted (recorded before).",
            $"Notification vipps:{reference}:AUTHORIZED:psp-1: Applied (recorded before).");
        sut.Log.Entries.Count.ShouldBe(2);
        (await QueueTrigger.PeekAsync(sut.Notifications.Queue)).ShouldBeEmpty();
        (await QueueTrigger.PeekAsync(sut.Notifications.PoisonQueue)).ShouldBeEmpty();
    }

    [Fact]
    public async Task ApplyNotification_UnknownReference_LoggedAndDeleted()
    {
        await using var sut = await CreateSutAsync();

        await sut.Notifications.SendAsync(Notification("nobody-1-1", 1000));
        var deliveries = await sut.Notifications.ProcessAllAsync();

        deliveries.Select(d => d.Delivery).ShouldBe([QueueDelivery.Completed]);
        sut.Log.Entries.ShouldBe(["Notification about unknown payment nobody-1-1 ignored."]);
        (await QueueTrigger.PeekAsync(sut.Notifications.PoisonQueue)).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("AUTHORIZED notified-1-1", "it is not a notification")]
    [InlineData("null", "a notification needs reference, input and dedupeKey")]
    [InlineData("""{"reference":"notified-1-1","dedupeKey":"vipps:notified-1-1:AUTHORIZED:psp-1"}""", "a notification needs reference, input and dedupeKey")]
    [InlineData("""{"reference":"x","input":{"type":"providerNotified","reference":"x"},"dedupeKey":"k"}""", "it is not a notification")]
    [InlineData("""{"reference":"notified-1-1","input":{"reference":"notified-1-1"},"dedupeKey":"k"}""", "it is not a notification")]
    public async Task ApplyNotification_MalformedMessage_LoggedWithReasonRetriedThenMovedToPoisonQueue(string message, string reason)
    {
        await using var sut = await CreateSutAsync();

        await sut.Notifications.SendAsync(message);
        var deliveries = await sut.Notifications.ProcessAllAsync();

        deliveries.Select(d => d.Delivery).ShouldBe([.. Enumerable.Repeat(QueueDelivery.Released, 4), QueueDelivery.Poisoned]);
        deliveries.ShouldAllBe(d => d.Failure is InvalidDataException);
        (await QueueTrigger.PeekAsync(sut.Notifications.Queue)).ShouldBeEmpty();
        (await QueueTrigger.PeekAsync(sut.Notifications.PoisonQueue)).ShouldBe([message]);
        sut.Log.Warnings.Count.ShouldBe(5, "one logged reason per attempt");
        sut.Log.Warnings.ShouldAllBe(w => w.Contains("Malformed message on queue payment-notifications") && w.Contains(reason));
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
    /// A verified Vipps AUTHORIZED notification as the webhook function queues it: the <see cref="ProviderNotification"/>
    /// the Vipps intake makes of the event, serialized with <see cref="OrderPaymentsJson.Options"/> as HttpFunctions does.
    /// </summary>
    private static string Notification(string reference, long authorized)
    {
        var amount = new Money(authorized, Currency.NOK);
        var zero = Money.Zero(Currency.NOK);
        var paymentReference = PaymentReference.Parse(reference);
        var notification = new ProviderNotification(
            paymentReference,
            new ProviderObserved(new PaymentObservation(paymentReference, ProviderPaymentState.Authorized, new PaymentAggregate(amount, zero, zero, zero))),
            $"vipps:{reference}:AUTHORIZED:psp-1");
        return JsonSerializer.Serialize(notification, OrderPaymentsJson.Options);
    }

    /// <summary>
    /// The API with its simulator, its orders on the Durable Task engine (in-memory backend, the inbox on this class's
    /// Azurite), and the two queue functions built as the Functions app builds them, each behind its queue's trigger.
    /// </summary>
    private async Task<Sut> CreateSutAsync(Dictionary<string, string?>? settings = null)
    {
        var engine = new DurableApiEngine(DurableBackend.InMemory, azurite.ConnectionString);
        var api = await ApiHost.StartAsync(settings, engine: engine);
        var log = new RecordingLogger();
        var functions = new NotificationFunctions(engine.Orders, log);
        var invocation = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        // The functions read only the invocation's cancellation token from their FunctionContext.
        var context = Mock.Of<FunctionContext>(c => c.CancellationToken == invocation.Token);
        var client = engine.Engine.Client;
        return new Sut(
            api,
            log,
            invocation,
            await QueueTrigger.StartAsync(azurite.ConnectionString, OrchestrationNames.FulfillmentsQueue, message => functions.ApplyFulfillment(message, client, context)),
            await QueueTrigger.StartAsync(azurite.ConnectionString, OrchestrationNames.NotificationsQueue, message => functions.ApplyNotification(message, client, context)));
    }

    private sealed class Sut(ApiHost api, RecordingLogger log, CancellationTokenSource invocation, QueueTrigger fulfillments, QueueTrigger notifications) : IAsyncDisposable
    {
        public ApiHost Api => api;

        public RecordingLogger Log => log;

        /// <summary>The trigger of <c>order-fulfillments</c> running <see cref="NotificationFunctions.ApplyFulfillment"/>.</summary>
        public QueueTrigger Fulfillments => fulfillments;

        /// <summary>The trigger of <c>payment-notifications</c> running <see cref="NotificationFunctions.ApplyNotification"/>.</summary>
        public QueueTrigger Notifications => notifications;

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

        public async ValueTask DisposeAsync()
        {
            await invocation.CancelAsync();
            invocation.Dispose();
            await api.DisposeAsync();
        }
    }

    /// <summary>The functions' log: each entry's formatted message, in order (copies, taken when read).</summary>
    private sealed class RecordingLogger : ILogger<NotificationFunctions>
    {
        private readonly Lock _lock = new();
        private readonly List<(LogLevel Level, string Message)> _entries = [];

        public List<string> Entries => Snapshot(_ => true);

        public List<string> Warnings => Snapshot(level => level >= LogLevel.Warning);

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

        private List<string> Snapshot(Func<LogLevel, bool> which)
        {
            lock (_lock)
            {
                return [.. _entries.Where(e => which(e.Level)).Select(e => e.Message)];
            }
        }
    }
}
