using Microsoft.Extensions.Time.Testing;
using OrderPayments.Application.Workflows;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Application.Tests.Workflows;

/// <summary>The one door both interpreters pass signals through: repeat lookup, then admission, then record.</summary>
public sealed class SignalDoorTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly OrderId Order = OrderId.Parse("order-1");
    private static readonly OrderPaymentWorkflow Workflow = new(new WorkflowOptions());
    private static readonly OrderPaymentState Awaiting = Workflow.Start(new PaymentRequest(Order, new Money(1000, Currency.NOK), "Door test", UserFlow.WebRedirect, "https://shop.example/return"), Now).State;
    private static readonly OrderPaymentState Cancelled = Awaiting with { Status = PaymentStatus.Cancelled, CancelRequested = true };

    private static SignalDoor CreateSut() => new(Workflow, new FakeTimeProvider(Now));

    [Fact]
    public async Task Raise_RepeatOfAnAppliedSignalAfterTheOrderEnded_IsAnsweredWithItsRecordedOutcome()
    {
        var inbox = new FakeInbox { Recorded = { ["ship-1"] = new RecordedSignal(InputOutcome.Applied) } };

        var outcome = await CreateSut().RaiseAsync(inbox, State(Cancelled), Order, new FulfillmentSignalled("ship-1"), "ship-1", CancellationToken.None);

        outcome.ShouldBe(new SignalOutcome(SignalResult.Applied, Repeated: true));
        inbox.Added.ShouldBeEmpty();
    }

    [Fact]
    public async Task Raise_NewSignalTheStateRefuses_IsRejectedAndNotRecorded()
    {
        var inbox = new FakeInbox();

        var outcome = await CreateSut().RaiseAsync(inbox, State(Awaiting), Order, new FulfillmentSignalled("ship-1"), "ship-1", CancellationToken.None);

        (outcome.Result, outcome.Rejection!.Reason).ShouldBe((SignalResult.Rejected, RejectionReason.NotAuthorized));
        inbox.Added.ShouldBeEmpty();
    }

    [Fact]
    public async Task Raise_InboxChangedSinceItWasRead_AdmitsAgainAgainstTheSignalRecordedMeanwhile()
    {
        // A cancel was recorded by someone else between this shipment's read and its add: the shipment is admitted again
        // with the cancel pending (the first recorded wins), as a serialized store would have.
        var inbox = new FakeInbox { ContendOnce = true, RecordedMeanwhile = new CancelRequested(null) };
        var authorized = Awaiting with { Status = PaymentStatus.Authorized, Aggregate = Awaiting.Aggregate with { Authorized = new Money(1000, Currency.NOK) } };

        var outcome = await CreateSut().RaiseAsync(inbox, State(authorized), Order, new FulfillmentSignalled("ship-1"), "ship-1", CancellationToken.None);

        outcome.Result.ShouldBe(SignalResult.Rejected);
        inbox.Added.ShouldBeEmpty();
    }

    [Fact]
    public async Task Raise_InboxClosed_AFinalOrderAbsorbsWhatItDoesNotRefuse()
    {
        var inbox = new FakeInbox { Closed = true };

        var outcome = await CreateSut().RaiseAsync(inbox, State(Cancelled), Order, new CancelRequested(null), "cancel-2", CancellationToken.None);

        outcome.ShouldBe(new SignalOutcome(SignalResult.Accepted));
        inbox.Absorbed.ShouldBe([("cancel-2", InputOutcome.Unchanged)]);
    }

    [Fact]
    public async Task Raise_NoSuchOrder_IsNotFound() =>
        (await CreateSut().RaiseAsync(new FakeInbox(), _ => ValueTask.FromResult<OrderPaymentState?>(null), Order, new CancelRequested(null), "cancel", CancellationToken.None))
            .Result.ShouldBe(SignalResult.NotFound);

    private static Func<CancellationToken, ValueTask<OrderPaymentState?>> State(OrderPaymentState state) => _ => ValueTask.FromResult<OrderPaymentState?>(state);

    /// <summary>An inbox in memory that can be made to answer "contended" once, or "closed".</summary>
    private sealed class FakeInbox : ISignalInbox
    {
        public Dictionary<string, RecordedSignal> Recorded { get; } = [];

        public List<WorkflowInput> Pending { get; } = [];

        public List<string> Added { get; } = [];

        public List<(string Key, InputOutcome Outcome)> Absorbed { get; } = [];

        public bool ContendOnce { get; set; }

        public WorkflowInput? RecordedMeanwhile { get; set; }

        public bool Closed { get; set; }

        public ValueTask<RecordedSignal?> FindAsync(OrderId orderId, string dedupeKey, CancellationToken cancellationToken) =>
            ValueTask.FromResult(Recorded.GetValueOrDefault(dedupeKey));

        public ValueTask<IReadOnlyList<WorkflowInput>> PendingAsync(OrderId orderId, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyList<WorkflowInput>>([.. Pending]);

        public ValueTask<InboxAddResult> AddAsync(OrderId orderId, string dedupeKey, WorkflowInput signal, DateTimeOffset now, CancellationToken cancellationToken)
        {
            if (Closed)
            {
                return ValueTask.FromResult(InboxAddResult.Closed);
            }

            if (ContendOnce)
            {
                ContendOnce = false;
                Pending.Add(RecordedMeanwhile!);
                return ValueTask.FromResult(InboxAddResult.Contended);
            }

            Added.Add(dedupeKey);
            Recorded[dedupeKey] = new RecordedSignal(null);
            return ValueTask.FromResult(InboxAddResult.Added);
        }

        public ValueTask AbsorbAsync(OrderId orderId, string dedupeKey, WorkflowInput signal, InputOutcome outcome, DateTimeOffset now, CancellationToken cancellationToken)
        {
            Absorbed.Add((dedupeKey, outcome));
            return ValueTask.CompletedTask;
        }
    }
}
