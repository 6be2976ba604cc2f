using OrderPayments.Domain.Workflow;

namespace OrderPayments.Application.Workflows;

/// <summary>An order's workflow state as last committed.</summary>
/// <param name="State">The workflow state (status, amounts, history, problems).</param>
/// <param name="Version">Increases with every committed step.</param>
/// <param name="UpdatedAt">When the last step was committed.</param>
/// <param name="PendingSignals">Signals recorded but not applied yet.</param>
/// <param name="Fault">
/// The runtime's failure to step the order, while it lasts; null when the order steps normally (and always on the
/// Durable Functions host, whose engine retries on its own).
/// </param>
public sealed record OrderPaymentSnapshot(OrderPaymentState State, long Version, DateTimeOffset UpdatedAt, int PendingSignals, OrderPaymentFault? Fault = null);
