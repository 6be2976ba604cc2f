using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrderPayments.Bench;

/// <summary>
/// The load generator: N orders through the real HTTP API (Kestrel, in this process) against the embedded simulator.
/// Each order is started (PUT, waits for the redirect URL), approved by the simulated customer (which sends the signed
/// webhook), and fulfilled (POST) once authorized; it counts when its capture is committed. Durable commits on
/// (WAL, synchronous=FULL). Runs twice: without faults, then with the simulator injecting them.
/// </summary>
internal static class EndToEndBenchmark
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The activity slots of this invocation's runs (null: the runtime's default).</summary>
    private static int? _activitySlots;

    /// <summary>Runs the load twice (no faults, faults on), prints the figures and writes them to <paramref name="jsonPath"/>.</summary>
    /// <param name="orders">Orders per run.</param>
    /// <param name="concurrency">Concurrent clients.</param>
    /// <param name="jsonPath">Where to write the report; null for none.</param>
    /// <param name="embedded">The simulator in the API's process instead of a child process.</param>
    /// <param name="durableStorage">A storage account (Azurite) to run the orders on the Durable Task engine's Azure Storage backend; null for the embedded runtime.</param>
    /// <param name="notify">Also run without faults with one storefront notification endpoint attached (a receiver in this process), beside the run without.</param>
    /// <param name="latencyMs">With a value, one run only: every ePayment call at the simulator takes this much longer (a real provider's 100–300 ms).</param>
    /// <param name="activitySlots">Overrides <c>Runtime:MaxConcurrentActivities</c> (A/B runs); null for the runtime's default.</param>
    public static async Task<int> RunAsync(int orders, int concurrency, string? jsonPath, bool embedded, string? durableStorage = null, bool notify = false, int? latencyMs = null, int? activitySlots = null)
    {
        // The runs without latency use 128 activity slots (the README's figures are measured so; with calls answered at
        // once slots are not what bounds them); latency runs take the runtime's default unless told.
        _activitySlots = activitySlots ?? (latencyMs is null ? 128 : null);
        if (latencyMs is { } latency)
        {
            Console.WriteLine($"end-to-end with {latency} ms provider latency: {orders} orders, {concurrency} concurrent clients, {Environment.ProcessorCount} cores, activity slots {activitySlots?.ToString(CultureInfo.InvariantCulture) ?? "default"}");
            var slow = await RunOnceAsync(orders, concurrency, faults: new { latencyMilliseconds = latency, seed = 1 }, embedded, durableStorage);
            Print($"{latency} ms provider latency", slow);
            if (jsonPath is not null)
            {
                var latencyReport = new JsonObject
                {
                    ["orders"] = orders,
                    ["concurrency"] = concurrency,
                    ["providerLatencyMs"] = latency,
                    ["activitySlots"] = activitySlots,
                    ["ordersPerSecond"] = Math.Round(slow.OrdersPerSecond, 1),
                    ["startToRedirectMs"] = Percentiles(slow.StartLatencies),
                    ["approvalToAuthorizedMs"] = Percentiles(slow.ApprovalLatencies),
                    ["perOrder"] = PerOrder(slow.Processes),
                    ["allCaptured"] = slow.AllCaptured,
                };
                await File.WriteAllTextAsync(jsonPath, latencyReport.ToJsonString(Indented));
            }

            return slow.AllCaptured ? 0 : 1;
        }

        Console.WriteLine($"end-to-end: {orders} orders, {concurrency} concurrent clients, {Environment.ProcessorCount} cores, " +
                          (durableStorage is null ? "embedded runtime, durable commits (WAL, synchronous=FULL), " : "Durable Task engine, Azure Storage backend (Azurite), ") +
                          (embedded ? "simulator embedded in the API process" : "simulator in a child process"));
        // Each run starts its API fresh and warms it up first (see RunOnceAsync), so the runs compare.
        RunResult? notified = null;
        if (notify)
        {
            await using var receiver = await BenchReceiver.StartAsync();
            notified = await RunOnceAsync(orders, concurrency, faults: null, embedded, durableStorage, receiver);
            Print("no faults, one notification endpoint", notified);
        }

        var clean = await RunOnceAsync(orders, concurrency, faults: null, embedded, durableStorage);
        Print("no faults", clean);

        var faulty = await RunOnceAsync(orders, concurrency, faults: new
        {
            errorRate = 0.05,
            tooManyRequests = 20,
            retryAfterSeconds = 0,
            dropAfterApplyRate = 0.05,
            webhookDropRate = 0.05,
            webhookDuplicateRate = 0.1,
            webhookReorderRate = 0.1,
            seed = 3,
        }, embedded, durableStorage);
        Print("faults on", faulty);

        var report = new JsonObject
        {
            ["orders"] = orders,
            ["concurrency"] = concurrency,
            ["cores"] = Environment.ProcessorCount,
            ["simulator"] = embedded ? "embedded" : "child process",
            ["engine"] = durableStorage is null ? "embedded runtime (SQLite)" : "Durable Task, Azure Storage backend (Azurite)",
            ["ordersPerSecond"] = Math.Round(clean.OrdersPerSecond, 1),
            ["startToRedirectMs"] = Percentiles(clean.StartLatencies),
            ["webhookToStateVisibleMs"] = clean.WebhookLatencies.Length == 0 ? null : Percentiles(clean.WebhookLatencies),
            ["approvalToAuthorizedMs"] = Percentiles(clean.ApprovalLatencies),
            ["providerCallsPerOrder"] = Math.Round(clean.ProviderCallsPerOrder, 3),
            ["perOrder"] = PerOrder(clean.Processes),
            ["apiPeakWorkingSetMb"] = Math.Round(clean.Processes.ApiPeakWorkingSetMb, 1),
            ["withOneNotificationEndpoint"] = notified is null ? null : new JsonObject
            {
                ["ordersPerSecond"] = Math.Round(notified.OrdersPerSecond, 1),
                ["startToRedirectMs"] = Percentiles(notified.StartLatencies),
                ["webhookToStateVisibleMs"] = notified.WebhookLatencies.Length == 0 ? null : Percentiles(notified.WebhookLatencies),
                ["eventsDelivered"] = notified.EventsDelivered,
                ["eventsExpected"] = 3 * orders,
                ["commitToDeliveredMs"] = Percentiles(notified.DeliveryLags),
            },
            ["faults"] = new JsonObject
            {
                ["ordersPerSecond"] = Math.Round(faulty.OrdersPerSecond, 1),
                ["startToRedirectMs"] = Percentiles(faulty.StartLatencies),
                ["webhookToStateVisibleMs"] = faulty.WebhookLatencies.Length == 0 ? null : Percentiles(faulty.WebhookLatencies),
                ["providerCallsPerOrder"] = Math.Round(faulty.ProviderCallsPerOrder, 3),
                ["perOrder"] = PerOrder(faulty.Processes),
                ["allCaptured"] = faulty.AllCaptured,
                ["oneCapturePerShipment"] = faulty.OneCapturePerShipment,
                ["injected"] = faulty.Injected.DeepClone(),
            },
        };
        Console.WriteLine($"API peak working set: {report["apiPeakWorkingSetMb"]} MB{(clean.Processes.DriverSharesApiProcess ? $" (the API and the load generator{(embedded ? " and the simulator" : "")} in one process)" : " (its own process)")}");
        if (jsonPath is not null)
        {
            await File.WriteAllTextAsync(jsonPath, report.ToJsonString(Indented));
            Console.WriteLine($"wrote {jsonPath}");
        }

        return clean.AllCaptured && faulty.AllCaptured && faulty.OneCapturePerShipment && (notified is null || (notified.AllCaptured && notified.EventsDelivered == 3 * orders)) ? 0 : 1;
    }

    /// <summary>
    /// The storefront fleet (issue 27): <paramref name="storefronts"/> storefronts at once, each driving one order at a
    /// time as a shop does, against the API as deployed (a child process in Production, logging at its deployed levels,
    /// the storefront's and the fulfillment system's own keys). Each reads its order's status every 10 ms while it waits
    /// (sending the last <c>ETag</c> in <c>If-None-Match</c> where the API gives one), or with <paramref name="longPoll"/>
    /// waits with <c>?waitForChange=&lt;version&gt;&amp;timeout=30</c>. One run; prints and writes what the issue's
    /// table reports plus the API's thread pool (threads, queue length), monitor lock contention and log lines.
    /// </summary>
    public static async Task<int> RunStorefrontsAsync(int storefronts, int orders, int? latencyMs, bool longPoll, string? jsonPath)
    {
        _activitySlots = null;
        var label = $"{storefronts} storefronts, {(latencyMs is { } l ? $"{l} ms" : "no")} provider latency, {(longPoll ? "long poll" : "polling every 10 ms")}";
        Console.WriteLine($"storefronts: {label}; {orders} orders, {Environment.ProcessorCount} cores");
        var faults = latencyMs is { } latency ? new { latencyMilliseconds = latency, seed = 1 } : null;
        var result = await RunOnceAsync(orders, storefronts, faults, embedded: false, durableStorage: null, fleet: new Fleet(longPoll));
        Print(label, result);
        if (jsonPath is not null)
        {
            var report = new JsonObject
            {
                ["storefronts"] = storefronts,
                ["orders"] = orders,
                ["providerLatencyMs"] = latencyMs,
                ["longPoll"] = longPoll,
                ["ordersPerSecond"] = Math.Round(result.OrdersPerSecond, 1),
                ["startToRedirectMs"] = Percentiles(result.StartLatencies),
                ["approvalToAuthorizedMs"] = Percentiles(result.ApprovalLatencies),
                ["perOrder"] = PerOrder(result.Processes),
                ["threadPool"] = result.Processes.Pool.DeepClone(),
                ["createCallMs"] = Percentiles(result.CreateCalls),
                ["startServedMs"] = Percentiles(result.StartsServed),
                ["webhookToStateVisibleMs"] = result.WebhookLatencies.Length == 0 ? null : Percentiles(result.WebhookLatencies),
                ["dispatcherCycleMs"] = Math.Round(result.DispatcherCycleMs, 1),
                ["allCaptured"] = result.AllCaptured,
            };
            await File.WriteAllTextAsync(jsonPath, report.ToJsonString(Indented));
        }

        return result.AllCaptured ? 0 : 1;
    }

    /// <summary>How the storefronts of <see cref="RunStorefrontsAsync"/> read their orders.</summary>
    private sealed record Fleet(bool LongPoll);

    /// <summary>The status of an order as its storefront last read it.</summary>
    private sealed class OrderView
    {
        public string Status { get; set; } = "";

        public long Version { get; set; }

        public string? ETag { get; set; }
    }

    private static async Task<RunResult> RunOnceAsync(int orders, int concurrency, object? faults, bool embedded, string? durableStorage, BenchReceiver? receiver = null, Fleet? fleet = null)
    {
        var folder = Directory.CreateTempSubdirectory("orderpayments-e2e-");
        using var child = embedded ? null : await ChildSimulator.StartAsync();
        await using var engine = durableStorage is null ? null : new DurableBenchEngine(durableStorage);
        var settings = new Dictionary<string, string?>
        {
            ["Notifications:Enabled"] = receiver is null ? "false" : "true",
            ["ActivityRetry:BaseDelay"] = "00:00:00.050",
            ["ActivityRetry:MaxDelay"] = "00:00:01",
            ["Vipps:RetryBaseDelay"] = "00:00:00.020",
            ["Vipps:MaxRetryDelay"] = "00:00:00.500",
            ["Vipps:CircuitBreakerMinimumThroughput"] = "1000000",
            // On the Durable engine a start's redirect URL comes after a queue round trip or two: wait for it as the
            // storefront would, rather than answering 202.
            ["OrderPayments:StartWait"] = engine is null ? "00:00:05" : "00:01:00",
        };
        if (_activitySlots is { } slots)
        {
            settings["Runtime:MaxConcurrentActivities"] = slots.ToString(CultureInfo.InvariantCulture);
        }

        if (fleet is not null)
        {
            settings["OrderPayments:ApiKeys:Storefront:0"] = StorefrontKey;
            settings["OrderPayments:ApiKeys:Fulfillment:0"] = FulfillmentKey;
        }

        if (receiver is not null)
        {
            settings["Notifications:Endpoints:bench:Url"] = receiver.Url.AbsoluteUri;
            settings["Notifications:Endpoints:bench:Secret"] = OrderPayments.Application.Storefront.StandardWebhooks.NewSecret();
        }

        // The API in a process of its own unless the simulator or the Durable engine must share the benchmark's.
        await using var api = child is not null && engine is null
            ? await ApiUnderTest.StartChildAsync(folder, child, settings, defaultLogging: fleet is not null)
            : await ApiUnderTest.StartInProcessAsync(folder, child, settings, engine);
        using var http = BenchApi.Client(api.BaseAddress, concurrency * 2);
        // The storefronts and the fulfillment system with their own keys (the fleet), else all with the operator's.
        using var shop = fleet is null ? null : BenchApi.Client(api.BaseAddress, concurrency * 2, StorefrontKey);
        using var warehouse = fleet is null ? null : BenchApi.Client(api.BaseAddress, concurrency * 2, FulfillmentKey);
        var storefront = shop ?? http;
        var fulfillment = warehouse ?? http;
        var simulatorBase = child is null ? "simulator/vipps" : child.BaseUrl;
        var startLatencies = new double[orders];
        var approvalLatencies = new double[orders];
        var statusReads = 0L;

        // The storefront's view: the status document read until its status is one the caller waits for (false after
        // three minutes): every 10 ms (with If-None-Match once the API gave an ETag: a 304 says nothing changed), or
        // in the fleet's long-poll mode, one request that the API answers when the order's version passes the one the
        // storefront has seen. Up to three minutes: under the faults run's burst of 429s an order can use up Vipps' 5
        // calls a minute for its reference, and then waits (as it would at Vipps) for the minute to pass.
        async Task<bool> PollAsync(string id, OrderView view, Func<string, bool> reached)
        {
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < TimeSpan.FromMinutes(3))
            {
                Interlocked.Increment(ref statusReads);
                var longPoll = fleet is { LongPoll: true };
                using var request = new HttpRequestMessage(HttpMethod.Get, longPoll
                    ? $"api/orders/{id}/payment?waitForChange={view.Version}&timeout=30"
                    : $"api/orders/{id}/payment");
                if (!longPoll && view.ETag is { } etag)
                {
                    request.Headers.TryAddWithoutValidation("If-None-Match", etag);
                }

                using var read = await storefront.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                if (read.StatusCode != System.Net.HttpStatusCode.NotModified)
                {
                    read.EnsureSuccessStatusCode();
                    await ReadViewAsync(read, view);
                }

                if (reached(view.Status))
                {
                    return true;
                }

                if (!longPoll)
                {
                    await Task.Delay(10);
                }
            }

            return false;
        }

        // Each client takes the next order: start (waits for the redirect URL), the customer approves at the simulator,
        // poll until authorized, ship, poll until captured. Returns how many ended captured.
        async Task<int> DriveAsync(string prefix, int count, bool record)
        {
            var captured = 0;
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < count)
                {
                    var id = $"{prefix}-{i:D6}";
                    var started = Stopwatch.StartNew();
                    using var start = await storefront.PutAsync($"api/orders/{id}/payment", Json($$"""{"amount":{"currency":"NOK","value":{{1000 + i}}},"description":"Benchmark order","returnUrl":"https://shop.example/return"}"""));
                    var document = (await start.Content.ReadFromJsonAsync<JsonObject>())!;
                    var view = View(document, start);
                    if ((int)start.StatusCode == 202)
                    {
                        // The provider had not answered within the API's StartWait (in the faults run: 5xx answers and
                        // their retries' back-off). As a storefront does, read the order until its payment is created.
                        if (!await PollAsync(id, view, status => status != "Creating"))
                        {
                            throw new TimeoutException($"The payment of {id} was not created within 3 minutes.");
                        }
                    }
                    else if ((int)start.StatusCode != 201)
                    {
                        throw new InvalidOperationException($"Start of {id} answered {(int)start.StatusCode}: {document.ToJsonString()}");
                    }

                    var startMs = started.Elapsed.TotalMilliseconds;

                    // The simulated customer approves; the simulator answers at once and delivers the signed webhook.
                    var approved = Stopwatch.StartNew();
                    using (var approve = await http.PostAsync($"{simulatorBase}/control/payments/{document["reference"]}/approve", null))
                    {
                        approve.EnsureSuccessStatusCode();
                    }

                    if (!await PollAsync(id, view, status => status == "Authorized"))
                    {
                        throw new TimeoutException($"{id} was not authorized within 3 minutes.");
                    }

                    if (record)
                    {
                        startLatencies[i] = startMs;
                        approvalLatencies[i] = approved.Elapsed.TotalMilliseconds;
                    }

                    using var ship = await fulfillment.PostAsync($"api/orders/{id}/fulfillments", Json("""{"shipmentId":"ship-1"}"""));
                    ship.EnsureSuccessStatusCode();
                    if (await PollAsync(id, view, status => status == "Captured"))
                    {
                        Interlocked.Increment(ref captured);
                    }
                }
            })));
            return captured;
        }

        // A fresh API process pays its warm-up (JIT, tiering, pools) first, without faults and not counted: the figures
        // are those of a running server.
        await DriveAsync("warm", WarmUpOrders(orders), record: false);
        var warmUp = WarmUpOrders(orders) + (api.SharesProcess ? 0 : await SettleCompilationAsync());
        // Tiering goes on long after the first few thousand orders on two busy cores: more warm-up rounds until the
        // API's compiling is a small share of its CPU (see SettleRound). Returns the orders added.
        async Task<int> SettleCompilationAsync()
        {
            var added = 0;
            for (var round = 1; round <= SettleRounds; round++)
            {
                var before = await api.SampleAsync(http);
                await DriveAsync($"warm-{round}", SettleRound, record: false);
                var after = await api.SampleAsync(http);
                added += SettleRound;
                var jitMs = (double)after["jitMs"]! - (double)before["jitMs"]!;
                var cpuMs = (double)after["cpuMs"]! - (double)before["cpuMs"]!;
                if (jitMs <= SettledJitShare * cpuMs)
                {
                    break;
                }
            }

            return added;
        }

        if (faults is not null)
        {
            using var set = await http.PostAsJsonAsync($"{simulatorBase}/control/faults", faults);
            set.EnsureSuccessStatusCode();
        }

        var before = (await http.GetFromJsonAsync<JsonObject>($"{simulatorBase}/control/stats"))!;
        statusReads = 0;
        var apiBefore = await api.SampleAsync(http);
        var logLinesBefore = api.LogLines;
        var simulatorCpuBefore = child?.CpuTime ?? TimeSpan.Zero;
        var driver = Process.GetCurrentProcess();
        var driverCpuBefore = driver.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var captured = await DriveAsync("bench", orders, record: true);
        var seconds = wall.Elapsed.TotalSeconds;
        driver.Refresh();
        var driverCpu = driver.TotalProcessorTime - driverCpuBefore;
        var simulatorCpu = (child?.CpuTime ?? TimeSpan.Zero) - simulatorCpuBefore;
        var apiAfter = await api.SampleAsync(http);
        var logLines = api.LogLines - logLinesBefore;
        if (receiver is not null)
        {
            // Every order's three events (ready, authorized, captured), delivered once the load is done.
            var deadline = Stopwatch.StartNew();
            while (receiver.Distinct < 3 * orders && deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(50);
            }
        }

        var after = (await http.GetFromJsonAsync<JsonObject>($"{simulatorBase}/control/stats"))!;
        var calls = ProviderCalls(after) - ProviderCalls(before);
        var captures = after["appliedPerIdempotencyKey"]!.AsObject().Where(p => p.Key.StartsWith("bench-", StringComparison.Ordinal) && p.Key.Contains("-capture-", StringComparison.Ordinal)).ToList();
        var webhooks = (after["webhooks"]?["webhooks.delivered"]?.GetValue<long>() ?? 0) - (before["webhooks"]?["webhooks.delivered"]?.GetValue<long>() ?? 0);
        var apiCpu = (double)apiAfter["cpuMs"]! - (double)apiBefore["cpuMs"]!;
        var cycles = (long)apiAfter["dispatcherCycles"]! - (long)apiBefore["dispatcherCycles"]!;
        return new RunResult(
            orders / seconds,
            startLatencies,
            [.. apiAfter["webhookLatenciesMs"]!.AsArray().Select(l => (double)l!)],
            approvalLatencies,
            (double)calls / orders,
            captured == orders,
            captures.Count == orders && captures.All(p => p.Value!.GetValue<int>() == 1),
            after["injected"]!.AsObject(),
            webhooks,
            receiver?.Distinct ?? 0,
            receiver?.Lags ?? [],
            new ProcessFigures(
                api.SharesProcess ? null : apiCpu / orders,
                child is null ? null : simulatorCpu.TotalMilliseconds / orders,
                driverCpu.TotalMilliseconds / orders,
                api.SharesProcess,
                ((long)apiAfter["allocatedBytes"]! - (long)apiBefore["allocatedBytes"]!) / 1024.0 / orders,
                (double)statusReads / orders,
                (long)apiAfter["peakWorkingSetBytes"]! / 1048576.0,
                (int)apiAfter["gen0"]! - (int)apiBefore["gen0"]!,
                (int)apiAfter["gen2"]! - (int)apiBefore["gen2"]!,
                ((long)apiAfter["dispatcherCycles"]! - (long)apiBefore["dispatcherCycles"]!) / (double)orders,
                ((long)apiAfter["stepsCommitted"]! - (long)apiBefore["stepsCommitted"]!) / (double)orders,
                (double)apiAfter["jitMs"]! - (double)apiBefore["jitMs"]!,
                (long)apiAfter["jitMethods"]! - (long)apiBefore["jitMethods"]!,
                warmUp,
                api.SharesProcess ? null : (double)logLines / orders,
                Pool(apiBefore, apiAfter, orders)))
        {
            CreateCalls = apiAfter["createCallsMs"] is JsonArray creates ? [.. creates.Select(c => (double)c!)] : [],
            StartsServed = apiAfter["startsServedMs"] is JsonArray served ? [.. served.Select(c => (double)c!)] : [],
            DispatcherCycleMs = cycles > 0 ? seconds * 1000 / cycles : 0,
        };
    }

    /// <summary>The API's thread pool in the measured run: threads and queue length (mean, max), work items and monitor lock contentions per order.</summary>
    private static JsonObject Pool(JsonObject before, JsonObject after, int orders) => new()
    {
        ["threadsMean"] = after["threadPoolThreadsMean"]?.DeepClone(),
        ["threadsMax"] = after["threadPoolThreadsMax"]?.DeepClone(),
        ["queueLengthMean"] = after["threadPoolQueueMean"]?.DeepClone(),
        ["queueLengthMax"] = after["threadPoolQueueMax"]?.DeepClone(),
        ["workItemsPerOrder"] = after["threadPoolCompleted"] is { } completed ? Math.Round(((long)completed - (long)before["threadPoolCompleted"]!) / (double)orders, 1) : null,
        ["lockContentionsPerOrder"] = after["lockContentions"] is { } contentions ? Math.Round(((long)contentions - (long)before["lockContentions"]!) / (double)orders, 3) : null,
    };

    /// <summary>The storefront's key in the fleet runs (the API's <c>OrderPayments:ApiKeys:Storefront</c>).</summary>
    private const string StorefrontKey = "bench-storefront-key-0123456789";

    /// <summary>The fulfillment system's key in the fleet runs.</summary>
    private const string FulfillmentKey = "bench-fulfillment-key-0123456789";

    /// <summary>What a start answered: the status, version and ETag (null where the API sends none).</summary>
    private static OrderView View(JsonObject document, HttpResponseMessage response) => new()
    {
        Status = (string)document["status"]!,
        Version = (long)document["version"]!,
        ETag = response.Headers.ETag?.ToString(),
    };

    /// <summary>Reads a status document into <paramref name="view"/>.</summary>
    private static async Task ReadViewAsync(HttpResponseMessage read, OrderView view)
    {
        using var document = await JsonDocument.ParseAsync(await read.Content.ReadAsStreamAsync());
        view.Status = document.RootElement.GetProperty("status").GetString()!;
        view.Version = document.RootElement.GetProperty("version").GetInt64();
        view.ETag = read.Headers.ETag?.ToString();
    }

    /// <summary>Orders per extra warm-up round, run until the API's compiling settles.</summary>
    private const int SettleRound = 1000;

    /// <summary>At most this many extra rounds (the figures then say how much the JIT still took in the run).</summary>
    private const int SettleRounds = 15;

    /// <summary>
    /// Compiling is settled when the JIT took at most this share of the API's CPU during a round. Measured (2,000
    /// orders after 3,000 warm-up orders, the API in a child process): the JIT still took 3.2 s of the run's 8.0 s of
    /// API CPU, 2,885 methods compiled again at higher tiers; the CPU per order was 4.0 ms with it and 2.7 ms once
    /// settled (10,000 warm-up orders: 0.1 s of JIT in the run).
    /// </summary>
    private const double SettledJitShare = 0.02;

    /// <summary>
    /// Orders run before the measured ones on a fresh API process (and simulator): 3,000, about 12 s, then (the API in a
    /// child process) rounds of <see cref="SettleRound"/> until its compiling settles. Tiered compilation and dynamic
    /// PGO go on for several thousand orders here, both processes compiling while the two cores are busy. The figures
    /// are a running server's, and each run prints what the JIT still took in it. Override the first 3,000 with
    /// <c>ORDERPAYMENTS_BENCH_WARMUP</c>.
    /// </summary>
    private static int WarmUpOrders(int orders) =>
        int.TryParse(Environment.GetEnvironmentVariable("ORDERPAYMENTS_BENCH_WARMUP"), NumberStyles.None, CultureInfo.InvariantCulture, out var warmUp) ? warmUp : 3000;

    /// <summary>The calls this deployment made to the provider: ePayment calls and tokens (not the customer's approvals).</summary>
    private static long ProviderCalls(JsonObject stats) =>
        stats["calls"]!.AsObject().Where(p => p.Key != "approve").Sum(p => p.Value!.GetValue<long>());

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static JsonObject Percentiles(double[] values)
    {
        var sorted = values.Order().ToArray();
        double At(double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
        return new JsonObject { ["p50"] = Math.Round(At(0.50), 1), ["p95"] = Math.Round(At(0.95), 1), ["p99"] = Math.Round(At(0.99), 1) };
    }

    private static JsonObject PerOrder(ProcessFigures figures) => new()
    {
        ["apiCpuMs"] = figures.ApiCpuMs is { } api ? Math.Round(api, 3) : null,
        ["simulatorCpuMs"] = figures.SimulatorCpuMs is { } simulator ? Math.Round(simulator, 3) : null,
        ["loadGeneratorCpuMs"] = Math.Round(figures.DriverCpuMs, 3),
        ["loadGeneratorSharesApiProcess"] = figures.DriverSharesApiProcess,
        ["apiAllocatedKb"] = Math.Round(figures.ApiAllocatedKb, 1),
        ["statusReads"] = Math.Round(figures.StatusReads, 2),
        ["apiGen0Collections"] = figures.Gen0Collections,
        ["apiGen2Collections"] = figures.Gen2Collections,
        ["dispatcherTransactions"] = Math.Round(figures.DispatcherTransactions, 2),
        ["steps"] = Math.Round(figures.Steps, 2),
        ["apiJitMs"] = Math.Round(figures.ApiJitMs),
        ["apiJitMethods"] = figures.ApiJitMethods,
        ["warmUpOrders"] = figures.WarmUpOrders,
        ["apiLogLines"] = figures.ApiLogLines is { } lines ? Math.Round(lines, 2) : null,
    };

    private static void Print(string label, RunResult result)
    {
        static string Row(JsonObject p) => string.Create(CultureInfo.InvariantCulture, $"p50 {p["p50"],7} ms   p95 {p["p95"],7} ms   p99 {p["p99"],7} ms");
        Console.WriteLine($"-- {label}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   orders/s end to end        {result.OrdersPerSecond,8:F1}"));
        Console.WriteLine($"   start → redirect URL       {Row(Percentiles(result.StartLatencies))}");
        if (result.StartsServed.Length > 0)
        {
            Console.WriteLine($"   as the API served it       {Row(Percentiles(result.StartsServed))}");
        }

        if (result.CreateCalls.Length > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   of which create call       {Row(Percentiles(result.CreateCalls))}   (dispatcher cycle {result.DispatcherCycleMs:F1} ms on average)"));
        }

        Console.WriteLine(result.WebhookLatencies.Length == 0
            ? $"   webhook → state visible    (the embedded runtime's measure; see approval → authorized)   ({result.WebhooksDelivered} webhooks delivered)"
            : $"   webhook → state visible    {Row(Percentiles(result.WebhookLatencies))}   ({result.WebhookLatencies.Length} webhooks applied of {result.WebhooksDelivered} delivered)");
        Console.WriteLine($"   approval → authorized      {Row(Percentiles(result.ApprovalLatencies))}   (customer approves → simulator delivers the webhook → committed)");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   provider calls per order   {result.ProviderCallsPerOrder,8:F3}"));
        var p = result.Processes;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   CPU ms per order           API {(p.ApiCpuMs is { } a ? a.ToString("F2", CultureInfo.InvariantCulture) : "(shared)"),6}   simulator {(p.SimulatorCpuMs is { } s ? s.ToString("F2", CultureInfo.InvariantCulture) : "(shared)"),6}   load generator {p.DriverCpuMs,6:F2}{(p.DriverSharesApiProcess ? " (with the API in its process)" : "")}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   API per order              {p.ApiAllocatedKb,8:F1} KB allocated   {p.StatusReads:F2} status reads   {p.Steps:F2} steps in {p.DispatcherTransactions:F2} dispatcher transactions   ({p.Gen0Collections} gen0, {p.Gen2Collections} gen2 collections in the run)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   API compiling in the run   {p.ApiJitMs,8:F0} ms JIT   {p.ApiJitMethods} methods, after {p.WarmUpOrders} warm-up orders"));
        Console.WriteLine($"   API thread pool            {p.Pool.ToJsonString()}");
        if (p.ApiLogLines is { } lines)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   API log lines per order    {lines,8:F2}"));
        }

        Console.WriteLine($"   every order captured       {result.AllCaptured}");
        Console.WriteLine($"   one capture per shipment   {result.OneCapturePerShipment}");
        if (result.DeliveryLags.Length > 0)
        {
            Console.WriteLine($"   events delivered           {result.EventsDelivered,8}   commit → delivered {Row(Percentiles(result.DeliveryLags))}");
        }

        if (result.Injected.Count > 0)
        {
            Console.WriteLine($"   faults injected            {result.Injected.ToJsonString()}");
        }
    }

    private sealed record RunResult(
        double OrdersPerSecond,
        double[] StartLatencies,
        double[] WebhookLatencies,
        double[] ApprovalLatencies,
        double ProviderCallsPerOrder,
        bool AllCaptured,
        bool OneCapturePerShipment,
        JsonObject Injected,
        long WebhooksDelivered,
        int EventsDelivered,
        double[] DeliveryLags,
        ProcessFigures Processes)
    {
        /// <summary>How long the create-payment calls took (the provider's share of start → redirect).</summary>
        public double[] CreateCalls { get; init; } = [];

        /// <summary>How long the API took to answer the starts (its own measure, without the load generator's delays).</summary>
        public double[] StartsServed { get; init; } = [];

        /// <summary>The dispatcher's mean cycle (transaction) in the run: wall time over transactions.</summary>
        public double DispatcherCycleMs { get; init; }
    }

    /// <summary>Per order: CPU milliseconds of each process (null where a process is not separate), the API's allocations and status reads.</summary>
    private sealed record ProcessFigures(
        double? ApiCpuMs,
        double? SimulatorCpuMs,
        double DriverCpuMs,
        bool DriverSharesApiProcess,
        double ApiAllocatedKb,
        double StatusReads,
        double ApiPeakWorkingSetMb,
        int Gen0Collections,
        int Gen2Collections,
        double DispatcherTransactions,
        double Steps,
        double ApiJitMs,
        long ApiJitMethods,
        int WarmUpOrders,
        double? ApiLogLines,
        JsonObject Pool);
}
