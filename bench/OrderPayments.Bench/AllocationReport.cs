using System.Globalization;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace OrderPayments.Bench;

/// <summary>
/// Where a process's allocations come from: the allocation ticks (one about every 100 KB allocated, with its type and
/// stack) of a trace taken with <c>dotnet-trace collect --profile gc-verbose</c>, summed by type, by the innermost
/// OrderPayments frame and by stack. What the fourth round of issue 16 was found with (bench/README.md).
/// </summary>
internal static class AllocationReport
{
    public static int Run(string tracePath, int depth)
    {
        using var log = new TraceLog(TraceLog.CreateFromEventPipeDataFile(tracePath));
        var byType = new Dictionary<string, long>();
        var byFrame = new Dictionary<string, long>();
        var byStack = new Dictionary<string, long>();
        long total = 0;
        foreach (var traced in log.Events)
        {
            if (traced is not GCAllocationTickTraceData tick)
            {
                continue;
            }

            var bytes = tick.AllocationAmount64;
            total += bytes;
            var frames = new List<string>();
            for (var frame = tick.CallStack(); frame is not null && frames.Count < 40; frame = frame.Caller)
            {
                frames.Add(frame.CodeAddress.FullMethodName);
            }

            Add(byType, tick.TypeName, bytes);
            Add(byFrame, frames.FirstOrDefault(f => f.Contains("OrderPayments", StringComparison.Ordinal)) ?? "(no OrderPayments frame)", bytes);
            Add(byStack, string.Join(" <- ", [tick.TypeName, .. frames.Where(f => f.Length > 0).Take(depth)]), bytes);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"allocation ticks in {Path.GetFileName(tracePath)}: {total / 1e6:F1} MB sampled"));
        Print("by type", byType, total, 30);
        Print("by innermost OrderPayments frame", byFrame, total, 40);
        Print($"by stack ({depth} frames)", byStack, total, 40);
        return 0;
    }

    private static void Add(Dictionary<string, long> sums, string key, long bytes) => sums[key] = sums.GetValueOrDefault(key) + bytes;

    private static void Print(string title, Dictionary<string, long> sums, long total, int count)
    {
        Console.WriteLine($"\n-- {title}");
        foreach (var (key, bytes) in sums.OrderByDescending(s => s.Value).Take(count))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{100.0 * bytes / total,6:F1}%  {(key.Length > 400 ? key[..400] : key)}"));
        }
    }
}
