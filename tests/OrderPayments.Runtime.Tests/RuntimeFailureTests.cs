using Microsoft.Data.Sqlite;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;
using OrderPayments.Runtime.Storage;

namespace OrderPayments.Runtime.Tests;

public sealed class RuntimeFailureTests
{
    private static readonly OrderId Order = OrderId.Parse("order-1");

    private static async Task<RuntimeTestHost> Authorized(FakePaymentProvider provider, Dictionary<string, string?>? settings = null)
    {
        provider.AutoAuthorize = true;
        var host = await new RuntimeTestHost(provider, settings: settings).StartAsync();
        await host.Client.StartAsync(RuntimeTestHost.Request(), CancellationToken.None);
        var created = await host.WaitForStatus("order-1", PaymentStatus.AwaitingCustomer);
        await host.Client.RaiseAsync(Order, new ProviderNotified(created.State.Reference), "webhook-1", CancellationToken.None);
        await host.WaitForStatus("order-1", PaymentStatus.Authorized);
        return host;
    }

    private static async Task<PendingActivity> Pending(RuntimeTestHost host) =>
        (await host.Client.GetPendingActivitiesAsync(Order, CancellationToken.None)).SingleOrDefault()
        ?? new PendingActivity(new QueryPayment(IdempotencyKey.Parse("none"), PaymentReference.Parse("none-none")), -1, default, null);

    [Fact]
    public async Task Activity_FailingTransiently_IsRetriedWithBackoffAndTheSameKey()
    {
        var provider = new FakePaymentProvider();
        await using var host = await Authorized(provider);
        provider.FailTransiently(ActionKind.Capture, 2);

        await host.Client.RaiseAsync(Order, new FulfillmentSignalled("shipment-1"), "shipment-1", CancellationToken.None);
        await Eventually.Holds(async () => (await Pending(host)).Attempts == 1, "first attempt recorded");
        var pending = await Pending(host);
        host.Time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.Holds(async () => (await Pending(host)).Attempts == 2, "second attempt recorded, 1 s later");
        host.Time.Advance(TimeSpan.FromSeconds(2));
        await host.WaitForStatus("order-1", PaymentStatus.Captured);

        pending.Attempts.ShouldBe(1);
        pending.LastError.ShouldBe("Service unavailable");
        pending.NextAttemptAt.ShouldBe(RuntimeTestHost.Start.AddSeconds(1));
        provider.Calls.OfType<CapturePayment>().Select(c => c.Key).Distinct().ShouldHaveSingleItem();
        provider.Applied.Where(p => p.Key.Value.Contains("capture", StringComparison.Ordinal)).ShouldHaveSingleItem().Value.ShouldBe(1);
    }

    [Fact]
    public async Task Activity_RefusedPermanently_ReachesTheWorkflowAsAProblem()
    {
        var provider = new FakePaymentProvider();
        await using var host = await Authorized(provider);
        provider.Refuse(ActionKind.Capture, "6090");

        await host.Client.RaiseAsync(Order, new FulfillmentSignalled("shipment-1"), "shipment-1", CancellationToken.None);
        var snapshot = await host.WaitFor("order-1", s => s.State.NeedsAttention, "needs attention");

        snapshot.State.Problems.ShouldHaveSingleItem().ErrorCode.ShouldBe("6090");
        (await host.Client.GetPendingActivitiesAsync(Order, CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Query_FailingTransientlyTooOften_IsReportedToTheWorkflow()
    {
        var provider = new FakePaymentProvider();
        await using var host = await new RuntimeTestHost(provider, settings: new() { ["ActivityRetry:MaxQueryAttempts"] = "2" }).StartAsync();
        await host.Client.StartAsync(RuntimeTestHost.Request(), CancellationToken.None);
        var created = await host.WaitForStatus("order-1", PaymentStatus.AwaitingCustomer);
        provider.FailTransiently(ActionKind.Query, 5);

        await host.Client.RaiseAsync(Order, new ProviderNotified(created.State.Reference), "webhook-1", CancellationToken.None);
        await Eventually.Holds(async () => (await Pending(host)).Attempts == 1, "first query failure recorded");
        host.Time.Advance(TimeSpan.FromSeconds(1));
        var snapshot = await host.WaitFor("order-1", s => s.State.Problems.Count > 0, "query given up");

        snapshot.State.Problems.ShouldHaveSingleItem().ErrorCode.ShouldBe("retries-exhausted");
        snapshot.State.NeedsAttention.ShouldBeFalse("a read is tried again by the next poll or hint");
    }

    [Fact]
    public async Task TwoDispatchers_OnOneFile_OnlyOneDispatchesAndEachCaptureHappensOnce()
    {
        var provider = new FakePaymentProvider { AutoAuthorize = true };
        await using var first = await new RuntimeTestHost(provider).StartAsync();
        await using var second = await new RuntimeTestHost(provider, first.DatabasePath, time: first.Time).StartAsync();
        var orders = Enumerable.Range(1, 20).Select(i => $"order-{i}").ToList();

        foreach (var id in orders)
        {
            await first.Client.StartAsync(RuntimeTestHost.Request(id), CancellationToken.None);
        }

        // Signals written through one host's client reach whichever host dispatches, through the file.
        foreach (var id in orders)
        {
            var created = await first.WaitForStatus(id, PaymentStatus.AwaitingCustomer);
            await second.Client.RaiseAsync(OrderId.Parse(id), new ProviderNotified(created.State.Reference), "hint", CancellationToken.None);
        }

        foreach (var id in orders)
        {
            await first.WaitForStatus(id, PaymentStatus.Authorized);
            await second.Client.RaiseAsync(OrderId.Parse(id), new FulfillmentSignalled("s-1"), "s-1", CancellationToken.None);
        }

        foreach (var id in orders)
        {
            await first.WaitForStatus(id, PaymentStatus.Captured);
        }

        new[] { first.Dispatcher.StepsCommitted, second.Dispatcher.StepsCommitted }.Count(n => n > 0).ShouldBe(1);
        provider.Applied.Where(p => p.Key.Value.Contains("capture", StringComparison.Ordinal)).Count().ShouldBe(orders.Count);
        provider.Applied.Values.ShouldAllBe(n => n == 1);
    }

    [Fact]
    public async Task UpdateInstance_StaleVersion_ThrowsAndWritesNothing()
    {
        await using var host = new RuntimeTestHost(dispatcher: false);
        await host.Client.StartAsync(RuntimeTestHost.Request(), CancellationToken.None);
        var store = host.Get<RuntimeStore>();

        using (var session = await StoreSession.WriteAsync(store))
        {
            var row = session.LoadInstance("order-1")!;
            Should.Throw<System.Data.DBConcurrencyException>(() => session.UpdateInstance(row.State with { CancelRequested = true }, row.State, row.Version + 1, row.Version + 2, RuntimeTestHost.Start));
        }

        (await host.Client.GetAsync(Order, CancellationToken.None))!.State.CancelRequested.ShouldBeFalse();
    }

    [Fact]
    public async Task Store_FileFromANewerVersion_IsRefusedWithAClearMessage()
    {
        await using var host = new RuntimeTestHost(dispatcher: false);
        await host.Client.StartAsync(RuntimeTestHost.Request(), CancellationToken.None);
        using (var connection = new SqliteConnection($"Data Source={host.DatabasePath}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 99;";
            command.ExecuteNonQuery();
        }

        var fresh = new RuntimeStore(Microsoft.Extensions.Options.Options.Create(new RuntimeOptions { DatabasePath = host.DatabasePath }));

        Should.Throw<InvalidOperationException>(() => fresh.Open().Dispose()).Message.ShouldContain("schema version 99");
    }
}
