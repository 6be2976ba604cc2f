using System.Collections.Concurrent;
using System.Diagnostics;

namespace OrderPayments.Runtime.Storage;

/// <summary>
/// Client writes in shared transactions: callers queue an operation and await it; each operation runs inside its own
/// savepoint of a transaction that many share, and completes once that transaction commits. Under load many starts
/// and signals share one fsync; alone, an operation commits at once. An operation that throws is rolled back to its
/// savepoint (nothing of it is written) and its caller gets the exception; the others commit.
/// </summary>
/// <remarks>
/// Where a dispatcher runs in this process it takes the queue into its own transactions (<see cref="Attach"/>): a
/// signal and the step that applies it then commit together, with one fsync and no second writer waiting for the
/// file. Otherwise one drainer at a time writes the queue in transactions of its own, waiting for the file's write gate
/// asynchronously (no thread is held while another session writes).
/// </remarks>
internal sealed class GroupCommit
{
    private readonly RuntimeStore _store;
    private readonly int _maxBatch;
    private readonly Action _committed;
    private readonly ConcurrentQueue<IOperation> _queue = new();
    private Action? _absorber;
    private int _draining;

    /// <param name="store">The file.</param>
    /// <param name="maxBatch">The most operations in one transaction.</param>
    /// <param name="committed">Called after each commit of its own that wrote anything (wakes the dispatcher).</param>
    public GroupCommit(RuntimeStore store, int maxBatch, Action committed)
    {
        _store = store;
        _maxBatch = maxBatch;
        _committed = committed;
    }

    internal interface IOperation
    {
        /// <summary>Runs inside the batch's transaction; returns whether it wrote anything.</summary>
        bool Run(StoreSession session);

        void Complete();

        void Fail(Exception exception);
    }

    /// <summary>Whether operations wait for a transaction.</summary>
    public bool IsEmpty => _queue.IsEmpty;

    /// <summary>Runs <paramref name="operation"/> in the next shared transaction and completes after it commits.</summary>
    public Task<T> RunAsync<T>(Func<StoreSession, (T Result, bool Wrote)> operation)
    {
        var queued = new Operation<T>(operation);
        _queue.Enqueue(queued);
        if (Volatile.Read(ref _absorber) is { } wake)
        {
            wake();
        }
        else
        {
            Kick();
        }

        return queued.Task;
    }

    /// <summary>
    /// From now on <paramref name="wake"/> is called for each new operation instead of writing it here; the caller
    /// takes the queue into its transactions with <see cref="Take"/> until it calls <see cref="Detach"/>.
    /// </summary>
    public void Attach(Action wake) => Interlocked.Exchange(ref _absorber, wake);

    /// <summary>Writes new operations here again, and what is queued now (nothing waits for a loop that has stopped).</summary>
    public void Detach()
    {
        // The exchange is a full fence: an operation queued before it is seen by Kick; one queued after it sees no absorber.
        Interlocked.Exchange(ref _absorber, null);
        Kick();
    }

    /// <summary>
    /// Runs up to the batch size of queued operations inside <paramref name="session"/>'s transaction, each under its
    /// own savepoint (one that throws is rolled back and failed at once). The caller commits, then calls
    /// <see cref="Taken.Complete"/>; when its transaction fails, <see cref="Taken.Fail"/>.
    /// </summary>
    public Taken Take(StoreSession session) => Run(session, Dequeue());

    private List<IOperation> Dequeue()
    {
        var batch = new List<IOperation>();
        while (batch.Count < _maxBatch && _queue.TryDequeue(out var operation))
        {
            batch.Add(operation);
        }

        return batch;
    }

    private static Taken Run(StoreSession session, List<IOperation> batch)
    {
        var taken = new Taken(batch);
        foreach (var operation in batch)
        {
            session.Savepoint("op");
            try
            {
                taken.Wrote |= operation.Run(session);
                session.ReleaseSavepoint("op");
                taken.Done.Add(operation);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                session.RollbackToSavepoint("op");
                operation.Fail(exception);
            }
        }

        return taken;
    }

    private void Kick()
    {
        if (!_queue.IsEmpty && Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
        {
            _ = Task.Run(DrainAsync);
        }
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            try
            {
                while (!_queue.IsEmpty)
                {
                    await WriteBatchAsync().ConfigureAwait(false);
                }
            }
            finally
            {
                // Never leave the flag set: a stuck flag would leave every later write waiting forever.
                Volatile.Write(ref _draining, 0);
            }

            // An operation queued after the last look but before the flag was cleared found the flag set: take it.
            if (_queue.IsEmpty || Interlocked.CompareExchange(ref _draining, 1, 0) != 0)
            {
                return;
            }
        }
    }

    private async Task WriteBatchAsync()
    {
        var batch = Dequeue();
        Taken taken;
        try
        {
            using var session = await StoreSession.WriteAsync(_store).ConfigureAwait(false);
            taken = Run(session, batch);
            session.Commit();
        }
        catch (Exception exception)
        {
            // The transaction failed as a whole (file locked too long, disk full): nothing of the batch was written.
            new Taken(batch).Fail(exception);
            return;
        }

        if (taken.Wrote)
        {
            _committed();
        }

        taken.Complete();
    }

    /// <summary>Operations run in a caller's transaction, to be completed once it commits.</summary>
    internal sealed class Taken(List<IOperation> all)
    {
        internal List<IOperation> All { get; } = all;

        internal List<IOperation> Done { get; } = [];

        /// <summary>Whether any operation wrote anything.</summary>
        public bool Wrote { get; internal set; }

        /// <summary>After the commit: the callers of the operations that ran get their results.</summary>
        public void Complete()
        {
            foreach (var operation in Done)
            {
                operation.Complete();
            }
        }

        /// <summary>The transaction failed as a whole: nothing of any operation was written.</summary>
        public void Fail(Exception exception)
        {
            foreach (var operation in All)
            {
                operation.Fail(exception);
            }
        }
    }

    /// <remarks>
    /// Runs in the caller's trace (the activity current when it was queued), whichever thread writes the batch: what
    /// it records (a signal, a provider call) continues that request's trace.
    /// </remarks>
    private sealed class Operation<T>(Func<StoreSession, (T Result, bool Wrote)> run) : IOperation
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Activity? _activity = Activity.Current;
        private T _result = default!;

        public Task<T> Task => _completion.Task;

        public bool Run(StoreSession session)
        {
            var previous = Activity.Current;
            Activity.Current = _activity;
            try
            {
                var (result, wrote) = run(session);
                _result = result;
                return wrote;
            }
            finally
            {
                Activity.Current = previous;
            }
        }

        public void Complete() => _completion.TrySetResult(_result);

        public void Fail(Exception exception) => _completion.TrySetException(exception);
    }
}
