namespace OrderPayments.Domain.Workflow;

/// <summary>Create the payment for the current attempt. Succeeds with the redirect URL (none for push messages).</summary>
/// <param name="Key">The idempotency key.</param>
/// <param name="Reference">The new attempt's reference.</param>
/// <param name="Provider">Which provider to create it at.</param>
/// <param name="Amount">The amount to reserve.</param>
/// <param name="Description">Shown to the customer.</param>
/// <param name="UserFlow">How the customer reaches the payment.</param>
/// <param name="ReturnUrl">Where the customer returns to, for redirect flows.</param>
/// <param name="PhoneNumber">The customer's phone number (MSISDN digits), when given.</param>
public sealed record CreatePayment(
    IdempotencyKey Key,
    PaymentReference Reference,
    PaymentProvider Provider,
    Money Amount,
    string Description,
    UserFlow UserFlow,
    string? ReturnUrl,
    string? PhoneNumber) : WorkflowAction(Key, Reference)
{
    /// <inheritdoc />
    public override ActionKind Kind => ActionKind.Create;
}
