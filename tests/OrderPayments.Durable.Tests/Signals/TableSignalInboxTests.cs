using Azure.Data.Tables;
using OrderPayments.Application.Workflows;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;
using OrderPayments.Durable.Signals;

namespace OrderPayments.Durable.Tests.Signals;

/// <summary>The signal inbox on a real table (Azurite): a place per signal in the order admitted, recorded once per key, drained in order, closed atomically.</summary>
public sealed class TableSignalInboxTests(Azurite azurite) : IClassFixture<Azurite>
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private TableSignalInbox CreateSut() =>
        new(new TableClient(azurite.ConnectionString, "inbox" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6))));

    private static async Task<(InboxAddResult Result, long Sequence)> AddAsync(TableSignalInbox inbox, string orderId, string shipmentId)
    {
        var view = await inbox.ReadAsync(orderId, $"shipment:{shipmentId}", CancellationToken.None);
        return await inbox.AddAsync(orderId, view, $"shipment:{shipmentId}", new FulfillmentSignalled(shipmentId), Now, CancellationToken.None);
    }

    [Fact]
    public async Task Add_SignalsInTurn_GetConsecutivePlaces()
    {
        var inbox = CreateSut();
        await inbox.OpenAsync("order-1", CancellationToken.None);

        var places = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            places.Add((await AddAsync(inbox, "order-1", $"s-{i}")).Sequence);
        }

        places.ShouldBe([1L, 2L, 3L]);
    }

    [Fact]
    public async Task Add_SameKeyTwice_RecordsItOnceAndFindsItsOutcomeOnceApplied()
    {
        var inbox = CreateSut();
        await inbox.OpenAsync("order-1", CancellationToken.None);

        (await AddAsync(inbox, "order-1", "s-1")).Result.ShouldBe(InboxAddResult.Added);
        var again = await AddAsync(inbox, "order-1", "s-1");
        await inbox.RecordAsync("order-1", [new AppliedSignal("shipment:s-1", InputOutcome.Rejected, new InputRejection(RejectionReason.NotAuthorized, "not yet"))], CancellationToken.None);
        var found = (await inbox.ReadAsync("order-1", "shipment:s-1", CancellationToken.None)).Recorded;

        again.Result.ShouldBe(InboxAddResult.Duplicate);
        found!.Outcome.ShouldBe(InputOutcome.Rejected);
        found.Rejection!.Reason.ShouldBe(RejectionReason.NotAuthorized);
    }

    [Fact]
    public async Task Add_AfterAnotherSignalSinceTheRead_IsContendedAndRecordsNothing()
    {
        var inbox = CreateSut();
        await inbox.OpenAsync("order-1", CancellationToken.None);
        var stale = await inbox.ReadAsync("order-1", "shipment:late", CancellationToken.None);

        await AddAsync(inbox, "order-1", "early");
        var late = await inbox.AddAsync("order-1", stale, "shipment:late", new FulfillmentSignalled("late"), Now, CancellationToken.None);

        late.Result.ShouldBe(InboxAddResult.Contended, "admitted against an inbox that changed since: the door admits it again");
        (await inbox.ReadAsync("order-1", null, CancellationToken.None)).Pending.Select(p => p.DedupeKey).ShouldBe(["shipment:early"]);
    }

    [Fact]
    public async Task Drain_ManySignals_AnswersThemInTheOrderRecordedAndNotAgainOnceApplied()
    {
        var inbox = CreateSut();
        await inbox.OpenAsync("order-1", CancellationToken.None);
        for (var i = 0; i < 5; i++)
        {
            await AddAsync(inbox, "order-1", $"s-{i}");
        }

        var first = await inbox.DrainAsync("order-1", 0, close: false, CancellationToken.None);
        await inbox.RecordAsync("order-1", [.. first.Pending.Take(3).Select(p => new AppliedSignal(p.DedupeKey, InputOutcome.Applied, null, p.Sequence))], CancellationToken.None);
        var second = await inbox.DrainAsync("order-1", 0, close: false, CancellationToken.None);
        var after = await inbox.DrainAsync("order-1", 4, close: false, CancellationToken.None);

        first.Pending.Select(p => p.DedupeKey).ShouldBe(Enumerable.Range(0, 5).Select(i => $"shipment:s-{i}"));
        second.Pending.Select(p => p.Sequence).ShouldBe([4L, 5L]);
        after.Pending.Select(p => p.Sequence).ShouldBe([5L], "only the signals after the last one applied");
        (await inbox.CountPendingAsync("order-1", 4, CancellationToken.None)).ShouldBe(1);
    }

    [Fact]
    public async Task CountPending_NothingRecordedAfterTheLastApplied_IsZeroAndOneMoreCounts()
    {
        var inbox = CreateSut();
        await inbox.OpenAsync("order-1", CancellationToken.None);
        await AddAsync(inbox, "order-1", "s-1");
        await AddAsync(inbox, "order-1", "s-2");
        var drained = await inbox.DrainAsync("order-1", 0, close: false, CancellationToken.None);
        await inbox.RecordAsync("order-1", [.. drained.Pending.Select(p => new AppliedSignal(p.DedupeKey, InputOutcome.Applied, null, p.Sequence))], CancellationToken.None);

        var none = await inbox.CountPendingAsync("order-1", 2, CancellationToken.None);
        await AddAsync(inbox, "order-1", "s-3");
        var one = await inbox.CountPendingAsync("order-1", 2, CancellationToken.None);

        none.ShouldBe(0);
        one.ShouldBe(1);
        (await inbox.CountPendingAsync("order-1", 0, CancellationToken.None)).ShouldBe(1, "the applied ones are not pending, whatever sequence is given");
        (await inbox.CountPendingAsync("order-2", 0, CancellationToken.None)).ShouldBe(0, "an order without an inbox has none");
    }

    [Fact]
    public async Task Close_WithASignalLeft_AnswersItAndStaysOpen()
    {
        var inbox = CreateSut();
        await inbox.OpenAsync("order-1", CancellationToken.None);
        await AddAsync(inbox, "order-1", "s-1");

        var closing = await inbox.DrainAsync("order-1", 0, close: true, CancellationToken.None);

        closing.Closed.ShouldBeFalse();
        closing.Pending.ShouldHaveSingleItem();
        (await AddAsync(inbox, "order-1", "s-2")).Result.ShouldBe(InboxAddResult.Added);
    }

    [Fact]
    public async Task Add_AfterTheClose_IsClosedAndAbsorbedAsApplied()
    {
        var inbox = CreateSut();
        await inbox.OpenAsync("order-1", CancellationToken.None);

        (await inbox.DrainAsync("order-1", 0, close: true, CancellationToken.None)).Closed.ShouldBeTrue();
        var late = await AddAsync(inbox, "order-1", "late");
        await inbox.AbsorbAsync("order-1", "shipment:late", new FulfillmentSignalled("late"), InputOutcome.Unchanged, Now, CancellationToken.None);

        late.Result.ShouldBe(InboxAddResult.Closed);
        (await inbox.DrainAsync("order-1", 0, close: false, CancellationToken.None)).Pending.ShouldBeEmpty();
        (await inbox.ReadAsync("order-1", "shipment:late", CancellationToken.None)).Recorded!.Outcome.ShouldBe(InputOutcome.Unchanged);
    }

    [Fact]
    public async Task Add_ConcurrentlyWithTheClose_EitherClosedOrDrainedNeverLost()
    {
        var inbox = CreateSut();
        for (var round = 0; round < 20; round++)
        {
            var order = $"race-{round}";
            await inbox.OpenAsync(order, CancellationToken.None);
            var add = AddAsync(inbox, order, "s-1");
            var close = inbox.DrainAsync(order, 0, close: true, CancellationToken.None);
            await Task.WhenAll(add, close);

            switch ((await add).Result)
            {
                case InboxAddResult.Added:
                    // Added before the close: the close saw it (or failed and drained it) instead of closing over it.
                    (await close).Closed.ShouldBeFalse($"round {round}: an accepted signal must be drained, not closed over");
                    (await close).Pending.ShouldHaveSingleItem();
                    break;
                case InboxAddResult.Contended:
                    // Read before the close, added after: the door reads again and finds the inbox closed.
                    (await close).Closed.ShouldBeTrue();
                    (await AddAsync(inbox, order, "s-1")).Result.ShouldBe(InboxAddResult.Closed);
                    break;
                default:
                    (await add).Result.ShouldBe(InboxAddResult.Closed);
                    (await close).Closed.ShouldBeTrue();
                    break;
            }
        }
    }

    [Fact]
    public async Task Purge_KeepsOnlyTheClosedMarker()
    {
        var inbox = CreateSut();
        await inbox.OpenAsync("order-1", CancellationToken.None);
        await AddAsync(inbox, "order-1", "s-1");
        await inbox.RecordAsync("order-1", [new AppliedSignal("shipment:s-1", InputOutcome.Applied)], CancellationToken.None);
        await inbox.DrainAsync("order-1", 1, close: true, CancellationToken.None);

        await inbox.PurgeAsync("order-1", CancellationToken.None);

        var view = await inbox.ReadAsync("order-1", "shipment:s-1", CancellationToken.None);
        (view.Closed, view.Open, view.Recorded, view.Pending.Count).ShouldBe((true, null, null, 0));
    }

    [Fact]
    public async Task Door_OverTheTableInbox_RepeatAfterTheEndGetsItsRecordedOutcome()
    {
        var inbox = CreateSut();
        var orderId = OrderId.Parse("order-1");
        await inbox.OpenAsync("order-1", CancellationToken.None);
        var door = new SignalDoor(new OrderPaymentWorkflow(new WorkflowOptions()), new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Now));
        var state = new OrderPaymentWorkflow(new WorkflowOptions()).Start(Orchestration.OrchestrationHarness.Order(), Now).State;
        var cancel = await door.RaiseAsync(inbox.Doorway(orderId), _ => ValueTask.FromResult<OrderPaymentState?>(state), orderId, new CancelRequested(null), "cancel-1", CancellationToken.None);
        await inbox.RecordAsync("order-1", [new AppliedSignal("cancel-1", InputOutcome.Applied, null, 1)], CancellationToken.None);
        await inbox.DrainAsync("order-1", 1, close: true, CancellationToken.None);
        var ended = state with { Status = PaymentStatus.Cancelled, CancelRequested = true };

        var repeat = await door.RaiseAsync(inbox.Doorway(orderId), _ => ValueTask.FromResult<OrderPaymentState?>(ended), orderId, new CancelRequested(null), "cancel-1", CancellationToken.None);

        cancel.ShouldBe(new SignalOutcome(SignalResult.Accepted));
        repeat.ShouldBe(new SignalOutcome(SignalResult.Applied, Repeated: true));
    }
}
