using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace OrderPayments.Api.Tests;

/// <summary>Orders paid with Vipps through PayEx: the same API, workflow and runtime, the PayEx simulator behind.</summary>
public sealed class PayExLifecycleTests
{
    [Fact]
    public async Task PhoneApproved_CallbackThenShipment_CapturesOnce()
    {
        await using var api = await ApiHost.StartAsync();
        var started = await api.StartPayExAsync("px-happy");
        started["provider"]!.GetValue<string>().ShouldBe("payex");
        started["redirectUrl"].ShouldBeNull("the payer gets a push in the Vipps app");

        await api.PayExPayerAsync(started, "approve");
        await api.WaitForStatusAsync("px-happy", "Authorized");
        (await api.FulfillAsync("px-happy", "ship-1")).StatusCode.ShouldBe(HttpStatusCode.Accepted);

        var order = await api.WaitForStatusAsync("px-happy", "Captured");
        order["amounts"]!["captured"]!.GetValue<long>().ShouldBe(1000);
        var stats = await api.PayExStatsAsync();
        stats["calls"]!["authorize"]!.GetValue<int>().ShouldBe(1);
        stats["calls"]!["captures"]!.GetValue<int>().ShouldBe(1);
        stats["webhooks"]!["callbacks.delivered"]!.GetValue<long>().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task PayerRejects_OrderIsUnpaid()
    {
        await using var api = await ApiHost.StartAsync();
        var started = await api.StartPayExAsync("px-reject");

        await api.PayExPayerAsync(started, "reject");

        var order = await api.WaitForStatusAsync("px-reject", "Unpaid");
        order["amounts"]!["authorized"]!.GetValue<long>().ShouldBe(0);
    }

    [Fact]
    public async Task CallbackLost_PollingFindsTheAuthorization()
    {
        await using var api = await ApiHost.StartAsync();
        await api.SetPayExFaultsAsync(new { webhookDropRate = 1.0 });
        var started = await api.StartPayExAsync("px-lost");

        await api.PayExPayerAsync(started, "approve");

        var order = await api.WaitForStatusAsync("px-lost", "Authorized");
        order["amounts"]!["authorized"]!.GetValue<long>().ShouldBe(1000);
    }

    [Fact]
    public async Task PartialCaptureThenCancel_ReleasesTheRest()
    {
        await using var api = await ApiHost.StartAsync();
        var started = await api.StartPayExAsync("px-partial", 1000);
        await api.PayExPayerAsync(started, "approve");
        await api.WaitForStatusAsync("px-partial", "Authorized");
        await api.FulfillAsync("px-partial", "ship-1", 300);
        await api.WaitForOrderAsync("px-partial", o => (long?)o["amounts"]!["captured"] == 300, "partial capture");

        (await api.PostAsync("api/orders/px-partial/cancellation", new JsonObject())).StatusCode.ShouldBe(HttpStatusCode.Accepted);

        var order = await api.WaitForOrderAsync("px-partial", o => (long?)o["amounts"]!["cancelled"] == 700, "the rest released");
        order["status"]!.GetValue<string>().ShouldBe("Captured");
    }

    [Fact]
    public async Task Reversal_RefundsPartOfTheCapture()
    {
        await using var api = await ApiHost.StartAsync();
        var started = await api.StartPayExAsync("px-refund", 1000);
        await api.PayExPayerAsync(started, "approve");
        await api.WaitForStatusAsync("px-refund", "Authorized");
        await api.FulfillAsync("px-refund", "ship-1");
        await api.WaitForStatusAsync("px-refund", "Captured");

        (await api.RefundAsync("px-refund", "r-1", 250)).StatusCode.ShouldBe(HttpStatusCode.Accepted);

        var order = await api.WaitForOrderAsync("px-refund", o => (long?)o["amounts"]!["refunded"] == 250, "reversed");
        order["amounts"]!["refundable"]!.GetValue<long>().ShouldBe(750);
    }

    [Fact]
    public async Task CancelBeforeThePayerAnswers_AbortsThePayment()
    {
        await using var api = await ApiHost.StartAsync();
        await api.StartPayExAsync("px-abort");

        (await api.PostAsync("api/orders/px-abort/cancellation", new JsonObject { ["reason"] = "changed mind" })).StatusCode.ShouldBe(HttpStatusCode.Accepted);

        var order = await api.WaitForStatusAsync("px-abort", "Cancelled");
        order["providerState"]!.GetValue<string>().ShouldBe("ABORTED");
        (await api.PayExStatsAsync())["calls"]!["abort"]!.GetValue<int>().ShouldBeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task CallbackWithoutReference_Answers400AndChangesNothing()
    {
        await using var api = await ApiHost.StartAsync();

        using var response = await api.Anonymous.PostAsync("api/callbacks/payex", new StringContent("{}", Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task FaultsOn_EveryOrderCapturedOncePerShipment()
    {
        await using var api = await ApiHost.StartAsync();
        const int Orders = 8;
        var orders = new List<JsonObject>();
        for (var i = 0; i < Orders; i++)
        {
            orders.Add(await api.StartPayExAsync($"px-fault-{i}"));
        }

        await api.SetPayExFaultsAsync(new { errorRate = 0.2, tooManyRequests = 2, retryAfterSeconds = 0, dropAfterApplyRate = 0.3, webhookDropRate = 0.3, webhookDuplicateRate = 0.3, seed = 5 });
        foreach (var order in orders)
        {
            await api.PayExPayerAsync(order, "approve");
        }

        for (var i = 0; i < Orders; i++)
        {
            await api.WaitForStatusAsync($"px-fault-{i}", "Authorized");
            await api.FulfillAsync($"px-fault-{i}", "ship-1", 600);
            await api.FulfillAsync($"px-fault-{i}", "ship-2", 400);
        }

        for (var i = 0; i < Orders; i++)
        {
            var done = await api.WaitForStatusAsync($"px-fault-{i}", "Captured");
            done["amounts"]!["captured"]!.GetValue<long>().ShouldBe(1000);
        }

        var stats = await api.PayExStatsAsync();
        stats["calls"]!["captures"]!.GetValue<int>().ShouldBeGreaterThanOrEqualTo(2 * Orders);
        var applied = stats["appliedPerIdempotencyKey"]!.AsObject();
        applied.Count(p => p.Value!.GetValue<int>() == 1).ShouldBe(applied.Count, "no payee reference applied twice");
        applied.Count.ShouldBe(Orders * 3, "one create and two captures per order");
    }
}
