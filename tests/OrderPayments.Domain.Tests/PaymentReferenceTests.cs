using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;

namespace OrderPayments.Domain.Tests;

public sealed partial class PaymentReferenceTests
{
    [Fact]
    public void For_OrdinaryOrderId_IsOrderIdDashAttempt() =>
        PaymentReference.For(OrderId.Parse("order-42"), 1).Value.ShouldBe("order-42-1");

    [Fact]
    public void For_ShortOrderId_PadsTheAttemptToEightCharacters() =>
        PaymentReference.For(OrderId.Parse("A1"), 3).Value.ShouldBe("A1-00003");

    [Fact]
    public void For_SecondAttempt_GivesANewReference() =>
        PaymentReference.For(OrderId.Parse("order-42"), 2).ShouldNotBe(PaymentReference.For(OrderId.Parse("order-42"), 1));

    [Fact]
    public void For_LongestOrderIdAndLargeAttempt_FitsIn64AndStaysDistinct()
    {
        var a = OrderId.Parse(new string('a', 59) + "1");
        var b = OrderId.Parse(new string('a', 59) + "2");

        var ra = PaymentReference.For(a, 12345);
        var rb = PaymentReference.For(b, 12345);

        ra.Value.Length.ShouldBeLessThanOrEqualTo(64);
        ra.ShouldNotBe(rb);
        ra.ShouldBe(PaymentReference.For(a, 12345));
    }

    [Fact]
    public void For_AttemptZero_Throws() =>
        Should.Throw<ArgumentOutOfRangeException>(() => PaymentReference.For(OrderId.Parse("order-42"), 0));

    [Fact]
    public void For_AnyOrderIdAndAttempt_MatchesTheVippsPattern() =>
        Prop.ForAll(Generators.OrderIds.ToArbitrary(), Gen.Choose(1, 100_000).ToArbitrary(), (id, attempt) =>
                VippsReference().IsMatch(PaymentReference.For(id, attempt).Value))
            .Check(Generators.Config);

    [Fact]
    public void For_DistinctOrderAttemptPairs_GiveDistinctReferences() =>
        Prop.ForAll(Generators.OrderIds.ToArbitrary(), Generators.OrderIds.ToArbitrary(), Gen.Choose(1, 30).Zip(Gen.Choose(1, 30)).ToArbitrary(), (a, b, attempts) =>
                (a == b && attempts.Item1 == attempts.Item2) || PaymentReference.For(a, attempts.Item1) != PaymentReference.For(b, attempts.Item2))
            .Check(Generators.Config);

    [Theory]
    [InlineData("short")]
    [InlineData("has space 123")]
    public void Parse_InvalidReference_Throws(string text) => Should.Throw<FormatException>(() => PaymentReference.Parse(text));

    [GeneratedRegex("^[a-zA-Z0-9-]{8,64}$")]
    private static partial Regex VippsReference();
}
