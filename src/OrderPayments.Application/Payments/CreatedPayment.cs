namespace OrderPayments.Application.Payments;

/// <summary>The provider created the payment.</summary>
/// <param name="RedirectUrl">Where to send the customer; none for push messages.</param>
/// <param name="ProviderPaymentId">The provider's own id of the payment, when it assigns one (PayEx); later calls carry it.</param>
public sealed record CreatedPayment(string? RedirectUrl, string? ProviderPaymentId = null);
