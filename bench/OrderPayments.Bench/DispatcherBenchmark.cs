using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrderPayments.Application.Payments;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;
using OrderPayments.Runtime;

namespace OrderPayments.Bench;

/// <summary>
/// The embedded dispatcher alone: many orders through create → poll → authorized → shipment → capture with a provider
/// that answers at once, every step committed durably (WAL, synchronous=FULL). Reports committed steps per second.
/// </summary>
internal static class DispatcherBenchmark
{
    public static async Task<int> RunAsync(int orders)
    {
        var folder = Directory.CreateTempSubdirectory("orderpayments-bench-");
        var settings = new Dictionary<string, string?>
        {
            ["Runtime:DatabasePath"] = Path.Combine(folder.FullName, "bench.db"),
            ["Runtime:MaxConcurrentActivities"] = "64",
            ["Workflow:FirstPollDelay"] = "00:00:00.001",
        };
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<IPaymentProvider, NoOpProvider>();
        services.AddOrderPaymentsRuntime(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<EmbeddedOrderPaymentClient>();

        long steps = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == RuntimeMetrics.MeterName && instrument.Name == "orderpayments.runtime.steps")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref steps, value));
        listener.Start();

        var ids = Enumerable.Range(0, orders).Select(i => OrderId.Parse($"bench-{i}")).ToList();
        var started = Stopwatch.StartNew();
        foreach (var id in ids)
        {
            await client.StartAsync(new PaymentRequest(id, new Money(1000, Currency.NOK), "Benchmark order", UserFlow.WebRedirect, "https://shop.example/r"), CancellationToken.None);
        }

        var startSeconds = started.Elapsed.TotalSeconds;
        var hosted = provider.GetServices<IHostedService>().ToList();

        // Phase 1: create, poll, authorized. Phase 2 (signals recorded while the dispatcher is stopped): ship, capture.
        var seconds = await Dispatch(hosted, () => WaitAll(client, PaymentStatus.Authorized, orders));
        foreach (var id in ids)
        {
            await client.RaiseAsync(id, new FulfillmentSignalled("ship-1"), "ship-1", CancellationToken.None);
        }

        seconds += await Dispatch(hosted, () => WaitAll(client, PaymentStatus.Captured, orders));

        var committed = Interlocked.Read(ref steps);
        Console.WriteLine($"dispatcher: {orders} orders, {committed} steps committed in {seconds:F2} s = {committed / seconds:F0} steps/s " +
                          $"(durable: WAL, synchronous=FULL; batches up to 256 orders per commit; {Environment.ProcessorCount} cores)");
        Console.WriteLine($"client starts: {orders} orders in {startSeconds:F2} s = {orders / startSeconds:F0} starts/s (one durable transaction each)");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        folder.Delete(recursive: true);
        return 0;
    }

    private static async Task<double> Dispatch(List<IHostedService> hosted, Func<Task> until)
    {
        var elapsed = Stopwatch.StartNew();
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        await until();
        var seconds = elapsed.Elapsed.TotalSeconds;
        foreach (var service in hosted)
        {
            await service.StopAsync(CancellationToken.None);
        }

        return seconds;
    }

    private static async Task WaitAll(EmbeddedOrderPaymentClient client, PaymentStatus status, int orders)
    {
        var deadline = Stopwatch.StartNew();
        while ((await client.CountByStatusAsync(CancellationToken.None)).GetValueOrDefault(status) < orders
               || await client.CountPendingSignalsAsync(CancellationToken.None) > 0)
        {
            if (deadline.Elapsed > TimeSpan.FromMinutes(5))
            {
                throw new TimeoutException($"Not all {orders} orders reached {status}.");
            }

            await Task.Delay(20);
        }
    }
}
