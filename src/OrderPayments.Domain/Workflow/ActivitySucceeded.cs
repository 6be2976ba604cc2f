namespace OrderPayments.Domain.Workflow;

/// <summary>An action completed at the provider.</summary>
/// <param name="Key">The action's idempotency key.</param>
/// <param name="Observation">The payment's state and totals after the call, when the provider returned them
/// (a query always should; Vipps modifications do). Without one, the workflow queries.</param>
/// <param name="RedirectUrl">For a create: where to send the customer (none for push messages).</param>
/// <param name="ProviderPaymentId">For a create: the provider's own id of the payment, when it assigns one (PayEx).</param>
public sealed record ActivitySucceeded(IdempotencyKey Key, PaymentObservation? Observation = null, string? RedirectUrl = null, string? ProviderPaymentId = null)
    : WorkflowInput;
