namespace OrderPayments.Domain.Workflow;

/// <summary>What the provider says: observations, hints and the outcomes of the workflow's own calls.</summary>
public sealed partial class OrderPaymentWorkflow
{
    private static InputRejection? Observe(StepContext context, PaymentObservation observation)
    {
        var state = context.State;
        var aggregate = observation.Aggregate;
        if (aggregate.Authorized.Currency != context.Currency || !aggregate.IsConsistent)
        {
            return Reject(
                RejectionReason.InvalidObservation,
                $"The observation of {observation.Reference} is not consistent in {context.Currency} (captured + cancelled ≤ authorized, refunded ≤ captured): {aggregate}.");
        }

        if (observation.Reference != state.Reference)
        {
            ObserveEarlierAttempt(context, observation);
            return null;
        }

        // Only forward: a final provider state never changes, and every total only grows. An observation that
        // contradicts what is known (another final state, totals that cannot follow each other) is stale noise.
        var providerState = state.ProviderState == ProviderPaymentState.Created ? observation.State : state.ProviderState;
        if (observation.State != ProviderPaymentState.Created && observation.State != providerState)
        {
            return null;
        }

        var merged = state.Aggregate.MergeWith(aggregate);
        if (!merged.IsConsistent)
        {
            return null;
        }

        context.State = state with { ProviderState = providerState, Aggregate = merged };
        return null;
    }

    /// <summary>
    /// An earlier attempt's payment turned out authorized (e.g. its create was reported failed but went through):
    /// release it, once, so no customer's money stays reserved for an order that is paid another way or not at all.
    /// </summary>
    private static void ObserveEarlierAttempt(StepContext context, PaymentObservation observation)
    {
        var state = context.State;
        var attempt = EarlierAttemptOf(state, observation.Reference);
        if (attempt is null
            || observation.State != ProviderPaymentState.Authorized
            || observation.Aggregate.Remaining.IsZero
            || state.ReleasedReferences.Contains(observation.Reference))
        {
            return;
        }

        var key = context.NextKey(KeyOperations.Release, attempt);
        context.State = context.State with { ReleasedReferences = state.ReleasedReferences.Add(observation.Reference) };
        context.Issue(new CancelPayment(key, observation.Reference, CancelTransactionOnly: false));
    }

    /// <summary>
    /// A hint: read the payment it names, coalesced with every other hint (see
    /// <see cref="WorkflowOptions.MinHintQueryInterval"/>). A hint that changes nothing (a final order, an echo of the
    /// workflow's own call, a read already pending or just issued) leaves the state as it was.
    /// </summary>
    private static InputRejection? Notify(StepContext context, ProviderNotified hint)
    {
        var state = context.State;
        if (state.IsFinal || state.HintedReferences.Contains(hint.Reference))
        {
            return null;
        }

        if (hint.Reference != state.Reference)
        {
            // A hint about an earlier attempt: read it, in case it needs releasing.
            if (EarlierAttemptOf(state, hint.Reference) is not null
                && !state.ReleasedReferences.Contains(hint.Reference)
                && !(context.IsInFlight(ActionKind.Query, hint.Reference) && state.LastHintQueryAt >= context.Now))
            {
                context.State = state with { HintedReferences = state.HintedReferences.Add(hint.Reference) };
            }

            return null;
        }

        if (hint.CausedBy is { } key && IsOwnCall(state, key))
        {
            // The echo of a call the workflow made: its result (recorded, or still to come) carries the totals.
            return null;
        }

        var queryInFlight = context.IsInFlight(ActionKind.Query, state.Reference);
        if (CanQuery(state) && !state.QueryWanted && !(queryInFlight && state.LastQueryIssuedAt >= context.Now))
        {
            // A query already under way may have been answered before the event it hints at: read again after it.
            context.State = state with { HintedReferences = state.HintedReferences.Add(hint.Reference) };
        }

        return null;
    }

    private static bool IsOwnCall(OrderPaymentState state, IdempotencyKey key) =>
        state.InFlight.Exists(a => a.Key == key)
        || state.Shipments.Exists(s => s.CaptureKey == key && s.Outcome == OperationOutcome.Succeeded)
        || state.Refunds.Exists(r => r.Key == key && r.Outcome == OperationOutcome.Succeeded);

    private InputRejection? Succeed(StepContext context, ActivitySucceeded result)
    {
        var action = context.State.InFlight.Find(a => a.Key == result.Key);
        if (action is null)
        {
            return null;
        }

        context.State = context.State with { InFlight = context.State.InFlight.Remove(action) };
        var current = action.Reference == context.State.Reference;
        if (action is CreatePayment && result.ProviderPaymentId is { } providerId)
        {
            context.State = context.State with { ProviderPaymentIds = context.State.ProviderPaymentIds.SetItem(action.Reference.Value, providerId) };
        }

        switch (action)
        {
            case CreatePayment when current && context.State.Status == PaymentStatus.Creating:
                context.State = context.State with
                {
                    RedirectUrl = result.RedirectUrl,
                    AuthorizationDeadline = context.Now + _options.CustomerWindow + _options.AuthorizationGrace,
                    PollInterval = _options.FirstPollDelay,
                    NextPollAt = context.Now + _options.FirstPollDelay,
                };
                context.SetStatus(PaymentStatus.AwaitingCustomer);
                break;
            case QueryPayment when current:
                SchedulePoll(context);
                break;
            case CapturePayment capture:
                SetShipmentOutcome(context, capture.Key, OperationOutcome.Succeeded);
                break;
            case RefundPayment refund:
                SetRefundOutcome(context, refund.Key, OperationOutcome.Succeeded);
                break;
        }

        // An observation that does not fit is dropped here (the result itself still counts) and re-read.
        var misfit = result.Observation is { } observation && Observe(context, observation) is not null;
        if (current && action.IsMutating && action is not CreatePayment && (result.Observation is null || misfit))
        {
            context.State = context.State with { QueryWanted = true };
        }

        return null;
    }

    private InputRejection? Fail(StepContext context, ActivityFailed failure)
    {
        var action = context.State.InFlight.Find(a => a.Key == failure.Key);
        if (action is null)
        {
            return null;
        }

        context.State = context.State with { InFlight = context.State.InFlight.Remove(action) };
        var current = action.Reference == context.State.Reference;
        switch (action)
        {
            case CreatePayment when current && context.State.Status == PaymentStatus.Creating:
                context.AddProblem(action, failure.ErrorCode, failure.Detail);
                context.SetStatus(context.State.CancelRequested ? PaymentStatus.Cancelled : PaymentStatus.Failed);
                break;
            case QueryPayment when current:
                // A read is retried by the next poll or hint: recorded once per attempt, never a reason for attention.
                if (!context.State.Problems.Exists(p => p.Attempt == context.State.Attempt && p.Action == ActionKind.Query))
                {
                    context.AddProblem(action, failure.ErrorCode, failure.Detail);
                }

                SchedulePoll(context);
                break;
            case CapturePayment capture:
                SetShipmentOutcome(context, capture.Key, OperationOutcome.Failed);
                context.AddProblem(action, failure.ErrorCode, failure.Detail);
                break;
            case RefundPayment refund:
                SetRefundOutcome(context, refund.Key, OperationOutcome.Failed);
                context.AddProblem(action, failure.ErrorCode, failure.Detail);
                break;
            case CancelPayment { CancelTransactionOnly: true } or AbortPayment when current:
                // Expected when the customer approved at the last moment (Vipps 6060): the query that follows tells.
                context.State = context.State with { QueryWanted = true };
                break;
            case CancelPayment:
                context.AddProblem(action, failure.ErrorCode, failure.Detail);
                context.State = context.State with { QueryWanted = current || context.State.QueryWanted };
                break;
            default:
                // A query or create of an earlier attempt: nothing depends on it.
                break;
        }

        return null;
    }

    /// <summary>Moves the status to what the provider's state and totals now say.</summary>
    private void Settle(StepContext context)
    {
        var state = context.State;
        var waiting = state.Status is PaymentStatus.Creating or PaymentStatus.AwaitingCustomer;
        if (state.ProviderState == ProviderPaymentState.Authorized
            && (waiting || state.Status is PaymentStatus.Unpaid or PaymentStatus.Failed))
        {
            context.State = state with
            {
                AuthorizedAt = context.Now,
                FulfillmentDeadline = context.Now + _options.FulfillmentWindow,
                NextPollAt = null,
                AuthorizationDeadline = null,
            };
            context.SetStatus(PaymentStatus.Authorized);
        }
        else if (waiting && state.ProviderState != ProviderPaymentState.Created)
        {
            context.State = state with { NextPollAt = null, AuthorizationDeadline = null };
            context.SetStatus(state.CancelRequested ? PaymentStatus.Cancelled : PaymentStatus.Unpaid);
        }

        state = context.State;
        if (state.Status is not (PaymentStatus.Authorized or PaymentStatus.Captured))
        {
            return;
        }

        if (state.FirstCapturedAt is null && !state.Aggregate.Captured.IsZero)
        {
            context.State = state = state with
            {
                FirstCapturedAt = context.Now,
                RefundWindowClosesAt = context.Now + _options.RefundWindow,
            };
        }

        if (state.Status == PaymentStatus.Authorized
            && !state.Aggregate.Authorized.IsZero
            && state.Aggregate.Remaining.IsZero
            && state.PendingCaptures.IsZero)
        {
            context.SetStatus(state.Aggregate.Captured.IsZero ? PaymentStatus.Cancelled : PaymentStatus.Captured);
        }
    }

    private void SchedulePoll(StepContext context)
    {
        if (context.State.Status != PaymentStatus.AwaitingCustomer)
        {
            return;
        }

        var next = TimeSpan.FromTicks((long)Math.Min(
            context.State.PollInterval.Ticks * _options.PollBackoffFactor,
            _options.MaxPollInterval.Ticks));
        context.State = context.State with { PollInterval = next, NextPollAt = context.Now + next };
    }

    private static void SetShipmentOutcome(StepContext context, IdempotencyKey key, OperationOutcome outcome)
    {
        var shipments = context.State.Shipments;
        var index = shipments.FindIndex(s => s.CaptureKey == key);
        context.State = context.State with { Shipments = shipments.SetItem(index, shipments[index] with { Outcome = outcome }) };
    }

    private static void SetRefundOutcome(StepContext context, IdempotencyKey key, OperationOutcome outcome)
    {
        var refunds = context.State.Refunds;
        var index = refunds.FindIndex(r => r.Key == key);
        context.State = context.State with { Refunds = refunds.SetItem(index, refunds[index] with { Outcome = outcome }) };
    }

    private static bool CanQuery(OrderPaymentState state) =>
        state.Status is not (PaymentStatus.Creating or PaymentStatus.Cancelled or PaymentStatus.Completed);

    private static int? EarlierAttemptOf(OrderPaymentState state, PaymentReference reference)
    {
        for (var attempt = 1; attempt < state.Attempt; attempt++)
        {
            if (PaymentReference.For(state.OrderId, attempt) == reference)
            {
                return attempt;
            }
        }

        return null;
    }
}
