using OrderPayments.Domain.Workflow;

namespace OrderPayments.Durable.Signals;

/// <summary>A signal recorded in an order's inbox and not yet marked applied, with its place there.</summary>
/// <param name="Sequence">Its place in the order's inbox (from 1, in the order recorded).</param>
/// <param name="DedupeKey">The signal's identity.</param>
/// <param name="Signal">The workflow input.</param>
internal sealed record InboxSignal(long Sequence, string DedupeKey, WorkflowInput Signal);
