namespace OrderPayments.Domain.Workflow;

/// <summary>
/// The result of feeding one input: the next state, the actions to run, and the time to be woken if nothing
/// else happens. The interpreter persists the state and the actions together, then runs the actions.
/// </summary>
/// <param name="State">The next state (the same instance when nothing changed).</param>
/// <param name="Actions">The new actions to run, in order; each has a key never used before.</param>
/// <param name="Outcome">What the input did.</param>
/// <param name="Rejection">Why the input was refused, when <see cref="Outcome"/> is <see cref="InputOutcome.Rejected"/>.</param>
public sealed record WorkflowStep(
    OrderPaymentState State,
    IReadOnlyList<WorkflowAction> Actions,
    InputOutcome Outcome,
    InputRejection? Rejection = null)
{
    /// <summary>When to deliver <see cref="WokenUp"/> if no other input comes first; null for never.</summary>
    public DateTimeOffset? WakeAt => State.WakeAt;
}
