using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrderPayments.Domain;

namespace OrderPayments.Bench;

/// <summary>
/// <c>durable-requests</c>: ours against the minimal orchestration of the same flow (<see cref="MinimalOrderFlow"/>), on
/// the Durable Task engine with the Azure Storage backend over Azurite, the engine settings the tests use, side by side
/// in one run. Each order is driven as a storefront drives it: start and wait for the redirect URL, the customer
/// approves at the simulator (which sends the signed webhook), read the status every <c>poll</c> ms until Authorized,
/// ship, read until Captured. For each of the two, on a fresh Azurite and simulator each time:
/// <list type="number">
/// <item>orders/s with <c>concurrency</c> clients, start → redirect (p50, p95), then start → redirect at light load
/// (one client, then four);</item>
/// <item>storage requests per order, counted at Azurite (its debug log, which slows it, so a run of its own) by
/// service, operation and table or queue, over the same load.</item>
/// </list>
/// Exit code 1 if an order did not end captured or a capture was applied more than once.
/// </summary>
internal static class DurableRequestsBenchmark
{
    private const int LightOrders = 12;

    public static async Task<int> RunAsync(int orders, int concurrency, int pollMs, string? jsonPath, bool inMemory = false)
    {
        Console.WriteLine($"durable-requests: {orders} orders, {concurrency} clients, status read every {pollMs} ms; Durable Task engine, Azure Storage backend (Azurite{(inMemory ? ", in memory" : "")}), 2 partitions, queue polling at most 500 ms");
        var report = new JsonObject
        {
            ["orders"] = orders,
            ["concurrency"] = concurrency,
            ["statusPollMs"] = pollMs,
            ["engine"] = "Durable Task, Azure Storage backend (Azurite 3.37.0), settings of AzureStorageEngine.Settings",
            ["azuriteInMemory"] = inMemory,
        };
        var ok = true;
        var figures = new Dictionary<string, Figures>();
        foreach (var flow in new[] { Flow.Ours, Flow.Minimal })
        {
            Console.WriteLine($"-- {Name(flow)}: throughput and latency");
            var timing = await TimeAsync(flow, orders, concurrency, pollMs, inMemory);
            Console.WriteLine($"-- {Name(flow)}: storage requests (Azurite debug log)");
            var counted = await CountAsync(flow, orders, concurrency, pollMs, inMemory);
            ok &= timing.Correct && counted.Correct;
            figures[Name(flow)] = new Figures(timing, counted);
        }

        var ours = figures[Name(Flow.Ours)];
        var minimal = figures[Name(Flow.Minimal)];
        var requestRatio = ours.Counted.RequestsPerOrder / minimal.Counted.RequestsPerOrder;
        var throughputRatio = ours.Timing.OrdersPerSecond / minimal.Timing.OrdersPerSecond;
        Console.WriteLine();
        Console.WriteLine($"{"",-34}{"ours",12}{"minimal",12}");
        Row("orders/s (C=" + concurrency + ")", ours.Timing.OrdersPerSecond, minimal.Timing.OrdersPerSecond, "F2");
        Row("start -> redirect p50 ms (C=" + concurrency + ")", ours.Timing.StartP50, minimal.Timing.StartP50, "F0");
        Row("start -> redirect p50 ms (C=1)", ours.Timing.StartP50AtOne, minimal.Timing.StartP50AtOne, "F0");
        Row("start -> redirect p50 ms (C=4)", ours.Timing.StartP50AtFour, minimal.Timing.StartP50AtFour, "F0");
        Row("approval -> authorized p50 ms", ours.Timing.ApprovalP50, minimal.Timing.ApprovalP50, "F0");
        Row("status reads per order", ours.Counted.StatusReadsPerOrder, minimal.Counted.StatusReadsPerOrder, "F1");
        Row("storage requests per order", ours.Counted.RequestsPerOrder, minimal.Counted.RequestsPerOrder, "F1");
        Console.WriteLine($"ours / minimal: {requestRatio:F2}x the storage requests per order (target at most 2x), {throughputRatio:F2}x the orders/s (target at least 0.5x)");
        Console.WriteLine();
        Console.WriteLine("storage requests per order by service and operation:");
        Breakdown(ours.Counted.Requests, minimal.Counted.Requests, orders, k => $"{k.Service} {k.Operation}");
        Console.WriteLine();
        Console.WriteLine("storage requests per order by table, queue or container and operation:");
        Breakdown(ours.Counted.Requests, minimal.Counted.Requests, orders, k => $"{k.Service} {k.Resource} {k.Operation}");

        foreach (var (name, f) in figures)
        {
            report[name] = new JsonObject
            {
                ["ordersPerSecond"] = Math.Round(f.Timing.OrdersPerSecond, 2),
                ["startToRedirectMs"] = new JsonObject { ["p50"] = Math.Round(f.Timing.StartP50), ["p95"] = Math.Round(f.Timing.StartP95) },
                ["startToRedirectP50MsAtC1"] = Math.Round(f.Timing.StartP50AtOne),
                ["startToRedirectP50MsAtC4"] = Math.Round(f.Timing.StartP50AtFour),
                ["approvalToAuthorizedP50Ms"] = Math.Round(f.Timing.ApprovalP50),
                ["statusReadsPerOrder"] = Math.Round(f.Counted.StatusReadsPerOrder, 2),
                ["storageRequestsPerOrder"] = Math.Round(f.Counted.RequestsPerOrder, 2),
                ["byServiceAndOperation"] = PerOrder(f.Counted.Requests, orders, k => $"{k.Service} {k.Operation}"),
                ["byResourceAndOperation"] = PerOrder(f.Counted.Requests, orders, k => $"{k.Service} {k.Resource} {k.Operation}"),
                ["correct"] = f.Timing.Correct && f.Counted.Correct,
            };
        }

        report["oursToMinimalRequests"] = Math.Round(requestRatio, 2);
        report["oursToMinimalOrdersPerSecond"] = Math.Round(throughputRatio, 2);
        if (jsonPath is not null)
        {
            await File.WriteAllTextAsync(jsonPath, report.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        }

        if (!ok)
        {
            Console.WriteLine("FAILED: an order did not end captured, or a capture was applied more than once (see above).");
        }

        return ok ? 0 : 1;
    }

    private enum Flow
    {
        Ours,
        Minimal,
    }

    private static string Name(Flow flow) => flow == Flow.Ours ? "ours" : "minimal";

    /// <summary>Orders/s and start → redirect at <paramref name="concurrency"/>, then at one and four clients.</summary>
    private static async Task<Timing> TimeAsync(Flow flow, int orders, int concurrency, int pollMs, bool inMemory)
    {
        await using var azurite = await BenchAzurite.StartAsync(debug: false, inMemory);
        await using var target = await Target.StartAsync(flow, azurite.ConnectionString);
        await DriveAsync(target, "warm", concurrency, concurrency, pollMs);
        var loaded = await DriveAsync(target, "bench", orders, concurrency, pollMs);
        var one = await DriveAsync(target, "one", LightOrders, 1, pollMs);
        var four = await DriveAsync(target, "four", 2 * LightOrders, 4, pollMs);
        var correct = await target.CheckCapturesAsync(loaded.Captured + one.Captured + four.Captured + concurrency);
        var timing = new Timing(
            orders / loaded.Seconds,
            Percentile(loaded.StartMs, 0.50),
            Percentile(loaded.StartMs, 0.95),
            Percentile(one.StartMs, 0.50),
            Percentile(four.StartMs, 0.50),
            Percentile(loaded.ApprovalMs, 0.50),
            correct && loaded.Captured == orders && one.Captured == LightOrders && four.Captured == 2 * LightOrders);
        Console.WriteLine($"   {timing.OrdersPerSecond:F2} orders/s; start -> redirect p50 {timing.StartP50:F0} ms (C={concurrency}), {timing.StartP50AtOne:F0} ms (C=1), {timing.StartP50AtFour:F0} ms (C=4)");
        return timing;
    }

    /// <summary>The same load on an Azurite writing its debug log: the requests of the measured orders, by kind.</summary>
    private static async Task<Counted> CountAsync(Flow flow, int orders, int concurrency, int pollMs, bool inMemory)
    {
        await using var azurite = await BenchAzurite.StartAsync(debug: true, inMemory);
        await using var target = await Target.StartAsync(flow, azurite.ConnectionString);
        await DriveAsync(target, "warm", concurrency, concurrency, pollMs);
        var from = azurite.DebugLogLength;
        var run = await DriveAsync(target, "bench", orders, concurrency, pollMs);
        var to = azurite.DebugLogLength;
        var correct = await target.CheckCapturesAsync(run.Captured + concurrency) && run.Captured == orders;

        // Azurite writes a request's lines as it handles it: let the last ones reach the file.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var requests = AzuriteRequestLog.Count(azurite.DebugLog!, from, to, target.Hub);
        var counted = new Counted(requests, (double)requests.Values.Sum() / orders, (double)run.StatusReads / orders, correct);
        Console.WriteLine($"   {counted.RequestsPerOrder:F1} storage requests per order ({counted.StatusReadsPerOrder:F1} status reads per order by the storefront)");
        return counted;
    }

    /// <summary>
    /// <paramref name="count"/> orders by <paramref name="clients"/> clients, each as a storefront: start (until the
    /// redirect URL is known), the customer approves, read until Authorized, ship, read until Captured.
    /// </summary>
    private static async Task<Run> DriveAsync(Target target, string prefix, int count, int clients, int pollMs)
    {
        var startMs = new double[count];
        var approvalMs = new double[count];
        var captured = 0;
        var reads = 0L;
        var next = -1;
        var wall = Stopwatch.StartNew();

        async Task<bool> ReadUntilAsync(string id, string status)
        {
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < TimeSpan.FromMinutes(3))
            {
                Interlocked.Increment(ref reads);
                if (await target.StatusAsync(id) == status)
                {
                    return true;
                }

                await Task.Delay(pollMs);
            }

            return false;
        }

        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var id = $"{prefix}-{i:D6}";
                var started = Stopwatch.StartNew();
                Interlocked.Add(ref reads, await target.StartAsync(id, 1000 + i, pollMs));
                startMs[i] = started.Elapsed.TotalMilliseconds;
                var approved = Stopwatch.StartNew();
                await target.ApproveAsync(PaymentReference.For(OrderId.Parse(id), 1).Value);
                if (!await ReadUntilAsync(id, "Authorized"))
                {
                    throw new TimeoutException($"{id} was not authorized within 3 minutes.");
                }

                approvalMs[i] = approved.Elapsed.TotalMilliseconds;
                await target.ShipAsync(id);
                if (await ReadUntilAsync(id, "Captured"))
                {
                    Interlocked.Increment(ref captured);
                }
            }
        })));
        return new Run(wall.Elapsed.TotalSeconds, startMs, approvalMs, captured, reads);
    }

    private static double Percentile(double[] values, double p)
    {
        if (values.Length == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    private static void Row(string label, double ours, double minimal, string format) =>
        Console.WriteLine($"{label,-34}{ours.ToString(format, CultureInfo.InvariantCulture),12}{minimal.ToString(format, CultureInfo.InvariantCulture),12}");

    private static void Breakdown(Dictionary<StorageRequestKind, long> ours, Dictionary<StorageRequestKind, long> minimal, int orders, Func<StorageRequestKind, string> key)
    {
        var a = ours.GroupBy(p => key(p.Key)).ToDictionary(g => g.Key, g => (double)g.Sum(p => p.Value) / orders);
        var b = minimal.GroupBy(p => key(p.Key)).ToDictionary(g => g.Key, g => (double)g.Sum(p => p.Value) / orders);
        foreach (var name in a.Keys.Union(b.Keys).OrderByDescending(k => a.GetValueOrDefault(k) + b.GetValueOrDefault(k)))
        {
            if (a.GetValueOrDefault(name) + b.GetValueOrDefault(name) >= 0.05)
            {
                Row("  " + name, a.GetValueOrDefault(name), b.GetValueOrDefault(name), "F2");
            }
        }
    }

    private static JsonObject PerOrder(Dictionary<StorageRequestKind, long> requests, int orders, Func<StorageRequestKind, string> key)
    {
        var result = new JsonObject();
        foreach (var group in requests.GroupBy(p => key(p.Key)).OrderByDescending(g => g.Sum(p => p.Value)))
        {
            result[group.Key] = Math.Round((double)group.Sum(p => p.Value) / orders, 2);
        }

        return result;
    }

    private sealed record Run(double Seconds, double[] StartMs, double[] ApprovalMs, int Captured, long StatusReads);

    private sealed record Timing(double OrdersPerSecond, double StartP50, double StartP95, double StartP50AtOne, double StartP50AtFour, double ApprovalP50, bool Correct);

    private sealed record Counted(Dictionary<StorageRequestKind, long> Requests, double RequestsPerOrder, double StatusReadsPerOrder, bool Correct);

    private sealed record Figures(Timing Timing, Counted Counted);

    /// <summary>One of the two flows with its simulator, as the storefront sees it.</summary>
    private abstract class Target : IAsyncDisposable
    {
        private readonly ChildSimulator _simulator;
        private readonly HttpClient _http = new();

        protected Target(ChildSimulator simulator) => _simulator = simulator;

        /// <summary>The task hub, which names the run's queues, tables and containers.</summary>
        public abstract string Hub { get; }

        public static async Task<Target> StartAsync(Flow flow, string storage)
        {
            var simulator = await ChildSimulator.StartAsync();
            try
            {
                return flow == Flow.Ours ? await Ours.StartAsync(simulator, storage) : await Minimal.StartAsync(simulator, storage);
            }
            catch
            {
                simulator.Dispose();
                throw;
            }
        }

        /// <summary>Starts the order and returns once its redirect URL is known, with the status reads that took.</summary>
        public abstract Task<int> StartAsync(string id, long amount, int pollMs);

        public abstract Task<string?> StatusAsync(string id);

        public abstract Task ShipAsync(string id);

        /// <summary>The simulated customer approves; the simulator then sends the signed webhook.</summary>
        public async Task ApproveAsync(string reference)
        {
            using var approve = await _http.PostAsync($"{_simulator.BaseUrl}/control/payments/{reference}/approve", null);
            approve.EnsureSuccessStatusCode();
        }

        /// <summary>True when the simulator applied <paramref name="expected"/> captures, each key once.</summary>
        public async Task<bool> CheckCapturesAsync(int expected)
        {
            var stats = (await _http.GetFromJsonAsync<JsonObject>($"{_simulator.BaseUrl}/control/stats"))!;
            var captures = stats["appliedPerIdempotencyKey"]!.AsObject().Where(p => p.Key.Contains("-capture-", StringComparison.Ordinal)).ToList();
            var correct = captures.Count == expected && captures.All(p => p.Value!.GetValue<int>() == 1);
            if (!correct)
            {
                Console.WriteLine($"   captures at the simulator: {captures.Count} keys (expected {expected}), {captures.Count(p => p.Value!.GetValue<int>() > 1)} applied more than once");
            }

            return correct;
        }

        public virtual async ValueTask DisposeAsync()
        {
            _http.Dispose();
            _simulator.Dispose();
            await Task.CompletedTask;
        }
    }

    /// <summary>Ours: the API as deployed on the Durable engine (<see cref="DurableBenchEngine"/>), over HTTP.</summary>
    private sealed class Ours : Target
    {
        private readonly DurableBenchEngine _engine;
        private readonly ApiUnderTest _api;
        private readonly HttpClient _http;

        private Ours(ChildSimulator simulator, DurableBenchEngine engine, ApiUnderTest api)
            : base(simulator)
        {
            _engine = engine;
            _api = api;
            _http = BenchApi.Client(api.BaseAddress, 256);
        }

        public override string Hub => _engine.TaskHub;

        public static async Task<Target> StartAsync(ChildSimulator simulator, string storage)
        {
            var engine = new DurableBenchEngine(storage);
            var settings = new Dictionary<string, string?>
            {
                ["Notifications:Enabled"] = "false",
                ["ActivityRetry:BaseDelay"] = "00:00:00.050",
                ["ActivityRetry:MaxDelay"] = "00:00:01",
                ["Vipps:RetryBaseDelay"] = "00:00:00.020",
                ["Vipps:MaxRetryDelay"] = "00:00:00.500",
                ["Vipps:CircuitBreakerMinimumThroughput"] = "1000000",
                ["OrderPayments:StartWait"] = "00:01:00",
            };
            try
            {
                var api = await ApiUnderTest.StartInProcessAsync(Directory.CreateTempSubdirectory("orderpayments-durable-requests-"), simulator, settings, engine);
                return new Ours(simulator, engine, api);
            }
            catch
            {
                await engine.DisposeAsync();
                throw;
            }
        }

        public override async Task<int> StartAsync(string id, long amount, int pollMs)
        {
            using var start = await _http.PutAsync(
                $"api/orders/{id}/payment",
                new StringContent($$"""{"amount":{"currency":"NOK","value":{{amount}}},"description":"Benchmark order","returnUrl":"https://shop.example/return"}""", Encoding.UTF8, "application/json"));
            if ((int)start.StatusCode == 201)
            {
                return 0;
            }

            if ((int)start.StatusCode != 202)
            {
                throw new InvalidOperationException($"Start of {id} answered {(int)start.StatusCode}: {await start.Content.ReadAsStringAsync()}");
            }

            // Not created within the API's wait: read the order as a storefront does until its payment is.
            var reads = 0;
            while (true)
            {
                reads++;
                if (await StatusAsync(id) is not ("Creating" or null))
                {
                    return reads;
                }

                await Task.Delay(pollMs);
            }
        }

        public override async Task<string?> StatusAsync(string id)
        {
            using var read = await _http.GetAsync($"api/orders/{id}/payment", HttpCompletionOption.ResponseHeadersRead);
            read.EnsureSuccessStatusCode();
            using var document = await JsonDocument.ParseAsync(await read.Content.ReadAsStreamAsync());
            return document.RootElement.GetProperty("status").GetString();
        }

        public override async Task ShipAsync(string id)
        {
            using var ship = await _http.PostAsync($"api/orders/{id}/fulfillments", new StringContent("""{"shipmentId":"ship-1"}""", Encoding.UTF8, "application/json"));
            ship.EnsureSuccessStatusCode();
        }

        public override async ValueTask DisposeAsync()
        {
            _http.Dispose();
            await _api.DisposeAsync();
            await _engine.DisposeAsync();
            await base.DisposeAsync();
        }
    }

    /// <summary>The minimal orchestration, driven through the Durable Task client directly (no HTTP API of its own).</summary>
    private sealed class Minimal : Target
    {
        private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(50);
        private static readonly TimeSpan MaxPoll = TimeSpan.FromMilliseconds(500);
        private readonly MinimalOrderFlow _flow;
        private readonly string _hub;

        private Minimal(ChildSimulator simulator, MinimalOrderFlow flow, string hub)
            : base(simulator)
        {
            _flow = flow;
            _hub = hub;
        }

        public override string Hub => _hub;

        public static async Task<Target> StartAsync(ChildSimulator simulator, string storage)
        {
            var hub = "mini" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(5));
            return new Minimal(simulator, await MinimalOrderFlow.StartAsync(storage, hub, simulator), hub);
        }

        /// <summary>Schedules, then reads the status as ours' start handler does (50 ms doubling to 500 ms) until the redirect URL is there; those reads are the start's own, not the storefront's.</summary>
        public override async Task<int> StartAsync(string id, long amount, int pollMs)
        {
            await _flow.StartOrderAsync(id, amount);
            var poll = FirstPoll;
            var waited = Stopwatch.StartNew();
            while ((await _flow.StatusAsync(id))?.RedirectUrl is null)
            {
                if (waited.Elapsed > TimeSpan.FromMinutes(1))
                {
                    throw new TimeoutException($"The payment of {id} was not created within a minute.");
                }

                await Task.Delay(poll);
                poll = poll * 2 < MaxPoll ? poll * 2 : MaxPoll;
            }

            return 0;
        }

        public override async Task<string?> StatusAsync(string id) => (await _flow.StatusAsync(id))?.Status;

        public override Task ShipAsync(string id) => _flow.ShipAsync(id);

        public override async ValueTask DisposeAsync()
        {
            await _flow.DisposeAsync();
            await base.DisposeAsync();
        }
    }
}
