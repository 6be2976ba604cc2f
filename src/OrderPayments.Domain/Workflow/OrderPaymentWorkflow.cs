using System.Collections.Immutable;

namespace OrderPayments.Domain.Workflow;

/// <summary>
/// The order-payment workflow as a pure state machine (the "decider"): <c>(state, input, now) → (next state,
/// actions, wake-up time)</c>. No I/O, clock or randomness: the same arguments always give the same step, so an
/// interpreter may replay it. All payment rules (deadlines, polling, amounts, idempotency keys) live here.
/// </summary>
/// <remarks>
/// Guarantees, for any sequence of inputs: captured ≤ authorized, captured + cancelled ≤ authorized and
/// refunded ≤ captured in the state; no capture before authorization; a capture or refund request is never
/// allowed to exceed what is left; no two actions share a key; an input applied twice changes nothing the
/// second time; provider observations only move the state forward; <see cref="PaymentStatus.Cancelled"/> and
/// <see cref="PaymentStatus.Completed"/> absorb every input. Invalid inputs are rejected, never thrown.
/// </remarks>
public sealed partial class OrderPaymentWorkflow
{
    /// <summary>The most refused shipments (and, separately, refunds) an order lists; older ones stay in the history.</summary>
    public const int MaxRejectedRecords = 20;

    private readonly WorkflowOptions _options;

    /// <summary>Creates the workflow with the given options (validated).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The options are inconsistent.</exception>
    public OrderPaymentWorkflow(WorkflowOptions? options = null) => _options = (options ?? WorkflowOptions.Default).Validate();

    /// <summary>The options in force.</summary>
    public WorkflowOptions Options => _options;

    /// <summary>Starts an order's payment: the first attempt, with its create action.</summary>
    /// <param name="request">
    /// The storefront's request; check a new one first with <see cref="PaymentRequest.Validate"/>. This method does not
    /// apply the providers' limits, so a request stored before a limit was tightened still starts when it is replayed.
    /// </param>
    /// <param name="now">The interpreter's current time.</param>
    /// <param name="by">Who asked for it (named in the history), when known.</param>
    /// <exception cref="ArgumentException">The request is malformed (e.g. no amount, a redirect flow without a return URL); the message lists every reason.</exception>
    public WorkflowStep Start(PaymentRequest request, DateTimeOffset now, string? by = null)
    {
        var errors = request.ValidateShape();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors.Select(e => $"{e.Field}: {e.Message}")), nameof(request));
        }

        var state = new OrderPaymentState
        {
            Request = request,
            Status = PaymentStatus.Creating,
            Reference = PaymentReference.For(request.OrderId, 1),
            StartedAt = now,
            AttemptStartedAt = now,
            Aggregate = PaymentAggregate.Zero(request.Amount.Currency),
            PollInterval = _options.FirstPollDelay,
        };
        var context = new StepContext(state, now);
        context.Record(HistoryEntryKind.Input, $"Payment of {request.Amount} requested ({request.Provider}, {request.UserFlow}){ByCaller(by)}");
        IssueCreate(context);
        return new WorkflowStep(Finish(context), context.Actions, InputOutcome.Applied);
    }

    /// <summary>Feeds one input to an order's workflow.</summary>
    /// <param name="state">The current state, as returned by the previous step.</param>
    /// <param name="input">What happened.</param>
    /// <param name="now">The interpreter's current time (for a timer, the time it fired).</param>
    /// <returns>
    /// The next step. A rejected input, or one that changes nothing, returns <paramref name="state"/> itself and
    /// no actions.
    /// </returns>
    public WorkflowStep Decide(OrderPaymentState state, WorkflowInput input, DateTimeOffset now)
    {
        var context = new StepContext(state, now);
        context.Record(HistoryEntryKind.Input, Describe(input));
        var rejection = input switch
        {
            ProviderObserved observed => Observe(context, observed.Observation),
            ProviderNotified notified => Notify(context, notified),
            ActivitySucceeded succeeded => Succeed(context, succeeded),
            ActivityFailed failed => Fail(context, failed),
            FulfillmentSignalled fulfillment => Fulfill(context, fulfillment),
            CancelRequested => Cancel(context),
            RefundRequested refund => Refund(context, refund),
            NewAttemptRequested attempt => StartNewAttempt(context, attempt),
            WokenUp => null,
            _ => throw new ArgumentException($"Unknown workflow input {input.GetType().Name}.", nameof(input)),
        };

        if (rejection is not null)
        {
            return new WorkflowStep(state, [], InputOutcome.Rejected, rejection);
        }

        var next = Finish(context);
        return IsUnchanged(state, next)
            ? new WorkflowStep(state, [], InputOutcome.Unchanged)
            : new WorkflowStep(next, context.Actions, InputOutcome.Applied);
    }

    /// <summary>
    /// Why the order refuses <paramref name="signal"/> if it were recorded now; null when it would be accepted. <b>The
    /// first recorded wins:</b> the signal is checked against the order's state with every signal recorded before it
    /// applied in order (exactly what applying them will do), so a shipment recorded after a cancel is refused at once,
    /// and a cancel recorded after a shipment cancels what the shipment leaves. Only what nobody can foresee here (a
    /// capture the provider refuses, a deadline that passes between record and apply) makes an accepted signal refused
    /// later; <see cref="Apply"/> then keeps the refusal with the order, and the interpreters answer every repeat of
    /// the signal with it.
    /// </summary>
    /// <param name="state">The order's last committed state.</param>
    /// <param name="recordedBefore">Signals recorded and not yet applied to <paramref name="state"/>, in inbox order (one that is already in the state changes nothing when applied again).</param>
    /// <param name="signal">The new signal.</param>
    /// <param name="now">The interpreter's current time.</param>
    public InputRejection? Admit(OrderPaymentState state, IEnumerable<WorkflowInput> recordedBefore, WorkflowInput signal, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(recordedBefore);
        var projected = recordedBefore.Aggregate(state, (current, input) => Apply(current, input, now).State);
        return Decide(projected, signal, now).Rejection;
    }

    /// <summary>
    /// Feeds a signal that was recorded (accepted) before it is applied: the same decision as <see cref="Decide"/>,
    /// but a storefront or fulfillment signal refused now is kept with the order, so its outcome stays visible: a
    /// history line with the reason, and a refused shipment or refund listed with <see cref="OperationOutcome.Rejected"/>.
    /// Interpreters apply every recorded signal through this method; <see cref="Decide"/> alone is for trials (answering
    /// at once what the state refuses) and for the interpreter's own inputs.
    /// </summary>
    /// <returns>The step; for a kept rejection, <see cref="InputOutcome.Rejected"/> with the state that records it.</returns>
    public WorkflowStep Apply(OrderPaymentState state, WorkflowInput input, DateTimeOffset now)
    {
        var step = Decide(state, input, now);
        if (step.Rejection is not { } rejection || input is not (FulfillmentSignalled or CancelRequested or RefundRequested or NewAttemptRequested))
        {
            return step;
        }

        var context = new StepContext(state, now);
        context.Record(HistoryEntryKind.Input, Describe(input));
        context.Record(HistoryEntryKind.Rejection, $"Refused: {rejection.Message}");
        if (rejection.Reason is not (RejectionReason.InvalidRequest or RejectionReason.Conflict))
        {
            // A conflict names an id that already has a live record; an invalid id cannot be listed.
            context.State = input switch
            {
                FulfillmentSignalled f => context.State with
                {
                    Shipments = KeepRejected(
                        context.State.Shipments.RemoveAll(s => s.ShipmentId == f.ShipmentId),
                        new ShipmentRecord(f.ShipmentId, f.Amount ?? Money.Zero(context.Currency), null, OperationOutcome.Rejected, rejection),
                        s => s.Outcome == OperationOutcome.Rejected),
                },
                RefundRequested r => context.State with
                {
                    Refunds = KeepRejected(
                        context.State.Refunds.RemoveAll(x => x.RefundId == r.RefundId),
                        new RefundRecord(r.RefundId, r.Amount, null, OperationOutcome.Rejected, rejection),
                        x => x.Outcome == OperationOutcome.Rejected),
                },
                _ => context.State,
            };
        }

        return new WorkflowStep(Bound(context.State), [], InputOutcome.Rejected, rejection);
    }

    /// <summary>Adds a rejected record, dropping the oldest rejected ones beyond <see cref="MaxRejectedRecords"/>.</summary>
    private static ImmutableList<T> KeepRejected<T>(ImmutableList<T> records, T record, Predicate<T> rejected)
    {
        var list = records.Add(record);
        while (list.Count(r => rejected(r)) > MaxRejectedRecords)
        {
            list = list.RemoveAt(list.FindIndex(rejected));
        }

        return list;
    }

    private OrderPaymentState Finish(StepContext context)
    {
        Settle(context);
        Reconcile(context);
        return Bound(context.State with { WakeAt = NextWake(context.State, context.Now) });
    }

    /// <summary>Keeps the history within <see cref="WorkflowOptions.MaxHistoryEntries"/>, counting what it drops.</summary>
    private OrderPaymentState Bound(OrderPaymentState state)
    {
        var excess = state.History.Count - _options.MaxHistoryEntries;
        return excess > 0
            ? state with { History = state.History.RemoveRange(0, excess), HistoryDropped = state.HistoryDropped + excess }
            : state;
    }

    /// <summary>Whether a step changed nothing but its own history lines.</summary>
    private static bool IsUnchanged(OrderPaymentState before, OrderPaymentState after) =>
        after with { History = before.History, HistoryDropped = before.HistoryDropped } == before;

    private static string ByCaller(string? by) => by is null ? "" : $" by {by}";

    private static string Describe(WorkflowInput input) => DescribeInput(input) + ByCaller(input.By);

    private static string DescribeInput(WorkflowInput input) => input switch
    {
        ProviderObserved o => $"Observed {o.Observation}",
        ProviderNotified n => $"Notified about {n.Reference}{(n.EventName is null ? "" : " (" + n.EventName + ")")}",
        ActivitySucceeded s => $"Succeeded {s.Key}{(s.Observation is null ? "" : ": " + s.Observation)}",
        ActivityFailed f => $"Failed {f.Key}: {f.ErrorCode}",
        FulfillmentSignalled f => $"Shipment {f.ShipmentId} for {(f.Amount is { } a ? a.ToString() : "the remainder")}",
        CancelRequested c => $"Cancel requested{(c.Reason is null ? "" : ": " + c.Reason)}",
        RefundRequested r => $"Refund {r.RefundId} of {r.Amount} requested",
        NewAttemptRequested a => $"New attempt requested ({a.RequestId})",
        WokenUp => "Woken up",
        _ => input.GetType().Name,
    };
}
