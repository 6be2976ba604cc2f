namespace OrderPayments.Durable;

/// <summary>
/// One asynchronous lock per order, for this process: the signal door's passes for one order take turns here, so
/// signals sent to one order at once from this process are admitted one after the other, as the embedded runtime's
/// single writer admits them, instead of contending for the inbox's condition. (Passes from other processes still meet
/// that condition: it keeps them right, and the door admits again when it fails.) Locks exist only while held or awaited.
/// </summary>
internal sealed class OrderLocks
{
    private readonly Dictionary<string, Entry> _locks = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Waits for the order's lock; dispose the answer to release it.</summary>
    public async Task<IDisposable> TakeAsync(string orderId, CancellationToken cancellationToken)
    {
        Entry entry;
        lock (_gate)
        {
            if (!_locks.TryGetValue(orderId, out entry!))
            {
                entry = new Entry();
                _locks[orderId] = entry;
            }

            entry.Users++;
        }

        try
        {
            await entry.Semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Leave(orderId, entry);
            throw;
        }

        return new Release(this, orderId, entry);
    }

    private void Leave(string orderId, Entry entry)
    {
        lock (_gate)
        {
            if (--entry.Users == 0)
            {
                _locks.Remove(orderId);
                entry.Semaphore.Dispose();
            }
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Users { get; set; }
    }

    private sealed class Release(OrderLocks locks, string orderId, Entry entry) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                entry.Semaphore.Release();
                locks.Leave(orderId, entry);
            }
        }
    }
}
