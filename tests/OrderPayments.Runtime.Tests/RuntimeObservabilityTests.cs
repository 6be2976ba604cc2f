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
        var measured = new Dictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == RuntimeMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => Add(measured, instrument.Name, value));
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => Add(measured, instrument.Name, 1));
        listener.Start();
        await using var host = await new RuntimeTestHost().StartAsync();

        await host.Client.StartAsync(RuntimeTestHost.Request(), CancellationToken.None);
        await host.WaitForStatus("order-1", PaymentStatus.AwaitingCustomer);
        await Eventually.Holds(() => Task.FromResult(Read(measured, "orderpayments.runtime.steps") >= 1), "a step counted");

        Read(measured, "orderpayments.runtime.signals_applied").ShouldBeGreaterThanOrEqualTo(1);
        Read(measured, "orderpayments.runtime.activity_duration").ShouldBeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task Dispatcher_WhileACallIsInFlight_WaitsInsteadOfSpinning()
    {
        var cycles = 0L;
        using var listener = new MeterListener();
        RuntimeMetrics? mine = null;
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "orderpayments.runtime.dispatcher_cycles")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (ReferenceEquals(instrument.Meter, mine?.Meter))
            {
                Interlocked.Add(ref cycles, value);
            }
        });
        listener.Start();
        var gate = new TaskCompletionSource();
        var provider = new FakePaymentProvider { AutoAuthorize = true, CaptureGate = gate.Task };
        // The wall clock: on a manual clock a spin's 1 ms waits would never elapse, and the spin would not show.
        await using var host = await new RuntimeTestHost(provider, systemClock: true).StartAsync();
        mine = host.Get<RuntimeMetrics>();
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
