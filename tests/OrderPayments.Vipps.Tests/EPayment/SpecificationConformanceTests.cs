using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrderPayments.Domain;
using OrderPayments.Vipps.EPayment;

namespace OrderPayments.Vipps.Tests.EPayment;

/// <summary>Our requests and enums against the official ePayment specification (v1.8.1) in ../shared.</summary>
public sealed class SpecificationConformanceTests
{
    private static readonly OpenApiText Spec = new(RepositoryFiles.Shared("vipps/epayment/epayment-swagger-id.v1.8.1.yaml"));

    private static async Task<JsonObject> SentBody(Func<VippsTestHost, Task> call)
    {
        using var host = new VippsTestHost();
        host.Handler.Respond = (_, _) => Task.FromResult(FakeVippsHandler.Json(HttpStatusCode.OK, PaymentJson.Captured250));
        await call(host);
        return JsonNode.Parse(host.Handler.ApiRequests.Single().Body!)!.AsObject();
    }

    private static void ShouldConformTo(JsonObject body, string schema)
    {
        Spec.Properties(schema).ShouldNotBeEmpty($"no properties read for {schema}");
        body.Select(p => p.Key).ShouldBeSubsetOf(Spec.Properties(schema), $"a field we send is not in {schema}");
        Spec.Required(schema).ShouldBeSubsetOf(body.Select(p => p.Key), $"a required field of {schema} is missing");
    }

    [Fact]
    public void Reader_CreatePaymentRequest_FindsItsRequiredFieldsAndProperties()
    {
        Spec.Required("CreatePaymentRequest").ShouldBe(["amount", "paymentMethod", "reference", "userFlow"]);
        Spec.Properties("CreatePaymentRequest").ShouldContain("paymentDescription");
        Spec.Properties("CreatePaymentRequest").ShouldNotContain("type");
    }

    [Fact]
    public async Task CreatePayment_Body_HasTheRequiredFieldsAndOnlyKnownOnes()
    {
        var body = await SentBody(host => host.EPayment.CreatePaymentAsync(
            new VippsCreatePaymentRequest(new Money(100, Currency.NOK), new VippsPaymentMethod(VippsPaymentMethod.Wallet), "order-42-1", UserFlow.PushMessage, "https://shop.example/r", "Books", new VippsCustomer("4712345678")),
            IdempotencyKey.Parse("order-42-1-create-1"),
            CancellationToken.None));

        ShouldConformTo(body, "CreatePaymentRequest");
        ShouldConformTo(body["amount"]!.AsObject(), "Amount");
    }

    [Fact]
    public async Task Capture_Body_ConformsToCaptureModificationRequest() =>
        ShouldConformTo(await SentBody(host => host.EPayment.CaptureAsync(PaymentReference.Parse("order-42-1"), new Money(1, Currency.NOK), IdempotencyKey.Parse("k-1"), CancellationToken.None)), "CaptureModificationRequest");

    [Fact]
    public async Task Refund_Body_ConformsToRefundModificationRequest() =>
        ShouldConformTo(await SentBody(host => host.EPayment.RefundAsync(PaymentReference.Parse("order-42-1"), new Money(1, Currency.NOK), IdempotencyKey.Parse("k-1"), CancellationToken.None)), "RefundModificationRequest");

    [Fact]
    public async Task Cancel_Body_ConformsToCancelModificationRequest() =>
        ShouldConformTo(await SentBody(host => host.EPayment.CancelAsync(PaymentReference.Parse("order-42-1"), true, IdempotencyKey.Parse("k-1"), CancellationToken.None)), "CancelModificationRequest");

    [Fact]
    public void UserFlow_JsonValues_AreTheSpecificationsEnum() =>
        Enum.GetValues<UserFlow>().Select(f => JsonSerializer.Serialize(f).Trim('"'))
            .ShouldBe(Spec.Enum("CreatePaymentRequest", "userFlow"), ignoreOrder: true);

    [Fact]
    public void PaymentState_JsonValues_AreTheSpecificationsEnum() =>
        Enum.GetValues<VippsPaymentState>().Select(s => JsonSerializer.Serialize(s).Trim('"'))
            .ShouldBe(Spec.Enum("State"), ignoreOrder: true);

    [Fact]
    public void Currency_Names_AreTheSpecificationsEnum() =>
        Enum.GetNames<Currency>().ShouldBe(Spec.Enum("Currency"), ignoreOrder: true);

    [Fact]
    public void Aggregate_Model_ReadsEveryRequiredTotal() =>
        typeof(VippsAggregate).GetProperties().Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name))
            .ShouldBe(Spec.Required("Aggregate"), ignoreOrder: true);

    [Fact]
    public void PaymentReference_Pattern_IsTheSpecifications() =>
        File.ReadAllText(RepositoryFiles.Shared("vipps/epayment/epayment-swagger-id.v1.8.1.yaml"))
            .ShouldContain("pattern: ^[a-zA-Z0-9-]{8,64}$");
}
