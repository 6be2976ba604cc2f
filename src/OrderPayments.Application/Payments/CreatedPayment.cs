namespace OrderPayments.Application.Payments;

/// <summary>The provider created the payment.</summary>
/// <param name="RedirectUrl">Where to send the customer; none for push messages.</param>
public sealed record CreatedPayment(string? RedirectUrl);
