using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace OrderPayments.Http;

/// <summary>
/// Counts a provider client's calls per (payment reference, kind) and says when a call may not be sent yet: because the
/// reference has used its calls of that kind in the last minute, or because the provider answered <c>429</c> with a
/// <c>Retry-After</c> that has not passed. One instance per client pipeline, shared by every call through it.
/// </summary>
/// <remarks>
/// <para>
/// The window is sliding and errs on the safe side: each (reference, kind) keeps counts in 10-second buckets, and a call
/// counts against the limit while any part of its bucket is less than a minute old. So no minute ever holds more than
/// the limit (a call may be refused up to 10 s before an exact count would allow it), whether the provider counts in
/// fixed or sliding minutes.
/// </para>
/// <para>
/// Cost per call: one dictionary read (lock-free for a known reference) and a lock on that reference's own entry, which
/// only the calls for the same payment contend for; nothing is allocated but the entry of a reference seen for the first
/// time. A kind without a limit creates no entry at all unless the provider paused it. Memory: an entry is dropped once
/// its reference has been idle for longer than the window and is not paused; a sweep of the map runs on the thread pool
/// at most once a minute, started by a call. So the map holds the references active in the last minute or two, not every
/// order seen.
/// </para>
/// <para>
/// Counts live in this process. Several processes calling for one reference (the Functions app scaled out) each count
/// their own calls; the provider's <c>429</c> and the pause it starts remain the backstop.
/// </para>
/// </remarks>
internal sealed class ProviderRateLimiter
{
    /// <summary>The window the limits are per.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>Buckets per window (10 s each for a minute).</summary>
    private const int BucketsPerWindow = 6;

    /// <summary>Buckets kept: those of the last window and the one the window's start falls in.</summary>
    private const int Slots = BucketsPerWindow + 1;

    private static readonly long BucketTicks = Window.Ticks / BucketsPerWindow;

    /// <summary>An entry is dropped when idle this long: its counts have all expired.</summary>
    private static readonly long IdleTicks = BucketTicks * Slots;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly int _queryLimit;
    private readonly int _mutationLimit;
    private long _nextSweep;

    /// <summary>Creates the limiter with the limits of <paramref name="options"/> on <paramref name="time"/>'s clock.</summary>
    public ProviderRateLimiter(ProviderRateLimitOptions options, TimeProvider time)
    {
        _time = time;
        _origin = time.GetTimestamp();
        _queryLimit = options.QueriesPerMinute;
        _mutationLimit = options.MutationsPerMinute;
        _nextSweep = IdleTicks;
    }

    /// <summary>References tracked now (a diagnostic; it takes every lock of the map, so not for a hot path).</summary>
    public int TrackedReferences => _entries.Count;

    /// <summary>
    /// Takes a call of <paramref name="kind"/> for <paramref name="reference"/> if it may be sent now, and counts it.
    /// Otherwise counts nothing and says how long to wait: until the provider's pause ends, or until enough of the
    /// reference's calls have left the window.
    /// </summary>
    /// <param name="reference">The payment reference the provider counts the call against.</param>
    /// <param name="kind">Query or mutation.</param>
    /// <param name="wait">When refused: the time until the call would be taken; otherwise zero.</param>
    /// <param name="paused">When refused: whether because of the provider's pause rather than the limit.</param>
    /// <returns>Whether the call may be sent (and was counted).</returns>
    public bool TryAcquire(string reference, ProviderCallKind kind, out TimeSpan wait, out bool paused)
    {
        var now = Now();
        MaybeSweep(now);
        var limit = kind == ProviderCallKind.Query ? _queryLimit : _mutationLimit;
        wait = TimeSpan.Zero;
        paused = false;
        if (limit == 0)
        {
            // Nothing to count: only a pause the provider asked for can hold the call.
            if (!_entries.TryGetValue(reference, out var known))
            {
                return true;
            }

            lock (known)
            {
                ref var track = ref known.Of(kind);
                if (track.PausedUntil > now)
                {
                    wait = TimeSpan.FromTicks(track.PausedUntil - now);
                    paused = true;
                    return false;
                }

                return true;
            }
        }

        while (true)
        {
            var entry = _entries.GetOrAdd(reference, static _ => new Entry());
            lock (entry)
            {
                if (entry.Removed)
                {
                    continue;
                }

                entry.LastUsed = now;
                ref var track = ref entry.Of(kind);
                if (track.PausedUntil > now)
                {
                    wait = TimeSpan.FromTicks(track.PausedUntil - now);
                    paused = true;
                    return false;
                }

                var bucket = now / BucketTicks;
                track.Advance(bucket);
                var used = track.Sum();
                if (used < limit)
                {
                    track.Counts[Slot(bucket)]++;
                    return true;
                }

                wait = TimeSpan.FromTicks(track.FreeAt(used, limit) - now);
                return false;
            }
        }
    }

    /// <summary>
    /// Holds calls of <paramref name="kind"/> for <paramref name="reference"/> for <paramref name="wait"/> from now (the
    /// provider's <c>Retry-After</c>); a longer pause already set is kept.
    /// </summary>
    public void Pause(string reference, ProviderCallKind kind, TimeSpan wait)
    {
        var now = Now();
        MaybeSweep(now);
        var until = now + wait.Ticks;
        while (true)
        {
            var entry = _entries.GetOrAdd(reference, static _ => new Entry());
            lock (entry)
            {
                if (entry.Removed)
                {
                    continue;
                }

                entry.LastUsed = now;
                ref var track = ref entry.Of(kind);
                track.PausedUntil = Math.Max(track.PausedUntil, until);
                return;
            }
        }
    }

    /// <summary>
    /// Takes back one call of <paramref name="kind"/> counted for <paramref name="reference"/> (from the newest bucket
    /// that has one): the provider refused it with a <c>429</c>, so its own <c>Retry-After</c> governs the reference from
    /// here (<see cref="Pause"/>), and a burst of such refusals does not use up the reference's calls of the minute.
    /// </summary>
    public void Refund(string reference, ProviderCallKind kind)
    {
        if (!_entries.TryGetValue(reference, out var entry))
        {
            return;
        }

        lock (entry)
        {
            ref var track = ref entry.Of(kind);
            for (var b = track.Head; b > track.Head - Slots && b >= 0; b--)
            {
                if (track.Counts[Slot(b)] > 0)
                {
                    track.Counts[Slot(b)]--;
                    return;
                }
            }
        }
    }

    /// <summary>Drops every entry that is idle and not paused.</summary>
    internal void Sweep()
    {
        var now = Now();
        foreach (var (reference, entry) in _entries)
        {
            lock (entry)
            {
                if (now - entry.LastUsed < IdleTicks || entry.Query.PausedUntil > now || entry.Mutation.PausedUntil > now)
                {
                    continue;
                }

                // Marked first, under its lock: a caller holding this entry from before the removal takes a new one.
                entry.Removed = true;
                _entries.TryRemove(new KeyValuePair<string, Entry>(reference, entry));
            }
        }
    }

    private static int Slot(long bucket) => (int)(bucket % Slots);

    /// <summary>Ticks since this limiter was made, on the injected clock's monotonic timestamp.</summary>
    private long Now() => _time.GetElapsedTime(_origin).Ticks;

    private void MaybeSweep(long now)
    {
        var due = Volatile.Read(ref _nextSweep);
        if (now < due || Interlocked.CompareExchange(ref _nextSweep, now + Window.Ticks, due) != due)
        {
            return;
        }

        ThreadPool.UnsafeQueueUserWorkItem(static limiter => limiter.Sweep(), this, preferLocal: false);
    }

    /// <summary>One reference's counts and pauses. Locked on itself (private, never exposed): no lock object per entry.</summary>
    private sealed class Entry
    {
        public Track Query;
        public Track Mutation;

        /// <summary>When a call last came (ticks since the limiter's origin).</summary>
        public long LastUsed;

        /// <summary>Taken out of the map; a caller that still holds it looks it up again.</summary>
        public bool Removed;

        public ref Track Of(ProviderCallKind kind) => ref kind == ProviderCallKind.Query ? ref Query : ref Mutation;
    }

    /// <summary>One kind's bucket counts and pause for a reference.</summary>
    private struct Track
    {
        /// <summary>Calls per bucket; slot <c>b % Slots</c> holds bucket <c>b</c> for the buckets <c>Head - 6 … Head</c>.</summary>
        public BucketCounts Counts;

        /// <summary>The newest bucket counted.</summary>
        public long Head;

        /// <summary>No call before this (ticks since the limiter's origin); 0 when never paused.</summary>
        public long PausedUntil;

        /// <summary>Moves the window to <paramref name="bucket"/>, emptying the slots of buckets that left it.</summary>
        public void Advance(long bucket)
        {
            var gap = bucket - Head;
            if (gap <= 0)
            {
                return;
            }

            if (gap >= Slots)
            {
                ((Span<int>)Counts).Clear();
            }
            else
            {
                for (var b = Head + 1; b <= bucket; b++)
                {
                    Counts[Slot(b)] = 0;
                }
            }

            Head = bucket;
        }

        public readonly int Sum()
        {
            var sum = 0;
            foreach (var count in (ReadOnlySpan<int>)Counts)
            {
                sum += count;
            }

            return sum;
        }

        /// <summary>When enough of the oldest buckets have left the window for <paramref name="used"/> to fall below <paramref name="limit"/>.</summary>
        public readonly long FreeAt(int used, int limit)
        {
            // Bucket b is counted while its start is less than a window old, i.e. until the start of bucket b + Slots.
            for (var b = Head - BucketsPerWindow; b <= Head; b++)
            {
                used -= b < 0 ? 0 : Counts[Slot(b)];
                if (used < limit)
                {
                    return (b + Slots) * BucketTicks;
                }
            }

            return (Head + Slots) * BucketTicks;
        }
    }

    /// <summary>The bucket counts, inline in the track (no array per reference).</summary>
    [InlineArray(Slots)]
    private struct BucketCounts
    {
        private int _count;
    }
}
