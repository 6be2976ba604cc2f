namespace OrderPayments.Domain.Workflow;

/// <summary>
/// A verified webhook or callback said something happened to a payment. It is only a hint: the workflow
/// reads the payment (a query) and moves on what it reads, never on the hint's content.
/// </summary>
/// <param name="Reference">The payment the notification is about.</param>
/// <param name="EventName">The provider's event name (e.g. <c>AUTHORIZED</c>), for the history only.</param>
public sealed record ProviderNotified(PaymentReference Reference, string? EventName = null) : WorkflowInput;
