namespace OrderPayments.Domain.Workflow;

/// <summary>The provider's state and totals, as read from it. May be stale, duplicated or out of order.</summary>
/// <param name="Observation">What was observed.</param>
public sealed record ProviderObserved(PaymentObservation Observation) : WorkflowInput;
