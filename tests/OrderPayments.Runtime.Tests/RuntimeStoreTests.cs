using Microsoft.Data.Sqlite;
using OrderPayments.Application.Hosting;
using OrderPayments.Application.Workflows;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;
using OrderPayments.Runtime.Storage;

namespace OrderPayments.Runtime.Tests;

/// <summary>Client writes under concurrency (group commit), reference look-ups, host values and schema upgrades.</summary>
public sealed class RuntimeStoreTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("orderpayments-store-");

    [Fact]
    public async Task Start_ManyConcurrently_EveryOrderCommittedOnce()
    {
        await using var host = new RuntimeTestHost(dispatcher: false);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 300).Select(i =>
            Task.Run(() => host.Client.StartAsync(RuntimeTestHost.Request($"bulk-{i}"), CancellationToken.None))));
        var again = await host.Client.StartAsync(RuntimeTestHost.Request("bulk-7"), CancellationToken.None);

        outcomes.ShouldAllBe(o => o.Result == StartResult.Started);
        again.Result.ShouldBe(StartResult.AlreadyStarted);
        (await host.Client.CountByStatusAsync(CancellationToken.None))[PaymentStatus.Creating].ShouldBe(300);
    }

    [Fact]
    public async Task Raise_SameDedupeKeyConcurrently_RecordedOnce()
    {
        await using var host = new RuntimeTestHost(dispatcher: false);
        await host.Client.StartAsync(RuntimeTestHost.Request("order-1"), CancellationToken.None);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ =>
            Task.Run(() => host.Client.RaiseAsync(OrderId.Parse("order-1"), new CancelRequested(), "cancel", CancellationToken.None))));

        outcomes.ShouldAllBe(o => o.Result == SignalResult.Accepted);
        outcomes.Count(o => !o.Repeated).ShouldBe(1);
        (await host.Client.CountPendingSignalsAsync(CancellationToken.None)).ShouldBe(1);
    }

    [Fact]
    public async Task FindByReference_CurrentAttempt_FindsTheOrder()
    {
        await using var host = new RuntimeTestHost(dispatcher: false);
        var long60 = new string('a', 60);
        var started = await host.Client.StartAsync(RuntimeTestHost.Request(long60), CancellationToken.None);

        var found = await host.Client.FindByReferenceAsync(started.Snapshot!.State.Reference, CancellationToken.None);

        found.ShouldBe(OrderId.Parse(long60));
        (await host.Client.FindByReferenceAsync(PaymentReference.Parse("unknown-0001"), CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task FindByReference_AfterANewAttempt_FindsTheOrderByEitherAttempt()
    {
        var provider = new FakePaymentProvider();
        provider.Refuse(ActionKind.Create, "4010");
        await using var host = await new RuntimeTestHost(provider).StartAsync();
        var order = OrderId.Parse("order-1");
        await host.Client.StartAsync(RuntimeTestHost.Request("order-1"), CancellationToken.None);
        await host.WaitForStatus("order-1", PaymentStatus.Failed);

        await host.Client.RaiseAsync(order, new NewAttemptRequested("again"), "attempt:again", CancellationToken.None);
        await host.WaitFor("order-1", s => s.State.Attempt == 2, "the second attempt");

        (await host.Client.FindByReferenceAsync(PaymentReference.For(order, 2), CancellationToken.None)).ShouldBe(order);
        (await host.Client.FindByReferenceAsync(PaymentReference.For(order, 1), CancellationToken.None)).ShouldBe(order);
    }

    [Fact]
    public async Task Step_StateWrittenAsUtf8Bytes_StoredAsTextThatSqlAndTheRuntimeRead()
    {
        await using var host = await new RuntimeTestHost().StartAsync();
        var request = RuntimeTestHost.Request("order-utf8") with { Description = "Bøker fra Tromsø – 2 stk" };
        await host.Client.StartAsync(request, CancellationToken.None);
        await host.WaitForStatus("order-utf8", PaymentStatus.AwaitingCustomer);

        host.Sql("SELECT typeof(state) FROM instances WHERE id = 'order-utf8'").ShouldBe("text");
        host.Sql("SELECT json_extract(state, '$.request.description') FROM instances WHERE id = 'order-utf8'").ShouldBe("Bøker fra Tromsø – 2 stk");
        ((long)host.Sql("SELECT version FROM instances WHERE id = 'order-utf8'")!).ShouldBeGreaterThan(1);
        await using var reopened = new RuntimeTestHost(dispatcher: false, databasePath: host.DatabasePath);
        (await reopened.Client.GetAsync(OrderId.Parse("order-utf8"), CancellationToken.None))!.State.Request.Description.ShouldBe("Bøker fra Tromsø – 2 stk");
    }

    [Fact]
    public async Task HostValues_SetThenRead_SurviveANewStore()
    {
        var path = TempFile("values");
        await using (var host = new RuntimeTestHost(dispatcher: false, databasePath: path))
        {
            await host.Get<IHostValueStore>().SetAsync("name", "first", CancellationToken.None);
            await host.Get<IHostValueStore>().SetAsync("name", "second", CancellationToken.None);
        }

        await using var reopened = new RuntimeTestHost(dispatcher: false, databasePath: path);
        (await reopened.Get<IHostValueStore>().GetAsync("name", CancellationToken.None)).ShouldBe("second");
        (await reopened.Get<IHostValueStore>().GetAsync("other", CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task Open_Version1File_MigratesAndFindsExistingReferences()
    {
        var path = TempFile("v1");
        string reference;
        await using (var writer = new RuntimeTestHost(dispatcher: false, databasePath: path))
        {
            reference = (await writer.Client.StartAsync(RuntimeTestHost.Request("old-order"), CancellationToken.None)).Snapshot!.State.Reference.Value;
        }

        // Make it a version-1 file again: drop what migrations 8 to 2 added.
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=false"))
        {
            connection.Open();
            using var downgrade = connection.CreateCommand();
            downgrade.CommandText =
                $"""
                {OrderReportsTests.DowngradeTo7}
                DROP INDEX ix_inbox_arrival; DROP INDEX ix_outbox_due; ALTER TABLE outbox DROP COLUMN priority;
                CREATE INDEX ix_outbox_due ON outbox (next_attempt_at) WHERE completed_at IS NULL;
                ALTER TABLE inbox DROP COLUMN trace_parent; ALTER TABLE outbox DROP COLUMN trace_parent;
                DROP TABLE event_deliveries; DROP TABLE storefront_events; DROP TABLE notification_endpoints;
                DROP INDEX ix_instances_prunable; DROP INDEX ix_inbox_applied; ALTER TABLE instances DROP COLUMN pruned_at; DROP TABLE step_faults;
                DROP TABLE payment_references; DROP TABLE host_values; PRAGMA user_version = 1;
                """;
            downgrade.ExecuteNonQuery();
        }

        await using var upgraded = new RuntimeTestHost(dispatcher: false, databasePath: path);
        (await upgraded.Client.FindByReferenceAsync(PaymentReference.Parse(reference), CancellationToken.None)).ShouldBe(OrderId.Parse("old-order"));
        (await upgraded.Client.ListFaultsAsync(null, 10, CancellationToken.None)).ShouldBeEmpty();
        RuntimeStore.SchemaVersion.ShouldBe(8);
    }

    [Fact]
    public async Task Open_Version6FileWithDueCalls_MutationsStillComeFirst()
    {
        var path = TempFile("v6");
        var order = OrderId.Parse("v6-order");
        var reference = PaymentReference.For(order, 1);
        var query = new QueryPayment(IdempotencyKey.For(order, 1, KeyOperations.Query, 1), reference);
        var capture = new CapturePayment(IdempotencyKey.For(order, 1, KeyOperations.Capture, 1), reference, new Money(100, Currency.NOK), "ship-1");
        await using (var writer = new RuntimeTestHost(dispatcher: false, databasePath: path))
        {
            using var session = await StoreSession.WriteAsync(writer.Get<RuntimeStore>());
            session.InsertActions("v6-order", PaymentProvider.Vipps, [query], RuntimeTestHost.Start);
            session.InsertActions("v6-order", PaymentProvider.Vipps, [capture], RuntimeTestHost.Start.AddSeconds(1));
            session.Commit();
        }

        // Version 6 had no priority column: its rows are classified from their actions when the file is migrated.
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=false"))
        {
            connection.Open();
            using var downgrade = connection.CreateCommand();
            downgrade.CommandText =
                $"""
                {OrderReportsTests.DowngradeTo7}
                DROP INDEX ix_inbox_arrival; DROP INDEX ix_outbox_due; ALTER TABLE outbox DROP COLUMN priority;
                CREATE INDEX ix_outbox_due ON outbox (next_attempt_at) WHERE completed_at IS NULL; PRAGMA user_version = 6;
                """;
            downgrade.ExecuteNonQuery();
        }

        // The first host's pooled connections still hold the schema it migrated to (another process would not).
        SqliteConnection.ClearAllPools();

        await using var upgraded = new RuntimeTestHost(dispatcher: false, databasePath: path);
        using var read = StoreSession.Read(upgraded.Get<RuntimeStore>());
        read.DueActivities(RuntimeTestHost.Start.AddSeconds(2), 2).Select(a => a.Action).ShouldBe([capture, query]);
    }

    [Fact]
    public async Task DueActivities_RunningCallsAtTheHead_SkipsThemAndFillsTheLimit()
    {
        await using var host = new RuntimeTestHost(dispatcher: false);
        var store = host.Get<RuntimeStore>();
        var running = new System.Collections.Concurrent.ConcurrentDictionary<(string, IdempotencyKey), byte>();
        using (var session = await StoreSession.WriteAsync(store))
        {
            for (var i = 0; i < 5; i++)
            {
                var order = OrderId.Parse($"running-{i}");
                var key = IdempotencyKey.For(order, 1, KeyOperations.Capture, 1);
                session.InsertActions(order.Value, PaymentProvider.Vipps, [new CapturePayment(key, PaymentReference.For(order, 1), new Money(100, Currency.NOK), "ship-1")], RuntimeTestHost.Start.AddSeconds(i));
                if (i < 3)
                {
                    running[(order.Value, key)] = 0;
                }
            }

            session.Commit();
        }

        using var read = StoreSession.Read(store);
        var due = read.DueActivities(RuntimeTestHost.Start.AddSeconds(10), 2, running);

        due.Select(a => a.InstanceId).ShouldBe(["running-3", "running-4"]);
    }

    [Fact]
    public async Task DueActivities_QueriesAndMutationsDue_MutationsComeFirst()
    {
        await using var host = new RuntimeTestHost(dispatcher: false);
        var order = OrderId.Parse("priority-1");
        var reference = PaymentReference.For(order, 1);
        var store = host.Get<RuntimeStore>();
        using (var session = await StoreSession.WriteAsync(store))
        {
            // The query has waited longest; the capture came later.
            session.InsertActions("priority-1", PaymentProvider.Vipps, [new QueryPayment(IdempotencyKey.For(order, 1, KeyOperations.Query, 1), reference)], RuntimeTestHost.Start);
            session.InsertActions("priority-1", PaymentProvider.Vipps, [new CapturePayment(IdempotencyKey.For(order, 1, KeyOperations.Capture, 1), reference, new Money(100, Currency.NOK), "ship-1")], RuntimeTestHost.Start.AddSeconds(1));
            session.Commit();
        }

        using var read = StoreSession.Read(store);
        var due = read.DueActivities(RuntimeTestHost.Start.AddSeconds(2), 1);

        due.ShouldHaveSingleItem().Action.ShouldBeOfType<CapturePayment>();
    }

    [Fact]
    public async Task DueInstances_FaultedOrdersAtTheHead_OrdersBehindThemAreFound()
    {
        await using var host = new RuntimeTestHost(dispatcher: false);
        var store = host.Get<RuntimeStore>();
        var now = RuntimeTestHost.Start;
        using (var session = await StoreSession.WriteAsync(store))
        {
            // Ten orders set aside after failed steps hold the oldest signals (more than the look reads for a batch of two).
            for (var i = 0; i < 10; i++)
            {
                session.InsertSignal($"faulted-{i}", "signal", new WokenUp(), now);
                session.RecordFault($"faulted-{i}", 1, now, now.AddMinutes(5), "InvalidOperationException: broken");
            }

            session.InsertSignal("healthy-1", "signal", new WokenUp(), now);
            session.InsertSignal("healthy-2", "signal", new WokenUp(), now);
            session.Commit();
        }

        using var read = StoreSession.Read(store);
        var (due, _) = read.DueInstances(now, 2);

        due.ShouldBe([("healthy-1", 0), ("healthy-2", 0)]);
    }

    [Fact]
    public async Task DueInstances_OneOrderFillsTheLook_SaysMoreWorkIsLeft()
    {
        await using var host = new RuntimeTestHost(dispatcher: false);
        var store = host.Get<RuntimeStore>();
        var now = RuntimeTestHost.Start;
        using (var session = await StoreSession.WriteAsync(store))
        {
            for (var i = 0; i < 10; i++)
            {
                session.InsertSignal("busy", $"signal-{i}", new WokenUp(), now);
            }

            session.InsertSignal("later", "signal", new WokenUp(), now);
            session.Commit();
        }

        using var read = StoreSession.Read(store);
        var (due, more) = read.DueInstances(now, 2);

        due.ShouldBe([("busy", 0)]);
        more.ShouldBeTrue();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }

    private string TempFile(string name) => Path.Combine(_folder.FullName, $"{name}.db");
}
