using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Application.Workflows;

/// <summary>
/// The one door every signal passes on both interpreters (<see cref="IOrderPaymentClient.RaiseAsync"/>), in this order:
/// <list type="number">
/// <item>a signal whose dedupe key was recorded before is answered with that signal's own outcome
/// (<see cref="SignalAdmission.Repeat"/>), whatever the order's state is now, even after the order ended;</item>
/// <item>a new signal the order refuses, with every signal recorded before it applied, is refused at once and not
/// recorded (<see cref="OrderPaymentWorkflow.Admit"/>: the first recorded wins);</item>
/// <item>otherwise it is recorded in the order's inbox and answered <see cref="SignalResult.Accepted"/>; the interpreter
/// applies it later through <see cref="OrderPaymentWorkflow.Apply"/>, which decides again and keeps a refusal
/// visible.</item>
/// </list>
/// An order whose inbox is closed (it ended; only the Durable interpreter closes inboxes) absorbs a new signal it does
/// not refuse: recorded as applied and unchanged, answered as accepted, as the embedded runtime answers a signal that
/// its final order then absorbs.
/// </summary>
public sealed class SignalDoor
{
    /// <summary>Admissions of one signal before the door gives up on an inbox that other signals keep changing.</summary>
    private const int MaxAttempts = 20;

    private readonly OrderPaymentWorkflow _workflow;
    private readonly TimeProvider _time;

    /// <summary>Creates the door over the shared workflow.</summary>
    public SignalDoor(OrderPaymentWorkflow workflow, TimeProvider time)
    {
        _workflow = workflow;
        _time = time;
    }

    /// <summary>Admits <paramref name="signal"/> for the order whose current state <paramref name="state"/> reads (null: no such order).</summary>
    /// <param name="inbox">The interpreter's inbox.</param>
    /// <param name="state">Reads the order's current state (as committed or published); null when there is no such order.</param>
    /// <param name="orderId">The order.</param>
    /// <param name="signal">The workflow input.</param>
    /// <param name="dedupeKey">The signal's identity.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The answer; <see cref="SignalResult.Accepted"/> with <see cref="SignalOutcome.Repeated"/> false only when the signal was recorded now.</returns>
    public async ValueTask<SignalOutcome> RaiseAsync(
        ISignalInbox inbox,
        Func<CancellationToken, ValueTask<OrderPaymentState?>> state,
        OrderId orderId,
        WorkflowInput signal,
        string dedupeKey,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inbox);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentException.ThrowIfNullOrWhiteSpace(dedupeKey);
        for (var attempt = 1; ; attempt++)
        {
            if (await state(cancellationToken).ConfigureAwait(false) is not { } current)
            {
                return new SignalOutcome(SignalResult.NotFound);
            }

            if (await inbox.FindAsync(orderId, dedupeKey, cancellationToken).ConfigureAwait(false) is { } recorded)
            {
                return SignalAdmission.Repeat(recorded.Outcome, recorded.Rejection);
            }

            var now = _time.GetUtcNow();
            var before = await inbox.PendingAsync(orderId, cancellationToken).ConfigureAwait(false);
            if (_workflow.Admit(current, before, signal, now) is { } rejection)
            {
                return new SignalOutcome(SignalResult.Rejected, rejection);
            }

            switch (await inbox.AddAsync(orderId, dedupeKey, signal, now, cancellationToken).ConfigureAwait(false))
            {
                case InboxAddResult.Added:
                    return new SignalOutcome(SignalResult.Accepted);
                case InboxAddResult.Duplicate:
                    // Recorded by a concurrent request with the same key: its outcome is this one's.
                    var raced = await inbox.FindAsync(orderId, dedupeKey, cancellationToken).ConfigureAwait(false);
                    return SignalAdmission.Repeat(raced?.Outcome, raced?.Rejection);
                case InboxAddResult.Contended when attempt < MaxAttempts:
                    continue;
                case InboxAddResult.Contended:
                    throw new InvalidOperationException($"The inbox of order {orderId} stayed contended for {MaxAttempts} attempts.");
                default:
                    // The order ended (and nothing is pending) since its state was read: decide on the final state.
                    var final = await state(cancellationToken).ConfigureAwait(false) ?? current;
                    var step = _workflow.Decide(final, signal, now);
                    if (step.Rejection is { } refused)
                    {
                        return new SignalOutcome(SignalResult.Rejected, refused);
                    }

                    await inbox.AbsorbAsync(orderId, dedupeKey, signal, step.Outcome, now, cancellationToken).ConfigureAwait(false);
                    return new SignalOutcome(SignalResult.Accepted);
            }
        }
    }
}
