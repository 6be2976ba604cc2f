using OrderPayments.Runtime.Dispatching;

namespace OrderPayments.Runtime.Tests.Dispatching;

/// <summary>The dispatcher's wake-up: set many times, it wakes one wait; a set after that wake wakes the next wait.</summary>
public sealed class WorkSignalTests
{
    private static readonly TimeSpan Long = TimeSpan.FromHours(1);

    [Fact]
    public async Task WaitAsync_SetManyTimesBefore_ReturnsOnceThenWaits()
    {
        using var signal = new WorkSignal();
        var time = new ManualTimeProvider(RuntimeTestHost.Start);
        signal.Set();
        signal.Set();
        signal.Set();

        await signal.WaitAsync(Long, time, Long, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        var second = signal.WaitAsync(Long, time, Long, CancellationToken.None);
        await Eventually.Holds(() => time.PendingTimers > 0, "the second wait is waiting");

        second.IsCompleted.ShouldBeFalse();
        time.Advance(Long);
        await second.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task WaitAsync_SetWhileWaiting_Returns()
    {
        using var signal = new WorkSignal();
        var time = new ManualTimeProvider(RuntimeTestHost.Start);
        await WakeOnceAsync(signal, time);

        // After a wake-up the next set wakes again (the flag was cleared by the woken wait).
        await WakeOnceAsync(signal, time);
    }

    private static async Task WakeOnceAsync(WorkSignal signal, ManualTimeProvider time)
    {
        var wait = signal.WaitAsync(Long, time, Long, CancellationToken.None);
        await Eventually.Holds(() => time.PendingTimers > 0, "the wait is waiting");
        wait.IsCompleted.ShouldBeFalse();

        signal.Set();

        await wait.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
