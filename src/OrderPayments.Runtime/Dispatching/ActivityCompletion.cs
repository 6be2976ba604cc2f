using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Runtime.Dispatching;

/// <summary>What an activity attempt produced: a workflow input, or a time to try again.</summary>
internal sealed record ActivityCompletion(string InstanceId, IdempotencyKey Key, WorkflowInput? Result, DateTimeOffset? RetryAt, string? Error, string? TraceParent = null);
