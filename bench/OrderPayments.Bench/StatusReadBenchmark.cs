using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace OrderPayments.Bench;

/// <summary>
/// What one status read costs the API: 100 orders started (the simulator in a child process, the API in its own), then
/// N reads of their status documents over HTTP at 64 concurrent clients; reports reads/s and the API process's CPU
/// and allocations per read. The orders wait for their customers meanwhile, so every read finds an unchanged order.
/// </summary>
internal static class StatusReadBenchmark
{
    public static async Task<int> RunAsync(int reads, int concurrency)
    {
        var folder = Directory.CreateTempSubdirectory("orderpayments-reads-");
        using var simulator = await ChildSimulator.StartAsync();
        await using var api = await ApiUnderTest.StartChildAsync(folder, simulator, new Dictionary<string, string?>
        {
            ["Workflow:FirstPollDelay"] = "00:05:00",
            ["Workflow:MaxPollInterval"] = "00:05:00",
        });
        using var http = BenchApi.Client(api.BaseAddress, concurrency);
        const int Orders = 100;
        for (var i = 0; i < Orders; i++)
        {
            using var started = await http.PutAsync(
                $"api/orders/read-{i:D4}/payment",
                new StringContent("""{"amount":{"currency":"NOK","value":1000},"description":"Read order","returnUrl":"https://shop.example/return"}""", Encoding.UTF8, "application/json"));
            started.EnsureSuccessStatusCode();
        }

        async Task ReadAsync(int count)
        {
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(client => Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < count)
                {
                    using var read = await http.GetAsync($"api/orders/read-{i % Orders:D4}/payment");
                    read.EnsureSuccessStatusCode();
                    _ = await read.Content.ReadAsByteArrayAsync();
                }
            })));
        }

        await ReadAsync(Math.Min(reads, 20_000));
        var before = await api.SampleAsync(http);
        var wall = Stopwatch.StartNew();
        await ReadAsync(reads);
        var seconds = wall.Elapsed.TotalSeconds;
        var after = await api.SampleAsync(http);
        var cpuUs = ((double)after["cpuMs"]! - (double)before["cpuMs"]!) * 1000 / reads;
        var allocated = ((long)after["allocatedBytes"]! - (long)before["allocatedBytes"]!) / (double)reads;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"status reads: {reads} reads of {Orders} unchanged orders, {concurrency} concurrent clients, {Environment.ProcessorCount} cores"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   reads/s                    {reads / seconds,8:F0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   API CPU per read           {cpuUs,8:F1} µs"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   API allocated per read     {allocated / 1024,8:F1} KB"));
        return 0;
    }
}
