using FsCheck;
using FsCheck.Fluent;

namespace OrderPayments.Domain.Tests;

public sealed class IdempotencyKeyTests
{
    [Fact]
    public void For_OrdinaryOrderId_IsOrderAttemptOperationSequence() =>
        IdempotencyKey.For(OrderId.Parse("order-42"), 1, "capture", 2).Value.ShouldBe("order-42-1-capture-2");

    [Fact]
    public void For_SixtyCharacterOrderId_ShortensByStableHashWithin50()
    {
        var id = OrderId.Parse(new string('x', 60));

        var key = IdempotencyKey.For(id, 1, "capture", 1);

        key.Value.Length.ShouldBeLessThanOrEqualTo(50);
        key.Value.ShouldEndWith("-1-capture-1");
        key.ShouldBe(IdempotencyKey.For(id, 1, "capture", 1));
    }

    [Fact]
    public void For_LongOrderIdsSharingAPrefix_GiveDifferentKeys() =>
        IdempotencyKey.For(OrderId.Parse(new string('x', 59) + "a"), 1, "refund", 1)
            .ShouldNotBe(IdempotencyKey.For(OrderId.Parse(new string('x', 59) + "b"), 1, "refund", 1));

    [Theory]
    [InlineData("")]
    [InlineData("Capture")]
    [InlineData("toolongop")]
    [InlineData("cap-ture")]
    public void For_OperationNotLowercaseLetters_Throws(string operation) =>
        Should.Throw<ArgumentException>(() => IdempotencyKey.For(OrderId.Parse("order-42"), 1, operation, 1));

    [Fact]
    public void For_AnyInputs_IsAtMost50CharactersOfTheSafeAlphabet() =>
        Prop.ForAll(Generators.OrderIds.ToArbitrary(), Gen.Choose(1, 9999).ToArbitrary(), Gen.Choose(1, 999_999).ToArbitrary(), (id, attempt, n) =>
            {
                var key = IdempotencyKey.For(id, attempt, "release", n).Value;
                return key.Length <= 50 && key.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
            })
            .Check(Generators.Config);

    [Fact]
    public void For_DistinctInputs_GiveDistinctKeys() =>
        Prop.ForAll(Generators.OrderIds.ToArbitrary(), Gen.Choose(1, 3).Zip(Gen.Choose(1, 3)).ToArbitrary(), Gen.Elements("capture", "refund").ToArbitrary(), (id, numbers, op) =>
            {
                var (attempt, n) = numbers;
                return IdempotencyKey.For(id, attempt, op, n) != IdempotencyKey.For(id, attempt, op, n + 1)
                && IdempotencyKey.For(id, attempt, op, n) != IdempotencyKey.For(id, attempt + 1, op, n)
                && IdempotencyKey.For(id, attempt, "capture", n) != IdempotencyKey.For(id, attempt, "refund", n);
            })
            .Check(Generators.Config);

    [Fact]
    public void Parse_TooLong_Throws() => Should.Throw<FormatException>(() => IdempotencyKey.Parse(new string('k', 51)));
}
