using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;
using OrderPayments.Application.Http;
using OrderPayments.Application.Storefront;
using OrderPayments.Domain;
using OrderPayments.Functions.Notifications;

namespace OrderPayments.Functions.Tests.Notifications;

/// <summary>The Functions app's storefront outbox on a real table (Azurite): once per event, in order per order, failed kept and retried.</summary>
public sealed class TableNotificationStoreTests(Azurite azurite) : IClassFixture<Azurite>
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);

    private TableNotificationStore CreateSut() =>
        new(new TableClient(azurite.ConnectionString, "notify" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6))), _time);

    private static StorefrontEvent Event(string id, string type) =>
        new(id, type, Start, new StorefrontEventData("order-1", 1, "Authorized", Currency.NOK, new AmountsDocument(1000, 0, 0, 0, 1000, 0)));

    [Fact]
    public async Task RecordEvents_SameEventsTwice_OneDeliveryPerEndpointAndEvent()
    {
        var store = CreateSut();
        var (first, _) = await store.AddAsync(new Uri("https://a.example/hooks"), null, CancellationToken.None);
        var (second, _) = await store.AddAsync(new Uri("https://b.example/hooks"), [StorefrontEventTypes.PaymentCaptured], CancellationToken.None);
        (long, StorefrontEvent)[] events = [(1000, Event("evt_1", StorefrontEventTypes.PaymentAuthorized)), (2000, Event("evt_2", StorefrontEventTypes.PaymentCaptured))];

        await store.RecordEventsAsync("order-1", events, CancellationToken.None);
        await store.RecordEventsAsync("order-1", events, CancellationToken.None);

        var pending = await store.DeliveriesAsync("pending", null, 100, CancellationToken.None);
        pending.Select(d => (d.EndpointId, d.EventId)).ShouldBe([(first.Id, "evt_1"), (first.Id, "evt_2"), (second.Id, "evt_2")], ignoreOrder: true);
    }

    [Fact]
    public async Task Due_TwoEventsOfAnOrder_OnlyTheOldestUntilItIsDelivered()
    {
        var store = CreateSut();
        var (endpoint, _) = await store.AddAsync(new Uri("https://a.example/hooks"), null, CancellationToken.None);
        await store.RecordEventsAsync("order-1", [(1000, Event("evt_1", StorefrontEventTypes.PaymentAuthorized)), (2000, Event("evt_2", StorefrontEventTypes.PaymentCaptured))], CancellationToken.None);

        var head = (await store.DueAsync(Start, 10, CancellationToken.None)).ShouldHaveSingleItem();
        await store.RecordAsync([new DeliveryResult(head, DeliveryOutcome.RetryLater, Start, Start.AddSeconds(5), "HTTP 503")], CancellationToken.None);
        var whileRetrying = await store.DueAsync(Start.AddSeconds(1), 10, CancellationToken.None);
        await store.RecordAsync([new DeliveryResult(head with { Attempts = 1 }, DeliveryOutcome.Delivered, Start.AddSeconds(6))], CancellationToken.None);
        var next = (await store.DueAsync(Start.AddSeconds(6), 10, CancellationToken.None)).ShouldHaveSingleItem();

        head.EventId.ShouldBe("evt_1");
        head.EndpointId.ShouldBe(endpoint.Id);
        whileRetrying.ShouldBeEmpty("the order's later event waits behind the one being retried");
        next.EventId.ShouldBe("evt_2");
    }

    [Fact]
    public async Task Retry_FailedDelivery_IsPendingAgainAndDueNow()
    {
        var store = CreateSut();
        var (endpoint, _) = await store.AddAsync(new Uri("https://a.example/hooks"), null, CancellationToken.None);
        await store.RecordEventsAsync("order-1", [(1000, Event("evt_1", StorefrontEventTypes.PaymentAuthorized))], CancellationToken.None);
        var head = (await store.DueAsync(Start, 10, CancellationToken.None)).ShouldHaveSingleItem();
        await store.RecordAsync([new DeliveryResult(head, DeliveryOutcome.Failed, Start, null, "HTTP 500")], CancellationToken.None);
        var failed = (await store.DeliveriesAsync("failed", null, 10, CancellationToken.None)).ShouldHaveSingleItem();
        _time.Advance(TimeSpan.FromMinutes(1));

        (await store.RetryAsync(endpoint.Id, "evt_1", CancellationToken.None)).ShouldBeTrue();

        (failed.LastError, failed.Attempts, failed.OrderId).ShouldBe(("HTTP 500", 1, "order-1"));
        var again = (await store.DueAsync(_time.GetUtcNow(), 10, CancellationToken.None)).ShouldHaveSingleItem();
        (again.EventId, again.Attempts, again.Since).ShouldBe(("evt_1", 0, _time.GetUtcNow()));
        (await store.RetryAsync(endpoint.Id, "evt_1", CancellationToken.None)).ShouldBeFalse("it is no longer failed");
    }

    [Fact]
    public async Task Delete_Endpoint_DropsItsPendingDeliveriesAndIsNotListed()
    {
        var store = CreateSut();
        var (endpoint, secret) = await store.AddAsync(new Uri("https://a.example/hooks"), null, CancellationToken.None);
        await store.RecordEventsAsync("order-1", [(1000, Event("evt_1", StorefrontEventTypes.PaymentAuthorized))], CancellationToken.None);

        (await store.DeleteAsync(endpoint.Id, CancellationToken.None)).ShouldBeTrue();

        secret.ShouldStartWith("whsec_");
        (await store.ListAsync(CancellationToken.None)).ShouldBeEmpty();
        (await store.DueAsync(Start, 10, CancellationToken.None)).ShouldBeEmpty();
        (await store.DeleteAsync(endpoint.Id, CancellationToken.None)).ShouldBeFalse();
    }
}
