using System.Net;
using System.Text.Json.Nodes;

namespace OrderPayments.Api.Tests;

/// <summary>Orders from start to their end, through the HTTP API and the embedded Vipps simulator.</summary>
public sealed class PaymentLifecycleTests
{
    [Fact]
    public async Task HappyPath_ApproveThenFulfill_CapturesOnceWithTwoProviderCalls()
    {
        await using var api = await ApiHost.StartAsync();

        var started = await api.StartPaymentAsync("happy-1", 1000);
        ((string?)started["redirectUrl"]).ShouldNotBeNullOrEmpty();
        await api.CustomerAsync((string)started["reference"]!, "approve");
        await api.WaitForStatusAsync("happy-1", "Authorized");
        using var shipped = await api.FulfillAsync("happy-1", "ship-1");
        shipped.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var order = await api.WaitForOrderAsync("happy-1", o => (long?)o["amounts"]!["captured"] == 1000, "captured");

        order["status"]!.GetValue<string>().ShouldBe("Captured");
        var stats = await api.StatsAsync();
        stats["calls"]!["create"]!.GetValue<int>().ShouldBe(1);
        stats["calls"]!["capture"]!.GetValue<int>().ShouldBe(1);
        stats["calls"]!.AsObject().ContainsKey("get").ShouldBeFalse("the webhook told the authorization; no query was needed");
        stats["appliedPerIdempotencyKey"]!["happy-1-1-capture-1"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public async Task Start_SameBodyAgain_AnswersTheSameOrder()
    {
        await using var api = await ApiHost.StartAsync();
        var first = await api.StartPaymentAsync("same-1");

        using var again = await api.PutPaymentAsync("same-1", ApiHost.StartBody());

        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        again.Headers.Location!.ToString().ShouldBe("/api/orders/same-1/payment");
        var document = JsonNode.Parse(await again.Content.ReadAsStringAsync())!;
        ((string?)document["redirectUrl"]).ShouldBe((string?)first["redirectUrl"]);
        (await api.StatsAsync())["calls"]!["create"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public async Task Start_DifferentBodyForExistingOrder_Answers409AndChangesNothing()
    {
        await using var api = await ApiHost.StartAsync();
        await api.StartPaymentAsync("conflict-1", 1000);

        using var response = await api.PutPaymentAsync("conflict-1", ApiHost.StartBody(2000));

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await ApiHost.ProblemAsync(response))["type"]!.GetValue<string>().ShouldBe("urn:orderpayments:problem:order-conflict");
        (await api.GetOrderAsync("conflict-1"))["amount"]!.GetValue<long>().ShouldBe(1000);
    }

    [Fact]
    public async Task WebhookLost_PollingFindsTheAuthorization()
    {
        await using var api = await ApiHost.StartAsync();
        await api.SetFaultsAsync(new { webhookDropRate = 1.0 });
        var started = await api.StartPaymentAsync("lost-1");

        await api.CustomerAsync((string)started["reference"]!, "approve");

        var order = await api.WaitForStatusAsync("lost-1", "Authorized");
        order["amounts"]!["authorized"]!.GetValue<long>().ShouldBe(1000);
        (await api.StatsAsync())["calls"]!["get"]!.GetValue<int>().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task DuplicateAndReorderedWebhooks_EveryShipmentCapturedOnce()
    {
        await using var api = await ApiHost.StartAsync();
        await api.SetFaultsAsync(new { webhookDuplicateRate = 1.0, webhookReorderRate = 0.5, seed = 7 });
        var started = await api.StartPaymentAsync("dup-1", 1000);
        await api.CustomerAsync((string)started["reference"]!, "approve");
        await api.WaitForStatusAsync("dup-1", "Authorized");

        (await api.FulfillAsync("dup-1", "ship-a", 300)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await api.FulfillAsync("dup-1", "ship-b", 700)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await api.FulfillAsync("dup-1", "ship-a", 300)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var order = await api.WaitForOrderAsync("dup-1", o => (long?)o["amounts"]!["captured"] == 1000 && (int?)o["pendingSignals"] == 0, "both shipments captured");
        order["status"]!.GetValue<string>().ShouldBe("Captured");
        order["shipments"]!.AsArray().Count.ShouldBe(2);
        var applied = (await api.StatsAsync())["appliedPerIdempotencyKey"]!.AsObject();
        applied.Where(p => p.Key.Contains("-capture-", StringComparison.Ordinal)).Select(p => p.Value!.GetValue<int>()).ShouldBe([1, 1]);
    }

    [Fact]
    public async Task CustomerRejects_OrderIsUnpaid()
    {
        await using var api = await ApiHost.StartAsync();
        var started = await api.StartPaymentAsync("reject-1");

        await api.CustomerAsync((string)started["reference"]!, "reject");

        var order = await api.WaitForStatusAsync("reject-1", "Unpaid");
        order["providerState"]!.GetValue<string>().ShouldBe("ABORTED");
        order["amounts"]!["authorized"]!.GetValue<long>().ShouldBe(0);
    }

    [Fact]
    public async Task CustomerNeverAnswers_WorkflowCancelsAfterTheWindow()
    {
        await using var api = await ApiHost.StartAsync(new()
        {
            ["Workflow:CustomerWindow"] = "00:00:01",
            ["Workflow:AuthorizationGrace"] = "00:00:00.500",
        });
        await api.StartPaymentAsync("silent-1");

        var order = await api.WaitForOrderAsync("silent-1", o => (string?)o["status"] is "Unpaid" or "Cancelled", "the workflow gave up on the customer");

        order["providerState"]!.GetValue<string>().ShouldBe("TERMINATED");
        (await api.StatsAsync())["calls"]!["cancel"]!.GetValue<int>().ShouldBeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task PaymentExpiresAtProvider_OrderIsUnpaid()
    {
        await using var api = await ApiHost.StartAsync(new() { ["Simulator:PaymentWindow"] = "00:00:00.500" });
        await api.StartPaymentAsync("expire-1");

        var order = await api.WaitForStatusAsync("expire-1", "Unpaid");

        order["providerState"]!.GetValue<string>().ShouldBe("EXPIRED");
    }

    [Fact]
    public async Task FulfillmentDeadlinePasses_ReservationIsCancelled()
    {
        await using var api = await ApiHost.StartAsync(new() { ["Workflow:FulfillmentWindow"] = "00:00:01" });
        var started = await api.StartPaymentAsync("deadline-1", 1000);
        await api.CustomerAsync((string)started["reference"]!, "approve");

        var order = await api.WaitForStatusAsync("deadline-1", "Cancelled");

        order["amounts"]!["cancelled"]!.GetValue<long>().ShouldBe(1000);
        order["amounts"]!["captured"]!.GetValue<long>().ShouldBe(0);
    }

    [Fact]
    public async Task PartialCapturesThenCancel_ReleasesTheRest()
    {
        await using var api = await ApiHost.StartAsync();
        var started = await api.StartPaymentAsync("partial-1", 1000);
        await api.CustomerAsync((string)started["reference"]!, "approve");
        await api.WaitForStatusAsync("partial-1", "Authorized");
        await api.FulfillAsync("partial-1", "ship-1", 300);
        await api.FulfillAsync("partial-1", "ship-2", 200);
        await api.WaitForOrderAsync("partial-1", o => (long?)o["amounts"]!["captured"] == 500, "two partial captures");

        using var cancel = await api.PostAsync("api/orders/partial-1/cancellation", new JsonObject { ["reason"] = "rest out of stock" });

        cancel.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var order = await api.WaitForOrderAsync("partial-1", o => (long?)o["amounts"]!["cancelled"] == 500, "the rest released");
        order["status"]!.GetValue<string>().ShouldBe("Captured");
        order["amounts"]!["capturable"]!.GetValue<long>().ShouldBe(0);
    }

    [Fact]
    public async Task Refunds_PartialThenRest_RefundedUpToCaptured()
    {
        await using var api = await ApiHost.StartAsync();
        var started = await api.StartPaymentAsync("refund-1", 1000);
        await api.CustomerAsync((string)started["reference"]!, "approve");
        await api.WaitForStatusAsync("refund-1", "Authorized");
        await api.FulfillAsync("refund-1", "ship-1");
        await api.WaitForOrderAsync("refund-1", o => (long?)o["amounts"]!["captured"] == 1000, "captured");

        (await api.RefundAsync("refund-1", "r-1", 400)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await api.RefundAsync("refund-1", "r-2", 600)).StatusCode.ShouldBe(HttpStatusCode.Accepted);

        var order = await api.WaitForOrderAsync("refund-1", o => (long?)o["amounts"]!["refunded"] == 1000 && (int?)o["pendingSignals"] == 0, "refunded in full");
        order["refunds"]!.AsArray().Select(r => (string?)r!["outcome"]).ShouldBe(["Succeeded", "Succeeded"]);
        order["amounts"]!["refundable"]!.GetValue<long>().ShouldBe(0);
    }

    [Fact]
    public async Task Restart_OrdersAreKeptInTheFile()
    {
        string directory;
        await using (var first = await ApiHost.StartAsync())
        {
            directory = first.Directory;
            var started = await first.StartPaymentAsync("restart-1");
            await first.CustomerAsync((string)started["reference"]!, "approve");
            await first.WaitForStatusAsync("restart-1", "Authorized");
        }

        await using var second = await ApiHost.StartAsync(directory: directory);

        var order = await second.GetOrderAsync("restart-1");
        order["status"]!.GetValue<string>().ShouldBe("Authorized");
        order["amounts"]!["authorized"]!.GetValue<long>().ShouldBe(1000);
        order["history"]!.AsArray().ShouldContain(h => ((string)h!["text"]!).Contains("AwaitingCustomer → Authorized", StringComparison.Ordinal));
        await second.StartPaymentAsync("restart-2");
    }
}
