using System.Text.Json.Serialization;

namespace OrderPayments.Domain;

/// <summary>
/// The ISO 4217 currencies Vipps MobilePay accepts. Every one of them has two minor-unit digits.
/// Serialized as its name (<c>"NOK"</c>); the numeric values are fixed because states are persisted.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<Currency>))]
public enum Currency
{
    /// <summary>Norwegian krone (Vipps, Norwegian sales units).</summary>
    NOK = 1,

    /// <summary>Danish krone (MobilePay, Danish sales units).</summary>
    DKK = 2,

    /// <summary>Euro (MobilePay, Finnish sales units).</summary>
    EUR = 3,
}
