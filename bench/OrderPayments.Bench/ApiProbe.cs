using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using OrderPayments.Domain.Workflow;
using OrderPayments.Runtime;

namespace OrderPayments.Bench;

/// <summary>
/// What the API process reports about itself to the benchmark: CPU time, bytes allocated, collections, working set,
/// the create-payment calls' durations (the provider's share of start → redirect), and webhook → state visible as the
/// runtime measures it (from the webhook's signal being recorded, in the request
/// before it is answered, to the commit of the step that applied it). One per process that hosts the API.
/// Also what <c>dotnet-counters</c> shows of the runtime (<c>System.Runtime</c>: thread-pool threads, its queue length,
/// monitor lock contention), read in-process: a thread of its own (not the pool's, so a starved pool does not skip
/// samples) reads the thread count and queue length every 50 ms; a sample reports their mean and maximum since the
/// previous one.
/// </summary>
internal sealed class ApiProbe : IDisposable
{
    private static readonly TimeSpan PoolSampleInterval = TimeSpan.FromMilliseconds(50);

    private readonly MeterListener _listener = new();
    private readonly Lock _poolLock = new();
    private readonly Thread _poolSampler;
    private readonly ManualResetEventSlim _stopped = new();
    private PoolFigures _pool = new();
    private ConcurrentQueue<double> _webhookLatencies = new();
    private ConcurrentQueue<double> _createCalls = new();
    private ConcurrentQueue<double> _starts = new();
    private long _cycles;
    private long _steps;

    public ApiProbe()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument is { Meter.Name: "Microsoft.AspNetCore.Hosting", Name: "http.server.request.duration" })
            {
                listener.EnableMeasurementEvents(instrument);
            }

            if (instrument.Meter.Name == RuntimeMetrics.MeterName
                && instrument.Name is "orderpayments.runtime.dispatcher_lag" or "orderpayments.runtime.dispatcher_cycles" or "orderpayments.runtime.batch_size" or "orderpayments.runtime.activity_duration")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "http.server.request.duration")
            {
                // The starts as the API served them (seconds): start → redirect without the load generator's own delays.
                string? method = null, route = null;
                foreach (var tag in tags)
                {
                    method = tag.Key == "http.request.method" ? tag.Value as string : method;
                    route = tag.Key == "http.route" ? tag.Value as string : route;
                }

                if (method == "PUT" && route == "/api/orders/{orderId}/payment")
                {
                    _starts.Enqueue(value * 1000);
                }

                return;
            }

            if (instrument.Name == "orderpayments.runtime.activity_duration")
            {
                // The create-payment calls (start → redirect waits for one): how long the provider call itself took.
                foreach (var tag in tags)
                {
                    if (tag is { Key: "kind", Value: "Create" })
                    {
                        _createCalls.Enqueue(value);
                    }
                }

                return;
            }

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
        _poolSampler = new Thread(SamplePool) { IsBackground = true, Name = "bench-pool-sampler" };
        _poolSampler.Start();
    }

    private void SamplePool()
    {
        do
        {
            var threads = ThreadPool.ThreadCount;
            var queued = ThreadPool.PendingWorkItemCount;
            lock (_poolLock)
            {
                _pool.Add(threads, queued);
            }

        }
        while (!_stopped.Wait(PoolSampleInterval));
    }

    /// <summary>The process's counters now, with the webhook latencies measured since the last sample (taken out).</summary>
    public JsonObject Sample()
    {
        var process = Process.GetCurrentProcess();
        var latencies = Interlocked.Exchange(ref _webhookLatencies, new ConcurrentQueue<double>());
        var creates = Interlocked.Exchange(ref _createCalls, new ConcurrentQueue<double>());
        var starts = Interlocked.Exchange(ref _starts, new ConcurrentQueue<double>());
        PoolFigures pool;
        lock (_poolLock)
        {
            pool = _pool;
            _pool = new PoolFigures();
        }

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
            ["createCallsMs"] = new JsonArray([.. creates.Select(l => (JsonNode)l)]),
            ["startsServedMs"] = new JsonArray([.. starts.Select(l => (JsonNode)l)]),
            ["lockContentions"] = Monitor.LockContentionCount,
            ["threadPoolCompleted"] = ThreadPool.CompletedWorkItemCount,
            ["threadPoolThreadsMean"] = pool.Samples == 0 ? 0 : Math.Round((double)pool.ThreadSum / pool.Samples, 1),
            ["threadPoolThreadsMax"] = pool.ThreadMax,
            ["threadPoolQueueMean"] = pool.Samples == 0 ? 0 : Math.Round((double)pool.QueueSum / pool.Samples, 1),
            ["threadPoolQueueMax"] = pool.QueueMax,
        };
    }

    public void Dispose()
    {
        _stopped.Set();
        _poolSampler.Join();
        _stopped.Dispose();
        _listener.Dispose();
    }

    /// <summary>The thread pool's size and queue length sampled since the last <see cref="Sample"/>.</summary>
    private sealed class PoolFigures
    {
        public long Samples { get; private set; }

        public long ThreadSum { get; private set; }

        public int ThreadMax { get; private set; }

        public long QueueSum { get; private set; }

        public long QueueMax { get; private set; }

        public void Add(int threads, long queued)
        {
            Samples++;
            ThreadSum += threads;
            ThreadMax = Math.Max(ThreadMax, threads);
            QueueSum += queued;
            QueueMax = Math.Max(QueueMax, queued);
        }
    }
}
