using OrderPayments.Application.Http;
using OrderPayments.Application.Storefront;
using OrderPayments.Domain;
using OrderPayments.Runtime.Storage;

namespace OrderPayments.Runtime.Tests.Storage;

/// <summary>Due storefront deliveries are counted per endpoint (issue 24, item 6): a dead endpoint's backlog never crowds another's events out.</summary>
public sealed class DueDeliveriesTests
{
    [Fact]
    public async Task Due_DeadEndpointWithAThousandDueEvents_TheHealthyEndpointsEventIsInTheSameAnswer()
    {
        await using var host = new RuntimeTestHost(dispatcher: false);
        var store = host.Get<RuntimeStore>();
        var now = RuntimeTestHost.Start;
        using (var session = await StoreSession.WriteAsync(store))
        {
            session.UpsertEndpoint("dead", new Uri("https://dead.example/hooks"), StandardWebhooks.NewSecret(), null, "api", now);
            session.UpsertEndpoint("healthy", new Uri("https://healthy.example/hooks"), StandardWebhooks.NewSecret(), null, "api", now);
            for (var i = 0; i < 1000; i++)
            {
                session.InsertEventFor("dead", $"order-{i:0000}", Event($"evt_dead_{i}", now), now);
            }

            session.InsertEventFor("healthy", "order-x", Event("evt_healthy", now.AddSeconds(1)), now.AddSeconds(1));
            session.Commit();
        }

        var due = await host.Get<INotificationOutbox>().DueAsync(now.AddSeconds(2), 8, CancellationToken.None);

        due.Count(d => d.EndpointId == "dead").ShouldBe(8);
        due.ShouldContain(d => d.EndpointId == "healthy" && d.EventId == "evt_healthy");
    }

    private static StorefrontEvent Event(string id, DateTimeOffset at) =>
        new(id, StorefrontEventTypes.PaymentAuthorized, at, new StorefrontEventData("order", 1, "Authorized", Currency.NOK, new AmountsDocument(1000, 0, 0, 0, 1000, 0)));
}
