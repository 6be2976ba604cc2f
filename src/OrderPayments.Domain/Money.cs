using System.Globalization;
using System.Text.Json.Serialization;

namespace OrderPayments.Domain;

/// <summary>
/// An amount of money in minor units (øre, cents) of one currency. Never negative, never floating point.
/// </summary>
/// <remarks>
/// Arithmetic and comparison refuse to mix currencies (<see cref="InvalidOperationException"/>), and a
/// subtraction whose result would be negative throws rather than wrapping. Serializes as
/// <c>{ "value": 1000, "currency": "NOK" }</c>, the shape the Vipps API uses.
/// </remarks>
public readonly record struct Money : IComparable<Money>
{
    /// <summary>Creates an amount.</summary>
    /// <param name="value">The amount in minor units; must be zero or more.</param>
    /// <param name="currency">A defined <see cref="Domain.Currency"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or the currency is not defined.</exception>
    [JsonConstructor]
    public Money(long value, Currency currency)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        if (!Enum.IsDefined(currency))
        {
            throw new ArgumentOutOfRangeException(nameof(currency), currency, "The currency must be NOK, DKK or EUR.");
        }

        Value = value;
        Currency = currency;
    }

    /// <summary>The amount in minor units (1 NOK = 100).</summary>
    public long Value { get; }

    /// <summary>The currency of the amount.</summary>
    public Currency Currency { get; }

    /// <summary>Whether the amount is zero.</summary>
    [JsonIgnore]
    public bool IsZero => Value == 0;

    /// <summary>Zero in the given currency.</summary>
    public static Money Zero(Currency currency) => new(0, currency);

    /// <summary>Adds two amounts of the same currency.</summary>
    /// <exception cref="InvalidOperationException">The currencies differ.</exception>
    /// <exception cref="OverflowException">The sum does not fit in 64 bits.</exception>
    public static Money operator +(Money left, Money right)
    {
        EnsureSameCurrency(left, right);
        return new Money(checked(left.Value + right.Value), left.Currency);
    }

    /// <summary>Subtracts an amount of the same currency.</summary>
    /// <exception cref="InvalidOperationException">The currencies differ, or the result would be negative.</exception>
    public static Money operator -(Money left, Money right)
    {
        EnsureSameCurrency(left, right);
        if (right.Value > left.Value)
        {
            throw new InvalidOperationException($"Subtracting {right} from {left} would give a negative amount.");
        }

        return new Money(left.Value - right.Value, left.Currency);
    }

    /// <summary>Compares two amounts of the same currency.</summary>
    public static bool operator <(Money left, Money right) => left.CompareTo(right) < 0;

    /// <summary>Compares two amounts of the same currency.</summary>
    public static bool operator >(Money left, Money right) => left.CompareTo(right) > 0;

    /// <summary>Compares two amounts of the same currency.</summary>
    public static bool operator <=(Money left, Money right) => left.CompareTo(right) <= 0;

    /// <summary>Compares two amounts of the same currency.</summary>
    public static bool operator >=(Money left, Money right) => left.CompareTo(right) >= 0;

    /// <summary>The larger of two amounts of the same currency.</summary>
    public static Money Max(Money left, Money right) => left >= right ? left : right;

    /// <summary>The smaller of two amounts of the same currency.</summary>
    public static Money Min(Money left, Money right) => left <= right ? left : right;

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The currencies differ.</exception>
    public int CompareTo(Money other)
    {
        EnsureSameCurrency(this, other);
        return Value.CompareTo(other.Value);
    }

    /// <summary>The amount in major units with two decimals and the currency, e.g. <c>499.00 NOK</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Value / 100}.{Value % 100:D2} {Currency}");

    private static void EnsureSameCurrency(Money left, Money right)
    {
        if (left.Currency != right.Currency)
        {
            throw new InvalidOperationException(
                $"Cannot combine amounts in different currencies ({left.Currency} and {right.Currency}).");
        }
    }
}
