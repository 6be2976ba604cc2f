using PaymentSimulator.Persistence;

namespace PaymentSimulator;

/// <summary>
/// The simulator's clock: another clock plus an offset that the control API can move forward. The offset is kept in
/// the simulator's store (when it has a file), so that a restarted simulator's payments keep the time they were given.
/// </summary>
public sealed class SimulatorClock : TimeProvider
{
    private const string OffsetCounter = "clock.offsetTicks";

    private readonly Lock _lock = new();
    private readonly TimeProvider _inner;
    private readonly SimulatorStore _store;
    private long _offsetTicks;

    /// <summary>A clock at <paramref name="inner"/>'s time, kept nowhere.</summary>
    public SimulatorClock(TimeProvider inner)
        : this(inner, SimulatorStore.InMemory())
    {
    }

    internal SimulatorClock(TimeProvider inner, SimulatorStore store)
    {
        _inner = inner;
        _store = store;
        _offsetTicks = StoredJson.ReadAll<long>(store, StoreKinds.Counter).FirstOrDefault(c => c.Key == OffsetCounter).Value;
    }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => _inner.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

    /// <summary>Moves the simulator's time forward (never back).</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        lock (_lock)
        {
            var offset = Interlocked.Add(ref _offsetTicks, by.Ticks);
            _store.Write([new StoreRow(StoreKinds.Counter, OffsetCounter, StoredJson.Write(offset))]);
        }
    }
}
