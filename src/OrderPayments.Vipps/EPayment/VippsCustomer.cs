namespace OrderPayments.Vipps.EPayment;

/// <summary>The ePayment <c>Customer</c> (one of): the phone number as MSISDN digits, e.g. <c>4712345678</c>.</summary>
/// <param name="PhoneNumber">The customer's phone number.</param>
public sealed record VippsCustomer(string PhoneNumber);
