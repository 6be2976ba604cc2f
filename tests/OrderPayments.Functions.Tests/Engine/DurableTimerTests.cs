using Xunit.Abstractions;

namespace OrderPayments.Functions.Tests.Engine;

/// <summary>Durable timers on the real engine: a timer that fires counts as its time having come, on every backend.</summary>
public sealed class DurableTimerTests(Azurite azurite, ITestOutputHelper output) : IClassFixture<Azurite>
{
    /// <summary>Polls every 2 s, the customer never answers, the window closes after 6 s (+1 s grace); no webhooks.</summary>
    private static readonly Dictionary<string, string?> PollPath = new()
    {
        ["Workflow:FirstPollDelay"] = "00:00:02",
        ["Workflow:MaxPollInterval"] = "00:00:02",
        ["Workflow:CustomerWindow"] = "00:00:06",
        ["Workflow:AuthorizationGrace"] = "00:00:01",
    };

    [Fact]
    public async Task Issue12_PollPath_AzureStorageTakesAsManyEpisodesAsInMemory()
    {
        var inMemory = await EpisodesOfPollPathAsync(DurableBackend.InMemory);
        var azureStorage = await EpisodesOfPollPathAsync(DurableBackend.AzureStorage);

        output.WriteLine($"Episodes of the poll path: in-memory {inMemory}, Azure Storage {azureStorage}.");

        // Timers on the Azure Storage backend fire up to about a second early; re-arming them for the same instant spun
        // the orchestrator (82 episodes for 2 timers). Each fired timer must be one episode, as on the in-memory engine.
        azureStorage.ShouldBeLessThanOrEqualTo(inMemory + 1, $"in-memory took {inMemory} episodes");
    }

    private async Task<int> EpisodesOfPollPathAsync(DurableBackend backend)
    {
        var engine = new DurableApiEngine(backend, azurite.ConnectionString);
        await using var api = await Api.Tests.ApiHost.StartAsync(PollPath, engine: engine);
        await api.SetFaultsAsync(new { webhookDropRate = 1.0 });
        await api.StartPaymentAsync("timers-1", 1000);

        await api.WaitForOrderAsync("timers-1", o => (string?)o["status"] is "Unpaid" or "Cancelled" && (string?)o["providerState"] == "TERMINATED", "the workflow gave up on the customer", TimeSpan.FromSeconds(60));
        (await api.StatsAsync())["calls"]!["get"]!.GetValue<int>().ShouldBeGreaterThanOrEqualTo(3, "it polled on its timers");
        return engine.Engine.Episodes["timers-1"];
    }
}
