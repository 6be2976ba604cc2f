using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;
using OrderPayments.Application.Http;
using OrderPayments.Application.Storefront;
using OrderPayments.Domain;
using OrderPayments.Durable.Notifications;

namespace OrderPayments.Durable.Tests.Notifications;

/// <summary>The Durable interpreter's storefront outbox on a real table (Azurite): once per event, in order per order, due per endpoint without a scan, failed kept and retried.</summary>
public sealed class TableNotificationStoreTests(Azurite azurite) : IClassFixture<Azurite>
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);

    private TableNotificationStore CreateSut() =>
        new(new TableClient(azurite.ConnectionString, "notify" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6))), _time);

    private static SequencedEvent Event(long sequence, string id, string type, string orderId = "order-1") =>
        new(sequence, new StorefrontEvent(id, type, Start, new StorefrontEventData(orderId, 1, "Authorized", Currency.NOK, new AmountsDocument(1000, 0, 0, 0, 1000, 0))));

    [Fact]
    public async Task RecordEvents_SameEventsTwice_OneDeliveryPerEndpointAndEvent()
    {
        var store = CreateSut();
        var (first, _) = await store.AddAsync(new Uri("https://a.example/hooks"), null, CancellationToken.None);
        var (second, _) = await store.AddAsync(new Uri("https://b.example/hooks"), [StorefrontEventTypes.PaymentCaptured], CancellationToken.None);
        SequencedEvent[] events = [Event(1000, "evt_1", StorefrontEventTypes.PaymentAuthorized), Event(2000, "evt_2", StorefrontEventTypes.PaymentCaptured)];

        await store.RecordEventsAsync("order-1", events, CancellationToken.None);
        await store.RecordEventsAsync("order-1", events, CancellationToken.None);

        var due = await store.DueAsync(Start, 10, CancellationToken.None);
        due.Select(d => (d.EndpointId, d.EventId)).ShouldBe([(first.Id, "evt_1"), (second.Id, "evt_2")], ignoreOrder: true);
        (await store.DeliveriesAsync("delivered", null, 100, CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Due_TwoEventsOfAnOrder_OnlyTheOldestUntilItIsDelivered()
    {
        var store = CreateSut();
        var (endpoint, _) = await store.AddAsync(new Uri("https://a.example/hooks"), null, CancellationToken.None);
        await store.RecordEventsAsync("order-1", [Event(1000, "evt_1", StorefrontEventTypes.PaymentAuthorized), Event(2000, "evt_2", StorefrontEventTypes.PaymentCaptured)], CancellationToken.None);

        var head = (await store.DueAsync(Start, 10, CancellationToken.None)).ShouldHaveSingleItem();
        await store.RecordAsync([new DeliveryResult(head, DeliveryOutcome.RetryLater, Start, Start.AddSeconds(5), "HTTP 503")], CancellationToken.None);
        var whileRetrying = await store.DueAsync(Start.AddSeconds(1), 10, CancellationToken.None);
        await store.RecordAsync([new DeliveryResult(head with { Attempts = 1 }, DeliveryOutcome.Delivered, Start.AddSeconds(6))], CancellationToken.None);
        var next = (await store.DueAsync(Start.AddSeconds(6), 10, CancellationToken.None)).ShouldHaveSingleItem();

        head.EventId.ShouldBe("evt_1");
        head.EndpointId.ShouldBe(endpoint.Id);
        whileRetrying.ShouldBeEmpty("the order's later event waits behind the one being retried");
        next.EventId.ShouldBe("evt_2");
        (await store.NextDueAsync(Start.AddSeconds(6), CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task RecordEvents_WhileTheLastPendingOneIsDelivered_TheNewOneIsStillDue()
    {
        var store = CreateSut();
        await store.AddAsync(new Uri("https://a.example/hooks"), null, CancellationToken.None);
        await store.RecordEventsAsync("order-1", [Event(1000, "evt_1", StorefrontEventTypes.PaymentAuthorized)], CancellationToken.None);
        var head = (await store.DueAsync(Start, 10, CancellationToken.None)).ShouldHaveSingleItem();

        // The deliverer moves past the last pending event while the orchestration records a new one.
        await Task.WhenAll(
            store.RecordAsync([new DeliveryResult(head, DeliveryOutcome.Delivered, Start)], CancellationToken.None),
            store.RecordEventsAsync("order-1", [Event(2000, "evt_2", StorefrontEventTypes.PaymentCaptured)], CancellationToken.None));

        (await store.DueAsync(Start.AddSeconds(1), 10, CancellationToken.None)).ShouldHaveSingleItem().EventId.ShouldBe("evt_2");
    }

    [Fact]
    public async Task Due_DeadEndpointWithManyDueEvents_TheHealthyEndpointsEventIsInTheSameAnswer()
    {
        var store = CreateSut();
        var (dead, _) = await store.AddAsync(new Uri("https://dead.example/hooks"), null, CancellationToken.None);
        var (healthy, _) = await store.AddAsync(new Uri("https://healthy.example/hooks"), [StorefrontEventTypes.PaymentCaptured], CancellationToken.None);
        await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            store.RecordEventsAsync($"order-{i:000}", [Event(1000, $"evt_{i}", StorefrontEventTypes.PaymentAuthorized, $"order-{i:000}")], CancellationToken.None)));
        await store.RecordEventsAsync("order-x", [Event(2000, "evt_captured", StorefrontEventTypes.PaymentCaptured, "order-x")], CancellationToken.None);

        var due = await store.DueAsync(Start, 8, CancellationToken.None);

        due.Count(d => d.EndpointId == dead.Id).ShouldBe(8, "the dead endpoint gets its share");
        due.ShouldContain(d => d.EndpointId == healthy.Id && d.EventId == "evt_captured");
    }

    [Fact]
    public async Task Retry_FailedDelivery_IsPendingAgainAndDueNow()
    {
        var store = CreateSut();
        var (endpoint, _) = await store.AddAsync(new Uri("https://a.example/hooks"), null, CancellationToken.None);
        await store.RecordEventsAsync("order-1", [Event(1000, "evt_1", StorefrontEventTypes.PaymentAuthorized)], CancellationToken.None);
        var head = (await store.DueAsync(Start, 10, CancellationToken.None)).ShouldHaveSingleItem();
        await store.RecordAsync([new DeliveryResult(head, DeliveryOutcome.Failed, Start, null, "HTTP 500")], CancellationToken.None);
        var failed = (await store.DeliveriesAsync("failed", null, 10, CancellationToken.None)).ShouldHaveSingleItem();
        _time.Advance(TimeSpan.FromMinutes(1));

        (await store.RetryAsync(endpoint.Id, "evt_1", CancellationToken.None)).ShouldBeTrue();

        (failed.LastError, failed.Attempts, failed.OrderId).ShouldBe(("HTTP 500", 1, "order-1"));
        var again = (await store.DueAsync(_time.GetUtcNow(), 10, CancellationToken.None)).ShouldHaveSingleItem();
        (again.EventId, again.Attempts, again.Since).ShouldBe(("evt_1", 0, _time.GetUtcNow()));
        (await store.RetryAsync(endpoint.Id, "evt_1", CancellationToken.None)).ShouldBeFalse("it is no longer failed");
        (await store.DeliveriesAsync("failed", null, 10, CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Delete_Endpoint_DropsItsPendingDeliveriesAndIsNotListed()
    {
        var store = CreateSut();
        var (endpoint, secret) = await store.AddAsync(new Uri("https://a.example/hooks"), null, CancellationToken.None);
        await store.RecordEventsAsync("order-1", [Event(1000, "evt_1", StorefrontEventTypes.PaymentAuthorized)], CancellationToken.None);

        (await store.DeleteAsync(endpoint.Id, CancellationToken.None)).ShouldBeTrue();

        secret.ShouldStartWith("whsec_");
        (await store.ListAsync(CancellationToken.None)).ShouldBeEmpty();
        (await store.DueAsync(Start, 10, CancellationToken.None)).ShouldBeEmpty();
        (await store.DeleteAsync(endpoint.Id, CancellationToken.None)).ShouldBeFalse();
    }

    [Fact]
    public async Task PurgeOrder_RemovesItsDeliveriesAndIndexRows()
    {
        var store = CreateSut();
        await store.AddAsync(new Uri("https://a.example/hooks"), null, CancellationToken.None);
        await store.RecordEventsAsync("order-1", [Event(1000, "evt_1", StorefrontEventTypes.PaymentAuthorized), Event(2000, "evt_2", StorefrontEventTypes.PaymentCaptured)], CancellationToken.None);
        var head = (await store.DueAsync(Start, 10, CancellationToken.None)).ShouldHaveSingleItem();
        await store.RecordAsync([new DeliveryResult(head, DeliveryOutcome.Failed, Start, null, "HTTP 500")], CancellationToken.None);

        await store.PurgeOrderAsync("order-1", CancellationToken.None);

        (await store.DueAsync(Start, 10, CancellationToken.None)).ShouldBeEmpty();
        (await store.DeliveriesAsync("failed", null, 10, CancellationToken.None)).ShouldBeEmpty();
        (await store.DeliveriesAsync("delivered", null, 10, CancellationToken.None)).ShouldBeEmpty();
    }
}
