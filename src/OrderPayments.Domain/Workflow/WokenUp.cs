namespace OrderPayments.Domain.Workflow;

/// <summary>
/// The interpreter's timer fired (at or after the step's wake-up time). The workflow does whatever is due
/// at the current time; early or repeated wake-ups do nothing.
/// </summary>
public sealed record WokenUp : WorkflowInput;
