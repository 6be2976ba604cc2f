using System.Text.Json;
using OrderPayments.Domain.Serialization;

namespace OrderPayments.Domain.Tests;

public sealed class MoneyTests
{
    private static Money Nok(long value) => new(value, Currency.NOK);

    [Fact]
    public void Constructor_NegativeValue_Throws() =>
        Should.Throw<ArgumentOutOfRangeException>(() => new Money(-1, Currency.NOK));

    [Fact]
    public void Constructor_UndefinedCurrency_Throws() =>
        Should.Throw<ArgumentOutOfRangeException>(() => new Money(1, (Currency)99)).Message.ShouldContain("NOK, DKK or EUR");

    [Fact]
    public void Add_SameCurrency_AddsMinorUnits() => (Nok(150) + Nok(250)).ShouldBe(Nok(400));

    [Fact]
    public void Add_MixedCurrencies_Throws() =>
        Should.Throw<InvalidOperationException>(() => Nok(1) + new Money(1, Currency.EUR)).Message.ShouldContain("NOK and EUR");

    [Fact]
    public void Add_Overflow_Throws() =>
        Should.Throw<OverflowException>(() => Nok(long.MaxValue) + Nok(1));

    [Fact]
    public void Subtract_ResultWouldBeNegative_Throws() =>
        Should.Throw<InvalidOperationException>(() => Nok(100) - Nok(101)).Message.ShouldContain("negative");

    [Fact]
    public void Subtract_SameCurrency_SubtractsMinorUnits() => (Nok(1000) - Nok(250)).ShouldBe(Nok(750));

    [Fact]
    public void Compare_MixedCurrencies_Throws() =>
        Should.Throw<InvalidOperationException>(() => Nok(1) < new Money(2, Currency.DKK));

    [Fact]
    public void ToString_MinorUnits_ShowsMajorUnitsWithTwoDecimals() => Nok(49905).ToString().ShouldBe("499.05 NOK");

    [Fact]
    public void Serialize_WithSharedOptions_UsesTheVippsAmountShape()
    {
        var json = JsonSerializer.Serialize(new Money(1000, Currency.DKK), OrderPaymentsJson.Options);

        json.ShouldBe("""{"value":1000,"currency":"DKK"}""");
        JsonSerializer.Deserialize<Money>(json, OrderPaymentsJson.Options).ShouldBe(new Money(1000, Currency.DKK));
    }
}
