using System.Globalization;
using OrderPayments.Bench;

// dotnet run -c Release --project bench/OrderPayments.Bench -- --orders 2000 [--concurrency 64] [--json PATH] [--embedded-simulator] [--durable-storage CONNECTION] [--notify] [--latency MS] [--activity-slots N]
// dotnet run -c Release --project bench/OrderPayments.Bench -- storefronts N [--orders N] [--latency MS] [--long-poll] [--json PATH]
// dotnet run -c Release --project bench/OrderPayments.Bench -- waiting 100000
// dotnet run -c Release --project bench/OrderPayments.Bench -- durable-requests [orders] [concurrency] [--poll MS] [--in-memory] [--json PATH]
// dotnet run -c Release --project bench/OrderPayments.Bench -- durable-crash [orders] [kills] [fault %]
// dotnet run -c Release --project bench/OrderPayments.Bench -- dispatcher [orders]
// dotnet run -c Release --project bench/OrderPayments.Bench -- callbacks [count]
// dotnet run -c Release --project bench/OrderPayments.Bench -- reads [count]
// dotnet run -c Release --project bench/OrderPayments.Bench -- allocations TRACE.nettrace [frames]
return args switch
{
    ["api-host", .. var rest] => await ApiUnderTest.HostAsync(rest),
    ["reads", var count] => await StatusReadBenchmark.RunAsync(Number(count), 64),
    ["reads"] => await StatusReadBenchmark.RunAsync(100_000, 64),
    ["allocations", var trace, var frames] => AllocationReport.Run(trace, Number(frames)),
    ["allocations", var trace] => AllocationReport.Run(trace, 8),
    ["callbacks", var count] => await CallbackBenchmark.RunAsync(Number(count), 16),
    ["callbacks"] => await CallbackBenchmark.RunAsync(10_000, 16),
    ["dispatcher", var count] => await DispatcherBenchmark.RunAsync(Number(count)),
    ["dispatcher"] => await DispatcherBenchmark.RunAsync(5000),
    ["durable-requests", .. var rest] when DurableRequestsOptions(rest) is { } d => await DurableRequestsBenchmark.RunAsync(d.Orders, d.Concurrency, d.PollMs, d.Json, d.InMemory),
    ["durable-crash", var count, var kills, var faults] => await DurableCrashBenchmark.RunAsync(Number(count), Number(kills), Number(faults)),
    ["durable-crash", var count, var kills] => await DurableCrashBenchmark.RunAsync(Number(count), Number(kills), 5),
    ["durable-crash", var count] => await DurableCrashBenchmark.RunAsync(Number(count), 20, 5),
    ["durable-crash"] => await DurableCrashBenchmark.RunAsync(1000, 20, 5),
    ["waiting", var count] => await WaitingBenchmark.RunAsync(Number(count), 64),
    ["storefronts", var count, .. var rest] when Fleet(rest) is { } f => await EndToEndBenchmark.RunStorefrontsAsync(Number(count), f.Orders, f.Latency, f.LongPoll, f.Json),
    _ when Options(args) is { } o => await EndToEndBenchmark.RunAsync(o.Orders, o.Concurrency, o.Json, o.Embedded, o.DurableStorage, o.Notify, o.Latency, o.Slots),
    _ => Usage(),
};

static int Number(string text) => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);

static (int Orders, int Concurrency, string? Json, bool Embedded, string? DurableStorage, bool Notify, int? Latency, int? Slots)? Options(string[] args)
{
    var (orders, concurrency, json, embedded, durable, notify) = (2000, 64, (string?)null, false, (string?)null, false);
    var (latency, slots) = ((int?)null, (int?)null);
    for (var i = 0; i < args.Length; i++)
    {
        switch (args[i])
        {
            case "--orders" when i + 1 < args.Length: orders = Number(args[++i]); break;
            case "--concurrency" when i + 1 < args.Length: concurrency = Number(args[++i]); break;
            case "--json" when i + 1 < args.Length: json = args[++i]; break;
            case "--embedded-simulator": embedded = true; break;
            case "--durable-storage" when i + 1 < args.Length: durable = args[++i]; break;
            case "--notify": notify = true; break;
            case "--latency" when i + 1 < args.Length: latency = Number(args[++i]); break;
            case "--activity-slots" when i + 1 < args.Length: slots = Number(args[++i]); break;
            default: return null;
        }
    }

    return (orders, concurrency, json, embedded, durable, notify, latency, slots);
}

static (int Orders, int Concurrency, int PollMs, string? Json, bool InMemory)? DurableRequestsOptions(string[] args)
{
    var (orders, concurrency, poll, json, positional, inMemory) = (200, 32, 500, (string?)null, 0, false);
    for (var i = 0; i < args.Length; i++)
    {
        switch (args[i])
        {
            case "--poll" when i + 1 < args.Length: poll = Number(args[++i]); break;
            case "--in-memory": inMemory = true; break;
            case "--json" when i + 1 < args.Length: json = args[++i]; break;
            case var n when positional == 0 && n.All(char.IsAsciiDigit): orders = Number(n); positional++; break;
            case var n when positional == 1 && n.All(char.IsAsciiDigit): concurrency = Number(n); positional++; break;
            default: return null;
        }
    }

    return (orders, concurrency, poll, json, inMemory);
}

static (int Orders, int? Latency, bool LongPoll, string? Json)? Fleet(string[] args)
{
    var (orders, latency, longPoll, json) = (2000, (int?)null, false, (string?)null);
    for (var i = 0; i < args.Length; i++)
    {
        switch (args[i])
        {
            case "--orders" when i + 1 < args.Length: orders = Number(args[++i]); break;
            case "--latency" when i + 1 < args.Length: latency = Number(args[++i]); break;
            case "--long-poll": longPoll = true; break;
            case "--json" when i + 1 < args.Length: json = args[++i]; break;
            default: return null;
        }
    }

    return (orders, latency, longPoll, json);
}

static int Usage()
{
    Console.Error.WriteLine("usage: OrderPayments.Bench [--orders N] [--concurrency C] [--json PATH] [--embedded-simulator] [--durable-storage CONNECTION] [--notify] [--latency MS [--activity-slots N]] | storefronts N [--orders N] [--latency MS] [--long-poll] [--json PATH] | durable-requests [orders] [concurrency] [--poll MS] [--in-memory] [--json PATH] | durable-crash [orders] [kills] [fault %] | waiting N | dispatcher [orders] | callbacks [count] | reads [count] | allocations TRACE.nettrace [frames]");
    return 2;
}
