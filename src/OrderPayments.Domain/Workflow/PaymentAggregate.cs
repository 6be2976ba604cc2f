using System.Text.Json.Serialization;

namespace OrderPayments.Domain.Workflow;

/// <summary>
/// The running totals of one payment (the Vipps ePayment <c>aggregate</c>), the money truth.
/// A consistent aggregate has refunded ≤ captured ≤ authorized and, once anything is authorized,
/// captured + cancelled ≤ authorized. (A payment cancelled before authorization reports the whole amount as
/// cancelled with nothing authorized: Vipps' TERMINATED example.)
/// </summary>
/// <param name="Authorized">Reserved by the customer's approval.</param>
/// <param name="Captured">Charged so far.</param>
/// <param name="Cancelled">Released so far.</param>
/// <param name="Refunded">Paid back so far.</param>
public sealed record PaymentAggregate(Money Authorized, Money Captured, Money Cancelled, Money Refunded)
{
    /// <summary>All four totals zero.</summary>
    public static PaymentAggregate Zero(Currency currency) =>
        new(Money.Zero(currency), Money.Zero(currency), Money.Zero(currency), Money.Zero(currency));

    /// <summary>The reservation neither captured nor released yet (zero when nothing is authorized or the totals are inconsistent).</summary>
    [JsonIgnore]
    public Money Remaining =>
        IsConsistent && !Authorized.IsZero ? Authorized - Captured - Cancelled : Money.Zero(Authorized.Currency);

    /// <summary>
    /// Whether all totals share one currency, refunded ≤ captured ≤ authorized, and captured + cancelled ≤ authorized
    /// when anything is authorized.
    /// </summary>
    [JsonIgnore]
    public bool IsConsistent =>
        Captured.Currency == Authorized.Currency
        && Cancelled.Currency == Authorized.Currency
        && Refunded.Currency == Authorized.Currency
        && Refunded <= Captured
        && Captured <= Authorized
        && (Authorized.IsZero || Cancelled.Value <= Authorized.Value - Captured.Value);

    /// <summary>Each total the larger of the two: what is known after seeing both (totals never decrease).</summary>
    /// <exception cref="InvalidOperationException">The currencies differ.</exception>
    public PaymentAggregate MergeWith(PaymentAggregate other) => new(
        Money.Max(Authorized, other.Authorized),
        Money.Max(Captured, other.Captured),
        Money.Max(Cancelled, other.Cancelled),
        Money.Max(Refunded, other.Refunded));

    /// <inheritdoc />
    public override string ToString() =>
        $"authorized {Authorized}, captured {Captured}, cancelled {Cancelled}, refunded {Refunded}";
}
