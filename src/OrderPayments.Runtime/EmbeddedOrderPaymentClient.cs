using System.Diagnostics;
using OrderPayments.Application.Workflows;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;
using OrderPayments.Runtime.Dispatching;
using OrderPayments.Runtime.Storage;

namespace OrderPayments.Runtime;

/// <summary>
/// The workflow client over the SQLite file. Writes are short and share transactions under load (group commit:
/// one fsync for many starts and signals); the dispatcher (in this or another process on the same file) does the
/// rest. Where the dispatcher runs in this process, the writes join its transactions, so a signal is usually applied
/// by the commit that records it (when this process holds the lease and the order is in that batch). Safe to use
/// from many threads and processes at once.
/// </summary>
public sealed class EmbeddedOrderPaymentClient : IOrderPaymentClient
{
    private readonly RuntimeStore _store;
    private readonly OrderPaymentWorkflow _workflow;
    private readonly TimeProvider _time;
    private readonly ChangeFeed _changes;
    private readonly GroupCommit _writes;
    private readonly SignalDoor _door;

    /// <summary>How often a waiter re-reads the file when no commit of this process woke it (a dispatcher elsewhere).</summary>
    private static readonly TimeSpan ExternalPoll = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How often a waiter re-reads the file while this process's dispatcher holds the lease (every change is published to
    /// it then): only a backstop, so a thousand long polls cost a few reads a second rather than two thousand.
    /// </summary>
    private static readonly TimeSpan LocalPoll = TimeSpan.FromSeconds(5);

    internal EmbeddedOrderPaymentClient(RuntimeStore store, OrderPaymentWorkflow workflow, TimeProvider time, GroupCommit writes, ChangeFeed changes)
    {
        _store = store;
        _workflow = workflow;
        _time = time;
        // Client writes add work for the dispatcher; they change no order's state (waiters hear of the dispatcher's commits).
        _writes = writes;
        _changes = changes;
        _door = new SignalDoor(workflow, time);
    }

    /// <summary>Starts the order's payment with no caller named.</summary>
    public Task<StartOutcome> StartAsync(PaymentRequest request, CancellationToken cancellationToken) => StartAsync(request, null, cancellationToken);

    /// <inheritdoc />
    public async Task<StartOutcome> StartAsync(PaymentRequest request, string? by, CancellationToken cancellationToken)
    {
        var errors = request.Validate();
        if (errors.Count > 0)
        {
            return new StartOutcome(StartResult.Invalid, null, errors);
        }

        var outcome = await _writes.RunAsync<StartOutcome>(session =>
        {
            _changes.Forget(request.OrderId.Value);
            if (session.LoadSnapshot(request.OrderId.Value) is var (existing, pending, fault))
            {
                var snapshot = new OrderPaymentSnapshot(existing.State, existing.Version, existing.UpdatedAt, pending, fault);
                return (existing.State.Request == request
                    ? new StartOutcome(StartResult.AlreadyStarted, snapshot, [])
                    : new StartOutcome(StartResult.Conflict, snapshot, [new InputRejection(
                        RejectionReason.Conflict,
                        $"Order {request.OrderId} already has a payment (status {existing.State.Status}) for a different request.",
                        "orderId")]), false);
            }

            var now = _time.GetUtcNow();
            var step = _workflow.Start(request, now, by);
            session.InsertInstance(step.State, now);
            session.InsertActions(request.OrderId.Value, request.Provider, step.Actions, now);
            session.AppendHistory(request.OrderId.Value, now, StoreSession.Json(request), step);
            return (new StartOutcome(StartResult.Started, new OrderPaymentSnapshot(step.State, 1, now, 0), []), true);
        }).ConfigureAwait(false);
        if (outcome is { Result: StartResult.Started, Snapshot: { } started })
        {
            // Committed: the first status read and the first step need not parse it.
            _store.States.Put(started.State.OrderId.Value, started.Version, started.State);
        }

        return outcome;
    }

    /// <inheritdoc />
    /// <remarks>Through the shared <see cref="SignalDoor"/>, in one write transaction (the inbox calls complete synchronously in it).</remarks>
    public Task<SignalOutcome> RaiseAsync(OrderId orderId, WorkflowInput signal, string dedupeKey, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dedupeKey);
        return _writes.RunAsync<SignalOutcome>(session =>
        {
            // Before the signal is recorded: from now until the step that applies it is published, reads go to the file.
            _changes.Forget(orderId.Value);
            var raised = _door.RaiseAsync(
                new SessionSignalInbox(session),
                _ => ValueTask.FromResult(session.LoadInstance(orderId.Value)?.State),
                orderId,
                signal,
                dedupeKey,
                CancellationToken.None);
            if (!raised.IsCompleted)
            {
                throw new InvalidOperationException("The embedded inbox answered asynchronously inside a write transaction.");
            }

            var outcome = raised.GetAwaiter().GetResult();
            return (outcome, outcome is { Result: SignalResult.Accepted, Repeated: false });
        });
    }

    /// <inheritdoc />
    public Task<OrderId?> FindByReferenceAsync(PaymentReference reference, CancellationToken cancellationToken)
    {
        using var session = StoreSession.Read(_store);
        return Task.FromResult(session.FindByReference(reference.Value) is { } id ? OrderId.Parse(id) : (OrderId?)null);
    }

    /// <inheritdoc />
    /// <remarks>
    /// An order this process's dispatcher stepped lately and nothing touched since is answered from memory
    /// (<see cref="ChangeFeed.Latest"/>), without reading the file; any other from the file.
    /// </remarks>
    public Task<OrderPaymentSnapshot?> GetAsync(OrderId orderId, CancellationToken cancellationToken)
    {
        if (_changes.Latest(orderId.Value) is { } latest)
        {
            return Task.FromResult<OrderPaymentSnapshot?>(latest);
        }

        using var session = StoreSession.Read(_store);
        return Task.FromResult(session.LoadSnapshot(orderId.Value) is var (row, pending, fault)
            ? new OrderPaymentSnapshot(row.State, row.Version, row.UpdatedAt, pending, fault)
            : null);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<OrderPaymentSnapshot>> ListAsync(PaymentStatus? status, OrderId? afterOrderId, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 1000);
        using var session = StoreSession.Read(_store);
        IReadOnlyList<OrderPaymentSnapshot> page = session.ListInstances(status, afterOrderId?.Value, limit)
            .Select(entry => new OrderPaymentSnapshot(entry.Row.State, entry.Row.Version, entry.Row.UpdatedAt, entry.PendingSignals, entry.Fault))
            .ToList();
        return Task.FromResult(page);
    }

    /// <summary>How many orders are in each status (for operators and dashboards; one cheap query).</summary>
    public Task<IReadOnlyDictionary<PaymentStatus, long>> CountByStatusAsync(CancellationToken cancellationToken)
    {
        using var session = StoreSession.Read(_store);
        IReadOnlyDictionary<PaymentStatus, long> counts = session.CountByStatus();
        return Task.FromResult(counts);
    }

    /// <summary>How many recorded signals have not been applied yet, across all orders.</summary>
    public Task<long> CountPendingSignalsAsync(CancellationToken cancellationToken)
    {
        using var session = StoreSession.Read(_store);
        return Task.FromResult(session.PendingSignalTotal());
    }

    /// <summary>The provider calls of the order that have not completed (with their attempts and last error).</summary>
    public Task<IReadOnlyList<PendingActivity>> GetPendingActivitiesAsync(OrderId orderId, CancellationToken cancellationToken)
    {
        using var session = StoreSession.Read(_store);
        IReadOnlyList<PendingActivity> pending = session.PendingActivities(orderId.Value);
        return Task.FromResult(pending);
    }

    /// <summary>
    /// Orders the dispatcher cannot step (their stored state or a recorded signal cannot be read, or the workflow
    /// throws), by id, after <paramref name="afterOrderId"/> (exclusive), at most <paramref name="limit"/>. Each is
    /// retried with a growing pause and leaves this list when a step succeeds. Reads no order's state, so an order
    /// whose state is unreadable (which <see cref="GetAsync"/> and <see cref="ListAsync"/> cannot show) is listed too.
    /// </summary>
    public Task<IReadOnlyList<FaultedOrder>> ListFaultsAsync(string? afterOrderId, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 1000);
        using var session = StoreSession.Read(_store);
        IReadOnlyList<FaultedOrder> page = session.ListFaults(afterOrderId, limit);
        return Task.FromResult(page);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Wakes on commits of the order in this process; checks the file at least every 500 ms while the dispatcher runs in
    /// another process (every 5 s while this one's holds the lease), so it also sees a dispatcher elsewhere.
    /// </remarks>
    public async Task<OrderPaymentSnapshot?> WaitForAsync(OrderId orderId, Func<OrderPaymentSnapshot, bool> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var elapsed = Stopwatch.StartNew();
        using var subscription = _changes.Follow(orderId.Value);
        var snapshot = await GetAsync(orderId, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            if (snapshot is null || condition(snapshot))
            {
                return snapshot;
            }

            var left = timeout - elapsed.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                return null;
            }

            var next = subscription.Next;
            if (subscription.NewerThan(snapshot.Version) is { } published)
            {
                snapshot = published;
                continue;
            }

            var interval = _changes.Complete ? LocalPoll : ExternalPoll;
            var poll = left < interval ? left : interval;
            await Task.WhenAny(next, Task.Delay(poll, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            snapshot = subscription.NewerThan(snapshot.Version)
                ?? (next.IsCompleted ? snapshot : await GetAsync(orderId, cancellationToken).ConfigureAwait(false));
        }
    }
}
