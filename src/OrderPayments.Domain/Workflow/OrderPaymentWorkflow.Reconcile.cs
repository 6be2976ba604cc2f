namespace OrderPayments.Domain.Workflow;

/// <summary>
/// After every input: issue whatever the state now calls for (a due poll, a cancel that became safe, a query that
/// was wanted or hinted at) and compute the next wake-up. The only place deadlines turn into actions. An order has at
/// most one query in flight.
/// </summary>
public sealed partial class OrderPaymentWorkflow
{
    private void Reconcile(StepContext context)
    {
        var state = context.State;
        switch (state.Status)
        {
            case PaymentStatus.AwaitingCustomer:
                if ((state.CancelRequested || context.Now >= state.AuthorizationDeadline) && !state.PreAuthorizationCancelIssued)
                {
                    // Never release an approval that raced in: Vipps cancels only if not yet authorized; PayEx aborts.
                    context.State = state with { PreAuthorizationCancelIssued = true };
                    context.Issue(state.Request.Provider == PaymentProvider.PayEx
                        ? new AbortPayment(context.NextKey(KeyOperations.Abort), state.Reference)
                        : new CancelPayment(context.NextKey(KeyOperations.Cancel), state.Reference, CancelTransactionOnly: true));
                }

                if (context.Now >= context.State.NextPollAt)
                {
                    context.State = context.State with { QueryWanted = true, NextPollAt = null };
                }

                break;

            case PaymentStatus.Authorized:
                if ((state.CancelRequested || context.Now >= state.FulfillmentDeadline)
                    && !state.ReleaseIssued
                    && !state.Aggregate.Remaining.IsZero
                    && !context.IsInFlight(ActionKind.Capture, state.Reference))
                {
                    // After a partial capture this releases the rest; captures in flight finish first.
                    context.State = state with { ReleaseIssued = true };
                    context.Issue(new CancelPayment(context.NextKey(KeyOperations.Cancel), state.Reference, CancelTransactionOnly: false));
                }

                break;

            case PaymentStatus.Captured:
                if (context.Now >= state.RefundWindowClosesAt && !context.IsInFlight(ActionKind.Refund, state.Reference))
                {
                    context.SetStatus(PaymentStatus.Completed);
                }

                break;
        }

        IssueQuery(context);
    }

    /// <summary>
    /// Issues at most one query, when none is in flight: a wanted read of the current payment first, else the oldest
    /// hinted read once <see cref="WorkflowOptions.MinHintQueryInterval"/> has passed since the last hinted one. A read
    /// of a payment that was hinted at serves the hint.
    /// </summary>
    private void IssueQuery(StepContext context)
    {
        var state = context.State;
        var readable = state.HintedReferences.RemoveAll(reference => !Readable(state, reference));
        if (readable.Count != state.HintedReferences.Count)
        {
            // Nothing to read any more for these hints (a final order, or a payment already released): dropped.
            context.State = state = state with { HintedReferences = readable };
        }

        if (state.InFlight.Exists(a => a.Kind == ActionKind.Query))
        {
            return;
        }

        if (state.QueryWanted && CanQuery(state))
        {
            var hinted = state.HintedReferences.Contains(state.Reference);
            context.State = state with
            {
                QueryWanted = false,
                HintedReferences = state.HintedReferences.Remove(state.Reference),
                LastHintQueryAt = hinted ? context.Now : state.LastHintQueryAt,
            };
            context.Issue(new QueryPayment(context.NextKey(KeyOperations.Query), state.Reference));
            return;
        }

        if (state.HintedReferences.Count == 0 || HintedReadAt(state) > context.Now)
        {
            return;
        }

        var reference = state.HintedReferences[0];
        var attempt = reference == state.Reference ? state.Attempt : EarlierAttemptOf(state, reference)!.Value;
        context.State = state with { HintedReferences = state.HintedReferences.RemoveAt(0), LastHintQueryAt = context.Now };
        context.Issue(new QueryPayment(context.NextKey(KeyOperations.Query, attempt), reference));
    }

    /// <summary>Whether a hinted payment can still be read: the current one while queries make sense, an earlier one until released.</summary>
    private static bool Readable(OrderPaymentState state, PaymentReference reference) =>
        !state.IsFinal && (reference == state.Reference
            ? CanQuery(state)
            : EarlierAttemptOf(state, reference) is not null && !state.ReleasedReferences.Contains(reference));

    /// <summary>When a hinted read may be issued: <see cref="WorkflowOptions.MinHintQueryInterval"/> after the last one.</summary>
    private DateTimeOffset HintedReadAt(OrderPaymentState state) =>
        state.LastHintQueryAt is { } last ? last + _options.MinHintQueryInterval : DateTimeOffset.MinValue;

    /// <summary>
    /// The next time something falls due, always after <paramref name="now"/>: a deadline that has passed but could
    /// not be acted on yet (a capture or refund is in flight) is acted on when that action's result arrives, which is
    /// an input of its own; a wake-up in the past would only make the interpreter spin.
    /// </summary>
    private DateTimeOffset? NextWake(OrderPaymentState state, DateTimeOffset now)
    {
        DateTimeOffset? hinted = state.HintedReferences.Count > 0 && !state.InFlight.Exists(a => a.Kind == ActionKind.Query)
            ? HintedReadAt(state)
            : null;
        var due = state.Status switch
        {
            PaymentStatus.AwaitingCustomer => Earliest(state.NextPollAt, state.PreAuthorizationCancelIssued ? null : state.AuthorizationDeadline),
            PaymentStatus.Authorized when !state.ReleaseIssued && !state.Aggregate.Remaining.IsZero => state.FulfillmentDeadline,
            PaymentStatus.Captured => state.RefundWindowClosesAt,
            _ => null,
        };
        due = Earliest(due > now ? due : null, hinted > now ? hinted : null);
        return due > now ? due : null;
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;
}
