namespace OrderPayments.Vipps.EPayment;

/// <summary>The ePayment <c>PaymentMethod</c>: <c>WALLET</c> (the app) or <c>CARD</c> (web redirect only).</summary>
/// <param name="Type">The method.</param>
/// <param name="CardBin">The card's BIN, in responses, when known.</param>
public sealed record VippsPaymentMethod(string Type, string? CardBin = null)
{
    /// <summary>Payment in the Vipps MobilePay app.</summary>
    public const string Wallet = "WALLET";
}
