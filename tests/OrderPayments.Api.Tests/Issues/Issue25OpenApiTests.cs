using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace OrderPayments.Api.Tests.Issues;

/// <summary>
/// Issue 25: the OpenAPI document marked userFlow, phoneNumber, provider and returnUrl as required, let amount.value be
/// a string (the API refuses one) and left out the 413 and 415 answers, so a client generated from it was wrong. (Every
/// answer the API tests observe is also checked against the document by <see cref="Contract.ContractCheck"/>.)
/// </summary>
public sealed class Issue25OpenApiTests : IAsyncLifetime
{
    private ApiHost _api = null!;
    private JsonObject _document = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiHost.StartAsync();
        _document = (await _api.Anonymous.GetFromJsonAsync<JsonObject>("openapi/v1.json"))!;
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public void Document_StartBody_RequiresOnlyAmountAndDescriptionAndRefusesUnknownFields()
    {
        var start = Schema("StartPaymentBody");

        start["required"]!.AsArray().Select(r => (string?)r).ShouldBe(["amount", "description"], ignoreOrder: true);
        start["additionalProperties"]!.GetValue<bool>().ShouldBeFalse();
        start["properties"]!["userFlow"]!["enum"]!.AsArray().Select(v => (string?)v).ShouldBe(["WEB_REDIRECT", "NATIVE_REDIRECT", "PUSH_MESSAGE", "QR"], ignoreOrder: true);
        start["properties"]!["provider"]!["enum"]!.AsArray().Select(v => (string?)v).ShouldBe(["vipps", "payex"], ignoreOrder: true);
    }

    [Fact]
    public void Document_AmountValue_IsAWholeNumberAboveZeroAndNeverAString()
    {
        var value = Schema("AmountBody")["properties"]!["value"]!;

        ((string?)value["type"]).ShouldBe("integer");
        value["minimum"]!.GetValue<int>().ShouldBe(1);
        value.AsObject().ContainsKey("pattern").ShouldBeFalse();
    }

    [Fact]
    public void Document_EveryRouteThatReadsABody_Documents413AndEveryJsonBody415()
    {
        var operations = _document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(op => (Name: $"{op.Key.ToUpperInvariant()} {path.Key}", Operation: op.Value!.AsObject())))
            .Where(o => o.Operation.ContainsKey("requestBody"))
            .ToList();

        operations.Count.ShouldBe(8);
        operations.ShouldAllBe(o => o.Operation["responses"]!.AsObject().ContainsKey("413"), "every body is capped");
        operations.Where(o => !o.Operation["tags"]!.AsArray().Any(t => (string?)t == "Webhooks"))
            .ShouldAllBe(o => o.Operation["responses"]!.AsObject().ContainsKey("415"), "storefront and operator bodies must be JSON");
    }

    [Fact]
    public void Document_Answers_LeaveOutNullsInsteadOfRequiringThem()
    {
        var order = Schema("OrderPaymentDocument");

        order["required"]!.AsArray().Select(r => (string?)r).ShouldNotContain("providerPaymentId");
        ((string?)order["properties"]!["providerPaymentId"]!["type"]).ShouldBe("string");
        ((string?)order["properties"]!["fault"]!["$ref"]).ShouldBe("#/components/schemas/OrderPaymentFault");
    }

    [Fact]
    public async Task Start_BodyAboveTheCap_Answers413AsDocumented()
    {
        using var response = await _api.Http.PutAsync("api/orders/too-large/payment", new StringContent(new string(' ', 70_000) + "{}", Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        (await ApiHost.ProblemAsync(response))["type"]!.GetValue<string>().ShouldBe("urn:orderpayments:problem:body-too-large");
    }

    [Fact]
    public async Task Start_BodyThatIsNotJson_Answers415AsDocumented()
    {
        using var response = await _api.Http.PutAsync("api/orders/plain-text/payment", new StringContent(ApiHost.StartBody().ToJsonString(), Encoding.UTF8, "text/plain"));

        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        (await ApiHost.ProblemAsync(response))["type"]!.GetValue<string>().ShouldBe("urn:orderpayments:problem:unsupported-media-type");
    }

    [Fact]
    public async Task Start_WithoutReturnUrlPhoneNumberOrProvider_IsAccepted()
    {
        var body = new JsonObject { ["amount"] = ApiHost.Amount(1000), ["description"] = "Only what is required", ["userFlow"] = "QR" };

        using var response = await _api.PutPaymentAsync("only-required", body);

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Reference_IsServedAnonymouslyAndReadsTheDocument()
    {
        using var page = await _api.Anonymous.GetAsync("reference/");
        using var script = await _api.Anonymous.GetAsync("reference/scalar.js");

        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        var html = await page.Content.ReadAsStringAsync();
        html.ShouldContain("\"url\":\"openapi/v1.json\"");
        html.ShouldContain("<script src=\"scalar.js\"></script>");
        html.ShouldNotContain("https://", customMessage: "the page loads nothing from elsewhere (no CDN)");
        script.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private JsonObject Schema(string name) => _document["components"]!["schemas"]![name]!.AsObject();
}
