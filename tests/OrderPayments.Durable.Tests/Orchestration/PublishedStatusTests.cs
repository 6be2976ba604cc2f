using System.Text.Json;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;
using OrderPayments.Durable.Orchestration;

namespace OrderPayments.Durable.Tests.Orchestration;

/// <summary>The custom status the orchestration publishes: within its bound for any order, whole where it counts.</summary>
public sealed class PublishedStatusTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Create_SmallOrder_PublishesTheWholeState()
    {
        var state = Order(shipments: 3);

        var (json, trimmed) = PublishedStatus.Fit(state, 7, Now, 3);

        trimmed.ShouldBeFalse();
        PublishedStatus.FromJson(json).State!.Shipments.Count.ShouldBe(3);
    }

    [Theory]
    [InlineData(100, 0, 0)]
    [InlineData(500, 300, 0)]
    [InlineData(800, 200, 400)]
    public void Create_HundredsOfEntries_StaysWithinTheBoundWithTheNewestEntriesAndWholeAmounts(int shipments, int refunds, int history)
    {
        var state = Order(shipments, refunds, history);

        var (json, trimmed) = PublishedStatus.Fit(state, 42, Now, 9);

        trimmed.ShouldBeTrue();
        JsonSerializer.Serialize(json).Length.ShouldBeLessThanOrEqualTo(PublishedStatus.MaxChars);
        var published = PublishedStatus.FromJson(json);
        published.State!.Aggregate.ShouldBe(state.Aggregate);
        published.State.Status.ShouldBe(state.Status);
        published.State.Shipments[^1].ShouldBe(state.Shipments[^1], "the newest shipment is kept");
        published.State.Shipments.ShouldContain(state.Shipments[0], "a pending shipment is kept before finished ones");
        published.Trimmed!.Shipments.ShouldBe(shipments - published.State.Shipments.Count);
        (published.Version, published.LastSequence).ShouldBe((42, 9));
    }

    /// <summary>An authorized order with many shipments (the first one still pending), refunds and history entries.</summary>
    private static OrderPaymentState Order(int shipments, int refunds = 0, int history = 0)
    {
        var id = OrderId.Parse("large-1");
        var nok = (long value) => new Money(value, Currency.NOK);
        var start = new OrderPaymentWorkflow(new WorkflowOptions()).Start(new PaymentRequest(id, nok(1_000_000), "A large order", UserFlow.WebRedirect, "https://shop.example/return"), Now).State;
        return start with
        {
            Status = PaymentStatus.Authorized,
            Aggregate = new PaymentAggregate(nok(1_000_000), nok(shipments * 10L), nok(0), nok(refunds)),
            Shipments = [.. Enumerable.Range(0, shipments).Select(i => new ShipmentRecord(
                $"shipment-{i:0000}",
                nok(10),
                IdempotencyKey.For(id, 1, "capture", i + 1),
                i == 0 ? OperationOutcome.Pending : OperationOutcome.Succeeded))],
            Refunds = [.. Enumerable.Range(0, refunds).Select(i => new RefundRecord($"refund-{i:0000}", nok(1), IdempotencyKey.For(id, 1, "refund", i + 1), OperationOutcome.Succeeded))],
            History = [.. Enumerable.Range(0, history).Select(i => new HistoryEntry(Now.AddSeconds(i), HistoryEntryKind.Input, $"Entry {i}: something the workflow did, in words."))],
        };
    }
}
