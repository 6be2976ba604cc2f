using OrderPayments.Domain;

namespace OrderPayments.Vipps.EPayment;

/// <summary>The ePayment <c>CreatePaymentRequest</c> (the fields this project uses; the rest are left unset).</summary>
/// <param name="Amount">The amount to reserve.</param>
/// <param name="PaymentMethod">Always <c>WALLET</c> here.</param>
/// <param name="Reference">The merchant's reference, <c>^[a-zA-Z0-9-]{8,64}$</c>.</param>
/// <param name="UserFlow">How the customer reaches the payment.</param>
/// <param name="ReturnUrl">Where the customer returns to (redirect flows).</param>
/// <param name="PaymentDescription">Shown to the customer, 3 to 100 characters.</param>
/// <param name="Customer">The customer's phone number (required for push messages).</param>
public sealed record VippsCreatePaymentRequest(
    Money Amount,
    VippsPaymentMethod PaymentMethod,
    string Reference,
    UserFlow UserFlow,
    string? ReturnUrl,
    string? PaymentDescription,
    VippsCustomer? Customer);
