using System.Diagnostics.Metrics;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Runtime.Tests;

public sealed class RuntimeObservabilityTests
{
    [Fact]
    public async Task WaitFor_ConditionNeverHolds_ReturnsNullAfterTheTimeout()
    {
        await using var host = new RuntimeTestHost(dispatcher: false);
        await host.Client.StartAsync(RuntimeTestHost.Request(), CancellationToken.None);

        var snapshot = await host.Client.WaitForAsync(OrderId.Parse("order-1"), s => s.State.Status == PaymentStatus.Captured, TimeSpan.FromMilliseconds(200), CancellationToken.None);

        snapshot.ShouldBeNull();
    }

    [Fact]
    public async Task Dispatcher_SteppingOrders_ReportsStepsAndActivityDurations()
    {
        // Test classes run in parallel, each host with its own meter of the same name: listen to this host's only.
        await using var host = new RuntimeTestHost();
        var meter = host.Get<RuntimeMetrics>().Meter;
        var measured = new Dictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(measured, Name(instrument, tags), value));
        listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) => Add(measured, Name(instrument, tags), 1));
        listener.Start();
        await host.StartAsync();

        // Each order: its start, then one step that applies the create call's result (no clock moves, so no wake-up).
        await host.Client.StartAsync(RuntimeTestHost.Request("order-1"), CancellationToken.None);
        await host.Client.StartAsync(RuntimeTestHost.Request("order-2"), CancellationToken.None);
        await host.WaitForStatus("order-1", PaymentStatus.AwaitingCustomer);
        await host.WaitForStatus("order-2", PaymentStatus.AwaitingCustomer);
        string[] expected =
        [
            "orderpayments.runtime.steps{outcome=Applied}",
            "orderpayments.runtime.signals_applied",
            "orderpayments.runtime.activity_duration{kind=Create,outcome=succeeded}",
            "orderpayments.runtime.dispatcher_lag{input=ActivitySucceeded}",
        ];
        // Measurements are recorded just after the commit that waiters may see first.
        await Eventually.Holds(() => expected.All(name => Read(measured, name) >= 2), "every measurement of both orders");

        expected.ShouldAllBe(name => Read(measured, name) == 2);
        Read(measured, "orderpayments.runtime.step_faults").ShouldBe(0);
    }

    [Fact]
    public async Task Dispatcher_WhileACallIsInFlight_WaitsInsteadOfSpinning()
    {
        var cycles = 0L;
        var gate = new TaskCompletionSource();
        var provider = new FakePaymentProvider { AutoAuthorize = true, CaptureGate = gate.Task };
        // The wall clock: on a manual clock a spin's 1 ms waits would never elapse, and the spin would not show.
        await using var host = new RuntimeTestHost(provider, systemClock: true);
        var meter = host.Get<RuntimeMetrics>().Meter;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, meter) && instrument.Name == "orderpayments.runtime.dispatcher_cycles")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref cycles, value));
        listener.Start();
        await host.StartAsync();
        await host.Client.StartAsync(RuntimeTestHost.Request(), CancellationToken.None);
        var created = await host.WaitForStatus("order-1", PaymentStatus.AwaitingCustomer);
        await host.Client.RaiseAsync(OrderId.Parse("order-1"), new ProviderNotified(created.State.Reference), "hint", CancellationToken.None);
        await host.WaitForStatus("order-1", PaymentStatus.Authorized);
        await host.Client.RaiseAsync(OrderId.Parse("order-1"), new FulfillmentSignalled("s-1"), "s-1", CancellationToken.None);
        await provider.CaptureStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var before = Interlocked.Read(ref cycles);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var during = Interlocked.Read(ref cycles) - before;
        gate.SetResult();
        await host.WaitForStatus("order-1", PaymentStatus.Captured);

        // Idle, it looks for outside work every 50 ms here (at most about 20 cycles a second); a dispatcher that
        // spins while a call is in flight commits a transaction every few milliseconds (80 and more a second here).
        during.ShouldBeLessThan(40);
    }

    [Fact]
    public async Task CountByStatus_CountsOrdersPerStatus()
    {
        await using var host = new RuntimeTestHost(dispatcher: false);
        await host.Client.StartAsync(RuntimeTestHost.Request("a-1"), CancellationToken.None);
        await host.Client.StartAsync(RuntimeTestHost.Request("a-2"), CancellationToken.None);

        var counts = await host.Client.CountByStatusAsync(CancellationToken.None);

        counts.ShouldBe(new Dictionary<PaymentStatus, long> { [PaymentStatus.Creating] = 2 });
    }

    /// <summary>The instrument's name with its tags, e.g. <c>orderpayments.runtime.steps{outcome=Applied}</c>.</summary>
    private static string Name(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return instrument.Name;
        }

        var pairs = new List<string>();
        foreach (var tag in tags)
        {
            pairs.Add($"{tag.Key}={tag.Value}");
        }

        pairs.Sort(StringComparer.Ordinal);
        return $"{instrument.Name}{{{string.Join(',', pairs)}}}";
    }

    private static void Add(Dictionary<string, double> measured, string name, double value)
    {
        lock (measured)
        {
            measured[name] = measured.GetValueOrDefault(name) + value;
        }
    }

    private static double Read(Dictionary<string, double> measured, string name)
    {
        lock (measured)
        {
            return measured.GetValueOrDefault(name);
        }
    }
}
