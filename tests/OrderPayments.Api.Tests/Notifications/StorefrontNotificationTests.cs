using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrderPayments.Application.Storefront;

namespace OrderPayments.Api.Tests.Notifications;

/// <summary>
/// Issue 13: the storefront hears of every status change and money movement as a signed Standard Webhooks event,
/// at least once, in order per order, even across a receiver's outage.
/// </summary>
public sealed class StorefrontNotificationTests
{
    private static readonly Dictionary<string, string?> FastRetries = new()
    {
        ["Notifications:FirstRetryDelay"] = "00:00:00.100",
        ["Notifications:MaxRetryDelay"] = "00:00:00.200",
    };

    [Fact]
    public async Task Events_OneOrderToRefunded_EachSignedAndDeliveredInVersionOrder()
    {
        await using var receiver = await StorefrontReceiver.StartAsync();
        await using var api = await ApiHost.StartAsync();
        var secret = await AddEndpointAsync(api, receiver.Url);

        await PayShipAndRefundAsync(api, "notify-1");

        await Eventually.Holds(() => receiver.Delivered.Any(r => r.Type == StorefrontEventTypes.PaymentRefunded), "the refund event delivered");
        var delivered = receiver.Delivered.Where(r => r.OrderId == "notify-1").ToList();
        delivered.ShouldAllBe(r => StandardWebhooks.Verify(secret, r.Id, r.Timestamp, r.Signature, r.Body, TimeProvider.System.GetUtcNow(), TimeSpan.FromMinutes(5)));
        delivered.Select(r => r.Id).ShouldBeUnique();
        delivered.Select(r => r.Version).ShouldBeInOrder(SortDirection.Ascending);
        delivered.Select(r => r.Type).ShouldBe([
            StorefrontEventTypes.PaymentReady, StorefrontEventTypes.PaymentAuthorized, StorefrontEventTypes.PaymentCaptured, StorefrontEventTypes.PaymentRefunded]);
        var captured = delivered[2].Json["data"]!;
        ((long?)captured["amount"], (string?)captured["shipmentIds"]![0], (long?)captured["amounts"]!["captured"]).ShouldBe((1000L, "ship-1", 1000L));
    }

    [Fact]
    public async Task Events_ReceiverDownForAWhile_GetsTheBacklogInOrderOncePerId()
    {
        await using var receiver = await StorefrontReceiver.StartAsync();
        receiver.Down = true;
        await using var api = await ApiHost.StartAsync(FastRetries);
        await AddEndpointAsync(api, receiver.Url);
        string[] orders = ["backlog-1", "backlog-2", "backlog-3"];
        foreach (var order in orders)
        {
            await PayAndShipAsync(api, order);
        }

        await Eventually.Holds(() => receiver.Requests.Count(r => !r.Accepted) >= 6, "deliveries refused while down");
        receiver.Down = false;

        await Eventually.Holds(() => orders.All(o => receiver.Delivered.Count(r => r.OrderId == o) == 3), "every order's three events delivered");
        foreach (var order in orders)
        {
            var delivered = receiver.Delivered.Where(r => r.OrderId == order).ToList();
            delivered.Select(r => r.Type).ShouldBe([StorefrontEventTypes.PaymentReady, StorefrontEventTypes.PaymentAuthorized, StorefrontEventTypes.PaymentCaptured]);
            delivered.Select(r => r.Id).ShouldBeUnique();
        }
    }

    [Fact]
    public async Task Deliveries_FailingForTheWholeRetryPeriod_AreListedAsFailedAndCanBeRetried()
    {
        await using var receiver = await StorefrontReceiver.StartAsync();
        receiver.Down = true;
        await using var api = await ApiHost.StartAsync(new(FastRetries) { ["Notifications:RetryFor"] = "00:00:00.500" });
        await AddEndpointAsync(api, receiver.Url, StorefrontEventTypes.PaymentAuthorized);
        await api.CustomerAsync((string)(await api.StartPaymentAsync("failing-1"))["reference"]!, "approve");

        JsonArray failed = [];
        await Eventually.Holds(async () => (failed = (await api.Http.GetFromJsonAsync<JsonObject>("api/notification-deliveries?status=failed"))!["items"]!.AsArray()).Count == 1, "the delivery failed for good");
        var delivery = failed[0]!;
        ((string?)delivery["orderId"], (string?)delivery["type"], (string?)delivery["lastError"]).ShouldBe(("failing-1", StorefrontEventTypes.PaymentAuthorized, "HTTP 503"));
        receiver.Down = false;

        using var retry = await api.Http.PostAsync($"api/notification-deliveries/{delivery["endpointId"]}/{delivery["eventId"]}/retry", null);

        retry.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await Eventually.Holds(() => receiver.Delivered.Any(r => r.Id == (string?)delivery["eventId"]), "the retried event delivered");
        (await api.Http.GetFromJsonAsync<JsonObject>("api/notification-deliveries?status=failed"))!["items"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task Endpoint_SlowOne_HoldsUpNeitherTheWorkflowNorAnotherEndpoint()
    {
        await using var slow = await StorefrontReceiver.StartAsync();
        slow.Delay = TimeSpan.FromSeconds(60);
        await using var fast = await StorefrontReceiver.StartAsync();
        await using var api = await ApiHost.StartAsync(new() { ["Notifications:Timeout"] = "00:01:30" });
        await AddEndpointAsync(api, slow.Url);
        await AddEndpointAsync(api, fast.Url);
        string[] orders = ["slow-1", "slow-2", "slow-3"];

        foreach (var order in orders)
        {
            await PayAndShipAsync(api, order);
        }

        await Eventually.Holds(() => orders.All(o => fast.Delivered.Count(r => r.OrderId == o) == 3), "the fast endpoint got every event while the slow one hangs");
        slow.Delivered.ShouldBeEmpty("the slow endpoint has answered nothing yet");
    }

    [Fact]
    public async Task Endpoint_FilteredByType_ReceivesOnlyThoseTypes()
    {
        await using var receiver = await StorefrontReceiver.StartAsync();
        await using var api = await ApiHost.StartAsync();
        await AddEndpointAsync(api, receiver.Url, StorefrontEventTypes.PaymentCaptured);

        await PayAndShipAsync(api, "filtered-1");

        await Eventually.Holds(() => receiver.Delivered.Count > 0, "the capture delivered");
        await api.WaitForOrderAsync("filtered-1", o => (long?)o["amounts"]!["captured"] == 1000, "captured");
        receiver.Delivered.Select(r => r.Type).ShouldBe([StorefrontEventTypes.PaymentCaptured]);
    }

    [Fact]
    public async Task Endpoints_CreateListTestDelete_SecretShownOnlyAtCreation()
    {
        await using var receiver = await StorefrontReceiver.StartAsync();
        await using var api = await ApiHost.StartAsync();

        using var created = await api.Http.PostAsync("api/notification-endpoints", ApiHost.Json(new JsonObject { ["url"] = receiver.Url.AbsoluteUri }));
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var endpoint = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var secret = (string)endpoint["secret"]!;
        var list = await api.Http.GetStringAsync("api/notification-endpoints");
        using var test = await api.Http.PostAsync($"api/notification-endpoints/{endpoint["id"]}/test", null);
        await Eventually.Holds(() => receiver.Delivered.Count == 1, "the test event delivered");
        using var deleted = await api.Http.DeleteAsync($"api/notification-endpoints/{endpoint["id"]}");
        using var again = await api.Http.DeleteAsync($"api/notification-endpoints/{endpoint["id"]}");

        secret.ShouldStartWith("whsec_");
        list.ShouldContain((string)endpoint["id"]!);
        list.ShouldNotContain(secret);
        test.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var delivered = receiver.Delivered.ShouldHaveSingleItem();
        delivered.Type.ShouldBe(StorefrontEventTypes.Test);
        StandardWebhooks.Verify(secret, delivered.Id, delivered.Timestamp, delivered.Signature, delivered.Body, TimeProvider.System.GetUtcNow(), TimeSpan.FromMinutes(5)).ShouldBeTrue();
        deleted.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        again.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("""{"url":"ftp://shop.example/hooks"}""", "url")]
    [InlineData("""{"url":"https://shop.example/hooks","types":["payment.shipped"]}""", "types")]
    [InlineData("""{"url":"https://shop.example/hooks","secret":"whsec_x"}""", "secret")]
    public async Task Endpoints_CreateWithBadInput_Answers400NamingTheFieldAndAddsNothing(string body, string field)
    {
        await using var api = await ApiHost.StartAsync();

        using var response = await api.Http.PostAsync("api/notification-endpoints", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await ApiHost.ProblemAsync(response);
        problem["errors"]!.AsArray().ShouldContain(e => (string?)e!["field"] == field);
        (await api.Http.GetFromJsonAsync<JsonObject>("api/notification-endpoints"))!["items"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task Endpoints_StorefrontKey_Answers403()
    {
        await using var api = await ApiHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/notification-endpoints");
        request.Headers.Add(ApiApp.ApiKeyHeader, "dev-storefront-key");

        using var response = await api.Anonymous.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    private static async Task<string> AddEndpointAsync(ApiHost api, Uri url, params string[] types)
    {
        var body = new JsonObject { ["url"] = url.AbsoluteUri };
        if (types.Length > 0)
        {
            body["types"] = new JsonArray([.. types.Select(t => JsonValue.Create(t))]);
        }

        using var response = await api.Http.PostAsync("api/notification-endpoints", ApiHost.Json(body));
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["secret"]!;
    }

    private static async Task PayAndShipAsync(ApiHost api, string orderId)
    {
        await api.CustomerAsync((string)(await api.StartPaymentAsync(orderId))["reference"]!, "approve");
        await api.WaitForStatusAsync(orderId, "Authorized");
        (await api.FulfillAsync(orderId, "ship-1")).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await api.WaitForOrderAsync(orderId, o => (long?)o["amounts"]!["captured"] == 1000, "captured");
    }

    private static async Task PayShipAndRefundAsync(ApiHost api, string orderId)
    {
        await PayAndShipAsync(api, orderId);
        (await api.RefundAsync(orderId, "refund-1", 300)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await api.WaitForOrderAsync(orderId, o => (long?)o["amounts"]!["refunded"] == 300, "refunded");
    }
}
