using OrderPayments.Application.Workflows;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Runtime.Tests;

public sealed class RuntimeLifecycleTests
{
    private static readonly OrderId Order = OrderId.Parse("order-1");

    [Fact]
    public async Task Order_FromStartToCapture_RunsEveryProviderCallOnceWithTheWorkflowsKeys()
    {
        await using var host = await new RuntimeTestHost().StartAsync();

        (await host.Client.StartAsync(RuntimeTestHost.Request(), CancellationToken.None)).Result.ShouldBe(StartResult.Started);
        var created = await host.WaitForStatus("order-1", PaymentStatus.AwaitingCustomer);
        host.Provider.Approve(created.State.Reference);
        (await host.Client.RaiseAsync(Order, new ProviderNotified(created.State.Reference, "AUTHORIZED"), "webhook-1", CancellationToken.None)).Result.ShouldBe(SignalResult.Accepted);
        await host.WaitForStatus("order-1", PaymentStatus.Authorized);
        (await host.Client.RaiseAsync(Order, new FulfillmentSignalled("shipment-1"), "shipment-1", CancellationToken.None)).Result.ShouldBe(SignalResult.Accepted);
        var captured = await host.WaitForStatus("order-1", PaymentStatus.Captured);

        created.State.RedirectUrl.ShouldBe("https://landing.example/order-1-1");
        captured.State.Aggregate.Captured.Value.ShouldBe(1000);
        host.Provider.Applied.Keys.Select(k => k.Value).ShouldBe(["order-1-1-create-1", "order-1-1-capture-1"], ignoreOrder: true);
        host.Provider.Applied.Values.ShouldAllBe(n => n == 1);
    }

    [Fact]
    public async Task RaiseAsync_DispatcherRunningHere_SignalIsAppliedByTheCommitThatRecordsIt()
    {
        await using var host = await new RuntimeTestHost().StartAsync();
        await host.Client.StartAsync(RuntimeTestHost.Request(), CancellationToken.None);
        var created = await host.WaitForStatus("order-1", PaymentStatus.AwaitingCustomer);
        await host.Quiesce();
        var before = (await host.Client.GetAsync(Order, CancellationToken.None))!;

        (await host.Client.RaiseAsync(Order, new ProviderNotified(created.State.Reference, "AUTHORIZED"), "webhook-1", CancellationToken.None)).Result.ShouldBe(SignalResult.Accepted);

        // No wait: the dispatcher took the write into its transaction and stepped the order before committing.
        var after = (await host.Client.GetAsync(Order, CancellationToken.None))!;
        after.PendingSignals.ShouldBe(0);
        after.Version.ShouldBeGreaterThan(before.Version);
    }

    [Fact]
    public async Task StartAsync_OnAProcessWithoutTheLease_IsCommittedThereAndDispatchedByTheOwner()
    {
        await using var owner = await new RuntimeTestHost().StartAsync();
        await owner.Client.StartAsync(RuntimeTestHost.Request("owned-1"), CancellationToken.None);
        await owner.WaitForStatus("owned-1", PaymentStatus.AwaitingCustomer);
        await using var other = await new RuntimeTestHost(databasePath: owner.DatabasePath).StartAsync();

        // The other process's dispatcher finds the lease held: it still writes its clients' starts, in its own commits.
        (await other.Client.StartAsync(RuntimeTestHost.Request("elsewhere-1"), CancellationToken.None)).Result.ShouldBe(StartResult.Started);

        await owner.WaitForStatus("elsewhere-1", PaymentStatus.AwaitingCustomer);
        other.Provider.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task Timer_FirstPoll_FiresWhenTheClockReachesIt()
    {
        await using var host = await new RuntimeTestHost().StartAsync();
        await host.Client.StartAsync(RuntimeTestHost.Request(), CancellationToken.None);
        await host.WaitForStatus("order-1", PaymentStatus.AwaitingCustomer);

        host.Time.Advance(TimeSpan.FromSeconds(4.9));
        await host.Quiesce();
        host.Provider.CallsFor(ActionKind.Query).ShouldBe(0);
        host.Time.Advance(TimeSpan.FromSeconds(0.1));

        await host.WaitFor("order-1", s => s.State.History.Any(h => h.Text.StartsWith("Succeeded order-1-1-query-1", StringComparison.Ordinal)), "polled");
        host.Provider.CallsFor(ActionKind.Query).ShouldBe(1);
    }

    [Fact]
    public async Task Timer_AuthorizationDeadline_CancelsOnlyIfNotAuthorizedAndEndsUnpaid()
    {
        await using var host = await new RuntimeTestHost().StartAsync();
        await host.Client.StartAsync(RuntimeTestHost.Request(), CancellationToken.None);
        await host.WaitForStatus("order-1", PaymentStatus.AwaitingCustomer);

        host.Time.Advance(TimeSpan.FromMinutes(12));

        await host.WaitForStatus("order-1", PaymentStatus.Unpaid);
        host.Provider.Calls.OfType<CancelPayment>().ShouldHaveSingleItem().CancelTransactionOnly.ShouldBeTrue();
    }

    [Fact]
    public async Task Signal_RecordedBeforeTheDispatcherRuns_IsKeptAndAppliedInOrder()
    {
        var provider = new FakePaymentProvider();
        await using var clientOnly = new RuntimeTestHost(provider, dispatcher: false);
        await clientOnly.Client.StartAsync(RuntimeTestHost.Request(), CancellationToken.None);
        (await clientOnly.Client.RaiseAsync(Order, new CancelRequested("changed my mind"), "cancel-1", CancellationToken.None)).Result.ShouldBe(SignalResult.Accepted);
        (await clientOnly.Client.GetAsync(Order, CancellationToken.None))!.PendingSignals.ShouldBe(1);

        await using var dispatching = await new RuntimeTestHost(provider, clientOnly.DatabasePath, time: clientOnly.Time).StartAsync();

        await dispatching.WaitForStatus("order-1", PaymentStatus.Cancelled);
        provider.Calls.OfType<CancelPayment>().ShouldHaveSingleItem().CancelTransactionOnly.ShouldBeTrue();
    }

    [Fact]
    public async Task Signal_SameDedupeKeyTwice_IsRecordedAndAppliedOnce()
    {
        var provider = new FakePaymentProvider { AutoAuthorize = true };
        await using var host = await new RuntimeTestHost(provider).StartAsync();
        await host.Client.StartAsync(RuntimeTestHost.Request(), CancellationToken.None);
        var created = await host.WaitForStatus("order-1", PaymentStatus.AwaitingCustomer);
        await host.Client.RaiseAsync(Order, new ProviderNotified(created.State.Reference), "webhook-1", CancellationToken.None);
        await host.WaitForStatus("order-1", PaymentStatus.Authorized);

        var first = await host.Client.RaiseAsync(Order, new FulfillmentSignalled("shipment-1", new Money(400, Currency.NOK)), "shipment-1", CancellationToken.None);
        var second = await host.Client.RaiseAsync(Order, new FulfillmentSignalled("shipment-1", new Money(400, Currency.NOK)), "shipment-1", CancellationToken.None);
        await host.WaitFor("order-1", s => s.State.Aggregate.Captured.Value == 400 && s.PendingSignals == 0, "captured 400");
        var third = await host.Client.RaiseAsync(Order, new FulfillmentSignalled("shipment-1", new Money(400, Currency.NOK)), "shipment-1", CancellationToken.None);

        first.ShouldBe(new SignalOutcome(SignalResult.Accepted));
        // Answered with the first one's outcome: accepted while it waits, applied if the dispatcher was quicker.
        second.Repeated.ShouldBeTrue();
        second.Result.ShouldBeOneOf(SignalResult.Accepted, SignalResult.Applied);
        third.ShouldBe(new SignalOutcome(SignalResult.Applied, Repeated: true));
        host.Provider.CallsFor(ActionKind.Capture).ShouldBe(1);
    }

    [Fact]
    public async Task Signal_TheStateRefuses_IsRejectedAtOnceAndNotRecorded()
    {
        await using var host = await new RuntimeTestHost().StartAsync();
        await host.Client.StartAsync(RuntimeTestHost.Request(), CancellationToken.None);
        await host.WaitForStatus("order-1", PaymentStatus.AwaitingCustomer);

        var outcome = await host.Client.RaiseAsync(Order, new FulfillmentSignalled("shipment-1"), "shipment-1", CancellationToken.None);

        outcome.Result.ShouldBe(SignalResult.Rejected);
        outcome.Rejection!.Reason.ShouldBe(RejectionReason.NotAuthorized);
        (await host.Client.GetAsync(Order, CancellationToken.None))!.PendingSignals.ShouldBe(0);
    }

    [Fact]
    public async Task Issue15_ShipmentAcceptedThenRefusedWhenApplied_TheOrderShowsItAndEveryRetryGetsTheSameRefusal()
    {
        // Recorded a second before the fulfillment deadline, applied a second after it (the dispatcher was down).
        var path = Path.Combine(Path.GetTempPath(), $"orderpayments-issue15-{Environment.ProcessId}-{Environment.TickCount64}.db");
        var provider = new FakePaymentProvider { AutoAuthorize = true };
        try
        {
            DateTimeOffset deadline;
            await using (var first = await new RuntimeTestHost(provider, path).StartAsync())
            {
                await first.Client.StartAsync(RuntimeTestHost.Request(), CancellationToken.None);
                var created = await first.WaitForStatus("order-1", PaymentStatus.AwaitingCustomer);
                await first.Client.RaiseAsync(Order, new ProviderNotified(created.State.Reference), "webhook-1", CancellationToken.None);
                deadline = (await first.WaitForStatus("order-1", PaymentStatus.Authorized)).State.FulfillmentDeadline!.Value;
            }

            SignalOutcome accepted;
            await using (var recorder = new RuntimeTestHost(provider, path, dispatcher: false, time: new ManualTimeProvider(deadline.AddSeconds(-1))))
            {
                accepted = await recorder.Client.RaiseAsync(Order, new FulfillmentSignalled("shipment-1"), "shipment:shipment-1:rest", CancellationToken.None);
            }

            await using var later = await new RuntimeTestHost(provider, path, time: new ManualTimeProvider(deadline.AddSeconds(1))).StartAsync();
            var applied = await later.WaitFor("order-1", s => s.State.Shipments.Count == 1 && s.PendingSignals == 0, "the shipment applied");
            var retry = await later.Client.RaiseAsync(Order, new FulfillmentSignalled("shipment-1"), "shipment:shipment-1:rest", CancellationToken.None);

            accepted.ShouldBe(new SignalOutcome(SignalResult.Accepted));
            var shipment = applied.State.Shipments.ShouldHaveSingleItem();
            shipment.Outcome.ShouldBe(OperationOutcome.Rejected);
            shipment.Rejection!.Reason.ShouldBe(RejectionReason.NotAllowed);
            retry.ShouldBe(new SignalOutcome(SignalResult.Rejected, shipment.Rejection, Repeated: true));
            provider.CallsFor(ActionKind.Capture).ShouldBe(0);
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

    [Fact]
    public async Task Signal_ForAnUnknownOrder_IsNotFound()
    {
        await using var host = new RuntimeTestHost(dispatcher: false);

        (await host.Client.RaiseAsync(OrderId.Parse("nope"), new CancelRequested(), "c", CancellationToken.None)).Result.ShouldBe(SignalResult.NotFound);
    }

    [Fact]
    public async Task Start_SameRequestTwice_IsIdempotent()
    {
        await using var host = new RuntimeTestHost(dispatcher: false);
        await host.Client.StartAsync(RuntimeTestHost.Request(), CancellationToken.None);

        var again = await host.Client.StartAsync(RuntimeTestHost.Request(), CancellationToken.None);

        again.Result.ShouldBe(StartResult.AlreadyStarted);
        again.Snapshot!.Version.ShouldBe(1);
    }

    [Fact]
    public async Task Start_DifferentRequestForAnExistingOrder_IsAConflictNamingTheStatus()
    {
        await using var host = new RuntimeTestHost(dispatcher: false);
        await host.Client.StartAsync(RuntimeTestHost.Request(), CancellationToken.None);

        var conflict = await host.Client.StartAsync(RuntimeTestHost.Request(amount: 2000), CancellationToken.None);

        conflict.Result.ShouldBe(StartResult.Conflict);
        conflict.Errors.ShouldHaveSingleItem().Message.ShouldContain("status Creating");
    }

    [Fact]
    public async Task Start_InvalidRequest_IsRefusedWithTheFields()
    {
        await using var host = new RuntimeTestHost(dispatcher: false);

        var outcome = await host.Client.StartAsync(RuntimeTestHost.Request(amount: 0), CancellationToken.None);

        outcome.Result.ShouldBe(StartResult.Invalid);
        outcome.Errors.ShouldHaveSingleItem().Field.ShouldBe("amount");
        (await host.Client.GetAsync(Order, CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task List_ByStatus_PagesInOrderIdOrder()
    {
        await using var host = new RuntimeTestHost(dispatcher: false);
        foreach (var id in new[] { "c-3", "a-1", "b-2" })
        {
            await host.Client.StartAsync(RuntimeTestHost.Request(id), CancellationToken.None);
        }

        var first = await host.Client.ListAsync(PaymentStatus.Creating, null, 2, CancellationToken.None);
        var next = await host.Client.ListAsync(PaymentStatus.Creating, first[^1].State.OrderId, 2, CancellationToken.None);

        first.Select(s => s.State.OrderId.Value).ShouldBe(["a-1", "b-2"]);
        next.Select(s => s.State.OrderId.Value).ShouldBe(["c-3"]);
        (await host.Client.ListAsync(PaymentStatus.Captured, null, 10, CancellationToken.None)).ShouldBeEmpty();
    }
}
