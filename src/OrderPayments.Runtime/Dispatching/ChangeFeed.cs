using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using OrderPayments.Application.Caching;
using OrderPayments.Application.Workflows;

namespace OrderPayments.Runtime.Dispatching;

/// <summary>
/// Hands the snapshots the dispatcher commits to waiters in this process, per order, so a waiter need not read the
/// file after every commit. Only orders someone waits for are followed; a publish for another order costs a lookup.
/// While this process's dispatcher holds the lease it also keeps each order's latest committed snapshot lately stepped
/// (<see cref="Latest"/>), so a status read of an order that has not moved reads no file at all.
/// </summary>
/// <remarks>
/// Why <see cref="Latest"/> is the file's truth: while the lease is held here, only this dispatcher steps orders (its
/// snapshot is the committed state and version, with no signal pending: the step applied them all in the transaction
/// that recorded any signal taken with it); every client write of this process that records a signal or a start for an
/// order forgets the order first (<see cref="Forget"/>, inside its transaction, before any reader could see it), and a
/// step that fails forgets it too. A read that finds nothing, or finds the order forgotten, reads the file. What a
/// snapshot can miss is a signal recorded by another process on the same file: its pending count shows 0 until this
/// dispatcher applies it (on its poll of the file, within <see cref="RuntimeOptions.ExternalWorkPollInterval"/>).
/// When the lease is lost the kept snapshots are dropped, as they may be stale when it is taken back.
/// </remarks>
internal sealed class ChangeFeed
{
    private readonly ConcurrentDictionary<string, Subscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly int _capacity;
    private RecentCache<Kept> _latest;
    private volatile bool _complete;

    /// <summary>Creates the feed; keeps at most <see cref="RuntimeOptions.StateCacheSize"/> orders' latest snapshots.</summary>
    public ChangeFeed(IOptions<RuntimeOptions> options)
    {
        _capacity = options.Value.StateCacheSize;
        _latest = new RecentCache<Kept>(_capacity);
    }

    /// <summary>
    /// Whether every commit that changes an order's version in the file is published here: true while this process's
    /// dispatcher holds the file's lease (it alone steps orders then). Waiters re-read the file on a short interval only
    /// while it is false (a dispatcher in another process).
    /// </summary>
    public bool Complete
    {
        get => _complete;
        set
        {
            if (value == _complete)
            {
                return;
            }

            if (value)
            {
                // Taken (back): whatever was kept may be older than what another dispatcher committed meanwhile.
                _latest = new RecentCache<Kept>(_capacity);
            }

            _complete = value;
        }
    }

    /// <summary>
    /// The order's latest committed snapshot as this dispatcher stepped it, while this process holds the lease and no
    /// write since has touched the order; null to read the file.
    /// </summary>
    public OrderPaymentSnapshot? Latest(string orderId) => _complete ? _latest.Find(orderId)?.Snapshot : null;

    /// <summary>A write that records something for the order (a signal, a start, a fault): reads go to the file until its next step is published.</summary>
    public void Forget(string orderId) => _latest.Put(orderId, Kept.Unknown);

    /// <summary>Starts following an order; dispose the subscription when done.</summary>
    public Subscription Follow(string orderId)
    {
        while (true)
        {
            var subscription = _subscriptions.GetOrAdd(orderId, static (id, feed) => new Subscription(id, feed), this);
            if (subscription.TryJoin())
            {
                return subscription;
            }

            // It was just closed by its last follower: take a fresh one.
            _subscriptions.TryRemove(KeyValuePair.Create(orderId, subscription));
        }
    }

    /// <summary>Tells the order's followers about a committed snapshot (called in commit order), and keeps it as the order's latest.</summary>
    public void Publish(OrderPaymentSnapshot snapshot)
    {
        _latest.Put(snapshot.State.OrderId.Value, new Kept(snapshot), static (held, offered) => held.Snapshot is { } kept && kept.Version > offered.Snapshot!.Version);
        if (!_subscriptions.IsEmpty && _subscriptions.TryGetValue(snapshot.State.OrderId.Value, out var subscription))
        {
            subscription.Publish(snapshot);
        }
    }

    /// <summary>One order's committed snapshots, for as long as anyone follows it.</summary>
    internal sealed class Subscription : IDisposable
    {
        private readonly Lock _lock = new();
        private readonly string _orderId;
        private readonly ChangeFeed _feed;
        private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private OrderPaymentSnapshot? _latest;
        private int _followers;
        private bool _closed;

        public Subscription(string orderId, ChangeFeed feed)
        {
            _orderId = orderId;
            _feed = feed;
        }

        /// <summary>The latest snapshot published since following began, if it is newer than <paramref name="version"/>.</summary>
        public OrderPaymentSnapshot? NewerThan(long version)
        {
            lock (_lock)
            {
                return _latest is { } latest && latest.Version > version ? latest : null;
            }
        }

        /// <summary>Completes at the next publish.</summary>
        public Task Next
        {
            get
            {
                lock (_lock)
                {
                    return _next.Task;
                }
            }
        }

        public bool TryJoin()
        {
            lock (_lock)
            {
                if (_closed)
                {
                    return false;
                }

                _followers++;
                return true;
            }
        }

        public void Publish(OrderPaymentSnapshot snapshot)
        {
            TaskCompletionSource woken;
            lock (_lock)
            {
                if (_latest is not null && _latest.Version >= snapshot.Version)
                {
                    return;
                }

                _latest = snapshot;
                woken = _next;
                _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            woken.TrySetResult();
        }

        public void Dispose()
        {
            lock (_lock)
            {
                if (--_followers > 0)
                {
                    return;
                }

                _closed = true;
            }

            _feed._subscriptions.TryRemove(KeyValuePair.Create(_orderId, this));
        }
    }

    /// <summary>An order's latest snapshot, or <see cref="Unknown"/>: read the file.</summary>
    private sealed record Kept(OrderPaymentSnapshot? Snapshot)
    {
        public static readonly Kept Unknown = new((OrderPaymentSnapshot?)null);
    }
}
