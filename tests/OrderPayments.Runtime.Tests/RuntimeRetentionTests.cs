using OrderPayments.Application.Workflows;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;
using OrderPayments.Runtime.Storage;

namespace OrderPayments.Runtime.Tests;

/// <summary>Retention: the records of finished orders and old applied signals are pruned; live orders keep theirs.</summary>
public sealed class RuntimeRetentionTests
{
    private static readonly string[] OrderTables = ["inbox", "history", "outbox", "payment_references"];

    /// <summary>Long windows, so that months pass on the clock without the workflow acting on its own.</summary>
    private static Dictionary<string, string?> Settings(string signalDedupeWindow = "7.00:00:00") => new()
    {
        ["Workflow:FulfillmentWindow"] = "365.00:00:00",
        ["Runtime:SignalDedupeWindow"] = signalDedupeWindow,
    };

    private static async Task Cancelled(RuntimeTestHost host, string id)
    {
        await host.Client.StartAsync(RuntimeTestHost.Request(id), CancellationToken.None);
        await host.WaitForStatus(id, PaymentStatus.AwaitingCustomer);
        await host.Client.RaiseAsync(OrderId.Parse(id), new CancelRequested(), "cancel-1", CancellationToken.None);
        await host.WaitForStatus(id, PaymentStatus.Cancelled);
        await Eventually.Holds(async () => (await host.Client.GetPendingActivitiesAsync(OrderId.Parse(id), CancellationToken.None)).Count == 0, $"{id}'s calls done");
    }

    private static async Task<OrderPaymentSnapshot> Authorized(RuntimeTestHost host, string id)
    {
        await host.Client.StartAsync(RuntimeTestHost.Request(id), CancellationToken.None);
        var created = await host.WaitForStatus(id, PaymentStatus.AwaitingCustomer);
        host.Provider.Approve(created.State.Reference);
        await host.Client.RaiseAsync(OrderId.Parse(id), new ProviderNotified(created.State.Reference), "webhook-1", CancellationToken.None);
        return await host.WaitForStatus(id, PaymentStatus.Authorized);
    }

    private static Dictionary<string, long> Records(RuntimeTestHost host, string id) =>
        OrderTables.ToDictionary(table => table, table => host.Rows(table, id));

    [Fact]
    public async Task Prune_FinishedOrderPastTheRetention_DeletesItsRecordsAndKeepsItsStatusDocument()
    {
        await using var host = await new RuntimeTestHost(settings: Settings(signalDedupeWindow: "00:00:00")).StartAsync();
        await Cancelled(host, "finished-old");
        await Authorized(host, "live");
        var live = Records(host, "live");
        var old = Records(host, "finished-old");
        host.Time.Advance(TimeSpan.FromDays(20));
        await Cancelled(host, "finished-young");
        var young = Records(host, "finished-young");

        host.Time.Advance(TimeSpan.FromDays(11));

        await Eventually.Holds(() => host.Rows("history", "finished-old") == 0, "the old finished order pruned");
        Records(host, "finished-old").Values.ShouldAllBe(n => n == 0);
        old.Values.ShouldAllBe(n => n > 0);
        Records(host, "finished-young").ShouldBe(young);
        Records(host, "live").ShouldBe(live);
        var document = (await host.Client.GetAsync(OrderId.Parse("finished-old"), CancellationToken.None))!;
        document.State.Status.ShouldBe(PaymentStatus.Cancelled);
        document.State.History.ShouldNotBeEmpty();
    }

    [Fact]
    public async Task Prune_AppliedSignalPastTheDedupeWindow_IsDeletedAndARetryIsDecidedAgainWithoutASecondCapture()
    {
        await using var host = await new RuntimeTestHost(settings: Settings()).StartAsync();
        var order = OrderId.Parse("live");
        await Authorized(host, "live");
        await host.Client.RaiseAsync(order, new FulfillmentSignalled("shipment-1"), "shipment-1", CancellationToken.None);
        await host.WaitForStatus("live", PaymentStatus.Captured);
        var withinWindow = await host.Client.RaiseAsync(order, new FulfillmentSignalled("shipment-1"), "shipment-1", CancellationToken.None);
        var history = host.Rows("history", "live");

        host.Time.Advance(TimeSpan.FromDays(8));

        await Eventually.Holds(() => host.Rows("inbox", "live") == 0, "the old applied signals pruned");
        host.Rows("history", "live").ShouldBe(history);
        withinWindow.ShouldBe(new SignalOutcome(SignalResult.Applied, Repeated: true));
        var afterWindow = await host.Client.RaiseAsync(order, new FulfillmentSignalled("shipment-1"), "shipment-1", CancellationToken.None);
        afterWindow.Result.ShouldBe(SignalResult.Accepted);
        await host.WaitFor("live", s => s.PendingSignals == 0, "the retry applied");
        host.Provider.CallsFor(ActionKind.Capture).ShouldBe(1);
    }

    [Fact]
    public async Task Prune_PendingSignalPastTheDedupeWindow_IsKept()
    {
        await using var host = await new RuntimeTestHost(settings: Settings()).StartAsync();
        await Authorized(host, "live");
        // A signal that cannot be read stays pending (its order is set aside as faulted).
        host.Sql(
            "INSERT INTO inbox (instance_id, dedupe_key, input, received_at) VALUES ('live', 'garbled', 'not json', $at)",
            ("$at", RuntimeTestHost.Start.ToUnixTimeMilliseconds()));
        await host.WaitFor("live", s => s.Fault is not null, "the order faulted");

        host.Time.Advance(TimeSpan.FromDays(8));

        await Eventually.Holds(() => host.Rows("inbox", "live") == 1, "the applied signals pruned");
        host.Sql("SELECT dedupe_key FROM inbox WHERE instance_id = 'live'").ShouldBe("garbled");
    }

    [Fact]
    public async Task PruneBatch_MoreFinishedOrdersThanOneBatch_PrunesABatchPerCallAndNeverAnOrderWithACallOpen()
    {
        var provider = new FakePaymentProvider();
        var time = new ManualTimeProvider(RuntimeTestHost.Start);
        var path = Path.Combine(Path.GetTempPath(), $"orderpayments-prune-{Environment.ProcessId}-{Environment.TickCount64}.db");
        var ids = Enumerable.Range(1, 5).Select(i => $"finished-{i}").ToList();
        try
        {
            await using (var dispatching = await new RuntimeTestHost(provider, path, time: time, settings: Settings()).StartAsync())
            {
                foreach (var id in ids)
                {
                    await Cancelled(dispatching, id);
                }
            }

            await using var host = new RuntimeTestHost(provider, path, dispatcher: false, time: time, settings: new()
            {
                ["Runtime:PruneBatchSize"] = "2",
                ["Runtime:SignalDedupeWindow"] = "00:00:00",
            });
            host.Sql("UPDATE outbox SET completed_at = NULL WHERE instance_id = 'finished-5'");
            var pruner = host.Get<RetentionPruner>();
            var later = RuntimeTestHost.Start.AddDays(31);

            var calls = new[] { await pruner.PruneBatchAsync(later), await pruner.PruneBatchAsync(later), await pruner.PruneBatchAsync(later) };

            calls.ShouldBe([true, true, false]);
            ids.Take(4).ShouldAllBe(id => host.Rows("history", id) == 0);
            host.Rows("history", "finished-5").ShouldBeGreaterThan(0);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(path + suffix);
            }
        }
    }
}
