using System.Net;
using System.Text.Json.Nodes;
using OrderPayments.Domain;
using OrderPayments.Vipps.EPayment;

namespace OrderPayments.Vipps.Tests.EPayment;

public sealed class VippsEPaymentClientTests
{
    private static readonly PaymentReference Reference = PaymentReference.Parse("order-42-1");
    private static readonly IdempotencyKey Key = IdempotencyKey.Parse("order-42-1-capture-1");

    private static Money Nok(long value) => new(value, Currency.NOK);

    private static JsonNode Body(RecordedRequest request) => JsonNode.Parse(request.Body!)!;

    private static void ShouldCarryTheCommonHeaders(RecordedRequest request)
    {
        request.Header("Authorization").ShouldBe("Bearer token-1");
        request.Header("Ocp-Apim-Subscription-Key").ShouldBe("subscription-key-1");
        request.Header("Merchant-Serial-Number").ShouldBe("123456");
        request.Header("Vipps-System-Name").ShouldBe("acme-shop");
        request.Header("Vipps-System-Version").ShouldBe("3.1.2");
        request.Header("Vipps-System-Plugin-Name").ShouldBe("acme-orderpayments");
        request.Header("Vipps-System-Plugin-Version").ShouldBe("4.5.6");
    }

    [Fact]
    public async Task CreatePayment_WebRedirect_PostsTheSpecShapeWithTheCallersKey()
    {
        using var host = new VippsTestHost();
        host.Handler.Respond = (_, _) => Task.FromResult(FakeVippsHandler.Json(HttpStatusCode.Created,
            """{"redirectUrl":"https://landing.vipps.no?token=abc","reference":"order-42-1"}"""));

        var created = await host.EPayment.CreatePaymentAsync(
            new VippsCreatePaymentRequest(Nok(49900), new VippsPaymentMethod("WALLET"), "order-42-1", UserFlow.WebRedirect, "https://shop.example/return", "Two books", null),
            IdempotencyKey.Parse("order-42-1-create-1"),
            CancellationToken.None);

        created.RedirectUrl.ShouldBe("https://landing.vipps.no?token=abc");
        var request = host.Handler.ApiRequests.ShouldHaveSingleItem();
        request.Method.ShouldBe(HttpMethod.Post);
        request.Uri.ShouldBe(new Uri("https://apitest.vipps.no/epayment/v1/payments"));
        request.Header("Idempotency-Key").ShouldBe("order-42-1-create-1");
        request.ContentType.ShouldBe("application/json");
        ShouldCarryTheCommonHeaders(request);
        Body(request).ToJsonString().ShouldBe("""
            {"amount":{"value":49900,"currency":"NOK"},"paymentMethod":{"type":"WALLET"},"reference":"order-42-1","userFlow":"WEB_REDIRECT","returnUrl":"https://shop.example/return","paymentDescription":"Two books"}
            """);
    }

    [Fact]
    public async Task CreatePayment_PushMessage_SendsTheCustomersPhoneNumber()
    {
        using var host = new VippsTestHost();
        host.Handler.Respond = (_, _) => Task.FromResult(FakeVippsHandler.Json(HttpStatusCode.Created, """{"reference":"order-42-1"}"""));

        var created = await host.EPayment.CreatePaymentAsync(
            new VippsCreatePaymentRequest(Nok(100), new VippsPaymentMethod("WALLET"), "order-42-1", UserFlow.PushMessage, null, "Books", new VippsCustomer("4712345678")),
            IdempotencyKey.Parse("order-42-1-create-1"),
            CancellationToken.None);

        created.RedirectUrl.ShouldBeNull();
        var body = Body(host.Handler.ApiRequests.Single());
        body["userFlow"]!.GetValue<string>().ShouldBe("PUSH_MESSAGE");
        body["customer"]!["phoneNumber"]!.GetValue<string>().ShouldBe("4712345678");
        body["returnUrl"].ShouldBeNull();
    }

    [Fact]
    public async Task GetPayment_ReadsStateAndAggregateWithoutAnIdempotencyKey()
    {
        using var host = new VippsTestHost();
        host.Handler.Respond = (_, _) => Task.FromResult(FakeVippsHandler.Json(HttpStatusCode.OK, PaymentJson.Authorized));

        var payment = await host.EPayment.GetPaymentAsync(Reference, CancellationToken.None);

        payment.State.ShouldBe(VippsPaymentState.Authorized);
        payment.Aggregate.AuthorizedAmount.ShouldBe(Nok(1000));
        payment.PaymentMethod!.Type.ShouldBe("WALLET");
        var request = host.Handler.ApiRequests.ShouldHaveSingleItem();
        request.Method.ShouldBe(HttpMethod.Get);
        request.Path.ShouldBe("/epayment/v1/payments/order-42-1");
        request.Header("Idempotency-Key").ShouldBeNull();
        request.Body.ShouldBeNull();
        ShouldCarryTheCommonHeaders(request);
    }

    [Fact]
    public async Task GetPaymentEvents_ReadsTheLogIncludingEventsWithoutAKey()
    {
        using var host = new VippsTestHost();
        host.Handler.Respond = (_, _) => Task.FromResult(FakeVippsHandler.Json(HttpStatusCode.OK, """
            [{"reference":"order-42-1","pspReference":"p1","name":"CREATED","amount":{"currency":"NOK","value":1000},"timestamp":"2026-03-01T08:00:00Z","idempotencyKey":"order-42-1-create-1","success":true},
             {"reference":"order-42-1","pspReference":"p2","name":"CANCELLED","amount":{"currency":"NOK","value":1000},"timestamp":"2026-03-01T08:05:00Z","success":true}]
            """));

        var events = await host.EPayment.GetPaymentEventsAsync(Reference, CancellationToken.None);

        events.Select(e => e.Name).ShouldBe(["CREATED", "CANCELLED"]);
        events[1].IdempotencyKey.ShouldBeNull();
        host.Handler.ApiRequests.Single().Path.ShouldBe("/epayment/v1/payments/order-42-1/events");
    }

    [Fact]
    public async Task Capture_PostsTheModificationAmountAndReadsAProblemJsonTyped200()
    {
        using var host = new VippsTestHost();
        host.Handler.Respond = (_, _) => Task.FromResult(FakeVippsHandler.Json(HttpStatusCode.OK, PaymentJson.Captured250, "application/problem+json"));

        var result = await host.EPayment.CaptureAsync(Reference, Nok(250), Key, CancellationToken.None);

        result.Aggregate.CapturedAmount.ShouldBe(Nok(250));
        var request = host.Handler.ApiRequests.ShouldHaveSingleItem();
        request.Path.ShouldBe("/epayment/v1/payments/order-42-1/capture");
        request.Header("Idempotency-Key").ShouldBe("order-42-1-capture-1");
        request.Body.ShouldBe("""{"modificationAmount":{"value":250,"currency":"NOK"}}""");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Cancel_AlwaysSendsCancelTransactionOnly(bool onlyIfNotAuthorized)
    {
        using var host = new VippsTestHost();
        host.Handler.Respond = (_, _) => Task.FromResult(FakeVippsHandler.Json(HttpStatusCode.OK, PaymentJson.Terminated));

        var result = await host.EPayment.CancelAsync(Reference, onlyIfNotAuthorized, IdempotencyKey.Parse("order-42-1-cancel-1"), CancellationToken.None);

        result.State.ShouldBe(VippsPaymentState.Terminated);
        var request = host.Handler.ApiRequests.ShouldHaveSingleItem();
        request.Path.ShouldBe("/epayment/v1/payments/order-42-1/cancel");
        request.Header("Idempotency-Key").ShouldBe("order-42-1-cancel-1");
        request.Body.ShouldBe($$"""{"cancelTransactionOnly":{{(onlyIfNotAuthorized ? "true" : "false")}}}""");
    }

    [Fact]
    public async Task Refund_PostsTheModificationAmountWithTheKey()
    {
        using var host = new VippsTestHost();
        host.Handler.Respond = (_, _) => Task.FromResult(FakeVippsHandler.Json(HttpStatusCode.OK, PaymentJson.Captured250));

        await host.EPayment.RefundAsync(Reference, Nok(100), IdempotencyKey.Parse("order-42-1-refund-1"), CancellationToken.None);

        var request = host.Handler.ApiRequests.ShouldHaveSingleItem();
        request.Path.ShouldBe("/epayment/v1/payments/order-42-1/refund");
        request.Header("Idempotency-Key").ShouldBe("order-42-1-refund-1");
        request.Body.ShouldBe("""{"modificationAmount":{"value":100,"currency":"NOK"}}""");
    }

    [Fact]
    public async Task ForceApprove_PostsToTheTestPathWithTheCustomerAndNoKey()
    {
        using var host = new VippsTestHost();

        await host.EPayment.ForceApproveAsync(Reference, "4712345678", CancellationToken.None);

        var request = host.Handler.ApiRequests.ShouldHaveSingleItem();
        request.Path.ShouldBe("/epayment/v1/test/payments/order-42-1/approve");
        request.Header("Idempotency-Key").ShouldBeNull();
        request.Body.ShouldBe("""{"customer":{"phoneNumber":"4712345678"}}""");
    }

    [Fact]
    public async Task AnyCall_BaseUrlWithAPath_KeepsThePath()
    {
        using var host = new VippsTestHost(new() { ["Vipps:BaseUrl"] = "http://127.0.0.1:5080/simulator/vipps" });
        host.Handler.Respond = (_, _) => Task.FromResult(FakeVippsHandler.Json(HttpStatusCode.OK, PaymentJson.Authorized));

        await host.EPayment.GetPaymentAsync(Reference, CancellationToken.None);

        host.Handler.TokenRequests.Single().Path.ShouldBe("/simulator/vipps/accesstoken/get");
        host.Handler.ApiRequests.Single().Path.ShouldBe("/simulator/vipps/epayment/v1/payments/order-42-1");
    }
}
