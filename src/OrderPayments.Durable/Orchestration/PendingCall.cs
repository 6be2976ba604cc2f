using OrderPayments.Domain.Workflow;

namespace OrderPayments.Durable.Orchestration;

/// <summary>A provider call the workflow asked for and whose outcome is not known yet (carried across generations).</summary>
/// <param name="Action">The call, with its idempotency key.</param>
/// <param name="Failures">Transient failures so far.</param>
/// <param name="DueAt">When the next attempt is due (after a failure); null: now.</param>
/// <param name="LastError">The last transient failure, when there was one.</param>
internal sealed record PendingCall(WorkflowAction Action, int Failures = 0, DateTimeOffset? DueAt = null, string? LastError = null);
