using System.Text.Json;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;
using OrderPayments.Runtime.Storage;

namespace OrderPayments.Runtime.Tests.Storage;

/// <summary>The committed states a process keeps parsed: bounded, newest version wins, and never stale against the file.</summary>
public sealed class StateCacheTests
{
    private static OrderPaymentState State(string id) =>
        new OrderPaymentWorkflow().Start(RuntimeTestHost.Request(id), RuntimeTestHost.Start, "test").State;

    [Fact]
    public void Find_AfterPut_ReturnsThatVersionAndState()
    {
        var cache = new StateCache(16);
        var state = State("order-1");

        cache.Put("order-1", 3, state);

        cache.Find("order-1").ShouldBe(new StateCache.Entry(3, state));
        cache.Find("order-2").ShouldBeNull();
    }

    [Fact]
    public void Put_OlderVersionAfterANewerOne_KeepsTheNewer()
    {
        var cache = new StateCache(16);
        var newer = State("order-1");

        cache.Put("order-1", 5, newer);
        cache.Put("order-1", 4, State("order-1"));

        cache.Find("order-1")!.Version.ShouldBe(5);
        cache.Find("order-1")!.State.ShouldBeSameAs(newer);
    }

    [Fact]
    public void Put_FarMoreOrdersThanTheCapacity_HoldsAtMostTheCapacity()
    {
        var cache = new StateCache(100);
        var state = State("order-1");

        for (var i = 0; i < 10_000; i++)
        {
            cache.Put($"order-{i}", 1, state);
        }

        cache.Count.ShouldBeLessThanOrEqualTo(100);
        cache.Find("order-9999").ShouldNotBeNull();
        cache.Find("order-0").ShouldBeNull();
    }

    [Fact]
    public void Find_EntryUsedAgain_OutlivesEntriesNotUsed()
    {
        var cache = new StateCache(4);
        var state = State("order-1");
        cache.Put("kept", 1, state);
        cache.Put("other", 1, state);

        // The first generation (2 entries) is full: both move to the older one; "kept" is used and comes back.
        cache.Find("kept").ShouldNotBeNull();
        cache.Put("third", 1, state);

        cache.Find("kept").ShouldNotBeNull();
        cache.Find("other").ShouldBeNull();
    }

    [Fact]
    public void Put_CapacityZero_CachesNothing()
    {
        var cache = new StateCache(0);

        cache.Put("order-1", 1, State("order-1"));

        cache.Find("order-1").ShouldBeNull();
    }

    [Fact]
    public async Task GetAsync_VersionAlreadyParsed_DoesNotReadTheStoredStateAgain()
    {
        await using var host = new RuntimeTestHost(dispatcher: false);
        await host.Client.StartAsync(RuntimeTestHost.Request("order-1"), CancellationToken.None);
        host.Sql("UPDATE instances SET state = 'not json' WHERE id = 'order-1'");

        var snapshot = await host.Client.GetAsync(OrderId.Parse("order-1"), CancellationToken.None);

        snapshot!.Version.ShouldBe(1);
        snapshot.State.OrderId.Value.ShouldBe("order-1");
    }

    [Fact]
    public async Task GetAsync_FileHoldsANewerVersion_ReadsAndParsesIt()
    {
        await using var host = new RuntimeTestHost(dispatcher: false);
        await host.Client.StartAsync(RuntimeTestHost.Request("order-1"), CancellationToken.None);
        host.Sql("UPDATE instances SET state = 'not json', version = 2 WHERE id = 'order-1'");

        await Should.ThrowAsync<JsonException>(() => host.Client.GetAsync(OrderId.Parse("order-1"), CancellationToken.None));
    }

    [Fact]
    public async Task GetAsync_OrderSteppedByAnotherProcess_ShowsItsNewVersion()
    {
        var provider = new FakePaymentProvider();
        await using var reader = new RuntimeTestHost(dispatcher: false);
        await reader.Client.StartAsync(RuntimeTestHost.Request("order-1"), CancellationToken.None);
        (await reader.Client.GetAsync(OrderId.Parse("order-1"), CancellationToken.None))!.State.Status.ShouldBe(PaymentStatus.Creating);

        // Another process on the same file (its own store and cache) creates the payment.
        await using (var dispatcher = await new RuntimeTestHost(provider, reader.DatabasePath, time: reader.Time).StartAsync())
        {
            await dispatcher.WaitForStatus("order-1", PaymentStatus.AwaitingCustomer);
        }

        var seen = await reader.Client.GetAsync(OrderId.Parse("order-1"), CancellationToken.None);
        seen!.State.Status.ShouldBe(PaymentStatus.AwaitingCustomer);
        seen.Version.ShouldBeGreaterThan(1);
    }
}
