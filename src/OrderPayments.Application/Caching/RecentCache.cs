using System.Collections.Concurrent;

namespace OrderPayments.Application.Caching;

/// <summary>
/// The values used lately, by key, in bounded memory: two generations of at most half the capacity each; when the
/// newer fills up, the older is dropped and the newer becomes the older. A value found in the older generation moves
/// back to the newer, so what is used stays and what is not leaves, whatever the number of keys. Thread-safe; reads
/// take no lock.
/// </summary>
/// <typeparam name="TValue">What is kept (immutable: it is shared by every reader).</typeparam>
/// <param name="capacity">The most values kept (0 keeps none).</param>
public sealed class RecentCache<TValue>(int capacity)
    where TValue : class
{
    private readonly int _generationSize = Math.Max(capacity / 2, 1);
    private readonly Lock _swap = new();
    private ConcurrentDictionary<string, TValue> _current = new(StringComparer.Ordinal);
    private ConcurrentDictionary<string, TValue> _previous = new(StringComparer.Ordinal);

    /// <summary>How many values are kept now (a key may be counted in both generations).</summary>
    public int Count => _current.Count + _previous.Count;

    /// <summary>The value kept for <paramref name="key"/>, or null.</summary>
    public TValue? Find(string key)
    {
        if (_current.TryGetValue(key, out var value))
        {
            return value;
        }

        if (_previous.TryGetValue(key, out value))
        {
            // Used again: keep it in the newer generation.
            Put(key, value);
            return value;
        }

        return null;
    }

    /// <summary>Keeps <paramref name="value"/> for <paramref name="key"/>, unless <paramref name="keep"/> says the one kept already wins.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <param name="keep">Given the value kept and the new one, true to keep the former; null to always replace.</param>
    public void Put(string key, TValue value, Func<TValue, TValue, bool>? keep = null)
    {
        if (capacity == 0)
        {
            return;
        }

        var current = _current;
        if (keep is null)
        {
            current[key] = value;
        }
        else
        {
            current.AddOrUpdate(key, value, (_, existing) => keep(existing, value) ? existing : value);
        }

        if (current.Count >= _generationSize)
        {
            lock (_swap)
            {
                if (ReferenceEquals(current, _current) && current.Count >= _generationSize)
                {
                    _previous = current;
                    _current = new ConcurrentDictionary<string, TValue>(StringComparer.Ordinal);
                }
            }
        }
    }
}
