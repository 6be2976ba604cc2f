namespace OrderPayments.Domain.Workflow;

/// <summary>
/// A verified webhook or callback said something happened to a payment. It is only a hint: the workflow
/// reads the payment (a query) and moves on what it reads, never on the hint's content.
/// </summary>
/// <param name="Reference">The payment the notification is about.</param>
/// <param name="EventName">The provider's event name (e.g. <c>AUTHORIZED</c>), for the history only.</param>
/// <param name="CausedBy">
/// The idempotency key of the request that caused the event, when the provider says. When it is one of the workflow's
/// own calls, that call's own result tells the outcome and no query is needed.
/// </param>
public sealed record ProviderNotified(PaymentReference Reference, string? EventName = null, IdempotencyKey? CausedBy = null) : WorkflowInput;
