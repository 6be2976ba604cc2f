using System.Net;
using System.Text.Json.Nodes;

namespace PaymentSimulator.Tests;

/// <summary>Raw HTTP: authentication shapes, validation, the landing page.</summary>
public sealed class ProtocolSimulatorTests
{
    [Fact]
    public async Task Token_StringTypedFields_AsTheRealApi()
    {
        await using var sim = await SimulatorHost.StartAsync();
        using var request = SimulatorHost.TokenRequest();

        using var response = await sim.Http.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        body["expires_in"]!.GetValue<string>().ShouldBe("3600");
        body["token_type"]!.GetValue<string>().ShouldBe("Bearer");
        body["expires_on"]!.GetValue<string>().ShouldBe(SimulatorHost.Start.AddHours(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Token_WrongSecret_Is401()
    {
        await using var sim = await SimulatorHost.StartAsync();
        using var request = SimulatorHost.TokenRequest(secret: "wrong");

        using var response = await sim.Http.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task EPayment_WithoutABearerToken_GetsTheReal401Shape()
    {
        await using var sim = await SimulatorHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "epayment/v1/payments/order-42-1");
        request.Headers.Add("Ocp-Apim-Subscription-Key", "simulator-subscription-key");
        request.Headers.Add("Merchant-Serial-Number", "123456");

        using var response = await sim.Http.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        body["message"]!.GetValue<string>().ShouldBe("Something went wrong, please try again later");
    }

    [Fact]
    public async Task EPayment_WithAWrongSubscriptionKey_GetsTheAccessDenied401()
    {
        await using var sim = await SimulatorHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "epayment/v1/payments/order-42-1");
        request.Headers.Add("Ocp-Apim-Subscription-Key", "wrong");

        using var response = await sim.Http.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync()).ShouldContain("Access denied due to invalid subscription key");
    }

    [Theory]
    [InlineData("""{"amount":{"currency":"NOK","value":1000},"paymentMethod":{"type":"WALLET"},"reference":"short","userFlow":"WEB_REDIRECT","returnUrl":"https://x.example"}""", "reference", null)]
    [InlineData("""{"amount":{"currency":"NOK","value":99},"paymentMethod":{"type":"WALLET"},"reference":"order-42-1","userFlow":"WEB_REDIRECT","returnUrl":"https://x.example"}""", "amount.value", "6010")]
    [InlineData("""{"amount":{"currency":"SEK","value":1000},"paymentMethod":{"type":"WALLET"},"reference":"order-42-1","userFlow":"WEB_REDIRECT","returnUrl":"https://x.example"}""", "amount.currency", null)]
    [InlineData("""{"amount":{"currency":"NOK","value":1000},"paymentMethod":{"type":"WALLET"},"reference":"order-42-1","userFlow":"PUSH_MESSAGE"}""", "customer.phoneNumber", null)]
    [InlineData("""{"amount":{"currency":"NOK","value":1000},"paymentMethod":{"type":"WALLET"},"reference":"order-42-1","userFlow":"WEB_REDIRECT"}""", "returnUrl", null)]
    [InlineData("""{"amount":{"currency":"NOK","value":1000},"paymentMethod":{"type":"WALLET"},"reference":"order-42-1","userFlow":"WEB_REDIRECT","returnUrl":"https://x.example","paymentDescription":"ab"}""", "paymentDescription", null)]
    public async Task Create_InvalidField_Is400NamingTheField(string body, string field, string? code)
    {
        await using var sim = await SimulatorHost.StartAsync();

        var (status, problem) = await sim.SendAsync(HttpMethod.Post, "epayment/v1/payments", body, "key-1");

        status.ShouldBe(400);
        var details = problem!["extraDetails"]!.AsArray();
        details.ShouldContain(d => d!["name"]!.GetValue<string>() == field);
        if (code is not null)
        {
            details.ShouldContain(d => d!["name"]!.GetValue<string>() == "ErrorCode" && d["reason"]!.GetValue<string>() == code);
        }
    }

    [Theory]
    [InlineData("""{"amount":{"currency":"NOK","value":1000},"paymentMethod":{"type":"WALLET"},"reference":"order-42-1","userFlow":"PUSH_MESSAGE","customer":{"phoneNumber":"47123456"}}""", "customer.phoneNumber", "4070")]
    [InlineData("""{"amount":{"currency":"NOK","value":1000},"paymentMethod":{"type":"WALLET"},"reference":"order-42-1","userFlow":"WEB_REDIRECT","returnUrl":"http://shop.example/return"}""", "returnUrl", null)]
    public async Task Issue14_Create_OutsideTheSpecificationsLimits_Is400NamingTheField(string body, string field, string? code) =>
        await Create_InvalidField_Is400NamingTheField(body, field, code);

    [Fact]
    public async Task Create_WithoutAnIdempotencyKey_Is400()
    {
        await using var sim = await SimulatorHost.StartAsync();

        var (status, problem) = await sim.SendAsync(HttpMethod.Post, "epayment/v1/payments", SimulatorHost.CreateBody("order-42-1"));

        status.ShouldBe(400);
        problem!["extraDetails"]![0]!["name"]!.GetValue<string>().ShouldBe("Idempotency-Key");
    }

    [Fact]
    public async Task Create_PushMessage_HasNoRedirectUrl()
    {
        await using var sim = await SimulatorHost.StartAsync();

        var (status, body) = await sim.SendAsync(HttpMethod.Post, "epayment/v1/payments", SimulatorHost.CreateBody("order-42-1", flow: "PUSH_MESSAGE", phone: "4712345678"), "key-1");

        status.ShouldBe(201);
        body!.AsObject().ContainsKey("redirectUrl").ShouldBeFalse();
    }

    [Fact]
    public async Task LandingPage_ShowsThePaymentAndApproveRedirectsToTheReturnUrl()
    {
        await using var sim = await SimulatorHost.StartAsync();
        var (_, created) = await sim.SendAsync(HttpMethod.Post, "epayment/v1/payments", SimulatorHost.CreateBody("order-42-1", amount: 49900), "key-1");
        var landing = new Uri(created!["redirectUrl"]!.GetValue<string>());
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        var page = await browser.GetStringAsync(landing);
        using var approve = await browser.PostAsync(new Uri(landing, landing.AbsolutePath + "/approve" + landing.Query), null);
        var (_, payment) = await sim.SendAsync(HttpMethod.Get, "epayment/v1/payments/order-42-1");

        page.ShouldContain("Simulated Shop");
        page.ShouldContain("499.00 NOK");
        page.ShouldContain("Two books");
        page.ShouldContain("id=\"approve\"");
        approve.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        approve.Headers.Location.ShouldBe(new Uri("https://shop.example/return"));
        payment!["state"]!.GetValue<string>().ShouldBe("AUTHORIZED");
    }

    [Fact]
    public async Task LandingPage_WrongToken_IsNotFound()
    {
        await using var sim = await SimulatorHost.StartAsync();
        await sim.SendAsync(HttpMethod.Post, "epayment/v1/payments", SimulatorHost.CreateBody("order-42-1"), "key-1");

        using var response = await sim.Http.GetAsync("landing/order-42-1?token=guess");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("epayment/v1/payments", "{not json")]
    [InlineData("epayment/v1/payments", "[1,2]")]
    [InlineData("epayment/v1/payments", "{\"reference\":12345678,\"amount\":{\"currency\":\"NOK\",\"value\":1000}}")]
    [InlineData("epayment/v1/payments/order-42-1/capture", "{not json")]
    [InlineData("epayment/v1/payments/order-42-1/capture", "{\"modificationAmount\":\"lots\"}")]
    [InlineData("epayment/v1/payments/order-42-1/refund", "[]")]
    [InlineData("epayment/v1/payments/order-42-1/cancel", "{\"cancelTransactionOnly\":\"yes\"}")]
    public async Task MalformedBody_Is400AndChangesNothing(string path, string body)
    {
        await using var sim = await SimulatorHost.StartAsync();
        await sim.SendAsync(HttpMethod.Post, "epayment/v1/payments", SimulatorHost.CreateBody("order-42-1"), "c-1");
        await sim.Control("payments/order-42-1/approve");

        var (status, problem) = await sim.SendAsync(HttpMethod.Post, path, body, "bad-1");
        var (_, payment) = await sim.SendAsync(HttpMethod.Get, "epayment/v1/payments/order-42-1");

        status.ShouldBe(400);
        problem!["title"].ShouldNotBeNull();
        payment!["state"]!.GetValue<string>().ShouldBe("AUTHORIZED");
        payment["aggregate"]!["capturedAmount"]!["value"]!.GetValue<long>().ShouldBe(0);
        payment["aggregate"]!["cancelledAmount"]!["value"]!.GetValue<long>().ShouldBe(0);
    }

    [Theory]
    [InlineData("control/clock/advance", "{not json")]
    [InlineData("control/clock/advance", "{\"seconds\":-5}")]
    [InlineData("webhooks/v1/webhooks", "[\"https://x.example\"]")]
    [InlineData("webhooks/v1/webhooks", "{\"url\":\"https://x.example\",\"events\":[\"not.an.event\"]}")]
    public async Task MalformedControlOrWebhookBody_Is400(string path, string body)
    {
        await using var sim = await SimulatorHost.StartAsync();

        var (status, _) = await sim.SendAsync(HttpMethod.Post, path, body);

        status.ShouldBe(400);
    }
}
