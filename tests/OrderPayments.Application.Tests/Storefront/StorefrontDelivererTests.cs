using System.Net;
using OrderPayments.Application.Storefront;

namespace OrderPayments.Application.Tests.Storefront;

/// <summary>The deliverer's timer tick: fair across endpoints, and never waiting for a dead endpoint's slow attempts (issue 24, item 6).</summary>
public sealed class StorefrontDelivererTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task DeliverDue_ADeadEndpointHangs_TheTickEndsWithinItsBudgetAndTheHealthyOneIsDelivered()
    {
        using var hang = new CancellationTokenSource();
        var outbox = new FakeOutbox(
            [.. Enumerable.Range(0, 100).Select(i => Delivery("dead", $"order-{i}")), Delivery("healthy", "order-x")]);
        using var http = new HttpClient(new Handler(hang.Token));
        var sut = new StorefrontDeliverer(outbox, http, TimeProvider.System, new StorefrontDeliveryOptions { Timeout = TimeSpan.FromMinutes(5), MaxConcurrentPerEndpoint = 4 });

        var started = await sut.DeliverDueAsync(TimeSpan.FromMilliseconds(300), null, CancellationToken.None);
        var recorded = outbox.Recorded.ToList();
        await hang.CancelAsync();

        started.ShouldBe(5, "four for the dead endpoint, one for the healthy one");
        recorded.ShouldHaveSingleItem().Delivery.EndpointId.ShouldBe("healthy");
    }

    [Fact]
    public async Task DeliverDue_AnAttemptStillInFlightFromTheLastTick_IsNotStartedAgain()
    {
        using var hang = new CancellationTokenSource();
        var outbox = new FakeOutbox([Delivery("dead", "order-1")]);
        using var http = new HttpClient(new Handler(hang.Token));
        var sut = new StorefrontDeliverer(outbox, http, TimeProvider.System, new StorefrontDeliveryOptions { Timeout = TimeSpan.FromMinutes(5) });

        var first = await sut.DeliverDueAsync(TimeSpan.FromMilliseconds(50), null, CancellationToken.None);
        var second = await sut.DeliverDueAsync(TimeSpan.FromMilliseconds(50), null, CancellationToken.None);
        await hang.CancelAsync();

        (first, second).ShouldBe((1, 0));
    }

    private static PendingDelivery Delivery(string endpoint, string orderId) =>
        new(endpoint, new Uri($"https://{endpoint}.example/hooks"), StandardWebhooks.NewSecret(), 1000, $"evt_{endpoint}_{orderId}", orderId, "{}", 0, Now);

    /// <summary>An outbox that answers its deliveries per endpoint, as the interface asks, and keeps what is recorded.</summary>
    private sealed class FakeOutbox(IReadOnlyList<PendingDelivery> due) : INotificationOutbox
    {
        public System.Collections.Concurrent.ConcurrentQueue<DeliveryResult> Recorded { get; } = new();

        public Task<IReadOnlyList<PendingDelivery>> DueAsync(DateTimeOffset now, int perEndpoint, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<PendingDelivery>>([.. due.GroupBy(d => d.EndpointId).SelectMany(g => g.Take(perEndpoint))]);

        public Task RecordAsync(IReadOnlyList<DeliveryResult> results, CancellationToken cancellationToken)
        {
            foreach (var result in results)
            {
                Recorded.Enqueue(result);
            }

            return Task.CompletedTask;
        }

        public Task<DateTimeOffset?> NextDueAsync(DateTimeOffset now, CancellationToken cancellationToken) => Task.FromResult<DateTimeOffset?>(null);
    }

    /// <summary>The healthy endpoint answers at once; the dead one never answers (until the test ends).</summary>
    private sealed class Handler(CancellationToken hang) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.Host.StartsWith("dead", StringComparison.Ordinal))
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(hang, cancellationToken);
                await Task.Delay(Timeout.InfiniteTimeSpan, linked.Token);
            }

            return new HttpResponseMessage(HttpStatusCode.NoContent);
        }
    }
}
