using OrderPayments.Application.Reports;

namespace OrderPayments.Application.Tests.Reports;

public sealed class OrderCursorTests
{
    [Fact]
    public void TryParse_TextOfACursor_GivesTheSameCursor()
    {
        var cursor = new OrderCursor(new DateTimeOffset(2026, 5, 1, 10, 30, 0, 123, TimeSpan.Zero), "order-1");

        OrderCursor.TryParse(cursor.ToString(), out var parsed).ShouldBeTrue();

        parsed.ShouldBe(cursor);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a cursor")]
    [InlineData("MTIzOm9yZGVyXzE")] // "123:order_1": not an order id
    [InlineData("b3JkZXItMQ")] // "order-1": no time
    [InlineData("LTE6b3JkZXItMQ")] // "-1:order-1": a negative time
    public void TryParse_AnythingElse_IsRefused(string text)
    {
        OrderCursor.TryParse(text, out var parsed).ShouldBeFalse();

        parsed.ShouldBeNull();
    }
}
