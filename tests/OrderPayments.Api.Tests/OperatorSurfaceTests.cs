using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace OrderPayments.Api.Tests;

/// <summary>Listing, health, the OpenAPI document and the operator page.</summary>
public sealed class OperatorSurfaceTests : IAsyncLifetime
{
    private ApiHost _api = null!;

    public async Task InitializeAsync() => _api = await ApiHost.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task List_ByStatusWithPaging_ReturnsEveryMatchingOrderOnce()
    {
        foreach (var id in new[] { "list-a", "list-b", "list-c" })
        {
            await _api.StartPaymentAsync(id);
        }

        var reference = (string)(await _api.GetOrderAsync("list-b"))["reference"]!;
        await _api.CustomerAsync(reference, "approve");
        await _api.WaitForStatusAsync("list-b", "Authorized");

        var first = (await _api.Http.GetFromJsonAsync<JsonObject>("api/orders?status=AwaitingCustomer&limit=1"))!;
        var second = (await _api.Http.GetFromJsonAsync<JsonObject>($"api/orders?status=AwaitingCustomer&limit=1&after={first["next"]}"))!;
        var third = (await _api.Http.GetFromJsonAsync<JsonObject>($"api/orders?status=AwaitingCustomer&limit=1&after={second["next"]}"))!;

        first["items"]!.AsArray().Select(o => (string?)o!["orderId"]).ShouldBe(["list-a"]);
        second["items"]!.AsArray().Select(o => (string?)o!["orderId"]).ShouldBe(["list-c"]);
        third["items"]!.AsArray().ShouldBeEmpty();
        first["items"]![0]!.AsObject().ContainsKey("history").ShouldBeFalse();
    }

    [Fact]
    public async Task Health_StoreReachable_Healthy()
    {
        var health = (await _api.Anonymous.GetFromJsonAsync<JsonObject>("health"))!;

        health["status"]!.GetValue<string>().ShouldBe("Healthy");
    }

    [Fact]
    public async Task OpenApi_DocumentsEveryRouteAndTheStartBody()
    {
        var document = (await _api.Anonymous.GetFromJsonAsync<JsonObject>("openapi/v1.json"))!;

        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        paths.ShouldBe(
            [
                "/api/orders/{orderId}/payment", "/api/orders", "/api/orders/faults", "/api/orders/{orderId}/fulfillments", "/api/orders/{orderId}/cancellation",
                "/api/orders/{orderId}/refunds", "/api/orders/{orderId}/attempts", "/api/webhooks/vipps", "/api/callbacks/payex",
                "/api/notification-endpoints", "/api/notification-endpoints/{id}", "/api/notification-endpoints/{id}/test",
                "/api/notification-deliveries", "/api/notification-deliveries/{endpointId}/{eventId}/retry",
                "/api/reports/orders", "/api/reports/totals", "/api/reports/hourly",
            ],
            ignoreOrder: true);
        var start = document["components"]!["schemas"]!["StartPaymentBody"]!["properties"]!.AsObject().Select(p => p.Key);
        start.ShouldBe(["amount", "description", "returnUrl", "userFlow", "phoneNumber", "provider"], ignoreOrder: true);
    }

    [Fact]
    public async Task Start_EveryDocumentedField_IsAccepted()
    {
        var body = ApiHost.StartBody();
        body["userFlow"] = "WEB_REDIRECT";
        body["phoneNumber"] = "4712345678";
        body["provider"] = "vipps";

        using var response = await _api.PutPaymentAsync("all-fields", body);

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task OperatorPage_IsServedAtTheRoot()
    {
        using var response = await _api.Anonymous.GetAsync("");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        (await response.Content.ReadAsStringAsync()).ShouldContain("/api/orders");
    }

    [Fact]
    public async Task UnknownRoute_AnswersProblem404()
    {
        using var response = await _api.Http.GetAsync("api/nothing-here");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await ApiHost.ProblemAsync(response))["type"]!.GetValue<string>().ShouldBe("urn:orderpayments:problem:not-found");
    }
}
