namespace OrderPayments.Domain.Workflow;

/// <summary>
/// After every input: issue whatever the state now calls for (a due poll, a cancel that became safe, a query that
/// was wanted) and compute the next wake-up. The only place deadlines turn into actions.
/// </summary>
public sealed partial class OrderPaymentWorkflow
{
    private static void Reconcile(StepContext context)
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

        state = context.State;
        if (state.QueryWanted && CanQuery(state) && !context.IsInFlight(ActionKind.Query, state.Reference))
        {
            context.State = state with { QueryWanted = false };
            context.Issue(new QueryPayment(context.NextKey(KeyOperations.Query), state.Reference));
        }
    }

    /// <summary>
    /// The next time something falls due, always after <paramref name="now"/>: a deadline that has passed but could
    /// not be acted on yet (a capture or refund is in flight) is acted on when that action's result arrives, which is
    /// an input of its own; a wake-up in the past would only make the interpreter spin.
    /// </summary>
    private static DateTimeOffset? NextWake(OrderPaymentState state, DateTimeOffset now)
    {
        var due = state.Status switch
        {
            PaymentStatus.AwaitingCustomer => Earliest(state.NextPollAt, state.PreAuthorizationCancelIssued ? null : state.AuthorizationDeadline),
            PaymentStatus.Authorized when !state.ReleaseIssued && !state.Aggregate.Remaining.IsZero => state.FulfillmentDeadline,
            PaymentStatus.Captured => state.RefundWindowClosesAt,
            _ => null,
        };
        return due > now ? due : null;
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;
}
