using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrderPayments.Api.Tests;

namespace OrderPayments.Durable.Tests.Engine;

/// <summary>
/// The scenarios under load and faults (a flood of signals across generations, racing signals, provider faults,
/// duplicated and reordered webhooks), on top of <see cref="EngineScenarios"/>: run on the embedded runtime and on the
/// Durable Task engine behind the API (in-memory and Azure Storage), the same interpreter the Functions app runs. The
/// Functions host runs the contract scenarios only: its bindings are the same for these, and they cost minutes there.
/// </summary>
public abstract class EngineStressScenarios : EngineScenarios
{
    [Fact]
    public async Task DuplicateLateAndReorderedWebhooks_EveryShipmentCapturedOnce()
    {
        await using var api = await StartAsync();
        await api.SetFaultsAsync(new { webhookDuplicateRate = 1.0, webhookReorderRate = 0.5, seed = 7 });
        var started = await api.StartPaymentAsync("dup-1", 1000);
        await api.CustomerAsync((string)started["reference"]!, "approve");
        await api.WaitForStatusAsync("dup-1", "Authorized");

        (await api.FulfillAsync("dup-1", "ship-a", 300)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await api.FulfillAsync("dup-1", "ship-b", 700)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        // The same shipment again is answered with its own outcome: 202 while it waits, 200 once applied.
        var again = await api.FulfillAsync("dup-1", "ship-a", 300);
        again.StatusCode.ShouldBeOneOf(HttpStatusCode.Accepted, HttpStatusCode.OK);
        ((bool?)(await again.Content.ReadFromJsonAsync<JsonObject>())!["repeated"]).ShouldBe(true);

        await api.WaitForOrderAsync("dup-1", o => (long?)o["amounts"]!["captured"] == 1000 && (string?)o["status"] == "Captured", "both shipments captured");
        (await OutcomeAsync(api, "dup-1")).ShouldBe("Captured a1000 c1000 x0 r0 | ship-a:Succeeded ship-b:Succeeded | - | dup-1-1-capture-1=1 dup-1-1-capture-2=1 dup-1-1-create-1=1");
    }

    [Fact]
    public async Task SignalFlood_AcrossGenerations_NoAcceptedSignalIsLost()
    {
        // 120 shipments at once: on the Durable engine the order continues as new several times while they arrive.
        const int Shipments = 120;
        await using var api = await StartAsync();
        var started = await api.StartPaymentAsync("flood-1", 10_000);
        await api.CustomerAsync((string)started["reference"]!, "approve");
        await api.WaitForStatusAsync("flood-1", "Authorized");

        var answers = await Task.WhenAll(Enumerable.Range(1, Shipments).Select(async i =>
        {
            using var response = await api.FulfillAsync("flood-1", $"ship-{i:000}", 10);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));

        answers.Where(a => a.StatusCode != HttpStatusCode.Accepted).Select(a => $"{a.StatusCode}: {a.Body}").ShouldBeEmpty();
        // The provider's captured total can reach the sum while the last captures' own results are still being recorded:
        // wait for both (the guarantee is that every accepted shipment ends captured, once).
        var order = await api.WaitForOrderAsync(
            "flood-1",
            o => (long?)o["amounts"]!["captured"] == Shipments * 10 && o["shipments"]!.AsArray().All(s => (string?)s!["outcome"] == "Succeeded"),
            "every accepted shipment captured",
            TimeSpan.FromSeconds(120));
        order["shipments"]!.AsArray().Count.ShouldBe(Shipments);
        order["shipments"]!.AsArray().ShouldAllBe(s => (string?)s!["outcome"] == "Succeeded");
        var captures = (await api.StatsAsync())["appliedPerIdempotencyKey"]!.AsObject().Where(p => p.Key.Contains("-capture-", StringComparison.Ordinal)).ToList();
        captures.Count.ShouldBe(Shipments);
        captures.ShouldAllBe(p => p.Value!.GetValue<int>() == 1);
    }

    [Fact]
    public async Task ProviderFaults_ErrorsThrottlingAndLostResponses_EveryCaptureAppliedOnce()
    {
        await using var api = await StartAsync();
        var references = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            references.Add((string)(await api.StartPaymentAsync($"fault-{i}", 1000))["reference"]!);
        }

        await api.SetFaultsAsync(new { errorRate = 0.2, tooManyRequests = 3, retryAfterSeconds = 0, dropAfterApplyRate = 0.3, webhookDropRate = 0.3, webhookDuplicateRate = 0.3, webhookReorderRate = 0.3, seed = 11 });
        foreach (var reference in references)
        {
            await api.CustomerAsync(reference, "approve");
        }

        for (var i = 0; i < 4; i++)
        {
            await api.WaitForStatusAsync($"fault-{i}", "Authorized");
            (await api.FulfillAsync($"fault-{i}", "ship-1", 600)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
            (await api.FulfillAsync($"fault-{i}", "ship-2", 400)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        for (var i = 0; i < 4; i++)
        {
            await api.WaitForOrderAsync($"fault-{i}", o => (string?)o["status"] == "Captured" && o["shipments"]!.AsArray().All(s => (string?)s!["outcome"] == "Succeeded"), $"fault-{i} captured", TimeSpan.FromSeconds(60));
            (await OutcomeAsync(api, $"fault-{i}")).ShouldBe($"Captured a1000 c1000 x0 r0 | ship-1:Succeeded ship-2:Succeeded | - | fault-{i}-1-capture-1=1 fault-{i}-1-capture-2=1 fault-{i}-1-create-1=1");
        }

        (await api.StatsAsync())["injected"]!.AsObject().Count.ShouldBeGreaterThan(0, "faults were actually injected");
    }

    [Fact]
    public async Task Issue15_CancelRacingAShipment_EveryAcceptedShipmentEndsVisibleAndItsRetryGetsTheSameAnswer()
    {
        await using var api = await StartAsync();
        var ids = Enumerable.Range(1, 8).Select(i => $"race-{i}").ToList();
        foreach (var id in ids)
        {
            await api.CustomerAsync((string)(await api.StartPaymentAsync(id, 1000))["reference"]!, "approve");
        }

        foreach (var id in ids)
        {
            await api.WaitForStatusAsync(id, "Authorized");
        }

        var answers = await Task.WhenAll(ids.Select(async id =>
        {
            var cancel = api.PostAsync($"api/orders/{id}/cancellation", new JsonObject());
            var ship = api.FulfillAsync(id, "ship-1");
            return (Id: id, Cancel: await cancel, Ship: await ship);
        }));

        foreach (var (id, cancel, ship) in answers)
        {
            // The first recorded wins. Shipment first: captured, and the cancel releases what is left (nothing). Cancel
            // first: the shipment is refused at once. A shipment answered 202 is never without an outcome on the order.
            // Both may be admitted at once (neither recorded when the other was checked); then the cancel can apply
            // first and the accepted shipment is listed, refused, a moment after the order shows Cancelled.
            var shipAccepted = ship.StatusCode == HttpStatusCode.Accepted;
            var order = await api.WaitForOrderAsync(
                id,
                o => (string?)o["status"] is "Captured" or "Cancelled"
                    && o["shipments"]!.AsArray() is var listed
                    && listed.Count == (shipAccepted ? 1 : 0)
                    && listed.All(s => (string?)s!["outcome"] != "Pending"),
                "settled");
            var shipments = order["shipments"]!.AsArray();

            // A retry while the outcome is being recorded is answered "accepted" again; then with the outcome.
            HttpResponseMessage retry = null!;
            await Eventually.Holds(async () => (retry = await api.FulfillAsync(id, "ship-1")).StatusCode != HttpStatusCode.Accepted, $"{id}: a retry answered with the outcome");
            if (ship.StatusCode == HttpStatusCode.Accepted)
            {
                var shipment = shipments.ShouldHaveSingleItem()!;
                if ((string?)shipment["outcome"] == "Succeeded")
                {
                    ((long?)order["amounts"]!["captured"]).ShouldBe(1000);
                    retry.StatusCode.ShouldBe(HttpStatusCode.OK);
                    var receipt = (await retry.Content.ReadFromJsonAsync<JsonObject>())!;
                    ((string?)receipt["result"], (bool?)receipt["repeated"]).ShouldBe(("applied", true));
                }
                else
                {
                    // Refused when applied: listed with its reason, nothing captured, and the retry is the same refusal.
                    ((string?)shipment["outcome"]).ShouldBe("Rejected");
                    ((long?)order["amounts"]!["captured"]).ShouldBe(0);
                    retry.StatusCode.ShouldBe(HttpStatusCode.Conflict);
                    ((string?)(await ApiHost.ProblemAsync(retry))["type"]).ShouldBe($"urn:orderpayments:problem:{shipment["rejection"]!["reason"]}");
                }
            }
            else
            {
                ship.StatusCode.ShouldBe(HttpStatusCode.Conflict, $"{id}: {await ship.Content.ReadAsStringAsync()}");
                cancel.StatusCode.ShouldBe(HttpStatusCode.Accepted);
                shipments.ShouldBeEmpty();
                ((string?)order["status"]).ShouldBe("Cancelled");
                retry.StatusCode.ShouldBe(HttpStatusCode.Conflict);
            }
        }
    }
}
