using System.Diagnostics;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using OrderPayments.Domain.Workflow;
using OrderPayments.Runtime;

namespace OrderPayments.Bench;

/// <summary>
/// Memory with many orders waiting for their customers: N orders started through the HTTP API against the simulator
/// in a child process (so its payments do not count), then the API left idle; reports the API process's working set
/// after a full collection and the provider calls made while idle. The first poll is set after the idle period, as for a deployment whose webhooks
/// arrive (the runtime keeps no per-order state in memory; SQLite's page cache is bounded).
/// </summary>
internal static class WaitingBenchmark
{
    public static async Task<int> RunAsync(int orders, int concurrency)
    {
        var folder = Directory.CreateTempSubdirectory("orderpayments-waiting-");
        using var simulator = await ChildSimulator.StartAsync("--Simulator:PaymentWindow", "01:00:00");
        var app = await BenchApi.StartAsync(folder, simulator, new Dictionary<string, string?>
        {
            ["Workflow:FirstPollDelay"] = "00:05:00",
            ["Workflow:MaxPollInterval"] = "00:05:00",
            ["Workflow:CustomerWindow"] = "01:00:00",
        });
        using var http = BenchApi.Client(app, concurrency);
        var next = -1;
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < orders)
            {
                using var response = await http.PutAsync(
                    $"api/orders/wait-{i:D7}/payment",
                    new StringContent("""{"amount":{"currency":"NOK","value":1000},"description":"Waiting order","returnUrl":"https://shop.example/return"}""", Encoding.UTF8, "application/json"));
                if ((int)response.StatusCode != 201)
                {
                    throw new InvalidOperationException($"Start answered {(int)response.StatusCode}.");
                }
            }
        })));
        var startSeconds = wall.Elapsed.TotalSeconds;

        var client = app.Services.GetRequiredService<EmbeddedOrderPaymentClient>();
        var waiting = (await client.CountByStatusAsync(CancellationToken.None)).GetValueOrDefault(PaymentStatus.AwaitingCustomer);
        var stats = $"{simulator.BaseUrl}/control/stats";
        using var before = await http.GetAsync(stats);
        var callsBefore = await before.Content.ReadAsStringAsync();
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        await Task.Delay(TimeSpan.FromSeconds(30));
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        process.Refresh();
        var idleCpu = process.TotalProcessorTime - cpuBefore;
        using var after = await http.GetAsync(stats);
        var callsAfter = await after.Content.ReadAsStringAsync();

        Console.WriteLine($"waiting: {orders} orders started in {startSeconds:F1} s ({orders / startSeconds:F0}/s); {waiting} waiting for the customer");
        Console.WriteLine($"   API process working set after 30 s idle and a full GC: {process.WorkingSet64 / 1048576.0:F1} MB (managed heap {GC.GetTotalMemory(false) / 1048576.0:F1} MB; the simulator runs in its own process)");
        Console.WriteLine($"   CPU used in the 30 s idle: {idleCpu.TotalSeconds:F2} s; provider stats unchanged while idle: {callsBefore == callsAfter}");
        await app.StopAsync();
        await app.DisposeAsync();
        SqliteConnection.ClearAllPools();
        folder.Delete(recursive: true);
        return 0;
    }
}
