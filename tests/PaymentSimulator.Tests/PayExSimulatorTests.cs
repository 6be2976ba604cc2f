using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrderPayments.Application.Payments;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;
using OrderPayments.PayEx;

namespace PaymentSimulator.Tests;

/// <summary>The PayEx Vipps instrument of the simulator, over raw HTTP and through the project's own PayEx client.</summary>
public sealed class PayExSimulatorTests
{
    private static string CreateBody(string payeeReference = "OP1", long amount = 1000, string? callbackUrl = null) => new JsonObject
    {
        ["payment"] = new JsonObject
        {
            ["operation"] = "Purchase",
            ["intent"] = "Authorization",
            ["currency"] = "NOK",
            ["prices"] = new JsonArray(new JsonObject { ["type"] = "Vipps", ["amount"] = amount, ["vatAmount"] = 0 }),
            ["description"] = "Two books",
            ["userAgent"] = "test",
            ["language"] = "nb-NO",
            ["urls"] = new JsonObject { ["hostUrls"] = new JsonArray("https://shop.example"), ["completeUrl"] = "https://shop.example/done", ["callbackUrl"] = callbackUrl },
            ["payeeInfo"] = new JsonObject { ["payeeId"] = "simulator-payee", ["payeeReference"] = payeeReference },
        },
    }.ToJsonString();

    private static async Task<(int Status, JsonNode? Body)> Send(SimulatorHost host, HttpMethod method, string pathOrUrl, string? json = null, string token = "simulator-payex-token")
    {
        var url = pathOrUrl.StartsWith("http", StringComparison.Ordinal) ? pathOrUrl : $"{host.Address}/simulator/payex{pathOrUrl}";
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await host.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private static IEnumerable<string> Rels(JsonNode resource) => resource["operations"]!.AsArray().Select(o => (string)o!["rel"]!);

    private static string Href(JsonNode resource, string rel) => (string)resource["operations"]!.AsArray().Single(o => (string)o!["rel"]! == rel)!["href"]!;

    private static string Guid(JsonNode resource) => ((string)resource["payment"]!["id"]!).Split('/')[^1];

    [Fact]
    public async Task Create_NewPayment_OffersAuthorizationAndAbortOnly()
    {
        await using var host = await SimulatorHost.StartAsync();

        var (status, created) = await Send(host, HttpMethod.Post, "/psp/vipps/payments", CreateBody());

        status.ShouldBe(200);
        created!["payment"]!["state"]!.GetValue<string>().ShouldBe("Ready");
        Rels(created).ShouldBe(["update-payment-abort", "redirect-authorization", "create-authorization"], ignoreOrder: true);
    }

    [Fact]
    public async Task Create_WithoutTheToken_Answers401()
    {
        await using var host = await SimulatorHost.StartAsync();

        var (status, problem) = await Send(host, HttpMethod.Post, "/psp/vipps/payments", CreateBody(), token: "wrong");

        status.ShouldBe(401);
        problem!["type"]!.GetValue<string>().ShouldStartWith("https://api.payex.com/psp/errordetail/");
    }

    [Fact]
    public async Task Create_SamePayeeReference_ReplaysForTheSameBodyAndRefusesAnother()
    {
        await using var host = await SimulatorHost.StartAsync();
        var (_, first) = await Send(host, HttpMethod.Post, "/psp/vipps/payments", CreateBody("OPSAME"));

        var (replayStatus, replay) = await Send(host, HttpMethod.Post, "/psp/vipps/payments", CreateBody("OPSAME"));
        var (otherStatus, other) = await Send(host, HttpMethod.Post, "/psp/vipps/payments", CreateBody("OPSAME", amount: 2000));

        replayStatus.ShouldBe(200);
        replay!["payment"]!["id"]!.GetValue<string>().ShouldBe(first!["payment"]!["id"]!.GetValue<string>());
        otherStatus.ShouldBe(409);
        other!["problems"]![0]!["name"]!.GetValue<string>().ShouldBe("payment.payeeInfo.payeeReference");
    }

    [Fact]
    public async Task Create_BadInput_NamesEveryProblem()
    {
        await using var host = await SimulatorHost.StartAsync();
        var body = JsonNode.Parse(CreateBody("bad-reference!"))!;
        body["payment"]!["currency"] = "SEK";

        var (status, problem) = await Send(host, HttpMethod.Post, "/psp/vipps/payments", body.ToJsonString());

        status.ShouldBe(400);
        problem!["type"]!.GetValue<string>().ShouldBe("https://api.payex.com/psp/errordetail/inputerror");
        problem["problems"]!.AsArray().Select(p => (string)p!["name"]!).ShouldBe(["payment.currency", "payment.payeeInfo.payeeReference"], ignoreOrder: true);
    }

    [Fact]
    public async Task Lifecycle_AuthorizeApproveCaptureCancelReverse_OperationsFollowTheState()
    {
        await using var host = await SimulatorHost.StartAsync();
        var created = (await Send(host, HttpMethod.Post, "/psp/vipps/payments", CreateBody())).Body!;

        (await Send(host, HttpMethod.Post, Href(created, "create-authorization"), """{"transaction":{"msisdn":"+4712345678"}}""")).Status.ShouldBe(200);
        var (_, pending) = await Send(host, HttpMethod.Get, $"/psp/vipps/payments/{Guid(created)}?$expand=authorizations");
        pending!["payment"]!["state"]!.GetValue<string>().ShouldBe("Pending");
        pending["payment"]!["authorizations"]!["authorizationList"]![0]!["transaction"]!["state"]!.GetValue<string>().ShouldBe("AwaitingActivity");

        (await host.Http.PostAsync($"{host.Address}/simulator/payex/control/payments/{Guid(created)}/approve", null)).IsSuccessStatusCode.ShouldBeTrue();
        var (_, authorized) = await Send(host, HttpMethod.Get, $"/psp/vipps/payments/{Guid(created)}?$expand=authorizations");
        Rels(authorized!).ShouldContain("create-capture");
        Rels(authorized!).ShouldNotContain("update-payment-abort");

        (await Send(host, HttpMethod.Post, Href(authorized!, "create-capture"), """{"transaction":{"amount":300,"vatAmount":0,"description":"d","payeeReference":"OPCAP1"}}""")).Status.ShouldBe(200);
        (await Send(host, HttpMethod.Post, Href(authorized!, "create-cancellation"), """{"transaction":{"description":"rest","payeeReference":"OPCAN1"}}""")).Status.ShouldBe(200);
        var (_, settled) = await Send(host, HttpMethod.Get, $"/psp/vipps/payments/{Guid(created)}?$expand=captures,cancellations");
        settled!["payment"]!["remainingCaptureAmount"]!.GetValue<long>().ShouldBe(0);
        settled["payment"]!["cancellations"]!["cancellationList"]![0]!["transaction"]!["amount"]!.GetValue<long>().ShouldBe(700);
        Rels(settled).ShouldBe(["create-reversal", "paid-payment"], ignoreOrder: true);

        var (reverseStatus, _) = await Send(host, HttpMethod.Post, Href(settled, "create-reversal"), """{"transaction":{"amount":301,"vatAmount":0,"description":"d","payeeReference":"OPREV1"}}""");
        reverseStatus.ShouldBe(400, "more than captured cannot be reversed");
    }

    [Fact]
    public async Task Capture_SamePayeeReferenceAgain_IsAppliedOnce()
    {
        await using var host = await SimulatorHost.StartAsync();
        var (_, created) = await Send(host, HttpMethod.Post, "/psp/vipps/payments", CreateBody());
        await host.Http.PostAsync($"{host.Address}/simulator/payex/control/payments/{Guid(created!)}/approve", null);
        var capture = $"{host.Address}/simulator/payex/psp/vipps/payments/{Guid(created!)}/captures";
        const string Body = """{"transaction":{"amount":300,"vatAmount":0,"description":"d","payeeReference":"OPCAP1"}}""";

        (await Send(host, HttpMethod.Post, capture, Body)).Status.ShouldBe(200);
        (await Send(host, HttpMethod.Post, capture, Body)).Status.ShouldBe(200);
        (await Send(host, HttpMethod.Post, capture, Body.Replace("300", "200", StringComparison.Ordinal))).Status.ShouldBe(409);

        var (_, payment) = await Send(host, HttpMethod.Get, $"/psp/vipps/payments/{Guid(created!)}?$expand=captures");
        payment!["payment"]!["captures"]!["captureList"]!.AsArray().Count.ShouldBe(1);
    }

    [Fact]
    public async Task Abort_BeforeAuthorization_EndsThePaymentWithNoOperations()
    {
        await using var host = await SimulatorHost.StartAsync();
        var (_, created) = await Send(host, HttpMethod.Post, "/psp/vipps/payments", CreateBody());

        var (status, aborted) = await Send(host, new HttpMethod("PATCH"), Href(created!, "update-payment-abort"), """{"payment":{"operation":"Abort","abortReason":"CancelledByConsumer"}}""");

        status.ShouldBe(200);
        aborted!["payment"]!["state"]!.GetValue<string>().ShouldBe("Aborted");
        aborted["operations"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task Approve_SendsACallbackToTheCallbackUrl()
    {
        await using var host = await SimulatorHost.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var (_, created) = await Send(host, HttpMethod.Post, "/psp/vipps/payments", CreateBody(callbackUrl: receiver.Url.AbsoluteUri + "?reference=order-1-0001"));

        await host.Http.PostAsync($"{host.Address}/simulator/payex/control/payments/{Guid(created!)}/approve", null);

        var callback = (await receiver.WaitFor(1))[0];
        var body = JsonNode.Parse(callback.Body)!;
        body["payment"]!["id"]!.GetValue<string>().ShouldBe(created!["payment"]!["id"]!.GetValue<string>());
        body["transaction"]!["id"]!.GetValue<string>().ShouldContain("/authorizations/");
    }

    [Fact]
    public async Task ProjectsPayExClient_CreateAuthorizeCaptureQuery_AgreesWithTheSimulator()
    {
        await using var host = await SimulatorHost.StartAsync();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddPayEx(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PayEx:BaseUrl"] = $"{host.Address}/simulator/payex",
            ["PayEx:AccessToken"] = "simulator-payex-token",
            ["PayEx:PayeeId"] = "simulator-payee",
            ["PayEx:MaxRetryAttempts"] = "0",
        }).Build());
        await using var provider = services.BuildServiceProvider();
        var payex = provider.GetServices<IPaymentProvider>().Single();
        var order = OrderId.Parse("order-9");
        var reference = PaymentReference.For(order, 1);
        var key = IdempotencyKey.For(order, 1, "create", 1);

        var created = await payex.CreateAsync(new CreatePayment(key, reference, PaymentProvider.PayEx, new Money(1000, Currency.NOK), "Two books", UserFlow.PushMessage, "https://shop.example/done", "4712345678"), CancellationToken.None);
        await host.Http.PostAsync($"{host.Address}/simulator/payex/control/payments/{created.ProviderPaymentId!.Split('/')[^1]}/approve", null);
        var captured = await payex.CaptureAsync(new CapturePayment(IdempotencyKey.For(order, 1, "capture", 1), reference, new Money(400, Currency.NOK), "ship-1") { ProviderPaymentId = created.ProviderPaymentId }, CancellationToken.None);
        var read = await payex.QueryAsync(new QueryPayment(IdempotencyKey.For(order, 1, "query", 1), reference) { ProviderPaymentId = created.ProviderPaymentId }, CancellationToken.None);

        captured.Aggregate.Captured.Value.ShouldBe(400);
        read.State.ShouldBe(ProviderPaymentState.Authorized);
        read.Aggregate.Authorized.Value.ShouldBe(1000);
    }
}
