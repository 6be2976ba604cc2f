using OrderPayments.Domain.Workflow;

namespace OrderPayments.Application.Workflows;

/// <summary>
/// How both interpreters answer a signal whose dedupe key was recorded before (the door's check of a new one is
/// <see cref="OrderPaymentWorkflow.Admit"/>: the first recorded wins).
/// </summary>
public static class SignalAdmission
{
    /// <summary>The answer to a signal whose dedupe key was recorded before: its own outcome, never a bare "duplicate".</summary>
    /// <param name="outcome">What applying it came to; null while it waits to be applied.</param>
    /// <param name="rejection">Why it was refused, when it was.</param>
    public static SignalOutcome Repeat(InputOutcome? outcome, InputRejection? rejection) => outcome switch
    {
        null => new SignalOutcome(SignalResult.Accepted, Repeated: true),
        InputOutcome.Rejected => new SignalOutcome(
            SignalResult.Rejected,
            rejection ?? new InputRejection(RejectionReason.NotAllowed, "The order refused this signal when it applied it."),
            Repeated: true),
        _ => new SignalOutcome(SignalResult.Applied, Repeated: true),
    };
}
