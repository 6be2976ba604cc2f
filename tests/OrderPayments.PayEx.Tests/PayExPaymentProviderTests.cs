using System.Net;
using System.Text.Json.Nodes;
using OrderPayments.Application.Payments;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;
using static OrderPayments.PayEx.Tests.PayExTestHost;

namespace OrderPayments.PayEx.Tests;

public sealed class PayExPaymentProviderTests
{
    private static readonly Money Amount = new(1000, Currency.NOK);

    private static CreatePayment Create(UserFlow flow = UserFlow.PushMessage, string? phone = "4712345678") =>
        new(Key("create"), Reference, PaymentProvider.PayEx, Amount, "Order 7 from the shop", flow, "https://shop.example/return", phone);

    [Fact]
    public async Task Create_PostsAPurchaseWithIntentAuthorizationAndTheOperationsPayeeReference()
    {
        using var host = new PayExTestHost();
        host.Respond = request => Json(HttpStatusCode.OK, Payment(operations: $"[{Operation("redirect-authorization", "https://ecom.example/vipps/1", "GET")}]"));

        var created = await host.Provider.CreateAsync(Create(UserFlow.WebRedirect, phone: null), CancellationToken.None);

        var request = host.Requests.ShouldHaveSingleItem();
        request.Method.ShouldBe(HttpMethod.Post);
        request.Uri.AbsoluteUri.ShouldBe("https://api.externalintegration.payex.com/psp/vipps/payments");
        request.Authorization.ShouldBe("Bearer merchant-token");
        var payment = JsonNode.Parse(request.Body!)!["payment"]!;
        payment["operation"]!.GetValue<string>().ShouldBe("Purchase");
        payment["intent"]!.GetValue<string>().ShouldBe("Authorization");
        payment["prices"]![0]!["type"]!.GetValue<string>().ShouldBe("Vipps");
        payment["prices"]![0]!["amount"]!.GetValue<long>().ShouldBe(1000);
        payment["payeeInfo"]!["payeeReference"]!.GetValue<string>().ShouldBe(PayExReferences.For(Key("create")));
        payment["urls"]!["callbackUrl"]!.GetValue<string>().ShouldBe("https://shop.example/api/callbacks/payex?reference=order-7-0001");
        created.RedirectUrl.ShouldBe("https://ecom.example/vipps/1");
        created.ProviderPaymentId.ShouldBe(PaymentId);
    }

    [Theory]
    [InlineData("create-authorization")]
    [InlineData("direct-authorization")]
    public async Task Create_PushMessage_SendsThePhoneToTheOfferedAuthorization(string rel)
    {
        using var host = new PayExTestHost();
        host.Respond = request => request.Method == HttpMethod.Get
            ? Json(HttpStatusCode.OK, Payment(operations: $"[{Operation(rel, "https://api.externalintegration.payex.com/psp/vipps/payments/5adc/authorizations")}]"))
            : request.Uri.AbsolutePath.EndsWith("/authorizations", StringComparison.Ordinal)
                ? Json(HttpStatusCode.OK, """{"payment":"x","authorization":{"id":"a"}}""")
                : Json(HttpStatusCode.OK, Payment());

        var created = await host.Provider.CreateAsync(Create(), CancellationToken.None);

        var authorize = host.Requests.Last();
        authorize.Uri.AbsoluteUri.ShouldBe("https://api.externalintegration.payex.com/psp/vipps/payments/5adc/authorizations");
        JsonNode.Parse(authorize.Body!)!["transaction"]!["msisdn"]!.GetValue<string>().ShouldBe("+4712345678");
        created.RedirectUrl.ShouldBeNull();
    }

    [Fact]
    public async Task Create_PushMessageWithoutDirectAuthorization_FailsPermanently()
    {
        using var host = new PayExTestHost();
        host.Respond = _ => Json(HttpStatusCode.OK, Payment());

        var error = await Should.ThrowAsync<PaymentProviderException>(() => host.Provider.CreateAsync(Create(), CancellationToken.None));

        error.IsTransient.ShouldBeFalse();
    }

    [Fact]
    public async Task Capture_PostsToTheHrefTheLatestResponseOffers()
    {
        using var host = new PayExTestHost();
        var authorized = $"[{Transaction("Authorization", "Completed", 1000)}]";
        host.Respond = request => request.Method == HttpMethod.Get
            ? Json(HttpStatusCode.OK, Payment(authorizations: authorized, operations: $"[{Operation("create-capture", "https://elsewhere.example/custom/capture-here")}]"))
            : Json(HttpStatusCode.OK, """{"payment":"x","capture":{"id":"c"}}""");

        await host.Provider.CaptureAsync(new CapturePayment(Key("capture"), Reference, new Money(400, Currency.NOK), "ship-1") { ProviderPaymentId = PaymentId }, CancellationToken.None);

        var capture = host.Requests.Single(r => r.Method == HttpMethod.Post);
        capture.Uri.AbsoluteUri.ShouldBe("https://elsewhere.example/custom/capture-here");
        var transaction = JsonNode.Parse(capture.Body!)!["transaction"]!;
        transaction["amount"]!.GetValue<long>().ShouldBe(400);
        transaction["payeeReference"]!.GetValue<string>().ShouldBe(PayExReferences.For(Key("capture")));
        host.Requests[0].Uri.Query.ShouldContain("$expand=authorizations,captures,cancellations,reversals");
    }

    [Fact]
    public async Task Capture_AlreadyAtPayExUnderItsPayeeReference_IsNotSentAgain()
    {
        using var host = new PayExTestHost();
        host.Respond = _ => Json(HttpStatusCode.OK, Payment(
            authorizations: $"[{Transaction("Authorization", "Completed", 1000)}]",
            captures: $"[{Transaction("Capture", "Completed", 400, PayExReferences.For(Key("capture")))}]",
            operations: $"[{Operation("create-capture", "https://api.externalintegration.payex.com/c")}]"));

        var observation = await host.Provider.CaptureAsync(new CapturePayment(Key("capture"), Reference, new Money(400, Currency.NOK), "ship-1") { ProviderPaymentId = PaymentId }, CancellationToken.None);

        host.Requests.ShouldAllBe(r => r.Method == HttpMethod.Get);
        observation.Aggregate.Captured.Value.ShouldBe(400);
    }

    [Fact]
    public async Task Issue15_Capture_RetryRefusedAfterTheFirstAttemptWasApplied_ReadsAndSucceeds()
    {
        using var host = new PayExTestHost();
        var authorized = $"[{Transaction("Authorization", "Completed", 1000)}]";
        var offered = $"[{Operation("create-capture", "https://api.externalintegration.payex.com/c")}]";
        var posted = false;
        host.Respond = request =>
        {
            if (request.Method == HttpMethod.Post)
            {
                // The first attempt was applied and its answer lost; this retry is refused.
                posted = true;
                return Json(HttpStatusCode.Conflict, """{"type":"https://api.payex.com/psp/errordetail/conflict","title":"Conflict","status":409,"detail":"payeeReference already used"}""", "application/problem+json");
            }

            return Json(HttpStatusCode.OK, Payment(
                authorizations: authorized,
                captures: posted ? $"[{Transaction("Capture", "Completed", 400, PayExReferences.For(Key("capture")))}]" : "[]",
                operations: offered));
        };

        var observation = await host.Provider.CaptureAsync(new CapturePayment(Key("capture"), Reference, new Money(400, Currency.NOK), "ship-1") { ProviderPaymentId = PaymentId }, CancellationToken.None);

        observation.Aggregate.Captured.Value.ShouldBe(400);
        host.Requests.Last().Method.ShouldBe(HttpMethod.Get, "the payment was read before the capture was called failed");
    }

    [Fact]
    public async Task Capture_RefusedAndNotAtPayEx_FailsPermanently()
    {
        using var host = new PayExTestHost();
        host.Respond = request => request.Method == HttpMethod.Post
            ? Json(HttpStatusCode.Conflict, """{"type":"https://api.payex.com/psp/errordetail/conflict","title":"Conflict","status":409,"detail":"no"}""", "application/problem+json")
            : Json(HttpStatusCode.OK, Payment(authorizations: $"[{Transaction("Authorization", "Completed", 1000)}]", operations: $"[{Operation("create-capture", "https://api.externalintegration.payex.com/c")}]"));

        var error = await Should.ThrowAsync<PaymentProviderException>(() => host.Provider.CaptureAsync(new CapturePayment(Key("capture"), Reference, new Money(400, Currency.NOK), "ship-1") { ProviderPaymentId = PaymentId }, CancellationToken.None));

        error.IsTransient.ShouldBeFalse();
        host.Requests.Count(r => r.Method == HttpMethod.Get).ShouldBe(2, "read before and after the refusal");
    }

    [Fact]
    public async Task Query_CompletedTransactions_AreTheTotals()
    {
        using var host = new PayExTestHost();
        host.Respond = _ => Json(HttpStatusCode.OK, Payment(
            authorizations: $"[{Transaction("Authorization", "Failed", 1000)},{Transaction("Authorization", "Completed", 1000)}]",
            captures: $"[{Transaction("Capture", "Completed", 300)}]",
            cancellations: $"[{Transaction("Cancellation", "Completed", 700)}]",
            reversals: $"[{Transaction("Reversal", "Completed", 100)},{Transaction("Reversal", "Failed", 50)}]"));

        var observation = await host.Provider.QueryAsync(new QueryPayment(Key("query"), Reference) { ProviderPaymentId = PaymentId }, CancellationToken.None);

        observation.State.ShouldBe(ProviderPaymentState.Authorized);
        observation.Aggregate.ShouldBe(new PaymentAggregate(new Money(1000, Currency.NOK), new Money(300, Currency.NOK), new Money(700, Currency.NOK), new Money(100, Currency.NOK)));
        host.Requests.Single().Uri.AbsolutePath.ShouldBe(PaymentId);
    }

    [Theory]
    [InlineData("Aborted", ProviderPaymentState.Aborted)]
    [InlineData("Failed", ProviderPaymentState.Aborted)]
    [InlineData("Pending", ProviderPaymentState.Created)]
    public async Task Query_NothingAuthorized_MapsThePaymentState(string state, ProviderPaymentState expected)
    {
        using var host = new PayExTestHost();
        host.Respond = _ => Json(HttpStatusCode.OK, Payment(state: state, authorizations: $"[{Transaction("Authorization", "AwaitingActivity", 1000)}]"));

        var observation = await host.Provider.QueryAsync(new QueryPayment(Key("query"), Reference) { ProviderPaymentId = PaymentId }, CancellationToken.None);

        observation.State.ShouldBe(expected);
        observation.Aggregate.Authorized.IsZero.ShouldBeTrue();
    }

    [Fact]
    public async Task Abort_PatchesWithOperationAbort()
    {
        using var host = new PayExTestHost();
        var calls = 0;
        host.Respond = request => request.Method == HttpMethod.Patch
            ? Json(HttpStatusCode.OK, Payment(state: "Aborted"))
            : Json(HttpStatusCode.OK, ++calls == 1 ? Payment(operations: $"[{Operation("update-payment-abort", "https://api.externalintegration.payex.com" + PaymentId, "PATCH")}]") : Payment(state: "Aborted"));

        var observation = await host.Provider.AbortAsync(new AbortPayment(Key("abort"), Reference) { ProviderPaymentId = PaymentId }, CancellationToken.None);

        var patch = host.Requests.Single(r => r.Method == HttpMethod.Patch);
        JsonNode.Parse(patch.Body!)!["payment"]!["operation"]!.GetValue<string>().ShouldBe("Abort");
        observation.State.ShouldBe(ProviderPaymentState.Aborted);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, "inputerror", false)]
    [InlineData(HttpStatusCode.BadRequest, "vipps/vipps_declined", false)]
    [InlineData(HttpStatusCode.Forbidden, "forbidden", false)]
    [InlineData(HttpStatusCode.ServiceUnavailable, "systemerror", true)]
    [InlineData(HttpStatusCode.GatewayTimeout, "vipps/acquirer_gateway_timeout", true)]
    public async Task Errors_AreClassifiedByStatusAndProblemType(HttpStatusCode status, string type, bool transient)
    {
        using var host = new PayExTestHost();
        host.Respond = _ => Json(status, $$"""{"type":"https://api.payex.com/psp/errordetail/{{type}}","title":"t","status":{{(int)status}},"detail":"d","problems":[{"name":"field","description":"bad"}]}""", "application/problem+json");

        var error = await Should.ThrowAsync<PaymentProviderException>(() => host.Provider.QueryAsync(new QueryPayment(Key("query"), Reference) { ProviderPaymentId = PaymentId }, CancellationToken.None));

        error.IsTransient.ShouldBe(transient);
        error.ErrorCode.ShouldBe(type.Split('/')[^1]);
        error.Message.ShouldContain("field: bad");
    }

    [Fact]
    public async Task Query_WithoutTheProvidersId_FailsPermanently()
    {
        using var host = new PayExTestHost();

        var error = await Should.ThrowAsync<PaymentProviderException>(() => host.Provider.QueryAsync(new QueryPayment(Key("query"), Reference), CancellationToken.None));

        error.IsTransient.ShouldBeFalse();
        host.Requests.ShouldBeEmpty();
    }
}
