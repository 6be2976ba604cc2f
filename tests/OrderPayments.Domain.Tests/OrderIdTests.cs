using System.Text.Json;
using OrderPayments.Domain.Serialization;

namespace OrderPayments.Domain.Tests;

public sealed class OrderIdTests
{
    [Theory]
    [InlineData("A")]
    [InlineData("order-42")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567-9")]
    public void Parse_ValidId_KeepsItAsGiven(string text) => OrderId.Parse(text).Value.ShouldBe(text);

    [Fact]
    public void Parse_Empty_SaysItIsRequired() =>
        Should.Throw<FormatException>(() => OrderId.Parse("")).Message.ShouldBe("The order id is required.");

    [Fact]
    public void Parse_61Characters_SaysTheLengthLimit() =>
        Should.Throw<FormatException>(() => OrderId.Parse(new string('a', 61))).Message
            .ShouldBe("The order id must be 1 to 60 characters long; it has 61.");

    [Fact]
    public void Parse_ForbiddenCharacter_NamesItsPosition() =>
        Should.Throw<FormatException>(() => OrderId.Parse("order_42")).Message
            .ShouldBe("The order id may only contain the letters A-Z and a-z, digits and '-'; position 6 has '_'.");

    [Fact]
    public void Parse_NonAsciiLetter_IsRefused() => OrderId.TryParse("ordré", out _, out var error).ShouldBeFalse();

    [Fact]
    public void TryParse_Null_ReturnsFalseWithReason()
    {
        OrderId.TryParse(null, out _, out var error).ShouldBeFalse();
        error.ShouldBe("The order id is required.");
    }

    [Fact]
    public void Json_RoundTrip_IsAPlainString()
    {
        var json = JsonSerializer.Serialize(OrderId.Parse("order-42"), OrderPaymentsJson.Options);

        json.ShouldBe("\"order-42\"");
        JsonSerializer.Deserialize<OrderId>(json, OrderPaymentsJson.Options).ShouldBe(OrderId.Parse("order-42"));
    }

    [Fact]
    public void Json_InvalidId_ThrowsJsonExceptionWithReason() =>
        Should.Throw<JsonException>(() => JsonSerializer.Deserialize<OrderId>("\"a b\"", OrderPaymentsJson.Options))
            .Message.ShouldContain("position 2");
}
