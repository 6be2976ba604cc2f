using System.Diagnostics;
using Microsoft.Data.Sqlite;
using OrderPayments.Api.Tests.Notifications;
using OrderPayments.Application.Workflows;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;
using Xunit.Abstractions;

namespace OrderPayments.Runtime.Tests;

/// <summary>
/// The dispatcher runs in a child process and is killed with SIGKILL at random points while it works; a new one is
/// started each time. Every order must still end captured, with exactly one capture applied per shipment.
/// </summary>
public sealed class RuntimeCrashTests(ITestOutputHelper output)
{
    private const int Orders = 400;

    [Fact]
    public async Task Dispatcher_KilledAtRandomPointsUnderLoad_EveryOrderEndsCapturedWithOneCapturePerShipment()
    {
        var folder = Directory.CreateTempSubdirectory("orderpayments-crash-");
        var database = Path.Combine(folder.FullName, "runtime.db");
        var providerDatabase = Path.Combine(folder.FullName, "provider.db");
        await using var client = new RuntimeTestHost(databasePath: database, dispatcher: false, systemClock: true);
        for (var i = 0; i < Orders; i++)
        {
            (await client.Client.StartAsync(RuntimeTestHost.Request($"crash-{i}"), CancellationToken.None)).Result.ShouldBe(StartResult.Started);
        }

        var random = new Random(20261122);
        var shipped = new HashSet<string>();
        var kills = 0;
        var elapsed = Stopwatch.StartNew();
        var child = Spawn(database, providerDatabase);
        var killAtCaptured = Orders / 10;
        TimeSpan? killAt = null;
        try
        {
            while (elapsed.Elapsed < TimeSpan.FromSeconds(150))
            {
                var orders = await client.Client.ListAsync(null, null, 1000, CancellationToken.None);
                var captured = orders.Count(o => o.State.Status == PaymentStatus.Captured && o.PendingSignals == 0);
                if (captured == Orders)
                {
                    break;
                }

                foreach (var order in orders.Where(o => o.State.Status == PaymentStatus.Authorized && !shipped.Contains(o.State.OrderId.Value)))
                {
                    var first = await client.Client.RaiseAsync(order.State.OrderId, new FulfillmentSignalled("ship-1", new Money(400, Currency.NOK)), "ship-1", CancellationToken.None);
                    var second = await client.Client.RaiseAsync(order.State.OrderId, new FulfillmentSignalled("ship-2", new Money(600, Currency.NOK)), "ship-2", CancellationToken.None);
                    if (first.Result is SignalResult.Accepted or SignalResult.Applied && second.Result is SignalResult.Accepted or SignalResult.Applied)
                    {
                        shipped.Add(order.State.OrderId.Value);
                    }
                }

                // Kill each time another tenth of the orders is done, a random moment later: always while work remains.
                if (killAt is null && captured >= killAtCaptured && killAtCaptured < Orders)
                {
                    killAt = elapsed.Elapsed + TimeSpan.FromMilliseconds(random.Next(0, 150));
                }

                if (elapsed.Elapsed >= killAt)
                {
                    child.Kill();
                    await child.WaitForExitAsync();
                    child.Dispose();
                    kills++;
                    child = Spawn(database, providerDatabase);
                    killAtCaptured += Orders / 10;
                    killAt = null;
                }

                await Task.Delay(50);
            }
        }
        finally
        {
            child.Kill();
            await child.WaitForExitAsync();
            child.Dispose();
        }

        var final = await client.Client.ListAsync(null, null, 1000, CancellationToken.None);
        final.Count.ShouldBe(Orders);
        final.ShouldAllBe(o => o.State.Status == PaymentStatus.Captured && o.State.Aggregate.Captured.Value == 1000);
        kills.ShouldBeGreaterThanOrEqualTo(5, "the test must actually kill the dispatcher while it works");

        using var provider = new SqliteConnection($"Data Source={providerDatabase}");
        provider.Open();
        Scalar<long>(provider, "SELECT COUNT(*) FROM ops WHERE kind = 'Capture'").ShouldBe(2L * Orders, "one capture per shipment");
        Scalar<long>(provider, "SELECT COUNT(*) FROM payments WHERE captured <> 1000").ShouldBe(0L, "no order charged twice or short");
        Scalar<long>(provider, "SELECT COUNT(*) FROM (SELECT reference FROM ops WHERE kind = 'Capture' GROUP BY reference HAVING COUNT(*) <> 2)").ShouldBe(0L);
        var calls = Scalar<long>(provider, "SELECT COUNT(*) FROM calls");
        var applied = Scalar<long>(provider, "SELECT COUNT(*) FROM ops");
        output.WriteLine($"{kills} kills in {elapsed.Elapsed.TotalSeconds:F1} s; {calls} mutating calls for {applied} operations ({calls - applied} repeated with the same key after a crash).");
        SqliteConnection.ClearAllPools();
        folder.Delete(recursive: true);
    }

    [Fact]
    public async Task Notifier_KilledWhileDeliveriesAreInFlight_EveryEventIsDeliveredAndEachOrdersFirstDeliveriesAreInOrder()
    {
        const int orders = 60;
        var folder = Directory.CreateTempSubdirectory("orderpayments-crash-notify-");
        var database = Path.Combine(folder.FullName, "runtime.db");
        var providerDatabase = Path.Combine(folder.FullName, "provider.db");
        await using var receiver = await StorefrontReceiver.StartAsync();
        receiver.Delay = TimeSpan.FromMilliseconds(40);
        await using var client = new RuntimeTestHost(databasePath: database, dispatcher: false, systemClock: true);
        for (var i = 0; i < orders; i++)
        {
            await client.Client.StartAsync(RuntimeTestHost.Request($"notify-{i}"), CancellationToken.None);
        }

        var environment = new Dictionary<string, string>
        {
            ["Notifications__Endpoints__crash__Url"] = receiver.Url.AbsoluteUri,
            ["Notifications__Endpoints__crash__Secret"] = Application.Storefront.StandardWebhooks.NewSecret(),
            ["Notifications__FirstRetryDelay"] = "00:00:00.100",
            ["Notifications__MaxRetryDelay"] = "00:00:00.200",
        };
        var shipped = new HashSet<string>();
        var kills = 0;
        var elapsed = Stopwatch.StartNew();
        var child = Spawn(database, providerDatabase, environment);
        try
        {
            while (elapsed.Elapsed < TimeSpan.FromSeconds(120))
            {
                var list = await client.Client.ListAsync(null, null, 1000, CancellationToken.None);
                foreach (var order in list.Where(o => o.State.Status == PaymentStatus.Authorized && !shipped.Contains(o.State.OrderId.Value)))
                {
                    await client.Client.RaiseAsync(order.State.OrderId, new FulfillmentSignalled("ship-1"), "ship-1", CancellationToken.None);
                    shipped.Add(order.State.OrderId.Value);
                }

                var done = receiver.Delivered.Select(r => r.Id).Distinct().Count();
                if (done == 3 * orders)
                {
                    break;
                }

                // Kill the process while deliveries are in flight (the receiver answers each after 40 ms), a few times.
                if (kills < 5 && receiver.InFlight > 0 && elapsed.Elapsed > TimeSpan.FromMilliseconds(800 * (kills + 1)))
                {
                    child.Kill();
                    await child.WaitForExitAsync();
                    child.Dispose();
                    kills++;
                    child = Spawn(database, providerDatabase, environment);
                }

                await Task.Delay(50);
            }
        }
        finally
        {
            child.Kill();
            await child.WaitForExitAsync();
            child.Dispose();
        }

        kills.ShouldBeGreaterThanOrEqualTo(3, "the test must kill the notifier while deliveries are in flight");
        var received = receiver.Delivered;
        for (var i = 0; i < orders; i++)
        {
            var first = received.Where(r => r.OrderId == $"notify-{i}").DistinctBy(r => r.Id).ToList();
            first.Select(r => r.Type).ShouldBe(["payment.ready", "payment.authorized", "payment.captured"], $"notify-{i}");
            first.Select(r => r.Version).ShouldBeInOrder(SortDirection.Ascending);
        }

        output.WriteLine($"{kills} kills; {received.Count} deliveries for {3 * orders} events ({received.Count - received.Select(r => r.Id).Distinct().Count()} sent again after a crash).");
        SqliteConnection.ClearAllPools();
        folder.Delete(recursive: true);
    }

    private static T Scalar<T>(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)command.ExecuteScalar()!;
    }

    private static Process Spawn(string database, string providerDatabase, Dictionary<string, string>? environment = null)
    {
        var host = Path.Combine(AppContext.BaseDirectory.Replace("OrderPayments.Runtime.Tests", "OrderPayments.Runtime.CrashHost", StringComparison.Ordinal), "OrderPayments.Runtime.CrashHost.dll");
        File.Exists(host).ShouldBeTrue($"crash host not built at {host}");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false };
        start.ArgumentList.Add(host);
        start.ArgumentList.Add(database);
        start.ArgumentList.Add(providerDatabase);
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment ?? [])
        {
            start.Environment[name] = value;
        }

        return Process.Start(start) ?? throw new InvalidOperationException("Could not start the crash host.");
    }
}
