using OrderPayments.Domain.Workflow;

namespace OrderPayments.Runtime.Storage;

/// <summary>A stored order: its state, its version (for optimistic concurrency) and when it last changed.</summary>
internal sealed record InstanceRow(OrderPaymentState State, long Version, DateTimeOffset UpdatedAt);
