using OrderPayments.Application.Http;
using OrderPayments.Application.Workflows;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Application.Tests.Http;

/// <summary>Issue 27: the status document's ETag names exactly what the document is a function of.</summary>
public sealed class EntityTagsTests
{
    private static readonly DateTimeOffset At = new(2026, 5, 1, 10, 0, 0, TimeSpan.Zero);

    private static OrderPaymentSnapshot Snapshot(long version = 7, int pending = 0, OrderPaymentFault? fault = null)
    {
        var request = new PaymentRequest(OrderId.Parse("order-1"), new Money(1000, Currency.NOK), "Test order", UserFlow.WebRedirect, "https://shop.example/return");
        return new OrderPaymentSnapshot(new OrderPaymentWorkflow().Start(request, At, "test").State, version, At, pending, fault);
    }

    [Fact]
    public void Of_NothingPendingNoFault_IsTheQuotedVersion() => EntityTags.Of(Snapshot()).ShouldBe("\"7\"");

    [Fact]
    public void Of_PendingSignalsOrAFault_DiffersFromTheVersionAlone()
    {
        var fault = new OrderPaymentFault(2, At, At, At.AddSeconds(1), "JsonException: bad");
        string[] tags = [EntityTags.Of(Snapshot()), EntityTags.Of(Snapshot(pending: 1)), EntityTags.Of(Snapshot(pending: 1, fault: fault)), EntityTags.Of(Snapshot(pending: 1, fault: fault with { Attempts = 3 }))];

        tags.Distinct().Count().ShouldBe(4);
    }

    [Theory]
    [InlineData("\"7\"", true)]
    [InlineData("W/\"7\"", true)]
    [InlineData("\"6\", \"7\"", true)]
    [InlineData("*", true)]
    [InlineData("\"6\"", false)]
    [InlineData("7", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Matches_IfNoneMatchValue_ComparesTagsWeakly(string? ifNoneMatch, bool expected) =>
        EntityTags.Matches(ifNoneMatch, "\"7\"").ShouldBe(expected);
}
