using System.Collections.Concurrent;
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
/// adds a step's state after its transaction commits, a start after its commit, a read session what it read. Bounded:
/// two generations of at most <c>capacity / 2</c> entries each; when the newer fills up the older is dropped, so
/// memory stays flat with any number of orders (a waiting order's state simply leaves).
/// </remarks>
internal sealed class StateCache(int capacity)
{
    private readonly int _generationSize = Math.Max(capacity / 2, 1);
    private readonly Lock _swap = new();
    private ConcurrentDictionary<string, Entry> _current = new(StringComparer.Ordinal);
    private ConcurrentDictionary<string, Entry> _previous = new(StringComparer.Ordinal);

    /// <summary>How many orders are cached now (both generations; an order may be counted in each).</summary>
    public int Count => _current.Count + _previous.Count;

    /// <summary>The latest cached version of the order and its state, or null.</summary>
    public Entry? Find(string id)
    {
        if (_current.TryGetValue(id, out var entry))
        {
            return entry;
        }

        if (_previous.TryGetValue(id, out entry))
        {
            // Used again: keep it in the newer generation.
            Put(id, entry);
            return entry;
        }

        return null;
    }

    /// <summary>Remembers <paramref name="state"/> as the order's committed <paramref name="version"/> (an older one never replaces a newer).</summary>
    public void Put(string id, long version, OrderPaymentState state) => Put(id, new Entry(version, state));

    private void Put(string id, Entry entry)
    {
        if (capacity == 0)
        {
            return;
        }

        var current = _current;
        current.AddOrUpdate(id, entry, (_, existing) => existing.Version >= entry.Version ? existing : entry);
        if (current.Count >= _generationSize)
        {
            lock (_swap)
            {
                if (ReferenceEquals(current, _current) && current.Count >= _generationSize)
                {
                    _previous = current;
                    _current = new ConcurrentDictionary<string, Entry>(StringComparer.Ordinal);
                }
            }
        }
    }

    /// <summary>A committed state and its version.</summary>
    public sealed record Entry(long Version, OrderPaymentState State);
}
