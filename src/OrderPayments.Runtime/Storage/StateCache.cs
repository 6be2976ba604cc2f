using OrderPayments.Application.Caching;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Runtime.Storage;

/// <summary>
/// The committed states this process has read or written lately, by order and version, so that a status read or a
/// step whose order has not changed since does not parse the state's JSON again (the largest share of a read's CPU).
/// </summary>
/// <remarks>
/// Correct without any invalidation: an order's version goes up with every committed step and a committed version's
/// state is never rewritten, so a cached state is used only when the file still holds that version (the read asks
/// for the version and leaves the state column unread when it matches). Only committed states enter: the dispatcher
/// adds a step's state after its transaction commits, a start after its commit, a read session what it read. Bounded
/// (<see cref="RecentCache{TValue}"/>): memory stays flat with any number of orders (a waiting order's state simply leaves).
/// </remarks>
internal sealed class StateCache(int capacity)
{
    private readonly RecentCache<Entry> _entries = new(capacity);

    /// <summary>How many orders are cached now.</summary>
    public int Count => _entries.Count;

    /// <summary>The latest cached version of the order and its state, or null.</summary>
    public Entry? Find(string id) => _entries.Find(id);

    /// <summary>Remembers <paramref name="state"/> as the order's committed <paramref name="version"/> (an older one never replaces a newer).</summary>
    public void Put(string id, long version, OrderPaymentState state) =>
        _entries.Put(id, new Entry(version, state), static (kept, offered) => kept.Version >= offered.Version);

    /// <summary>A committed state and its version.</summary>
    public sealed record Entry(long Version, OrderPaymentState State);
}
