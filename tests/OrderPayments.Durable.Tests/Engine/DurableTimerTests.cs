using Xunit.Abstractions;

namespace OrderPayments.Durable.Tests.Engine;

/// <summary>Durable timers on the real engine: a timer that fires counts as its time having come, on every backend.</summary>
public sealed class DurableTimerTests(Azurite azurite, ITestOutputHelper output) : IClassFixture<Azurite>
{
    /// <summary>Polls every 2 s, the customer never answers, the window closes after 8 s (+1 s grace); no webhooks.</summary>
    private static readonly Dictionary<string, string?> PollPath = new()
    {
        ["Workflow:FirstPollDelay"] = "00:00:02",
        ["Workflow:MaxPollInterval"] = "00:00:02",
        ["Workflow:CustomerWindow"] = "00:00:08",
        ["Workflow:AuthorizationGrace"] = "00:00:01",
    };

    [Fact]
    public async Task Issue12_PollPath_AzureStorageTakesOneEpisodePerTimerAsInMemory()
    {
        var inMemory = await PollPathAsync(DurableBackend.InMemory);
        var azureStorage = await PollPathAsync(DurableBackend.AzureStorage);
        output.WriteLine($"Episodes of the poll path: in-memory {inMemory.Episodes} for {inMemory.Calls} provider calls, Azure Storage {azureStorage.Episodes} for {azureStorage.Calls}.");

        // An episode per provider call's result, per fired timer (one per poll, one for the deadline) and per sync of the
        // order's tables after a change (at most one per call), plus the start: about three times the calls. Timers on
        // the Azure Storage backend fire up to about a second early; re-arming one for the same instant spun the
        // orchestrator (69 episodes for 6 calls).
        inMemory.Episodes.ShouldBeLessThanOrEqualTo(3 * inMemory.Calls + 4);
        azureStorage.Episodes.ShouldBeLessThanOrEqualTo(3 * azureStorage.Calls + 4, $"in-memory took {inMemory.Episodes} episodes for {inMemory.Calls} calls");
    }

    private async Task<(int Episodes, int Calls)> PollPathAsync(DurableBackend backend)
    {
        var engine = new DurableApiEngine(backend, azurite.ConnectionString);
        await using var api = await Api.Tests.ApiHost.StartAsync(PollPath, engine: engine);
        await api.SetFaultsAsync(new { webhookDropRate = 1.0 });
        await api.StartPaymentAsync("timers-1", 1000);

        await api.WaitForOrderAsync("timers-1", o => (string?)o["status"] == "Unpaid" && (string?)o["providerState"] == "TERMINATED", "the workflow gave up on the customer", TimeSpan.FromSeconds(60));
        var calls = (await api.StatsAsync())["calls"]!.AsObject();
        calls["get"]!.GetValue<int>().ShouldBeGreaterThanOrEqualTo(2, "it polled on its timers");
        return (engine.Engine.Episodes["timers-1"], calls.Sum(call => call.Value!.GetValue<int>()));
    }
}
