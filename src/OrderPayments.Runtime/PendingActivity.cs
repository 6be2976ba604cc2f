using OrderPayments.Domain.Workflow;

namespace OrderPayments.Runtime;

/// <summary>A provider call not completed yet: how often it was tried, when it is tried next, and why the last try failed.</summary>
/// <param name="Action">The action.</param>
/// <param name="Attempts">Failed attempts so far.</param>
/// <param name="NextAttemptAt">When it is tried next.</param>
/// <param name="LastError">The last transient error, when there was one.</param>
public sealed record PendingActivity(WorkflowAction Action, int Attempts, DateTimeOffset NextAttemptAt, string? LastError);
