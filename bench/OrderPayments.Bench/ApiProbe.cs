using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using OrderPayments.Domain.Workflow;
using OrderPayments.Runtime;

namespace OrderPayments.Bench;

/// <summary>
/// What the API process reports about itself to the benchmark: CPU time, bytes allocated, collections, working set,
/// and webhook → state visible as the runtime measures it (from the webhook's signal being recorded, in the request
/// before it is answered, to the commit of the step that applied it). One per process that hosts the API.
/// </summary>
internal sealed class ApiProbe : IDisposable
{
    private readonly MeterListener _listener = new();
    private ConcurrentQueue<double> _webhookLatencies = new();
    private long _cycles;
    private long _steps;

    public ApiProbe()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == RuntimeMetrics.MeterName
                && instrument.Name is "orderpayments.runtime.dispatcher_lag" or "orderpayments.runtime.dispatcher_cycles" or "orderpayments.runtime.batch_size")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "input", Value: nameof(ProviderObserved) or nameof(ProviderNotified) })
                {
                    _webhookLatencies.Enqueue(value);
                }
            }
        });
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == "orderpayments.runtime.dispatcher_cycles")
            {
                Interlocked.Add(ref _cycles, value);
            }
            else
            {
                Interlocked.Add(ref _steps, value);
            }
        });
        _listener.Start();
    }

    /// <summary>The process's counters now, with the webhook latencies measured since the last sample (taken out).</summary>
    public JsonObject Sample()
    {
        var process = Process.GetCurrentProcess();
        var latencies = Interlocked.Exchange(ref _webhookLatencies, new ConcurrentQueue<double>());
        return new JsonObject
        {
            ["cpuMs"] = process.TotalProcessorTime.TotalMilliseconds,
            ["allocatedBytes"] = GC.GetTotalAllocatedBytes(precise: false),
            ["gen0"] = GC.CollectionCount(0),
            ["gen1"] = GC.CollectionCount(1),
            ["gen2"] = GC.CollectionCount(2),
            ["jitMs"] = System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds,
            ["jitMethods"] = System.Runtime.JitInfo.GetCompiledMethodCount(),
            ["dispatcherCycles"] = Interlocked.Read(ref _cycles),
            ["stepsCommitted"] = Interlocked.Read(ref _steps),
            ["workingSetBytes"] = process.WorkingSet64,
            ["peakWorkingSetBytes"] = process.PeakWorkingSet64,
            ["webhookLatenciesMs"] = new JsonArray([.. latencies.Select(l => (JsonNode)l)]),
        };
    }

    public void Dispose() => _listener.Dispose();
}
