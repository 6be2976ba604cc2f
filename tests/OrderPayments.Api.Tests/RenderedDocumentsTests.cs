using System.Text.Json;
using OrderPayments.Application.Http;
using OrderPayments.Application.Workflows;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Api.Tests;

/// <summary>The status documents' JSON, served again while the order has not moved, and rendered anew when it has.</summary>
public sealed class RenderedDocumentsTests
{
    private static readonly DateTimeOffset At = new(2026, 5, 1, 10, 0, 0, TimeSpan.Zero);

    private static OrderPaymentDocument Document(long version = 1, int pending = 0, OrderPaymentFault? fault = null, DateTimeOffset? updatedAt = null)
    {
        var request = new PaymentRequest(OrderId.Parse("order-1"), new Money(1000, Currency.NOK), "Test order", UserFlow.WebRedirect, "https://shop.example/return");
        var state = new OrderPaymentWorkflow().Start(request, At, "test").State;
        return OrderPaymentDocument.From(new OrderPaymentSnapshot(state, version, updatedAt ?? At, pending, fault));
    }

    [Fact]
    public void Render_SameVersionAgain_ServesTheSameBytes()
    {
        var documents = new RenderedDocuments(16);

        var first = documents.Render(Document(), ApiJson.Options);
        var again = documents.Render(Document(), ApiJson.Options);

        again.ShouldBeSameAs(first);
        first.ShouldBe(JsonSerializer.SerializeToUtf8Bytes(Document(), ApiJson.Options));
    }

    [Theory]
    [InlineData(2, 0)]
    [InlineData(1, 1)]
    public void Render_NewVersionOrPendingSignal_RendersAnew(long version, int pending)
    {
        var documents = new RenderedDocuments(16);
        var first = documents.Render(Document(), ApiJson.Options);

        var changed = documents.Render(Document(version, pending), ApiJson.Options);

        changed.ShouldNotBeSameAs(first);
        changed.ShouldBe(JsonSerializer.SerializeToUtf8Bytes(Document(version, pending), ApiJson.Options));
    }

    [Fact]
    public void Render_DocumentWithAFault_IsNeverServedFromMemory()
    {
        var documents = new RenderedDocuments(16);
        var fault = new OrderPaymentFault(1, At, At, At.AddSeconds(1), "JsonException: bad");
        var first = documents.Render(Document(fault: fault), ApiJson.Options);

        var again = documents.Render(Document(fault: fault with { Attempts = 2 }), ApiJson.Options);

        again.ShouldNotBeSameAs(first);
        JsonDocument.Parse(again).RootElement.GetProperty("fault").GetProperty("attempts").GetInt32().ShouldBe(2);
    }
}
