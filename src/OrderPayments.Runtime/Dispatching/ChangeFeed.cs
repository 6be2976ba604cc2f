using System.Collections.Concurrent;
using OrderPayments.Application.Workflows;

namespace OrderPayments.Runtime.Dispatching;

/// <summary>
/// Hands the snapshots the dispatcher commits to waiters in this process, per order, so a waiter need not read the
/// file after every commit. Only orders someone waits for are tracked; a publish for another order costs a lookup.
/// </summary>
internal sealed class ChangeFeed
{
    private readonly ConcurrentDictionary<string, Subscription> _subscriptions = new(StringComparer.Ordinal);

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

    /// <summary>Tells the order's followers about a committed snapshot (called in commit order).</summary>
    public void Publish(OrderPaymentSnapshot snapshot)
    {
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
}
