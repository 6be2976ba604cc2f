using OrderPayments.Domain.Workflow;

namespace OrderPayments.Application.Workflows;

/// <summary>A signal found in an order's inbox under its dedupe key (<see cref="ISignalInbox.FindAsync"/>).</summary>
/// <param name="Outcome">What applying it came to; null while it waits to be applied.</param>
/// <param name="Rejection">Why it was refused when applied, when it was.</param>
public sealed record RecordedSignal(InputOutcome? Outcome, InputRejection? Rejection = null);
