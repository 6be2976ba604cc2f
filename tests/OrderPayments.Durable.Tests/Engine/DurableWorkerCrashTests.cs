using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using OrderPayments.Api.Tests;
using Xunit.Abstractions;

namespace OrderPayments.Durable.Tests.Engine;

/// <summary>
/// Crash safety of the cloud path. The Functions app's orchestrator and activities run on the Durable Task engine over
/// the Azure Storage backend (Azurite) in a child process (<see cref="WorkerProcess"/>), which is killed with SIGKILL
/// while captures are in flight and restarted on the same task hub; this process keeps the API (its sidecar serves the
/// management API only: it starts, signals and reads orders, and never runs one) and the embedded Vipps simulator.
/// Every order must end captured with the right amounts, and each capture must be applied exactly once at the provider.
/// </summary>
/// <remarks>
/// <para>CI runs the short variant: 40 orders, 2 kills. The long run is the same test with more of both, from the
/// environment (<c>ORDERPAYMENTS_CRASH_ORDERS</c>, <c>ORDERPAYMENTS_CRASH_KILLS</c>, <c>ORDERPAYMENTS_CRASH_FAULT_PERCENT</c>),
/// which the benchmark's command runs (bench/README.md):</para>
/// <code>
/// dotnet run -c Release --project bench/OrderPayments.Bench -- durable-crash 1000 20
/// </code>
/// <para>Provider faults are on all along (5 % by default): ePayment calls answered 500/502/503 without being applied,
/// and mutations applied whose connection is then dropped, so the retry meets the simulator's idempotency record.</para>
/// <para>Each order is started, approved by the customer (the simulator's control API), and shipped in two parts (400
/// and 600 of 1000) as soon as it is authorized. Kill n comes a random moment after n/(kills+1) of the captures were
/// applied at the simulator (and once orchestrations run again after the kill before), so other orders' captures,
/// shipments and webhooks are in flight. After each kill the test reports when the new worker was ready, when the
/// simulator applied a capture again (activities: any worker takes them from the shared work-item queue once the
/// messages the dead one had taken are visible again), and when the first and the last of the orders shipped but not
/// captured at the kill moved on (orchestrations: the new worker must first take the dead one's partition leases). The
/// backend's settings bound both: leases of 10 s and message visibility timeouts of 10 s (AzureStorageEngine.Settings).</para>
/// </remarks>
public sealed class DurableWorkerCrashTests(Azurite azurite, ITestOutputHelper output) : IClassFixture<Azurite>
{
    private const long Amount = 1000;
    private const long FirstPart = 400;
    private static readonly TimeSpan ObserveInterval = TimeSpan.FromMilliseconds(500);

    // The embedded simulator's development credentials (ApiApp sets the same for the API's own Vipps client).
    private static readonly Dictionary<string, string> VippsSettings = new()
    {
        ["Vipps__ClientId"] = "simulator-client",
        ["Vipps__ClientSecret"] = "simulator-secret",
        ["Vipps__SubscriptionKey"] = "simulator-subscription-key",
        ["Vipps__MerchantSerialNumber"] = "123456",
        ["Vipps__RetryBaseDelay"] = "00:00:00.020",
        ["Vipps__MaxRetryDelay"] = "00:00:00.200",
        ["Vipps__AttemptTimeout"] = "00:00:05",
        ["Vipps__CircuitBreakerMinimumThroughput"] = "100000",
    };

    // Webhooks tell the authorizations; polls are the fallback only, so hundreds of waiting orders do not flood the worker.
    private static readonly Dictionary<string, string> WorkflowSettings = new()
    {
        ["Workflow:FirstPollDelay"] = "00:00:05",
        ["Workflow:MaxPollInterval"] = "00:00:10",
    };

    private enum Stage
    {
        Started,
        Approved,
        Shipped,
    }

    [Fact]
    public async Task DurableWorker_KilledWhileCapturesAreInFlight_EveryOrderCapturedWithEachCaptureAppliedOnce()
    {
        var orders = Setting("ORDERPAYMENTS_CRASH_ORDERS", 40);
        var kills = Setting("ORDERPAYMENTS_CRASH_KILLS", 2);
        var deadline = TimeSpan.FromSeconds(120 + orders + (60 * kills));
        var random = new Random(20261122);
        var engine = new DurableApiEngine(DurableBackend.AzureStorage, azurite.ConnectionString, dispatch: false);
        var settings = WorkflowSettings.ToDictionary(p => p.Key, p => (string?)p.Value);
        settings["OrderPayments:StartWait"] = "00:00:00";
        var api = await ApiHost.StartAsync(settings, engine: engine);

        // Provider faults all along, besides the kills: ePayment calls answered 5xx without being applied, and mutations
        // applied whose answer is lost (the connection dropped after the apply), so retries meet the idempotency record.
        var faultPercent = Setting("ORDERPAYMENTS_CRASH_FAULT_PERCENT", 5);
        await api.SetFaultsAsync(new { errorRate = faultPercent / 100.0, dropAfterApplyRate = faultPercent / 100.0, seed = 20261206 });
        var environment = WorkerEnvironment(api, engine);
        var ids = Enumerable.Range(0, orders).Select(i => $"crash-{i:000}").ToArray();
        var references = new string?[orders];
        var stages = new Stage[orders];
        var recoveries = new List<Recovery>();
        var killsDone = 0;
        var outcomes = new List<string>();
        JsonObject stats;
        using var stop = new CancellationTokenSource();
        var driver = Task.CompletedTask;
        var elapsed = Stopwatch.StartNew();
        var host = WorkerProcess.Start(environment);
        try
        {
            var firstReady = await host.Ready;
            output.WriteLine($"{orders} orders, {kills} kills; the worker was ready {firstReady.TotalSeconds:F1} s after its start.");

            // The orders are driven on in the background; here the worker is killed: kill n a random moment after
            // n/(kills+1) of the captures were applied, once orchestrations run again after the kill before.
            driver = DriveAsync(api, ids, references, stages, stop.Token);
            TimeSpan? killAt = null;
            var observed = TimeSpan.Zero;
            while (true)
            {
                if (host.Ready.IsFaulted)
                {
                    await host.Ready;
                }

                if (driver.IsFaulted)
                {
                    await driver;
                }

                if (elapsed.Elapsed >= deadline)
                {
                    // Which orders are behind, and why: their keys applied at the simulator, their instances and histories.
                    var behind = new List<string>();
                    foreach (var id in ids)
                    {
                        if ((string?)(await api.GetOrderAsync(id))["status"] != "Captured")
                        {
                            behind.Add(id);
                        }
                    }

                    foreach (var id in behind.Take(3))
                    {
                        await DiagnoseAsync(api, engine.Engine, id);
                    }

                    elapsed.Elapsed.ShouldBeLessThan(deadline, $"stages {string.Join(' ', stages.GroupBy(s => s).Select(g => $"{g.Key}={g.Count()}"))}; not captured: {string.Join(' ', behind)}");
                }

                var captures = await CapturesAsync(api);
                if (elapsed.Elapsed - observed >= ObserveInterval)
                {
                    // Reading the orders waiting at a kill costs a request each: not at every turn.
                    observed = elapsed.Elapsed;
                    foreach (var recovery in recoveries.Where(r => !r.Complete))
                    {
                        await recovery.ObserveAsync(api, captures, elapsed.Elapsed);
                    }
                }

                if (captures == 2 * orders)
                {
                    break;
                }

                if (killsDone < kills && killAt is null && recoveries.All(r => r.FirstMoved is not null) && captures >= 2 * orders * (killsDone + 1) / (kills + 1))
                {
                    killAt = elapsed.Elapsed + TimeSpan.FromMilliseconds(random.Next(0, 300));
                }

                if (elapsed.Elapsed >= killAt)
                {
                    await host.DisposeAsync();
                    foreach (var interrupted in recoveries)
                    {
                        interrupted.Interrupt();
                    }

                    killsDone++;
                    killAt = null;
                    var recovery = await Recovery.AtKillAsync(api, killsDone, elapsed.Elapsed, await CapturesAsync(api), [.. ids.Where((_, i) => stages[i] == Stage.Shipped)]);
                    host = WorkerProcess.Start(environment);
                    recovery.Restarted(host.Ready);
                    recoveries.Add(recovery);
                }

                await Task.Delay(50);
            }

            await stop.CancelAsync();
            await driver;

            // Every capture was applied; the orders waiting at the last kill may still be moving on.
            var finishing = Stopwatch.StartNew();
            while (recoveries.Any(r => !r.Complete) && finishing.Elapsed < TimeSpan.FromSeconds(60))
            {
                foreach (var recovery in recoveries.Where(r => !r.Complete))
                {
                    await recovery.ObserveAsync(api, 2 * orders, elapsed.Elapsed);
                }

                await Task.Delay(ObserveInterval);
            }

            // The last captures' outcomes reach their orders a moment after the simulator applied them.
            foreach (var id in ids)
            {
                try
                {
                    await api.WaitForOrderAsync(id, o => (string?)o["status"] == "Captured" && o["shipments"]!.AsArray().All(s => (string?)s!["outcome"] is "Succeeded" or "Rejected"), $"{id} captured", TimeSpan.FromSeconds(60));
                }
                catch (TimeoutException)
                {
                    await DiagnoseAsync(api, engine.Engine, id);
                    throw;
                }
            }

            foreach (var id in ids)
            {
                var order = await api.GetOrderAsync(id);
                var amounts = order["amounts"]!;
                outcomes.Add($"{order["status"]} a{amounts["authorized"]} c{amounts["captured"]} x{amounts["cancelled"]} r{amounts["refunded"]} attention:{order["needsAttention"]} problems:{order["problems"]!.AsArray().Count} "
                    + string.Join(' ', order["shipments"]!.AsArray().Select(s => $"{s!["shipmentId"]}:{s["amount"]}:{s["outcome"]}")));
            }

            stats = await api.StatsAsync();
        }
        catch
        {
            output.WriteLine($"The worker printed:\n{host.Output}");
            throw;
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAny(driver);
            _ = driver.Exception;
            foreach (var recovery in recoveries)
            {
                output.WriteLine(recovery.ToString());
            }

            await host.DisposeAsync();
            await api.DisposeAsync();
        }

        killsDone.ShouldBe(kills, "the test must actually kill the worker while it works");
        // Every order's money is right. Each shipment is reported captured, with one known exception (docs/architecture.md,
        // "A crash in the middle of an episode"): a shipment applied only in an episode that a kill cut short, whose capture
        // went through, can be reported refused ("nothing is reserved any more") when the episode that ran instead learned
        // of that capture first; its capture is applied once all the same (checked below). Counted and printed.
        var exact = $"Captured a{Amount} c{Amount} x0 r0 attention:false problems:0 ship-1:{FirstPart}:Succeeded ship-2:{Amount - FirstPart}:Succeeded";
        var refusedAfterCrash = outcomes.Count(o => o != exact);
        outcomes.ShouldAllBe(o => o == exact
            || o == $"Captured a{Amount} c{Amount} x0 r0 attention:false problems:0 ship-1:{FirstPart}:Succeeded ship-2:{Amount - FirstPart}:Rejected"
            || o == $"Captured a{Amount} c{Amount} x0 r0 attention:false problems:0 ship-1:{FirstPart}:Rejected ship-2:{Amount - FirstPart}:Succeeded");
        var applied = stats["appliedPerIdempotencyKey"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<int>());
        var captureKeys = applied.Keys.Where(k => k.Contains("-capture-", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        captureKeys.ShouldBe([.. references.SelectMany(r => new[] { $"{r}-capture-1", $"{r}-capture-2" }).Order(StringComparer.Ordinal)], "one capture per shipment");
        applied.Where(p => p.Value != 1).ShouldBeEmpty("every mutation applied exactly once at the provider");
        applied.Keys.Count(k => k.Contains("-create-", StringComparison.Ordinal)).ShouldBe(orders);
        var replayed = stats["replayedPerIdempotencyKey"]!.AsObject().Sum(p => p.Value!.GetValue<int>());
        var injected = stats["injected"]!.AsObject().Select(p => $"{p.Key} {p.Value}");
        output.WriteLine($"{orders} orders captured in {elapsed.Elapsed.TotalSeconds:F1} s with {kills} kills and {faultPercent} % faults ({string.Join(", ", injected)}); {captureKeys.Count} captures, each applied once; "
            + $"{replayed} calls repeated with a key already applied (answered from the simulator's idempotency record); "
            + $"{refusedAfterCrash} orders report a shipment refused although its capture went through (the known limitation above).");
    }

    /// <summary>Moves every order on until each is shipped (or <paramref name="stop"/>).</summary>
    private static async Task DriveAsync(ApiHost api, string[] ids, string?[] references, Stage[] stages, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested && stages.Any(s => s != Stage.Shipped))
        {
            await Parallel.ForEachAsync(
                Enumerable.Range(0, ids.Length).Where(i => stages[i] != Stage.Shipped),
                new ParallelOptions { MaxDegreeOfParallelism = 16 },
                async (i, _) => stages[i] = await AdvanceAsync(api, ids[i], stages[i], references, i));
            try
            {
                await Task.Delay(200, stop);
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
        }
    }

    /// <summary>Moves one order on: the customer approves once the payment exists; two shipments once it is authorized.</summary>
    private static async Task<Stage> AdvanceAsync(ApiHost api, string id, Stage stage, string?[] references, int index)
    {
        switch (stage)
        {
            case Stage.Started when references[index] is null:
                using (var started = await api.PutPaymentAsync(id, ApiHost.StartBody(Amount)))
                {
                    started.StatusCode.ShouldBeOneOf(HttpStatusCode.Created, HttpStatusCode.Accepted, HttpStatusCode.OK);
                    references[index] = (string)(await started.Content.ReadFromJsonAsync<JsonObject>())!["reference"]!;
                }

                return Stage.Started;
            case Stage.Started:
                using (var approved = await api.Anonymous.PostAsync($"simulator/vipps/control/payments/{references[index]}/approve", null))
                {
                    // Not found until the worker has created the payment.
                    return approved.IsSuccessStatusCode ? Stage.Approved : Stage.Started;
                }

            default:
                if ((string?)(await api.GetOrderAsync(id))["status"] != "Authorized")
                {
                    return stage;
                }

                using (var first = await api.FulfillAsync(id, "ship-1", FirstPart))
                using (var second = await api.FulfillAsync(id, "ship-2", Amount - FirstPart))
                {
                    return first.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK && second.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK
                        ? Stage.Shipped
                        : stage;
                }
        }
    }

    /// <summary>
    /// The Functions app's settings for the worker (the names it reads): the task hub and inbox of
    /// <paramref name="engine"/> on Azurite, the API's embedded simulator as Vipps, the same workflow timings as the API.
    /// </summary>
    private static Dictionary<string, string> WorkerEnvironment(ApiHost api, DurableApiEngine engine)
    {
        var environment = new Dictionary<string, string>(VippsSettings)
        {
            ["Vipps__BaseUrl"] = new Uri(api.Address, "simulator/vipps").ToString(),
            ["Logging__LogLevel__Default"] = "Warning",
            // The Vipps client's retries of the injected faults are expected: not worth a stack trace each.
            ["Logging__LogLevel__Polly"] = "Error",
        };
        foreach (var (key, value) in WorkflowSettings.Concat(engine.Settings().Select(s => KeyValuePair.Create(s.Key, s.Value!))))
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return environment;
    }

    /// <summary>For a failure message: the order's keys applied at the simulator, its instance row and its history events.</summary>
    private async Task DiagnoseAsync(ApiHost api, DurableEngine engine, string id)
    {
        var applied = (await api.StatsAsync())["appliedPerIdempotencyKey"]!.AsObject().Where(p => p.Key.StartsWith(id + "-", StringComparison.Ordinal));
        output.WriteLine($"{id}: applied {string.Join(' ', applied.Select(p => $"{p.Key}={p.Value}"))}");
        var instance = await engine.Client.GetInstanceAsync(id, getInputsAndOutputs: true);
        output.WriteLine($"{id}: {instance?.RuntimeStatus}, last updated {instance?.LastUpdatedAt:O}; custom status {instance?.SerializedCustomStatus?[..Math.Min(instance.SerializedCustomStatus.Length, 400)]}; history:");
        var history = new TableClient(azurite.ConnectionString, engine.TaskHub + "History");
        await foreach (var row in history.QueryAsync<TableEntity>(e => e.PartitionKey == id))
        {
            var result = row.GetString("Result") ?? row.GetString("Input");
            output.WriteLine($"  {row.RowKey} {row.GetString("EventType")} {row.GetString("Name")} id {row.GetInt32("EventId")} task {row.GetInt32("TaskScheduledId")} {row.Timestamp:O} {result?[..Math.Min(result.Length, 160)]}");
        }
    }

    /// <summary>
    /// One kill and the recovery after it: when the new worker was ready, when the simulator applied a capture again
    /// (activities run again), and when the first and the last of the orders shipped but not captured at the kill moved
    /// on (their orchestrations run again: the new worker holds the partitions and sees the messages the dead one took).
    /// </summary>
    private sealed class Recovery
    {
        private readonly Dictionary<string, long> _waiting;
        private readonly int _waitingAtKill;
        private bool _interrupted;

        private Recovery(int number, TimeSpan at, int captures, Dictionary<string, long> waiting)
        {
            Number = number;
            At = at;
            Captures = captures;
            _waiting = waiting;
            _waitingAtKill = waiting.Count;
            if (waiting.Count == 0)
            {
                // Nothing was in flight (the kill came between two waves of work): nothing to wait for.
                FirstMoved = AllMoved = TimeSpan.Zero;
            }
        }

        public int Number { get; }

        public TimeSpan At { get; }

        public int Captures { get; }

        public TimeSpan? Ready { get; private set; }

        private Task<TimeSpan>? NewWorkerReady { get; set; }

        public TimeSpan? CapturesAgain { get; private set; }

        public TimeSpan? FirstMoved { get; private set; }

        public TimeSpan? AllMoved { get; private set; }

        /// <summary>Records the kill: the shipped orders not yet captured, with their versions just after it.</summary>
        public static async Task<Recovery> AtKillAsync(ApiHost api, int number, TimeSpan at, int captures, IReadOnlyList<string> shipped)
        {
            var waiting = new Dictionary<string, long>();
            foreach (var id in shipped)
            {
                var order = await api.GetOrderAsync(id);
                if ((string?)order["status"] != "Captured")
                {
                    waiting[id] = (long)order["version"]!;
                }
            }

            return new Recovery(number, at, captures, waiting);
        }

        /// <summary>The new worker was started: <paramref name="ready"/> completes when it dispatches.</summary>
        public void Restarted(Task<TimeSpan> ready) => NewWorkerReady = ready;

        /// <summary>Every order waiting at the kill has moved on and the new worker was ready, or the next kill came first.</summary>
        public bool Complete => (AllMoved is not null && Ready is not null) || _interrupted;

        /// <summary>The next kill came: what happens later is that kill's recovery.</summary>
        public void Interrupt() => _interrupted = true;

        /// <summary>Takes the new observations (the orders' versions, the captures applied, the new worker's readiness).</summary>
        public async Task ObserveAsync(ApiHost api, int captures, TimeSpan now)
        {
            if (Ready is null && NewWorkerReady is { IsCompletedSuccessfully: true } ready)
            {
                Ready = await ready;
            }

            if (CapturesAgain is null && captures > Captures)
            {
                CapturesAgain = now - At;
            }

            var moved = new List<string>();
            await Parallel.ForEachAsync(_waiting.Keys.ToList(), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (id, _) =>
            {
                if ((long)(await api.GetOrderAsync(id))["version"]! > _waiting[id])
                {
                    lock (moved)
                    {
                        moved.Add(id);
                    }
                }
            });
            foreach (var id in moved)
            {
                _waiting.Remove(id);
            }

            if (moved.Count > 0)
            {
                FirstMoved ??= now - At;
            }

            if (_waiting.Count == 0)
            {
                AllMoved ??= now - At;
            }
        }

        public override string ToString() =>
            $"kill {Number} at {At.TotalSeconds:F1} s ({Captures} captures applied, {_waitingAtKill} shipped orders not captured): new worker ready after {Seconds(Ready)}, "
            + $"a capture applied again after {Seconds(CapturesAgain)}, the first of those orders moved on after {Seconds(FirstMoved)}, "
            + (AllMoved is { } all ? $"the last after {Seconds(all)}" : $"{_waitingAtKill - _waiting.Count} of them before the next kill");

        private static string Seconds(TimeSpan? time) => time is { } value ? $"{value.TotalSeconds:F1} s" : "-";
    }

    private static async Task<int> CapturesAsync(ApiHost api) =>
        (await api.StatsAsync())["appliedPerIdempotencyKey"]!.AsObject().Count(p => p.Key.Contains("-capture-", StringComparison.Ordinal));

    private static int Setting(string name, int fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture) : fallback;
}
