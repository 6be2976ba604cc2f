using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using OrderPayments.Domain;
using OrderPayments.Application.Workflows;
using OrderPayments.Domain.Workflow;
using OrderPayments.Runtime;

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
        // The standard runs keep the 128 slots their published figures were measured with; latency runs compare.
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
                    ["allCaptured"] = slow.AllCaptured,
                };
                await File.WriteAllTextAsync(jsonPath, latencyReport.ToJsonString(Indented));
            }

            return slow.AllCaptured ? 0 : 1;
        }

        Console.WriteLine($"end-to-end: {orders} orders, {concurrency} concurrent clients, {Environment.ProcessorCount} cores, " +
                          (durableStorage is null ? "embedded runtime, durable commits (WAL, synchronous=FULL), " : "Durable Task engine, Azure Storage backend (Azurite), ") +
                          (embedded ? "simulator embedded in the API process" : "simulator in a child process"));
        // The first run of a process pays its warm-up (JIT, pools): with an endpoint to compare, a warm-up run goes first
        // (not reported), then the runs with and without it under the same conditions.
        RunResult? notified = null;
        if (notify)
        {
            await RunOnceAsync(Math.Max(orders / 4, 1), concurrency, faults: null, embedded, durableStorage);
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
            ["peakWorkingSetMb"] = Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0, 1),
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
                ["allCaptured"] = faulty.AllCaptured,
                ["oneCapturePerShipment"] = faulty.OneCapturePerShipment,
                ["injected"] = faulty.Injected.DeepClone(),
            },
        };
        Console.WriteLine($"peak working set: {report["peakWorkingSetMb"]} MB (the API and the load generator{(embedded ? " and the simulator" : "")} in one process)");
        if (jsonPath is not null)
        {
            await File.WriteAllTextAsync(jsonPath, report.ToJsonString(Indented));
            Console.WriteLine($"wrote {jsonPath}");
        }

        return clean.AllCaptured && faulty.AllCaptured && faulty.OneCapturePerShipment && (notified is null || (notified.AllCaptured && notified.EventsDelivered == 3 * orders)) ? 0 : 1;
    }

    private static async Task<RunResult> RunOnceAsync(int orders, int concurrency, object? faults, bool embedded, string? durableStorage, BenchReceiver? receiver = null)
    {
        var folder = Directory.CreateTempSubdirectory("orderpayments-e2e-");
        using var child = embedded ? null : await ChildSimulator.StartAsync();
        await using var engine = durableStorage is null ? null : new DurableBenchEngine(durableStorage);
        var settings = new Dictionary<string, string?>
        {
            ["Notifications:Enabled"] = receiver is null ? "false" : "true",
            ["Runtime:ActivityRetryBaseDelay"] = "00:00:00.050",
            ["Runtime:ActivityRetryMaxDelay"] = "00:00:01",
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

        if (receiver is not null)
        {
            settings["Notifications:Endpoints:bench:Url"] = receiver.Url.AbsoluteUri;
            settings["Notifications:Endpoints:bench:Secret"] = OrderPayments.Application.Storefront.StandardWebhooks.NewSecret();
        }

        var app = await BenchApi.StartAsync(folder, child, settings, engine);
        using var http = BenchApi.Client(app, concurrency * 2);
        var simulatorBase = child is null ? "simulator/vipps" : child.BaseUrl;
        var client = app.Services.GetRequiredService<IOrderPaymentClient>();
        var subscription = app.Services.GetRequiredService<OrderPayments.Vipps.Webhooks.VippsWebhookSubscription>();
        var ready = Stopwatch.StartNew();
        while (subscription.Verifier is null && ready.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(20);
        }

        if (faults is not null)
        {
            using var set = await http.PostAsJsonAsync($"{simulatorBase}/control/faults", faults);
            set.EnsureSuccessStatusCode();
        }

        var before = (await http.GetFromJsonAsync<JsonObject>($"{simulatorBase}/control/stats"))!;
        var startLatencies = new double[orders];
        var approvalLatencies = new double[orders];

        // Webhook → state visible, as the runtime measures it: from the webhook's signal being recorded (in the request,
        // before it is answered) to the commit of the step that applied it.
        var webhookLatencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == RuntimeMetrics.MeterName && instrument.Name == "orderpayments.runtime.dispatcher_lag")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "input", Value: nameof(ProviderObserved) or nameof(ProviderNotified) })
                {
                    webhookLatencies.Add(value);
                }
            }
        });
        listener.Start();
        var captured = 0;
        var next = -1;
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < orders)
            {
                var id = $"bench-{i:D6}";
                var started = Stopwatch.StartNew();
                using var start = await http.PutAsync($"api/orders/{id}/payment", Json($$"""{"amount":{"currency":"NOK","value":{{1000 + i}}},"description":"Benchmark order","returnUrl":"https://shop.example/return"}"""));
                var document = (await start.Content.ReadFromJsonAsync<JsonObject>())!;
                startLatencies[i] = started.Elapsed.TotalMilliseconds;
                if ((int)start.StatusCode != 201)
                {
                    throw new InvalidOperationException($"Start of {id} answered {(int)start.StatusCode}: {document.ToJsonString()}");
                }

                // The simulated customer approves; the simulator answers at once and delivers the signed webhook.
                var approved = Stopwatch.StartNew();
                using (var approve = await http.PostAsync($"{simulatorBase}/control/payments/{document["reference"]}/approve", null))
                {
                    approve.EnsureSuccessStatusCode();
                }

                var orderId = OrderId.Parse(id);
                if (await client.WaitForAsync(orderId, s => s.State.Status == PaymentStatus.Authorized, TimeSpan.FromSeconds(60), CancellationToken.None) is null)
                {
                    throw new TimeoutException($"{id} was not authorized within 60 s.");
                }

                approvalLatencies[i] = approved.Elapsed.TotalMilliseconds;

                using var ship = await http.PostAsync($"api/orders/{id}/fulfillments", Json("""{"shipmentId":"ship-1"}"""));
                ship.EnsureSuccessStatusCode();
                if (await client.WaitForAsync(orderId, s => s.State.Status == PaymentStatus.Captured, TimeSpan.FromSeconds(60), CancellationToken.None) is not null)
                {
                    Interlocked.Increment(ref captured);
                }
            }
        })));
        var seconds = wall.Elapsed.TotalSeconds;
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
        var captures = after["appliedPerIdempotencyKey"]!.AsObject().Where(p => p.Key.Contains("-capture-", StringComparison.Ordinal)).ToList();
        var webhooks = after["webhooks"]?["webhooks.delivered"]?.GetValue<long>() ?? 0;
        await app.StopAsync();
        await app.DisposeAsync();
        SqliteConnection.ClearAllPools();
        folder.Delete(recursive: true);
        return new RunResult(
            orders / seconds,
            startLatencies,
            [.. webhookLatencies],
            approvalLatencies,
            (double)calls / orders,
            captured == orders,
            captures.Count == orders && captures.All(p => p.Value!.GetValue<int>() == 1),
            after["injected"]!.AsObject(),
            webhooks,
            receiver?.Distinct ?? 0,
            receiver?.Lags ?? []);
    }

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

    private static void Print(string label, RunResult result)
    {
        static string Row(JsonObject p) => string.Create(CultureInfo.InvariantCulture, $"p50 {p["p50"],7} ms   p95 {p["p95"],7} ms   p99 {p["p99"],7} ms");
        Console.WriteLine($"-- {label}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   orders/s end to end        {result.OrdersPerSecond,8:F1}"));
        Console.WriteLine($"   start → redirect URL       {Row(Percentiles(result.StartLatencies))}");
        Console.WriteLine(result.WebhookLatencies.Length == 0
            ? $"   webhook → state visible    (the embedded runtime's measure; see approval → authorized)   ({result.WebhooksDelivered} webhooks delivered)"
            : $"   webhook → state visible    {Row(Percentiles(result.WebhookLatencies))}   ({result.WebhookLatencies.Length} webhooks applied of {result.WebhooksDelivered} delivered)");
        Console.WriteLine($"   approval → authorized      {Row(Percentiles(result.ApprovalLatencies))}   (customer approves → simulator delivers the webhook → committed)");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   provider calls per order   {result.ProviderCallsPerOrder,8:F3}"));
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
        double[] DeliveryLags);
}
