using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderPayments.Application.Payments;
using OrderPayments.Application.Storefront;
using OrderPayments.Application.Workflows;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;
using OrderPayments.Runtime.Storage;

namespace OrderPayments.Runtime.Dispatching;

/// <summary>
/// Runs the workflows in the file: applies recorded signals and due wake-ups through the workflow, commits many
/// orders' steps in one transaction (each order's step all or nothing: state, history, new activities), then runs
/// the activities outside the transaction and records each result as the order's next signal. One order is stepped
/// by one thread at a time; many orders and activities proceed in parallel. An order whose step throws is rolled
/// back alone (to its savepoint), recorded as faulted and retried with back-off; the rest of the batch commits.
/// Only the holder of the file's lease dispatches, and every commit re-checks the lease, so two processes never
/// both act. When idle it prunes what the retention settings let go.
/// </summary>
internal sealed class RuntimeDispatcher : BackgroundService
{
    private static readonly string WokenUpJson = StoreSession.Json<WorkflowInput>(new WokenUp());

    private readonly RuntimeStore _store;
    private readonly OrderPaymentWorkflow _workflow;
    private readonly PaymentActivities _activities;
    private readonly ActivityRetryPolicy _retries;
    private readonly TimeProvider _time;
    private readonly RuntimeOptions _options;
    private readonly WorkSignal _work;
    private readonly GroupCommit _clientWrites;
    private readonly ChangeFeed _changes;
    private readonly Notifications.DeliverySignal _deliveries;
    private readonly RuntimeMetrics _metrics;
    private readonly RetentionPruner _pruner;
    private readonly ILogger<RuntimeDispatcher> _logger;
    private readonly string _owner;
    private readonly ConcurrentQueue<ActivityCompletion> _completions = new();
    private readonly ConcurrentDictionary<(string, IdempotencyKey), byte> _running = new();
    private readonly SemaphoreSlim _activitySlots;
    private bool _owning;
    private bool _toldNotOwner;
    private long _steps;
    private long _batches;
    private DateTimeOffset _nextPruneAt = DateTimeOffset.MinValue;

    public RuntimeDispatcher(
        RuntimeStore store,
        OrderPaymentWorkflow workflow,
        PaymentActivities activities,
        ActivityRetryPolicy retries,
        TimeProvider time,
        IOptions<RuntimeOptions> options,
        WorkSignal work,
        GroupCommit clientWrites,
        ChangeFeed changes,
        Notifications.DeliverySignal deliveries,
        RuntimeMetrics metrics,
        RetentionPruner pruner,
        ILogger<RuntimeDispatcher> logger)
    {
        _store = store;
        _workflow = workflow;
        _activities = activities;
        _retries = retries;
        _time = time;
        _options = options.Value;
        _work = work;
        _clientWrites = clientWrites;
        _changes = changes;
        _deliveries = deliveries;
        _metrics = metrics;
        _pruner = pruner;
        _logger = logger;
        _owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Stopwatch.GetTimestamp()}";
        _activitySlots = new SemaphoreSlim(_options.MaxConcurrentActivities, _options.MaxConcurrentActivities);
    }

    /// <summary>Total workflow steps committed by this dispatcher (for tests and the benchmark).</summary>
    public long StepsCommitted => Interlocked.Read(ref _steps);

    /// <remarks>
    /// The loop runs on a thread of its own, not the pool's: it waits for work and for the file's write gate on that
    /// thread, so a commit, a new signal or an activity's result wakes it at once instead of queueing its next cycle
    /// behind the HTTP requests' work items (under load the pool's queue holds dozens), and it never holds a pool thread.
    /// </remarks>
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                // Client writes join this loop's transactions from now on: a signal commits with the step that applies it.
                _clientWrites.Attach(_work.Set);
                try
                {
                    Run(stoppingToken);
                }
                finally
                {
                    _changes.Complete = false;
                    _clientWrites.Detach();
                }

                ended.TrySetResult();
            }
            catch (Exception e)
            {
                ended.TrySetException(e);
            }
        })
        {
            IsBackground = true,
            Name = "OrderPayments dispatcher",
        };
        thread.Start();
        return ended.Task;
    }

    private void Run(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var now = _time.GetUtcNow();
                var batch = RunBatch(now, stoppingToken);
                _changes.Complete = batch.Owner;
                if (!batch.Owner)
                {
                    // Client writes beyond one batch are written at once; otherwise wait for the lease or new writes.
                    if (!_clientWrites.IsEmpty)
                    {
                        continue;
                    }

                    _work.Wait(_options.LeaseDuration / 3, _time, _options.ExternalWorkPollInterval, stoppingToken);
                    continue;
                }

                if (batch.MoreWork || !_completions.IsEmpty || !_clientWrites.IsEmpty || PruneWhenDue(now, stoppingToken))
                {
                    continue;
                }

                _work.Wait(IdleFor(now, batch.NextDue), _time, _options.ExternalWorkPollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                RuntimeLogs.CycleFailed(_logger, e);
                // An I/O back-off, on the wall clock: the workflow's clock may stand still (tests) or jump.
                stoppingToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(200));
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        // Activities still running are abandoned; their outbox rows stay due and run again, with the same key.
        if (_owning)
        {
            using var session = await StoreSession.WriteAsync(_store, CancellationToken.None).ConfigureAwait(false);
            session.ReleaseLease(_owner);
            session.Commit();
        }
    }

    public override void Dispose()
    {
        _activitySlots.Dispose();
        base.Dispose();
    }

    /// <summary>Prunes one batch when pruning is due; true when more may be left (the next batch follows the next cycle's steps).</summary>
    private bool PruneWhenDue(DateTimeOffset now, CancellationToken stoppingToken)
    {
        if (now < _nextPruneAt)
        {
            return false;
        }

        try
        {
            // On the dispatcher's own thread: waiting here blocks no pool thread.
            if (_pruner.PruneBatchAsync(now, stoppingToken).GetAwaiter().GetResult())
            {
                return true;
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException and not OperationCanceledException)
        {
            // Pruning is housekeeping: a failure waits for the next interval rather than slowing every cycle.
            RuntimeLogs.PruneFailed(_logger, e);
        }

        _nextPruneAt = now + _options.PruneInterval;
        return false;
    }

    private TimeSpan IdleFor(DateTimeOffset now, DateTimeOffset? nextDue)
    {
        var idle = _options.LeaseDuration / 3;
        if (nextDue is { } due)
        {
            var until = due - now;
            idle = until < idle ? until : idle;
        }

        return idle > TimeSpan.Zero ? idle : TimeSpan.FromMilliseconds(1);
    }

    /// <summary>
    /// One transaction: the client writes waiting (starts and signals), then, holding the lease, activity results
    /// recorded and every order with due work stepped (up to the batch size), the new signals among them.
    /// </summary>
    /// <remarks>
    /// Runs on the dispatcher's own thread, which waits for the file's write gate while another writer of this process
    /// (the notifier, retention, operators' changes) holds it; no pool thread waits. The transaction runs synchronously
    /// (SQLite's I/O is synchronous).
    /// </remarks>
    private BatchResult RunBatch(DateTimeOffset now, CancellationToken stoppingToken)
    {
        var completions = new List<ActivityCompletion>();
        GroupCommit.Taken? writes = null;
        _metrics.Cycles.Add(1);
        try
        {
            using var session = StoreSession.Write(_store, stoppingToken);
            writes = _clientWrites.Take(session);
            if (!session.TryTakeLease(_owner, now, _options.LeaseDuration))
            {
                if (_owning || !_toldNotOwner)
                {
                    RuntimeLogs.LeaseHeldElsewhere(_logger, _owner);
                    _toldNotOwner = true;
                }

                _owning = false;
                // Another process dispatches: the client writes are its work (it finds them by polling the file).
                session.Commit();
                writes.Complete();
                return new BatchResult(false, false, null);
            }

            if (!_owning)
            {
                _owning = true;
                _toldNotOwner = false;
                RuntimeLogs.LeaseTaken(_logger, _owner, _options.DatabasePath);
            }

            while (completions.Count < 4 * _options.MaxBatchSize && _completions.TryDequeue(out var completion))
            {
                completions.Add(completion);
                Record(session, completion, now);
            }

            var (due, more) = session.DueInstances(now, _options.MaxBatchSize);
            var effects = new StepEffects(due.Count);
            foreach (var (id, failedAttempts) in due)
            {
                StepIsolated(session, id, failedAttempts, now, effects);
            }

            var steps = effects.Steps;
            var nextDue = session.NextDue(now);
            var counts = steps > 0 && ++_batches % 64 == 1 ? session.CountByStatus() : null;

            // The calls due now, those this transaction schedules among them, chosen in it and started only once it has
            // committed (a call's row must be durable before the call is made).
            var free = _activitySlots.CurrentCount;
            var calls = free > 0 ? session.DueActivities(now, free, _running) : [];
            session.Commit();

            // Started before the callers and waiters this commit answers are resumed: a start's create-payment call is
            // on its way before anything else queues behind it.
            StartActivities(calls, stoppingToken);
            writes.Complete();

            // Only now may a completed or rescheduled activity be picked up again: its row says so durably.
            foreach (var completion in completions)
            {
                _running.TryRemove((completion.InstanceId, completion.Key), out _);
            }

            completions.Clear();
            if (counts is not null)
            {
                _metrics.SetInstancesByStatus(counts);
            }

            if (steps > 0)
            {
                Interlocked.Add(ref _steps, steps);
                _metrics.BatchSize.Record(steps);
            }

            Report(effects);

            return new BatchResult(true, more, nextDue);
        }
        catch (Exception e) when (writes is not null)
        {
            // Nothing of the transaction was written: the clients' calls fail (and are retried by their callers).
            writes.Fail(e);
            throw;
        }
        finally
        {
            // A failed transaction recorded nothing: keep the results for the next one.
            foreach (var completion in completions)
            {
                _completions.Enqueue(completion);
            }
        }
    }

    private void Record(StoreSession session, ActivityCompletion completion, DateTimeOffset now)
    {
        if (completion.Result is { } result)
        {
            // Exactly once: the outbox row closes in the same transaction that records the result.
            if (session.CompleteActivity(completion.InstanceId, completion.Key, now))
            {
                // A signal pending until the order's next step is published (see ChangeFeed.Latest).
                _changes.Forget(completion.InstanceId);
                session.InsertSignal(completion.InstanceId, $"activity:{completion.Key}", result, now, completion.TraceParent);
            }
        }
        else
        {
            session.RescheduleActivity(completion.InstanceId, completion.Key, completion.RetryAt!.Value, completion.Error ?? "");
        }
    }

    /// <summary>
    /// Steps one order under its own savepoint. When the step throws (its state or a signal cannot be read, the
    /// workflow throws), only this order is rolled back; its fault is recorded in the batch's transaction and it is
    /// left out of <see cref="StoreSession.DueInstances"/> until its retry time, so it never holds the others up.
    /// </summary>
    private void StepIsolated(StoreSession session, string id, int failedAttempts, DateTimeOffset now, StepEffects effects)
    {
        var mark = effects.Mark();
        session.Savepoint("order");
        try
        {
            Step(session, id, now, effects);
            if (failedAttempts > 0)
            {
                session.ClearFault(id);
                effects.Recovered.Add((id, failedAttempts));
            }

            session.ReleaseSavepoint("order");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A failure of the file itself (disk full, I/O error) ends the transaction: this rollback then throws, and
            // the batch as a whole fails and is retried, without blaming any order.
            session.RollbackToSavepoint("order");
            effects.Reset(mark);
            var attempts = failedAttempts + 1;
            var retryAt = now + StepRetryDelay(attempts);
            session.RecordFault(id, attempts, now, retryAt, Describe(e));
            effects.Faults.Add((id, attempts, retryAt, e));
        }
    }

    private TimeSpan StepRetryDelay(int attempts) =>
        TimeSpan.FromTicks((long)Math.Min(
            _options.StepRetryBaseDelay.Ticks * Math.Pow(2, Math.Min(attempts - 1, 30)),
            _options.StepRetryMaxDelay.Ticks));

    /// <summary>What an operator sees of a failure: the exception's type and message (never stored data), bounded.</summary>
    private static string Describe(Exception e)
    {
        var text = $"{e.GetType().Name}: {e.Message}";
        return text.Length <= 1000 ? text : text[..1000];
    }

    private void Step(StoreSession session, string id, DateTimeOffset now, StepEffects effects)
    {
        var row = session.LoadInstance(id);
        if (row is null)
        {
            return;
        }

        var state = row.State;
        var version = row.Version;
        var events = new StepEvents(id, now);
        foreach (var signal in session.PendingSignals(id))
        {
            using var span = RuntimeTelemetry.Start("orderpayments.step", signal.TraceParent, id);
            span?.SetTag("orderpayments.input", signal.Input.GetType().Name);

            // Through Apply: a signal recorded as accepted and refused now keeps its refusal visible on the order.
            var step = _workflow.Apply(state, signal.Input, now);
            span?.SetTag("orderpayments.outcome", step.Outcome.ToString());
            session.MarkApplied(signal.Seq, step, now);
            Record(session, id, now, signal.InputJson, step, state.Request.Provider, effects);
            version = OrderVersions.After(version, state, step);
            effects.Events += events.Write(session, state, step, signal.Input, version);
            effects.Received.Add((signal.ReceivedAt, signal.Input.GetType().Name));
            if (step.Rejection is { } rejection)
            {
                effects.Rejections.Add((signal.Seq, id, rejection));
            }

            state = step.State;
        }

        if (state.WakeAt <= now)
        {
            using var span = RuntimeTelemetry.Start("orderpayments.step", null, id);
            span?.SetTag("orderpayments.input", nameof(WokenUp));
            var step = _workflow.Decide(state, new WokenUp(), now);
            span?.SetTag("orderpayments.outcome", step.Outcome.ToString());
            if (step.Outcome == InputOutcome.Applied)
            {
                Record(session, id, now, WokenUpJson, step, state.Request.Provider, effects);
                version = OrderVersions.After(version, state, step);
                effects.Events += events.Write(session, state, step, null, version);
            }

            state = step.State;
        }

        if (!ReferenceEquals(state, row.State))
        {
            session.UpdateInstance(state, row.State, row.Version, version, now);
            if (state.Reference != row.State.Reference)
            {
                session.InsertReference(state);
            }

            // Every pending signal of the order was applied, and none can be added before this transaction commits.
            effects.Committed.Add(new OrderPaymentSnapshot(state, version, now, 0));
        }
    }

    /// <summary>After the commit: metrics, logs and snapshots of what was committed (nothing of a rolled-back step).</summary>
    private void Report(StepEffects effects)
    {
        foreach (var outcome in effects.Outcomes)
        {
            _metrics.Steps.Add(1, new KeyValuePair<string, object?>("outcome", outcome.ToString()));
        }

        if (effects.Received.Count > 0)
        {
            _metrics.SignalsApplied.Add(effects.Received.Count);
        }

        foreach (var (seq, id, rejection) in effects.Rejections)
        {
            RuntimeLogs.SignalRejected(_logger, seq, id, rejection.Reason.ToString(), rejection.Message);
        }

        foreach (var (id, attempts, retryAt, exception) in effects.Faults)
        {
            _changes.Forget(id);
            _metrics.StepFaults.Add(1);
            RuntimeLogs.StepFailed(_logger, id, attempts, retryAt, exception);
        }

        foreach (var (id, attempts) in effects.Recovered)
        {
            RuntimeLogs.StepRecovered(_logger, id, attempts);
        }

        foreach (var snapshot in effects.Committed)
        {
            _store.States.Put(snapshot.State.OrderId.Value, snapshot.Version, snapshot.State);
            _changes.Publish(snapshot);
        }

        if (effects.Events > 0)
        {
            _deliveries.Work.Set();
        }

        var visibleAt = _time.GetUtcNow();
        foreach (var (at, input) in effects.Received)
        {
            _metrics.DispatcherLag.Record((visibleAt - at).TotalMilliseconds, new KeyValuePair<string, object?>("input", input));
        }
    }

    private static void Record(StoreSession session, string id, DateTimeOffset now, string input, WorkflowStep step, PaymentProvider provider, StepEffects effects)
    {
        session.AppendHistory(id, now, input, step);
        session.InsertActions(id, provider, step.Actions, now);
        effects.Outcomes.Add(step.Outcome);
    }

    private void StartActivities(List<DueActivity> due, CancellationToken stoppingToken)
    {
        foreach (var activity in due)
        {
            if (!_activitySlots.Wait(0, CancellationToken.None))
            {
                break;
            }

            _running[(activity.InstanceId, activity.Action.Key)] = 0;
            _ = Task.Run(() => RunActivityAsync(activity, stoppingToken), CancellationToken.None);
        }
    }

    private async Task RunActivityAsync(DueActivity activity, CancellationToken stoppingToken)
    {
        var started = Stopwatch.GetTimestamp();
        var outcome = "succeeded";
        using var span = RuntimeTelemetry.Start($"orderpayments.activity {activity.Action.Kind}", activity.TraceParent, activity.InstanceId);
        span?.SetTag("orderpayments.action", activity.Action.Kind.ToString());
        span?.SetTag("orderpayments.idempotency_key", activity.Action.Key.Value);
        try
        {
            var attempt = await _retries.AttemptAsync(_activities, activity.Provider, activity.Action, stoppingToken).ConfigureAwait(false);
            if (attempt.Input is { } result)
            {
                outcome = result is ActivityFailed ? "failed" : outcome;
                _completions.Enqueue(new ActivityCompletion(activity.InstanceId, activity.Action.Key, result, null, null, span?.Id));
            }
            else
            {
                outcome = attempt.Crash is null ? "retry" : "error";
                if (attempt.Crash is { } crash)
                {
                    RuntimeLogs.ActivityCrashed(_logger, activity.Action.Key.Value, activity.InstanceId, crash);
                }

                Retry(activity, attempt.TransientError!, attempt.RetryAfter);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host stops: the call stays due and is made again (same key) by the next dispatcher.
            outcome = "stopped";
        }
        finally
        {
            span?.SetTag("orderpayments.outcome", outcome);
            _metrics.ActivityDuration.Record(
                Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                new KeyValuePair<string, object?>("kind", activity.Action.Kind.ToString()),
                new KeyValuePair<string, object?>("outcome", outcome));
            _activitySlots.Release();
            _work.Set();
        }
    }

    /// <summary>
    /// After a transient failure, what the shared <see cref="ActivityRetryPolicy"/> says: the next attempt with the same
    /// key (doubling delay, or the provider's Retry-After if longer), or a query given up and reported to the workflow.
    /// </summary>
    private void Retry(DueActivity activity, string error, TimeSpan? retryAfter)
    {
        var attempt = activity.Attempts + 1;
        _metrics.ActivityRetries.Add(1, new KeyValuePair<string, object?>("kind", activity.Action.Kind.ToString()));
        var decision = _retries.AfterTransientFailure(activity.Action, attempt, error, retryAfter, _time.GetUtcNow());
        if (decision.GiveUp is { } givenUp)
        {
            _completions.Enqueue(new ActivityCompletion(activity.InstanceId, activity.Action.Key, givenUp, null, null));
            return;
        }

        RuntimeLogs.ActivityRetry(_logger, activity.Action.Key.Value, activity.InstanceId, attempt, decision.RetryAt!.Value, error);
        _completions.Enqueue(new ActivityCompletion(activity.InstanceId, activity.Action.Key, null, decision.RetryAt, error));
    }

    private sealed record BatchResult(bool Owner, bool MoreWork, DateTimeOffset? NextDue);

    /// <summary>What a batch's steps did, reported only once it commits; a failed order's share is cut off again.</summary>
    private sealed class StepEffects(int orders)
    {
        public List<OrderPaymentSnapshot> Committed { get; } = new(orders);

        public List<(DateTimeOffset At, string Input)> Received { get; } = [];

        public List<InputOutcome> Outcomes { get; } = [];

        public List<(long Seq, string Id, InputRejection Rejection)> Rejections { get; } = [];

        public List<(string Id, int Attempts, DateTimeOffset RetryAt, Exception Error)> Faults { get; } = [];

        public List<(string Id, int Attempts)> Recovered { get; } = [];

        /// <summary>Storefront events written (the notifier is woken after the commit).</summary>
        public int Events { get; set; }

        /// <summary>Workflow steps committed (applied signals and wake-ups).</summary>
        public int Steps => Outcomes.Count;

        public (int Committed, int Received, int Outcomes, int Rejections, int Recovered) Mark() =>
            (Committed.Count, Received.Count, Outcomes.Count, Rejections.Count, Recovered.Count);

        public void Reset((int Committed, int Received, int Outcomes, int Rejections, int Recovered) mark)
        {
            Committed.RemoveRange(mark.Committed, Committed.Count - mark.Committed);
            Received.RemoveRange(mark.Received, Received.Count - mark.Received);
            Outcomes.RemoveRange(mark.Outcomes, Outcomes.Count - mark.Outcomes);
            Rejections.RemoveRange(mark.Rejections, Rejections.Count - mark.Rejections);
            Recovered.RemoveRange(mark.Recovered, Recovered.Count - mark.Recovered);
        }
    }

    /// <summary>Writes the storefront events of an order's steps in this commit (each with the version its step gave the order).</summary>
    private sealed class StepEvents(string id, DateTimeOffset now)
    {
        private int _ordinal;

        public int Write(StoreSession session, OrderPaymentState before, WorkflowStep step, WorkflowInput? input, long version)
        {
            if (!session.AnyActiveEndpoint)
            {
                return 0;
            }

            var events = StorefrontEvents.Derive(before, step, input, version, now, _ordinal);
            _ordinal += events.Count;
            session.InsertStorefrontEvents(id, events, now);
            return events.Count;
        }
    }
}
