using System.Diagnostics.Metrics;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Runtime;

/// <summary>The runtime's metrics (meter <c>OrderPayments.Runtime</c>).</summary>
public sealed class RuntimeMetrics : IDisposable
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "OrderPayments.Runtime";

    private readonly Meter _meter;
    private volatile IReadOnlyDictionary<PaymentStatus, long> _byStatus = new Dictionary<PaymentStatus, long>();

    /// <summary>Creates the instruments.</summary>
    public RuntimeMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        Steps = _meter.CreateCounter<long>("orderpayments.runtime.steps", description: "Workflow steps committed, by outcome");
        SignalsApplied = _meter.CreateCounter<long>("orderpayments.runtime.signals_applied", description: "Recorded signals applied");
        ActivityRetries = _meter.CreateCounter<long>("orderpayments.runtime.activity_retries", description: "Activity attempts that failed transiently");
        ActivityDuration = _meter.CreateHistogram<double>("orderpayments.runtime.activity_duration", "ms", "Duration of one provider call");
        DispatcherLag = _meter.CreateHistogram<double>("orderpayments.runtime.dispatcher_lag", "ms", "Time from a signal being recorded to the step that applied it being committed (visible)");
        BatchSize = _meter.CreateHistogram<long>("orderpayments.runtime.batch_size", description: "Steps committed per transaction");
        Cycles = _meter.CreateCounter<long>("orderpayments.runtime.dispatcher_cycles", description: "Dispatcher transactions, busy or idle (an idle dispatcher should make few)");
        StepFaults = _meter.CreateCounter<long>("orderpayments.runtime.step_faults", description: "Order steps that threw and were rolled back (the order is retried with back-off)");
        _meter.CreateObservableGauge("orderpayments.runtime.instances", ObserveInstances, description: "Orders by status");
    }

    /// <summary>The meter (to tell this runtime's measurements from another's in the same process).</summary>
    public Meter Meter => _meter;

    internal Counter<long> Steps { get; }

    internal Counter<long> SignalsApplied { get; }

    internal Counter<long> ActivityRetries { get; }

    internal Histogram<double> ActivityDuration { get; }

    internal Histogram<double> DispatcherLag { get; }

    internal Histogram<long> BatchSize { get; }

    internal Counter<long> Cycles { get; }

    internal Counter<long> StepFaults { get; }

    internal void SetInstancesByStatus(IReadOnlyDictionary<PaymentStatus, long> counts) => _byStatus = counts;

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<long>> ObserveInstances() =>
        _byStatus.Select(pair => new Measurement<long>(pair.Value, new KeyValuePair<string, object?>("status", pair.Key.ToString())));
}
