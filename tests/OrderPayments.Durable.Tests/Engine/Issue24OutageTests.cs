using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using OrderPayments.Api.Tests;
using OrderPayments.Durable.Orchestration;
using Xunit.Abstractions;

namespace OrderPayments.Durable.Tests.Engine;

/// <summary>
/// Issue 24, item 4: through a provider outage the orchestration keeps listening. On the Durable Task engine over the
/// Azure Storage backend (Azurite), with every provider call failing for a long while (retried fast, as the shared retry
/// policy is set here, so the outage spans several generations): shipments and a cancel that arrive meanwhile are
/// applied and visible at once, their outcomes recorded; the history of each generation stays within the stated bound;
/// once the provider is back everything settles.
/// </summary>
public sealed class Issue24OutageTests(Azurite azurite, ITestOutputHelper output) : IClassFixture<Azurite>
{
    [Fact]
    public async Task CaptureOutage_ShipmentsAndACancelArrive_AppliedAtOnceHistoryBoundedAndAllSettles()
    {
        var engine = new DurableApiEngine(DurableBackend.AzureStorage, azurite.ConnectionString);
        await using var api = await ApiHost.StartAsync(
            new()
            {
                ["Workflow:FirstPollDelay"] = "00:10:00",
                ["Workflow:MaxPollInterval"] = "00:10:00",
                ["ActivityRetry:BaseDelay"] = "00:00:00.050",
                ["ActivityRetry:MaxDelay"] = "00:00:00.100",
            },
            engine: engine);
        await api.CustomerAsync((string)(await api.StartPaymentAsync("outage-1", 1000))["reference"]!, "approve");
        await api.WaitForStatusAsync("outage-1", "Authorized");
        var history = new TableClient(azurite.ConnectionString, engine.TaskHub + "History");

        // The provider goes down: every ePayment call fails (and is retried with the same key).
        await api.SetFaultsAsync(new { errorRate = 1.0 });
        (await api.FulfillAsync("outage-1", "ship-1", 400)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await api.FulfillAsync("outage-1", "ship-2", 300)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await api.PostAsync("api/orders/outage-1/cancellation", new JsonObject { ["reason"] = "the rest is out of stock" })).StatusCode.ShouldBe(HttpStatusCode.Accepted);

        // Applied and visible during the outage: both shipments listed, waiting for their captures; the cancel in the history.
        var during = await api.WaitForOrderAsync(
            "outage-1",
            o => o["shipments"]!.AsArray().Count == 2 && o["history"]!.AsArray().Any(h => ((string?)h!["text"])?.StartsWith("Cancel requested", StringComparison.Ordinal) == true),
            "the shipments and the cancel applied while the provider is down");
        during["shipments"]!.AsArray().ShouldAllBe(s => (string?)s!["outcome"] == "Pending");
        ((long?)during["amounts"]!["captured"]).ShouldBe(0);
        // The cancel's outcome is recorded too: its repeat is answered with it, during the outage.
        await Eventually.Holds(
            async () => (await api.PostAsync("api/orders/outage-1/cancellation", new JsonObject { ["reason"] = "the rest is out of stock" })).StatusCode == HttpStatusCode.OK,
            "the cancel's repeat answered with its outcome during the outage",
            TimeSpan.FromSeconds(30));

        // The outage goes on across generations; each one's history stays within the bound.
        var generations = new HashSet<string>(StringComparer.Ordinal);
        var largest = 0;
        await Eventually.Holds(
            async () =>
            {
                var rows = new List<TableEntity>();
                await foreach (var row in history.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"outage-1"}")))
                {
                    rows.Add(row);
                }

                foreach (var execution in rows.GroupBy(r => r.GetString("ExecutionId") ?? ""))
                {
                    generations.Add(execution.Key);
                    largest = Math.Max(largest, execution.Count());
                }

                return generations.Count >= 3;
            },
            "the outage outlasted three generations",
            TimeSpan.FromSeconds(120));
        output.WriteLine($"{generations.Count} generations seen during the outage; the largest history {largest} rows.");
        largest.ShouldBeLessThanOrEqualTo(OrderPaymentOrchestration.MaxHistoryEventsPerGeneration + 3, "3 doorbells came during the outage");

        // The provider is back: the captures go through, and the cancel releases what was not shipped.
        await api.SetFaultsAsync(new { errorRate = 0.0 });
        var settled = await api.WaitForOrderAsync(
            "outage-1",
            o => (long?)o["amounts"]!["captured"] == 700 && (long?)o["amounts"]!["cancelled"] == 300,
            "both captures applied and the rest released",
            TimeSpan.FromSeconds(60));
        settled["shipments"]!.AsArray().ShouldAllBe(s => (string?)s!["outcome"] == "Succeeded");
        var applied = (await api.StatsAsync())["appliedPerIdempotencyKey"]!.AsObject().Where(p => p.Key.StartsWith("outage-1-", StringComparison.Ordinal)).ToList();
        applied.ShouldAllBe(p => p.Value!.GetValue<int>() == 1, "each capture and the release applied once");
    }
}
