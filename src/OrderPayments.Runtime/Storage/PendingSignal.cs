using OrderPayments.Domain.Workflow;

namespace OrderPayments.Runtime.Storage;

/// <summary>A recorded signal not applied yet, in arrival order.</summary>
internal sealed record PendingSignal(long Seq, WorkflowInput Input, DateTimeOffset ReceivedAt);
