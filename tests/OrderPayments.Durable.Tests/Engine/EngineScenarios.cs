using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrderPayments.Api.Tests;
using OrderPayments.Api.Tests.Notifications;

namespace OrderPayments.Durable.Tests.Engine;

/// <summary>
/// One scenario suite, run on every interpreter of the workflow through the same HTTP contract and simulator: the
/// embedded runtime, and the Functions app's orchestrator, activities and client on the Durable Task engine (in-memory
/// and Azure Storage over Azurite). Each scenario ends by comparing the order's outcome (status, amounts, shipments,
/// refunds) and the provider's applied mutations per idempotency key with one expected value, the same for every
/// engine: one workflow, interpreters that agree.
/// </summary>
public abstract class EngineScenarios
{
    /// <summary>The engine for one scenario's API (null: the embedded runtime).</summary>
    private protected abstract IApiEngine? CreateEngine();

    private protected Task<ApiHost> StartAsync(Dictionary<string, string?>? settings = null) => ApiHost.StartAsync(settings, engine: CreateEngine());

    [Fact]
    public async Task HappyPath_WebhookThenShipment_CapturesOnce()
    {
        // Polls late enough that the webhook is what tells the authorization on every engine.
        await using var api = await StartAsync(new() { ["Workflow:FirstPollDelay"] = "00:00:10", ["Workflow:MaxPollInterval"] = "00:00:10" });
        var started = await api.StartPaymentAsync("happy-1", 1000);
        await api.CustomerAsync((string)started["reference"]!, "approve");
        await api.WaitForStatusAsync("happy-1", "Authorized");

        (await api.FulfillAsync("happy-1", "ship-1")).StatusCode.ShouldBe(HttpStatusCode.Accepted);

        await api.WaitForOrderAsync("happy-1", o => (long?)o["amounts"]!["captured"] == 1000, "captured");
        (await OutcomeAsync(api, "happy-1")).ShouldBe("Captured a1000 c1000 x0 r0 | ship-1:Succeeded | - | happy-1-1-capture-1=1 happy-1-1-create-1=1");
        (await api.StatsAsync())["calls"]!.AsObject().ContainsKey("get").ShouldBeFalse("the webhook told the authorization");
    }

    [Fact]
    public async Task PollPath_NoWebhook_PollsFindTheAuthorization()
    {
        await using var api = await StartAsync();
        await api.SetFaultsAsync(new { webhookDropRate = 1.0 });
        var started = await api.StartPaymentAsync("poll-1", 1000);

        await api.CustomerAsync((string)started["reference"]!, "approve");
        await api.WaitForStatusAsync("poll-1", "Authorized");
        await api.FulfillAsync("poll-1", "ship-1");

        await api.WaitForOrderAsync("poll-1", o => (long?)o["amounts"]!["captured"] == 1000, "captured");
        (await OutcomeAsync(api, "poll-1")).ShouldBe("Captured a1000 c1000 x0 r0 | ship-1:Succeeded | - | poll-1-1-capture-1=1 poll-1-1-create-1=1");
        (await api.StatsAsync())["calls"]!["get"]!.GetValue<int>().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task PartialCapturesThenCancel_ReleasesTheRest()
    {
        await using var api = await StartAsync();
        var started = await api.StartPaymentAsync("partial-1", 1000);
        await api.CustomerAsync((string)started["reference"]!, "approve");
        await api.WaitForStatusAsync("partial-1", "Authorized");
        await api.FulfillAsync("partial-1", "ship-1", 300);
        await api.FulfillAsync("partial-1", "ship-2", 200);
        await api.WaitForOrderAsync("partial-1", o => (long?)o["amounts"]!["captured"] == 500, "two partial captures");

        (await api.PostAsync("api/orders/partial-1/cancellation", new JsonObject { ["reason"] = "rest out of stock" })).StatusCode.ShouldBe(HttpStatusCode.Accepted);

        await api.WaitForOrderAsync("partial-1", o => (long?)o["amounts"]!["cancelled"] == 500, "the rest released");
        (await OutcomeAsync(api, "partial-1")).ShouldBe(
            "Captured a1000 c500 x500 r0 | ship-1:Succeeded ship-2:Succeeded | - | partial-1-1-cancel-1=1 partial-1-1-capture-1=1 partial-1-1-capture-2=1 partial-1-1-create-1=1");
    }

    [Fact]
    public async Task CancelBeforeAuthorization_CancelsThePayment()
    {
        await using var api = await StartAsync();
        await api.StartPaymentAsync("early-1", 1000);

        (await api.PostAsync("api/orders/early-1/cancellation", new JsonObject { ["reason"] = "changed mind" })).StatusCode.ShouldBe(HttpStatusCode.Accepted);

        await api.WaitForOrderAsync("early-1", o => (string?)o["status"] == "Cancelled", "cancelled");
        (await OutcomeAsync(api, "early-1")).ShouldBe("Cancelled a0 c0 x1000 r0 | - | - | early-1-1-cancel-1=1 early-1-1-create-1=1");
    }

    [Fact]
    public async Task Refunds_PartialThenRest_RefundedUpToCaptured()
    {
        await using var api = await StartAsync();
        var started = await api.StartPaymentAsync("refund-1", 1000);
        await api.CustomerAsync((string)started["reference"]!, "approve");
        await api.WaitForStatusAsync("refund-1", "Authorized");
        await api.FulfillAsync("refund-1", "ship-1");
        await api.WaitForOrderAsync("refund-1", o => (long?)o["amounts"]!["captured"] == 1000, "captured");

        (await api.RefundAsync("refund-1", "r-1", 400)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await api.RefundAsync("refund-1", "r-2", 600)).StatusCode.ShouldBe(HttpStatusCode.Accepted);

        await api.WaitForOrderAsync("refund-1", o => (long?)o["amounts"]!["refunded"] == 1000, "refunded in full");
        (await OutcomeAsync(api, "refund-1")).ShouldBe(
            "Captured a1000 c1000 x0 r1000 | ship-1:Succeeded | r-1:Succeeded r-2:Succeeded | refund-1-1-capture-1=1 refund-1-1-create-1=1 refund-1-1-refund-1=1 refund-1-1-refund-2=1");
    }

    [Fact]
    public async Task AuthorizationDeadline_CustomerNeverAnswers_PaymentIsClosed()
    {
        await using var api = await StartAsync(new() { ["Workflow:CustomerWindow"] = "00:00:01", ["Workflow:AuthorizationGrace"] = "00:00:00.500" });
        await api.StartPaymentAsync("silent-1", 1000);

        await api.WaitForOrderAsync("silent-1", o => (string?)o["status"] == "Unpaid" && (string?)o["providerState"] == "TERMINATED", "the workflow gave up on the customer");

        // Unpaid, not Cancelled: nobody asked to cancel; the workflow closed the payment nobody answered.
        (await OutcomeAsync(api, "silent-1")).ShouldBe("Unpaid a0 c0 x1000 r0 | - | - | silent-1-1-cancel-1=1 silent-1-1-create-1=1");
    }

    [Fact]
    public async Task FulfillmentDeadline_NothingShips_ReservationIsCancelled()
    {
        await using var api = await StartAsync(new() { ["Workflow:FulfillmentWindow"] = "00:00:02" });
        var started = await api.StartPaymentAsync("deadline-1", 1000);
        await api.CustomerAsync((string)started["reference"]!, "approve");

        await api.WaitForOrderAsync("deadline-1", o => (string?)o["status"] == "Cancelled", "cancelled at the deadline");

        (await OutcomeAsync(api, "deadline-1")).ShouldBe("Cancelled a1000 c0 x1000 r0 | - | - | deadline-1-1-cancel-1=1 deadline-1-1-create-1=1");
    }

    private static string OrNone(string list) => list.Length == 0 ? "-" : list;

    [Fact]
    public async Task Issue13_StorefrontNotifications_EachOrdersEventsSignedOnceEachAndInVersionOrderAcrossAnOutage()
    {
        await using var receiver = await StorefrontReceiver.StartAsync();
        receiver.Down = true;
        await using var api = await StartAsync(new()
        {
            ["Notifications:Enabled"] = "true",
            ["Notifications:FirstRetryDelay"] = "00:00:00.100",
            ["Notifications:MaxRetryDelay"] = "00:00:00.200",
        });
        using var created = await api.Http.PostAsync("api/notification-endpoints", ApiHost.Json(new JsonObject { ["url"] = receiver.Url.AbsoluteUri }));
        var secret = (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["secret"]!;
        string[] orders = ["events-1", "events-2"];
        foreach (var order in orders)
        {
            await api.CustomerAsync((string)(await api.StartPaymentAsync(order, 1000))["reference"]!, "approve");
            await api.WaitForStatusAsync(order, "Authorized");
            await api.FulfillAsync(order, "ship-1");
            await api.WaitForOrderAsync(order, o => (long?)o["amounts"]!["captured"] == 1000, "captured");
        }

        await Eventually.Holds(() => receiver.Requests.Count(r => !r.Accepted) >= 2, "deliveries refused while the receiver is down");
        receiver.Down = false;

        await Eventually.Holds(() => orders.All(o => receiver.Delivered.Count(r => r.OrderId == o) >= 3), "every order's events delivered", TimeSpan.FromSeconds(30));
        foreach (var order in orders)
        {
            var delivered = receiver.Delivered.Where(r => r.OrderId == order).ToList();
            delivered.Select(r => r.Type).ShouldBe(["payment.ready", "payment.authorized", "payment.captured"]);
            delivered.Select(r => r.Id).ShouldBeUnique();
            delivered.Select(r => r.Version).ShouldBeInOrder(SortDirection.Ascending);
            delivered.ShouldAllBe(r => Application.Storefront.StandardWebhooks.Verify(secret, r.Id, r.Timestamp, r.Signature, r.Body, TimeProvider.System.GetUtcNow(), TimeSpan.FromMinutes(5)));
        }
    }

    [Fact]
    public async Task Issue24_RepeatedCancelAfterAPartialCapture_IsAnsweredWithTheFirstOnesOutcome()
    {
        await using var api = await StartAsync();
        await api.CustomerAsync((string)(await api.StartPaymentAsync("again-1", 1000))["reference"]!, "approve");
        await api.WaitForStatusAsync("again-1", "Authorized");
        await api.FulfillAsync("again-1", "ship-1", 300);
        await api.WaitForOrderAsync("again-1", o => (long?)o["amounts"]!["captured"] == 300, "partly captured");
        (await api.PostAsync("api/orders/again-1/cancellation", new JsonObject())).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await api.WaitForOrderAsync("again-1", o => (long?)o["amounts"]!["cancelled"] == 700, "the rest released");

        // While the first one's outcome is being recorded a repeat is answered "accepted" again; then with that outcome.
        var repeat = await OutcomeOfRepeatAsync(() => api.PostAsync("api/orders/again-1/cancellation", new JsonObject()));

        repeat.ShouldBe("200 applied repeated");
    }

    [Fact]
    public async Task Issue24_RepeatAfterTheOrderEnded_IsAnsweredWithItsRecordedOutcome()
    {
        await using var api = await StartAsync();
        await api.StartPaymentAsync("ended-1", 1000);
        (await api.PostAsync("api/orders/ended-1/cancellation", new JsonObject())).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await api.WaitForOrderAsync("ended-1", o => (string?)o["status"] == "Cancelled" && (int?)o["pendingSignals"] == 0, "cancelled");

        var repeat = await OutcomeOfRepeatAsync(() => api.PostAsync("api/orders/ended-1/cancellation", new JsonObject()));
        using var shipment = await api.FulfillAsync("ended-1", "ship-1");

        repeat.ShouldBe("200 applied repeated");
        shipment.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        ((string?)(await ApiHost.ProblemAsync(shipment))["type"]).ShouldBe("urn:orderpayments:problem:not-allowed");
    }

    [Fact]
    public async Task Issue24_ShipmentAnsweredAccepted_IsListedOrCountedAsPendingAtOnce()
    {
        await using var api = await StartAsync();
        await api.CustomerAsync((string)(await api.StartPaymentAsync("pending-1", 1000))["reference"]!, "approve");
        await api.WaitForStatusAsync("pending-1", "Authorized");

        using var shipped = await api.FulfillAsync("pending-1", "ship-1", 400);
        var order = await api.GetOrderAsync("pending-1");

        shipped.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var listed = order["shipments"]!.AsArray().Any(s => (string?)s!["shipmentId"] == "ship-1");
        (listed || (int?)order["pendingSignals"] >= 1).ShouldBeTrue($"an accepted shipment is applied or counted as pending: {order.ToJsonString()}");
    }

    [Fact]
    public async Task Issue24_VersionsOfAnOrder_CountItsChanges()
    {
        // No poll while the test runs: every change comes from the steps below.
        await using var api = await StartAsync(new() { ["Workflow:FirstPollDelay"] = "00:10:00", ["Workflow:MaxPollInterval"] = "00:10:00" });
        var reference = (string)(await api.StartPaymentAsync("versions-1", 1000))["reference"]!;
        var awaiting = await api.WaitForOrderAsync("versions-1", o => (string?)o["status"] == "AwaitingCustomer", "created");
        await api.CustomerAsync(reference, "approve");
        var authorized = await api.WaitForStatusAsync("versions-1", "Authorized");
        await api.FulfillAsync("versions-1", "ship-1");
        var captured = await api.WaitForOrderAsync("versions-1", o => (string?)o["status"] == "Captured" && o["shipments"]![0]!["outcome"]!.GetValue<string>() == "Succeeded", "captured");
        await api.WaitForOrderAsync("versions-1", o => (int?)o["pendingSignals"] == 0, "the capture's webhook applied");

        // Started 1, created 2, authorized 3, shipped 4, captured 5; the CAPTURED webhook echoes the capture: no change.
        ((long?)awaiting["version"], (long?)authorized["version"], (long?)captured["version"], (long?)(await api.GetOrderAsync("versions-1"))["version"])
            .ShouldBe((2L, 3L, 5L, 5L));
    }

    [Fact]
    public async Task Issue24_BodyThatIsNotJson_Answers415()
    {
        await using var api = await StartAsync();
        using var content = new StringContent("shipmentId=ship-1", System.Text.Encoding.UTF8, "text/plain");

        using var response = await api.Http.PostAsync("api/orders/any-1/fulfillments", content);

        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        ((string?)(await ApiHost.ProblemAsync(response))["type"]).ShouldBe("urn:orderpayments:problem:unsupported-media-type");
    }

    [Fact]
    public async Task Issue24_ProviderNotifications_AnsweredAsTheApiAnswersThem()
    {
        await using var api = await StartAsync();
        var reference = (string)(await api.StartPaymentAsync("notified-1", 1000))["reference"]!;
        using var callback = new StringContent(
            """{"payment":{"id":"/psp/vipps/payments/other","number":1},"transaction":{"id":"/psp/vipps/payments/other/authorizations/1","number":1}}""",
            System.Text.Encoding.UTF8,
            "application/json");
        using var forged = new StringContent("""{"reference":"notified-1-1","name":"AUTHORIZED"}""", System.Text.Encoding.UTF8, "application/json");
        forged.Headers.Add("x-ms-date", "Thu, 30 Mar 2023 08:38:32 GMT");
        forged.Headers.Add("x-ms-content-sha256", "lNlsp1XA03N34HrQsVzPgJKtC+r7l/RBF4V3JQUWMj4=");

        using var payEx = await api.Anonymous.PostAsync($"api/callbacks/payex?reference={reference}", callback);
        using var vipps = await api.Anonymous.PostAsync("api/webhooks/vipps", forged);

        // A PayEx callback about a Vipps order reaches nothing (answered, ignored); an unsigned webhook is refused.
        payEx.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await payEx.Content.ReadFromJsonAsync<JsonObject>())!.ToJsonString().ShouldBe("""{"recorded":0,"ignored":1}""");
        vipps.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        ((string?)(await ApiHost.ProblemAsync(vipps))["type"]).ShouldBe("urn:orderpayments:problem:notification-not-authentic");
    }

    /// <summary>Repeats a signal until it is answered with its outcome (status, result, repeated), at most 20 s.</summary>
    private protected static async Task<string> OutcomeOfRepeatAsync(Func<Task<HttpResponseMessage>> send)
    {
        var answer = "";
        await Eventually.Holds(
            async () =>
            {
                using var response = await send();
                var receipt = await response.Content.ReadFromJsonAsync<JsonObject>();
                answer = $"{(int)response.StatusCode} {receipt?["result"]} {((bool?)receipt?["repeated"] == true ? "repeated" : "new")}";
                return response.StatusCode != HttpStatusCode.Accepted;
            },
            "the repeat answered with the first one's outcome",
            TimeSpan.FromSeconds(20));
        return answer;
    }

    /// <summary>
    /// The order's outcome in one line: status, amounts (authorized, captured, cancelled, refunded), shipments and
    /// refunds with their outcomes, and how often the provider applied each of the order's mutations (by key).
    /// </summary>
    private protected static async Task<string> OutcomeAsync(ApiHost api, string orderId)
    {
        var order = await api.GetOrderAsync(orderId);
        var amounts = order["amounts"]!;
        var shipments = string.Join(' ', order["shipments"]!.AsArray().Select(s => $"{s!["shipmentId"]}:{s["outcome"]}"));
        var refunds = string.Join(' ', order["refunds"]!.AsArray().Select(r => $"{r!["refundId"]}:{r["outcome"]}"));
        var applied = (await api.StatsAsync())["appliedPerIdempotencyKey"]!.AsObject()
            .Where(p => p.Key.StartsWith(orderId + "-", StringComparison.Ordinal))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{p.Key}={p.Value}");
        return $"{order["status"]} a{amounts["authorized"]} c{amounts["captured"]} x{amounts["cancelled"]} r{amounts["refunded"]} | {OrNone(shipments)} | {OrNone(refunds)} | {string.Join(' ', applied)}";
    }
}
