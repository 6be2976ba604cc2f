using Azure.Data.Tables;
using OrderPayments.Domain.Workflow;
using OrderPayments.Functions.Signals;

namespace OrderPayments.Functions.Tests.Signals;

/// <summary>The signal inbox on a real table (Azurite): recorded once per key, drained in order, closed atomically.</summary>
public sealed class TableSignalInboxTests(Azurite azurite) : IClassFixture<Azurite>
{
    private TableSignalInbox CreateSut() =>
        new(new TableClient(azurite.ConnectionString, "inbox" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6))));

    private static SignalEnvelope Shipment(string id) => new(new FulfillmentSignalled(id), $"shipment:{id}");

    [Fact]
    public async Task Add_SameKeyTwice_RecordsItOnceAndAnswersItsOutcomeOnceApplied()
    {
        var inbox = CreateSut();
        await inbox.OpenAsync("order-1", CancellationToken.None);

        (await inbox.AddAsync("order-1", Shipment("s-1"), CancellationToken.None)).Result.ShouldBe(InboxAddResult.Added);
        var again = await inbox.AddAsync("order-1", Shipment("s-1"), CancellationToken.None);
        var drained = await inbox.DrainAsync(new DrainRequest("order-1", []), CancellationToken.None);
        await inbox.DrainAsync(new DrainRequest("order-1", [new AppliedSignal("shipment:s-1", InputOutcome.Rejected, new InputRejection(RejectionReason.NotAuthorized, "not yet"))]), CancellationToken.None);
        var afterApplied = await inbox.AddAsync("order-1", Shipment("s-1"), CancellationToken.None);

        again.ShouldBe(new InboxAdd(InboxAddResult.Duplicate));
        drained.Pending.ShouldHaveSingleItem().DedupeKey.ShouldBe("shipment:s-1");
        afterApplied.Result.ShouldBe(InboxAddResult.Duplicate);
        afterApplied.Applied!.Outcome.ShouldBe(InputOutcome.Rejected);
        afterApplied.Applied.Rejection!.Reason.ShouldBe(RejectionReason.NotAuthorized);
    }

    [Fact]
    public async Task Drain_ManySignals_AnswersThemInTheOrderRecordedAndNotAgainOnceApplied()
    {
        var inbox = CreateSut();
        await inbox.OpenAsync("order-1", CancellationToken.None);
        for (var i = 0; i < 5; i++)
        {
            await inbox.AddAsync("order-1", Shipment($"s-{i}"), CancellationToken.None);
        }

        var first = await inbox.DrainAsync(new DrainRequest("order-1", []), CancellationToken.None);
        var second = await inbox.DrainAsync(new DrainRequest("order-1", [.. first.Pending.Select(p => new AppliedSignal(p.DedupeKey, InputOutcome.Applied))]), CancellationToken.None);

        first.Pending.Select(p => p.DedupeKey).ShouldBe(Enumerable.Range(0, 5).Select(i => $"shipment:s-{i}"));
        second.Pending.ShouldBeEmpty();
    }

    [Fact]
    public async Task Close_WithASignalLeft_AnswersItAndStaysOpen()
    {
        var inbox = CreateSut();
        await inbox.OpenAsync("order-1", CancellationToken.None);
        await inbox.AddAsync("order-1", Shipment("s-1"), CancellationToken.None);

        var closing = await inbox.DrainAsync(new DrainRequest("order-1", [], Close: true), CancellationToken.None);

        closing.Closed.ShouldBeFalse();
        closing.Pending.ShouldHaveSingleItem();
        (await inbox.AddAsync("order-1", Shipment("s-2"), CancellationToken.None)).Result.ShouldBe(InboxAddResult.Added);
    }

    [Fact]
    public async Task Add_AfterTheClose_IsRefusedAndNeverDrained()
    {
        var inbox = CreateSut();
        await inbox.OpenAsync("order-1", CancellationToken.None);

        (await inbox.DrainAsync(new DrainRequest("order-1", [], Close: true), CancellationToken.None)).Closed.ShouldBeTrue();
        await inbox.OpenAsync("order-1", CancellationToken.None);
        var late = await inbox.AddAsync("order-1", Shipment("late"), CancellationToken.None);

        late.Result.ShouldBe(InboxAddResult.Closed);
        (await inbox.DrainAsync(new DrainRequest("order-1", []), CancellationToken.None)).Pending.ShouldBeEmpty();
    }

    [Fact]
    public async Task Add_ConcurrentlyWithTheClose_EitherRefusedOrDrainedNeverLost()
    {
        var inbox = CreateSut();
        for (var round = 0; round < 20; round++)
        {
            var order = $"race-{round}";
            await inbox.OpenAsync(order, CancellationToken.None);
            var add = inbox.AddAsync(order, Shipment("s-1"), CancellationToken.None);
            var close = inbox.DrainAsync(new DrainRequest(order, [], Close: true), CancellationToken.None);
            await Task.WhenAll(add, close);

            if ((await add).Result == InboxAddResult.Added)
            {
                // Added before the close: the close saw it (or failed and drained it) instead of closing over it.
                var drained = (await close).Closed ? [] : (await close).Pending;
                drained.ShouldHaveSingleItem($"round {round}: an accepted signal must be drained, not closed over");
            }
            else
            {
                (await add).Result.ShouldBe(InboxAddResult.Closed);
                (await close).Closed.ShouldBeTrue();
            }
        }
    }
}
