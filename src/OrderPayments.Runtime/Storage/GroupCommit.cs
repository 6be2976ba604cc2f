using System.Collections.Concurrent;

namespace OrderPayments.Runtime.Storage;

/// <summary>
/// Client writes in shared transactions: callers queue an operation and await it; one writer at a time drains
/// the queue, runs each operation inside its own savepoint of one transaction, and commits once. Under load many
/// starts and signals share one fsync; alone, an operation commits at once. An operation that throws is rolled
/// back to its savepoint (nothing of it is written) and its caller gets the exception; the others commit.
/// </summary>
internal sealed class GroupCommit
{
    private readonly RuntimeStore _store;
    private readonly int _maxBatch;
    private readonly Action _committed;
    private readonly ConcurrentQueue<IOperation> _queue = new();
    private int _draining;

    /// <param name="store">The file.</param>
    /// <param name="maxBatch">The most operations in one transaction.</param>
    /// <param name="committed">Called after each commit that wrote anything (wakes the dispatcher).</param>
    public GroupCommit(RuntimeStore store, int maxBatch, Action committed)
    {
        _store = store;
        _maxBatch = maxBatch;
        _committed = committed;
    }

    private interface IOperation
    {
        /// <summary>Runs inside the batch's transaction; returns whether it wrote anything.</summary>
        bool Run(StoreSession session);

        void Complete();

        void Fail(Exception exception);
    }

    /// <summary>Runs <paramref name="operation"/> in the next shared transaction and completes after it commits.</summary>
    public Task<T> RunAsync<T>(Func<StoreSession, (T Result, bool Wrote)> operation)
    {
        var queued = new Operation<T>(operation);
        _queue.Enqueue(queued);
        if (Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
        {
            _ = Task.Run(Drain);
        }

        return queued.Task;
    }

    private void Drain()
    {
        while (true)
        {
            try
            {
                while (!_queue.IsEmpty)
                {
                    WriteBatch();
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

    private void WriteBatch()
    {
        var batch = new List<IOperation>();
        while (batch.Count < _maxBatch && _queue.TryDequeue(out var operation))
        {
            batch.Add(operation);
        }

        var done = new List<IOperation>();
        var wrote = false;
        try
        {
            using var session = StoreSession.Write(_store);
            foreach (var operation in batch)
            {
                session.Savepoint("op");
                try
                {
                    wrote |= operation.Run(session);

                    session.ReleaseSavepoint("op");
                    done.Add(operation);
                }
                catch (Exception exception) when (exception is not OutOfMemoryException)
                {
                    session.RollbackToSavepoint("op");
                    operation.Fail(exception);
                }
            }

            session.Commit();
        }
        catch (Exception exception)
        {
            // The transaction failed as a whole (file locked too long, disk full): nothing of the batch was written.
            foreach (var operation in batch)
            {
                operation.Fail(exception);
            }

            return;
        }

        if (wrote)
        {
            _committed();
        }

        foreach (var operation in done)
        {
            operation.Complete();
        }
    }

    private sealed class Operation<T>(Func<StoreSession, (T Result, bool Wrote)> run) : IOperation
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _result = default!;

        public Task<T> Task => _completion.Task;

        public bool Run(StoreSession session)
        {
            var (result, wrote) = run(session);
            _result = result;
            return wrote;
        }

        public void Complete() => _completion.TrySetResult(_result);

        public void Fail(Exception exception) => _completion.TrySetException(exception);
    }
}
