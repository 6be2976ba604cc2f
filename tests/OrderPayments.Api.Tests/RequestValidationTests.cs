using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace OrderPayments.Api.Tests;

/// <summary>Bad input gets a problem+json 4xx naming what was wrong, and changes nothing.</summary>
public sealed class RequestValidationTests : IAsyncLifetime
{
    private ApiHost _api = null!;

    public async Task InitializeAsync() => _api = await ApiHost.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Theory]
    [InlineData(0, "NOK", "amount.value")]
    [InlineData(-5, "NOK", "amount.value")]
    [InlineData(1000, "SEK", "amount.currency")]
    [InlineData(1000, "nok", "amount.currency")]
    public async Task Start_BadAmount_Answers400NamingTheFieldAndCreatesNothing(long value, string currency, string field)
    {
        using var response = await _api.PutPaymentAsync("bad-amount", ApiHost.StartBody(value, currency));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await ApiHost.ProblemAsync(response);
        problem["errors"]!.AsArray().Select(e => (string?)e!["field"]).ShouldContain(field);
        (await _api.Http.GetAsync("api/orders/bad-amount/payment")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Start_OrderIdTooLong_Answers400NamingOrderId()
    {
        using var response = await _api.PutPaymentAsync(new string('x', 61), ApiHost.StartBody());

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ApiHost.ProblemAsync(response))["errors"]!.AsArray().Select(e => (string?)e!["field"]).ShouldBe(["orderId"]);
    }

    [Fact]
    public async Task Start_EveryFieldWrong_NamesEveryField()
    {
        var body = new JsonObject
        {
            ["amount"] = "1000",
            ["description"] = "",
            ["userFlow"] = "CARRIER_PIGEON",
            ["provider"] = "paypal",
            ["ammount"] = 5,
        };

        using var response = await _api.PutPaymentAsync("all-wrong", body);

        var fields = (await ApiHost.ProblemAsync(response))["errors"]!.AsArray().Select(e => (string)e!["field"]!).ToList();
        fields.ShouldBe(["amount", "description", "userFlow", "provider", "ammount"], ignoreOrder: true);
    }

    [Fact]
    public async Task Start_MalformedJson_Answers400()
    {
        using var response = await _api.Http.PutAsync("api/orders/malformed/payment", new StringContent("{\"amount\":", Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ApiHost.ProblemAsync(response))["type"]!.GetValue<string>().ShouldBe("urn:orderpayments:problem:malformed-json");
    }

    [Fact]
    public async Task Start_RedirectFlowWithoutReturnUrl_Answers400NamingReturnUrl()
    {
        var body = ApiHost.StartBody();
        body.Remove("returnUrl");

        using var response = await _api.PutPaymentAsync("no-return", body);

        (await ApiHost.ProblemAsync(response))["errors"]!.AsArray().Select(e => (string?)e!["field"]).ShouldBe(["returnUrl"]);
    }

    [Fact]
    public async Task AnyOrderRoute_WithoutApiKey_Answers401()
    {
        using var response = await _api.Anonymous.GetAsync("api/orders");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await ApiHost.ProblemAsync(response))["type"]!.GetValue<string>().ShouldBe("urn:orderpayments:problem:unauthorized");
    }

    [Fact]
    public async Task Fulfill_MoreThanAuthorized_Answers422AndCapturesNothing()
    {
        var reference = (string)(await _api.StartPaymentAsync("over-capture", 1000))["reference"]!;
        await _api.CustomerAsync(reference, "approve");
        var before = await _api.WaitForStatusAsync("over-capture", "Authorized");

        using var response = await _api.FulfillAsync("over-capture", "ship-1", 1001);

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await ApiHost.ProblemAsync(response))["type"]!.GetValue<string>().ShouldBe("urn:orderpayments:problem:exceeds-remaining");
        var after = await _api.GetOrderAsync("over-capture");
        after["version"]!.GetValue<long>().ShouldBe(before["version"]!.GetValue<long>());
        after["amounts"]!["captured"]!.GetValue<long>().ShouldBe(0);
    }

    [Fact]
    public async Task Fulfill_BeforeAuthorization_Answers409()
    {
        await _api.StartPaymentAsync("early-ship");

        using var response = await _api.FulfillAsync("early-ship", "ship-1");

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Refund_MoreThanCaptured_Answers422()
    {
        var reference = (string)(await _api.StartPaymentAsync("over-refund", 1000))["reference"]!;
        await _api.CustomerAsync(reference, "approve");
        await _api.WaitForStatusAsync("over-refund", "Authorized");
        await _api.FulfillAsync("over-refund", "ship-1", 400);
        await _api.WaitForOrderAsync("over-refund", o => (long?)o["amounts"]!["captured"] == 400, "captured");

        using var response = await _api.RefundAsync("over-refund", "r-1", 401);

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await ApiHost.ProblemAsync(response))["type"]!.GetValue<string>().ShouldBe("urn:orderpayments:problem:exceeds-refundable");
        (await _api.GetOrderAsync("over-refund"))["refunds"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task Signal_UnknownOrder_Answers404()
    {
        using var response = await _api.FulfillAsync("nobody", "ship-1");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await ApiHost.ProblemAsync(response))["type"]!.GetValue<string>().ShouldBe("urn:orderpayments:problem:order-not-found");
    }

    [Fact]
    public async Task Fulfill_WrongCurrency_Answers422()
    {
        var reference = (string)(await _api.StartPaymentAsync("wrong-currency", 1000))["reference"]!;
        await _api.CustomerAsync(reference, "approve");
        await _api.WaitForStatusAsync("wrong-currency", "Authorized");

        using var response = await _api.PostAsync("api/orders/wrong-currency/fulfillments", new JsonObject { ["shipmentId"] = "s", ["amount"] = ApiHost.Amount(100, "EUR") });

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task List_BadQuery_Answers400NamingEachParameter()
    {
        using var response = await _api.Http.GetAsync("api/orders?status=Paid&limit=5000");

        (await ApiHost.ProblemAsync(response))["errors"]!.AsArray().Select(e => (string?)e!["field"]).ShouldBe(["status", "limit"]);
    }

    [Fact]
    public async Task Webhook_ForgedSignature_Answers401AndChangesNothing()
    {
        var reference = (string)(await _api.StartPaymentAsync("forged-1", 1000))["reference"]!;
        var before = await _api.GetOrderAsync("forged-1");
        var body = $$"""{"msn":"123456","reference":"{{reference}}","pspReference":"x","name":"AUTHORIZED","amount":{"currency":"NOK","value":1000},"timestamp":"2026-11-22T12:00:00Z","success":true}""";

        using var forged = await _api.Anonymous.SendAsync(_api.SignedWebhook(body, "not-the-secret"));
        using var unsigned = await _api.Anonymous.PostAsync("api/webhooks/vipps", new StringContent(body, Encoding.UTF8, "application/json"));

        forged.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        unsigned.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await ApiHost.ProblemAsync(forged))["type"]!.GetValue<string>().ShouldBe("urn:orderpayments:problem:notification-not-authentic");
        var after = await _api.GetOrderAsync("forged-1");
        after["version"]!.GetValue<long>().ShouldBe(before["version"]!.GetValue<long>());
        after["status"]!.GetValue<string>().ShouldBe("AwaitingCustomer");
    }

    [Fact]
    public async Task Webhook_OldSignatureFormat_Answers401()
    {
        var request = _api.SignedWebhook("{}", "whatever");
        request.Headers.Remove("Authorization");
        request.Headers.TryAddWithoutValidation("Authorization", "HMAC-SHA256 Signature=abc");

        using var response = await _api.Anonymous.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
