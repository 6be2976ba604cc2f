using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace OrderPayments.Domain;

/// <summary>The payment provider an order pays through; chosen per order.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PaymentProvider>))]
public enum PaymentProvider
{
    /// <summary>Vipps MobilePay ePayment API, directly.</summary>
    Vipps = 1,

    /// <summary>Vipps through PayEx (Swedbank Pay) "Vipps direct API". Before authorization it is aborted, not cancelled.</summary>
    [SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "PayEx is the provider's name.")]
    PayEx = 2,
}
