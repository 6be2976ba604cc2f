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
    private readonly WorkflowOptions _options;

    /// <summary>Creates the workflow with the given options (validated).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The options are inconsistent.</exception>
    public OrderPaymentWorkflow(WorkflowOptions? options = null) => _options = (options ?? WorkflowOptions.Default).Validate();

    /// <summary>The options in force.</summary>
    public WorkflowOptions Options => _options;

    /// <summary>Starts an order's payment: the first attempt, with its create action.</summary>
    /// <param name="request">The storefront's request; check it first with <see cref="PaymentRequest.Validate"/>.</param>
    /// <param name="now">The interpreter's current time.</param>
    /// <exception cref="ArgumentException">The request is invalid; the message lists every reason.</exception>
    public WorkflowStep Start(PaymentRequest request, DateTimeOffset now)
    {
        var errors = request.Validate();
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
        context.Record(HistoryEntryKind.Input, $"Payment of {request.Amount} requested ({request.Provider}, {request.UserFlow})");
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

    private OrderPaymentState Finish(StepContext context)
    {
        Settle(context);
        Reconcile(context);
        var state = context.State with { WakeAt = NextWake(context.State, context.Now) };
        var excess = state.History.Count - _options.MaxHistoryEntries;
        return excess > 0
            ? state with { History = state.History.RemoveRange(0, excess), HistoryDropped = state.HistoryDropped + excess }
            : state;
    }

    /// <summary>Whether a step changed nothing but its own history lines.</summary>
    private static bool IsUnchanged(OrderPaymentState before, OrderPaymentState after) =>
        after with { History = before.History, HistoryDropped = before.HistoryDropped } == before;

    private static string Describe(WorkflowInput input) => input switch
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
