using OrderPayments.Domain;
using Microsoft.Extensions.Options;

namespace OrderPayments.PayEx.Tests;

public sealed class PayExReferencesTests
{
    [Fact]
    public void For_AnyKey_IsThirtyLettersAndDigits()
    {
        var reference = PayExReferences.For(IdempotencyKey.For(OrderId.Parse(new string('x', 60)), 3, "capture", 12));

        reference.Length.ShouldBe(30);
        reference.ShouldAllBe(c => char.IsAsciiLetterOrDigit(c));
    }

    [Fact]
    public void For_SameKey_IsStable_OtherKey_Differs()
    {
        var key = IdempotencyKey.For(OrderId.Parse("order-1"), 1, "capture", 1);

        PayExReferences.For(key).ShouldBe(PayExReferences.For(key));
        PayExReferences.For(IdempotencyKey.For(OrderId.Parse("order-1"), 1, "capture", 2)).ShouldNotBe(PayExReferences.For(key));
    }
}

public sealed class PayExOptionsValidatorTests
{
    [Fact]
    public void Validate_MissingTokenAndPayee_NamesBoth()
    {
        var result = new PayExOptionsValidator().Validate(null, new PayExOptions());

        result.Failed.ShouldBeTrue();
        result.FailureMessage.ShouldContain("PayEx:AccessToken");
        result.FailureMessage.ShouldContain("PayEx:PayeeId");
    }

    [Fact]
    public void Validate_Complete_Succeeds() =>
        new PayExOptionsValidator().Validate(null, new PayExOptions { AccessToken = "t", PayeeId = "p" }).ShouldBe(ValidateOptionsResult.Success);
}
