using Microsoft.Extensions.Time.Testing;

namespace OrderPayments.Tests.Shared;

/// <summary>
/// The tests' clock: the platform's <see cref="FakeTimeProvider"/> (moves only when told; timers and delays fire when
/// it passes their due time), plus the one thing it lacks that a test needs: how many timers are armed, so a test can
/// tell that the code under test is now waiting (e.g. a poll back-off) before it moves the clock.
/// </summary>
internal sealed class ManualTimeProvider : FakeTimeProvider
{
    private int _armed;

    public ManualTimeProvider(DateTimeOffset start)
        : base(start)
    {
    }

    /// <summary>Timers armed and not yet due (a delay being waited on, for instance).</summary>
    public int PendingTimers => Volatile.Read(ref _armed);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var counted = new CountedTimer(this);
        counted.Inner = base.CreateTimer(
            s =>
            {
                counted.Fired();
                callback(s);
            },
            state,
            Timeout.InfiniteTimeSpan,
            Timeout.InfiniteTimeSpan);
        counted.Change(dueTime, period);
        return counted;
    }

    /// <summary>Counts whether its timer is armed: armed by a finite due time, disarmed when a one-shot fires, when changed to never, or disposed.</summary>
    private sealed class CountedTimer(ManualTimeProvider clock) : ITimer
    {
        private readonly Lock _lock = new();
        private bool _armed;
        private bool _periodic;

        public ITimer Inner { get; set; } = null!;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (_lock)
            {
                _periodic = period != Timeout.InfiniteTimeSpan && period > TimeSpan.Zero;
                Set(dueTime != Timeout.InfiniteTimeSpan);
            }

            return Inner.Change(dueTime, period);
        }

        public void Fired()
        {
            lock (_lock)
            {
                if (!_periodic)
                {
                    Set(false);
                }
            }
        }

        public void Dispose()
        {
            lock (_lock)
            {
                Set(false);
            }

            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }

        private void Set(bool armed)
        {
            if (armed != _armed)
            {
                _armed = armed;
                Interlocked.Add(ref clock._armed, armed ? 1 : -1);
            }
        }
    }
}
