namespace OrderPayments.Vipps.EPayment;

/// <summary>The ePayment <c>CreatePaymentResponse</c>.</summary>
/// <param name="Reference">The reference.</param>
/// <param name="RedirectUrl">Where to send the customer; absent for <c>PUSH_MESSAGE</c>.</param>
public sealed record VippsCreatePaymentResponse(string Reference, string? RedirectUrl);
