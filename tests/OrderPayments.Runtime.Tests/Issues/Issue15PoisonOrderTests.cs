using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Runtime.Tests.Issues;

/// <summary>
/// Issue 15: one order whose step threw (its stored state unreadable, say) rolled back the dispatcher's whole batch
/// and was tried again every 200 ms at the head of the queue, so no order progressed. Now it is rolled back alone,
/// set aside with its fault (visible to operators) and retried with back-off until it is fixed.
/// </summary>
public sealed class Issue15PoisonOrderTests
{
    private static readonly string[] Healthy = ["healthy-1", "healthy-2", "healthy-3"];

    /// <summary>Orders started and cancelled with no dispatcher running (so the first batch holds them all), "poison" first.</summary>
    private static async Task<RuntimeTestHost> Recorded(FakePaymentProvider provider, params string[] ids)
    {
        var host = new RuntimeTestHost(provider, dispatcher: false);
        foreach (var id in ids)
        {
            await host.Client.StartAsync(RuntimeTestHost.Request(id), CancellationToken.None);
            await host.Client.RaiseAsync(OrderId.Parse(id), new CancelRequested(), "cancel-1", CancellationToken.None);
        }

        return host;
    }

    private static async Task<FaultedOrder?> FaultOf(RuntimeTestHost host, string id) =>
        (await host.Client.ListFaultsAsync(null, 100, CancellationToken.None)).SingleOrDefault(f => f.OrderId == id);

    [Fact]
    public async Task Step_OneOrdersStateUnreadable_OtherOrdersOfTheBatchProgressAndItsFaultIsListed()
    {
        var provider = new FakePaymentProvider();
        await using var recorded = await Recorded(provider, ["poison", .. Healthy]);
        recorded.Sql("UPDATE instances SET state = '{\"orderId\": ' WHERE id = 'poison'");

        await using var host = await new RuntimeTestHost(provider, recorded.DatabasePath, time: recorded.Time).StartAsync();

        foreach (var id in Healthy)
        {
            await host.WaitForStatus(id, PaymentStatus.Cancelled);
        }

        var poison = (await host.Client.ListFaultsAsync(null, 100, CancellationToken.None)).ShouldHaveSingleItem();
        poison.OrderId.ShouldBe("poison");
        poison.Status.ShouldBe(PaymentStatus.Creating);
        poison.Fault.Attempts.ShouldBe(1);
        poison.Fault.FirstFailedAt.ShouldBe(RuntimeTestHost.Start);
        poison.Fault.NextRetryAt.ShouldBe(RuntimeTestHost.Start.AddSeconds(1));
        poison.Fault.LastError.ShouldStartWith("JsonException: ");
        ((long)host.Sql("SELECT COUNT(*) FROM inbox WHERE instance_id = 'poison' AND applied_at IS NULL")!).ShouldBeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task Step_OrderKeepsFailing_IsRetriedWithDoublingPausesAndRecoversOnceFixed()
    {
        var provider = new FakePaymentProvider();
        await using var recorded = await Recorded(provider, "poison");
        var state = (string)recorded.Sql("SELECT state FROM instances WHERE id = 'poison'")!;
        recorded.Sql("UPDATE instances SET state = 'not json' WHERE id = 'poison'");
        await using var host = await new RuntimeTestHost(provider, recorded.DatabasePath, time: recorded.Time).StartAsync();
        await Eventually.Holds(async () => await FaultOf(host, "poison") is not null, "the first failure recorded");

        // Not retried every cycle: other orders are stepped meanwhile, and it waits for its retry time (1 s).
        await host.Quiesce();
        (await FaultOf(host, "poison"))!.Fault.Attempts.ShouldBe(1);
        host.Time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.Holds(async () => (await FaultOf(host, "poison"))!.Fault.Attempts == 2, "the second failure, 1 s later");
        var second = (await FaultOf(host, "poison"))!.Fault;
        host.Time.Advance(TimeSpan.FromSeconds(1));
        await host.Quiesce();
        var waiting = (await FaultOf(host, "poison"))!.Fault;

        recorded.Sql("UPDATE instances SET state = $state WHERE id = 'poison'", ("$state", state));
        host.Time.Advance(TimeSpan.FromSeconds(1));
        var fixedOrder = await host.WaitForStatus("poison", PaymentStatus.Cancelled);

        second.FirstFailedAt.ShouldBe(RuntimeTestHost.Start);
        second.LastFailedAt.ShouldBe(RuntimeTestHost.Start.AddSeconds(1));
        second.NextRetryAt.ShouldBe(RuntimeTestHost.Start.AddSeconds(3));
        waiting.Attempts.ShouldBe(2);
        (await FaultOf(host, "poison")).ShouldBeNull();
        (await host.Client.GetAsync(OrderId.Parse("poison"), CancellationToken.None))!.Fault.ShouldBeNull();
        fixedOrder.State.CancelRequested.ShouldBeTrue();
    }

    [Fact]
    public async Task Get_OrderWithAnUnreadableSignal_ShowsTheFaultAndStaysWhereItWas()
    {
        await using var host = await new RuntimeTestHost().StartAsync();
        await host.Client.StartAsync(RuntimeTestHost.Request(), CancellationToken.None);
        await host.WaitForStatus("order-1", PaymentStatus.AwaitingCustomer);

        host.Sql(
            "INSERT INTO inbox (instance_id, dedupe_key, input, received_at) VALUES ('order-1', 'garbled', 'not json', $at)",
            ("$at", RuntimeTestHost.Start.ToUnixTimeMilliseconds()));
        var snapshot = await host.WaitFor("order-1", s => s.Fault is not null, "a fault");
        var listed = (await host.Client.ListAsync(null, null, 10, CancellationToken.None)).ShouldHaveSingleItem();

        snapshot.State.Status.ShouldBe(PaymentStatus.AwaitingCustomer);
        snapshot.PendingSignals.ShouldBe(1);
        snapshot.Fault!.Attempts.ShouldBe(1);
        snapshot.Fault.NextRetryAt.ShouldBe(RuntimeTestHost.Start.AddSeconds(1));
        snapshot.Fault.LastError.ShouldNotBeNullOrWhiteSpace();
        listed.Fault.ShouldBe(snapshot.Fault);
    }
}
