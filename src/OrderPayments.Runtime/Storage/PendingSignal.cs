using OrderPayments.Domain.Workflow;

namespace OrderPayments.Runtime.Storage;

/// <summary>A recorded signal not applied yet, in arrival order, with its stored JSON (reused for the history row).</summary>
internal sealed record PendingSignal(long Seq, WorkflowInput Input, string InputJson, DateTimeOffset ReceivedAt, string? TraceParent = null);
