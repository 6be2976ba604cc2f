using System.Globalization;
using System.Text.Json.Serialization;

namespace OrderPayments.Domain;

/// <summary>
/// The merchant's reference for one payment attempt at the provider (Vipps: <c>^[a-zA-Z0-9-]{8,64}$</c>,
/// unique per merchant serial number). Each attempt of an order gets its own reference.
/// </summary>
[JsonConverter(typeof(StringValueJsonConverter<PaymentReference>))]
public readonly record struct PaymentReference : IStringValue<PaymentReference>
{
    /// <summary>The shortest reference Vipps accepts.</summary>
    public const int MinLength = 8;

    /// <summary>The longest reference Vipps accepts (ePayment API 1.8.1; 1.4.1 said 50).</summary>
    public const int MaxLength = 64;

    private PaymentReference(string value) => Value = value;

    /// <summary>The reference as sent to the provider.</summary>
    public string Value { get; }

    /// <summary>
    /// Derives the reference of an order's attempt: <c>{orderId}-{attempt}</c>, with the attempt number
    /// zero-padded when the order id is so short that the result would have fewer than 8 characters
    /// (<c>A1</c>, attempt 1 → <c>A1-00001</c>), and the order id shortened by a stable hash when the result
    /// would exceed 64. The same inputs always give the same reference; different attempts never do.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="attempt"/> is less than 1.</exception>
    public static PaymentReference For(OrderId orderId, int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var digits = attempt.ToString(CultureInfo.InvariantCulture);
        var width = Math.Max(digits.Length, MinLength - orderId.Value.Length - 1);
        return new PaymentReference(Identifiers.Compose(orderId, "-" + digits.PadLeft(width, '0'), MaxLength));
    }

    /// <summary>Validates a reference received from outside (a webhook, a provider response).</summary>
    /// <exception cref="FormatException">The text does not match <c>^[a-zA-Z0-9-]{8,64}$</c>; the message says why.</exception>
    public static PaymentReference Parse(string value) =>
        Identifiers.Check(value, "payment reference", MinLength, MaxLength) is { } error
            ? throw new FormatException(error)
            : new PaymentReference(value);

    /// <inheritdoc />
    public override string ToString() => Value;
}
