using System.Diagnostics;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using OrderPayments.Application.Workflows;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;
using OrderPayments.Durable.Orchestration;

namespace OrderPayments.Durable;

/// <summary>
/// The workflow client over the Durable Task client: an order is the orchestration whose instance id is the order id.
/// Its current state is the custom status the orchestration publishes after every step (bounded: a large order's lists
/// are completed from the orders table); once a finished order's instance is purged, the orders table answers for it.
/// Signals pass the shared <see cref="SignalDoor"/> into the order's durable inbox before they are answered as accepted;
/// the doorbell event then carries the signal to the orchestration.
/// </summary>
public sealed class DurableOrderPaymentClient : IOrderPaymentClient
{
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxPoll = TimeSpan.FromMilliseconds(500);

    private readonly DurableTaskClient _client;
    private readonly OrderPaymentWorkflow _workflow;
    private readonly SignalDoor _door;
    private readonly DurableStorage _storage;
    private readonly TimeProvider _time;
    private readonly bool _notify;

    internal DurableOrderPaymentClient(DurableTaskClient client, OrderPaymentWorkflow workflow, SignalDoor door, DurableStorage storage, TimeProvider time, bool notify)
    {
        _client = client;
        _workflow = workflow;
        _door = door;
        _storage = storage;
        _time = time;
        _notify = notify;
    }

    /// <summary>Starts the order's payment with no caller named.</summary>
    public Task<StartOutcome> StartAsync(PaymentRequest request, CancellationToken cancellationToken) => StartAsync(request, null, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// The order's inbox is opened and its row written before its orchestration is scheduled, so a signal can be
    /// recorded as soon as the start is answered. A start that crashed after the row was written and before the
    /// orchestration was scheduled is completed by the same request again.
    /// </remarks>
    public async Task<StartOutcome> StartAsync(PaymentRequest request, string? by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = request.Validate();
        if (errors.Count > 0)
        {
            return new StartOutcome(StartResult.Invalid, null, errors);
        }

        var id = request.OrderId.Value;
        if (await _client.GetInstanceAsync(id, getInputsAndOutputs: true, cancellationToken) is { } instance
            && await SnapshotAsync(request.OrderId, instance, pending: false, cancellationToken) is { } existing)
        {
            return Existing(existing, request);
        }

        var now = _time.GetUtcNow();
        var first = _workflow.Start(request, now, by);
        await _storage.Inbox.OpenAsync(id, cancellationToken);
        if (!await _storage.Orders.InsertAsync(new SavedOrder(first.State, OrderVersions.Started, now), cancellationToken)
            && await _storage.Orders.GetAsync(id, cancellationToken) is { } row
            && (row.Purged || row.Version > OrderVersions.Started || row.State.Request != request))
        {
            // Started before (a purged order, or another request), not the same start crashed before it was scheduled.
            return Existing(new OrderPaymentSnapshot(row.State, row.Version, row.UpdatedAt, 0), request);
        }

        try
        {
            await _client.ScheduleNewOrchestrationInstanceAsync(
                OrchestrationNames.Orchestrator,
                new OrchestratorInput(request, null, By: by, Notify: _notify).ToJson(),
                new StartOrchestrationOptions(id),
                cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Another request may have started the same order a moment earlier; otherwise the start failed (the same
            // request again completes it: the row stays at its first version until the orchestration runs).
            if (await _client.GetInstanceAsync(id, getInputsAndOutputs: true, cancellationToken) is { } raced
                && await SnapshotAsync(request.OrderId, raced, pending: false, cancellationToken) is { } snapshot)
            {
                return Existing(snapshot, request);
            }

            throw;
        }

        return new StartOutcome(StartResult.Started, new OrderPaymentSnapshot(first.State, OrderVersions.Started, now, 0), []);
    }

    /// <inheritdoc />
    public async Task<SignalOutcome> RaiseAsync(OrderId orderId, WorkflowInput signal, string dedupeKey, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dedupeKey);
        using var turn = await _storage.Locks.TakeAsync(orderId.Value, cancellationToken);
        var doorway = _storage.Inbox.Doorway(orderId);
        var outcome = await _door.RaiseAsync(
            doorway,
            async ct => (await DoorStateAsync(orderId, ct))?.State,
            orderId,
            signal,
            dedupeKey,
            cancellationToken);
        if (outcome.Result == SignalResult.Accepted)
        {
            // Recorded now: the doorbell carries the signal and its place. Recorded before and not applied yet: ring
            // again without it, in case the first ring never came (a crash after the add); the orchestration drains.
            var bell = outcome.Repeated || doorway.Sequence == 0 ? new Doorbell(0, dedupeKey, signal) : new Doorbell(doorway.Sequence, dedupeKey, signal);
            await RingAsync(orderId, bell, cancellationToken);
        }

        return outcome;
    }

    /// <inheritdoc />
    /// <remarks>
    /// References are <c>{orderId}-{attempt}</c>, so the order is the text before the last dash, checked against the
    /// order's attempts. References of order ids too long to fit were shortened by a hash and cannot be traced back
    /// here: their notifications are ignored and the order learns by polling.
    /// </remarks>
    public async Task<OrderId?> FindByReferenceAsync(PaymentReference reference, CancellationToken cancellationToken)
    {
        var dash = reference.Value.LastIndexOf('-');
        if (dash <= 0 || !OrderId.TryParse(reference.Value[..dash], out var candidate, out _))
        {
            return null;
        }

        return await SnapshotAsync(candidate, pending: false, cancellationToken) is { } snapshot
            && Enumerable.Range(1, snapshot.State.Attempt).Any(attempt => PaymentReference.For(candidate, attempt) == reference)
                ? candidate
                : null;
    }

    /// <inheritdoc />
    public Task<OrderPaymentSnapshot?> GetAsync(OrderId orderId, CancellationToken cancellationToken) => SnapshotAsync(orderId, pending: true, cancellationToken);

    /// <inheritdoc />
    /// <remarks>Reads the order's published status at growing intervals (50 ms doubling to 500 ms) until it satisfies the condition.</remarks>
    public async Task<OrderPaymentSnapshot?> WaitForAsync(OrderId orderId, Func<OrderPaymentSnapshot, bool> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var elapsed = Stopwatch.StartNew();
        var poll = FirstPoll;
        while (true)
        {
            var snapshot = await SnapshotAsync(orderId, pending: false, cancellationToken);
            if (snapshot is null || condition(snapshot))
            {
                return snapshot;
            }

            var left = timeout - elapsed.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                return null;
            }

            await Task.Delay(left < poll ? left : poll, _time, cancellationToken);
            poll = poll * 2 < MaxPoll ? poll * 2 : MaxPoll;
        }
    }

    /// <inheritdoc />
    /// <remarks>From the orders table (a range of partitions, in id order): each order as its orchestration last saved it (at most one step behind its published status).</remarks>
    public async Task<IReadOnlyList<OrderPaymentSnapshot>> ListAsync(PaymentStatus? status, OrderId? afterOrderId, int limit, CancellationToken cancellationToken) =>
        [.. (await _storage.Orders.ListAsync(status, afterOrderId?.Value, limit, cancellationToken))
            .Select(row => new OrderPaymentSnapshot(row.State, row.Version, row.UpdatedAt, 0))];

    private Task RingAsync(OrderId orderId, Doorbell bell, CancellationToken cancellationToken) =>
        _client.RaiseEventAsync(orderId.Value, OrchestrationNames.SignalEvent, bell.ToJson(), cancellationToken);

    /// <summary>The state the door judges a signal against: the published one (bounded, but whole in its amounts and status).</summary>
    private async Task<OrderPaymentSnapshot?> DoorStateAsync(OrderId orderId, CancellationToken cancellationToken)
    {
        var instance = await _client.GetInstanceAsync(orderId.Value, getInputsAndOutputs: true, cancellationToken);
        if (instance is not null && Published(instance) is { State: { } state } published)
        {
            return new OrderPaymentSnapshot(state, published.Version, published.UpdatedAt, 0);
        }

        return await SnapshotAsync(orderId, instance, pending: false, cancellationToken);
    }

    private async Task<OrderPaymentSnapshot?> SnapshotAsync(OrderId orderId, bool pending, CancellationToken cancellationToken) =>
        await SnapshotAsync(orderId, await _client.GetInstanceAsync(orderId.Value, getInputsAndOutputs: true, cancellationToken), pending, cancellationToken);

    /// <summary>
    /// The order's state: the published status; when it left out entries of its lists, the orders table's row if that
    /// has caught up with it; before the first status, the state the orchestration starts from; without an instance
    /// (purged, or a start that did not get to schedule it), the orders table's row.
    /// </summary>
    private async Task<OrderPaymentSnapshot?> SnapshotAsync(OrderId orderId, OrchestrationMetadata? instance, bool pending, CancellationToken cancellationToken)
    {
        if (instance is null)
        {
            return await _storage.Orders.GetAsync(orderId.Value, cancellationToken) is { } row
                ? new OrderPaymentSnapshot(row.State, row.Version, row.UpdatedAt, 0)
                : null;
        }

        var published = Published(instance);
        var pendingSignals = pending && instance.RuntimeStatus is not (OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Terminated or OrchestrationRuntimeStatus.Failed)
            ? await _storage.Inbox.CountPendingAsync(orderId.Value, published?.LastSequence ?? 0, cancellationToken)
            : 0;
        if (published is not null)
        {
            if (published.Trimmed is null && published.State is { } whole)
            {
                return new OrderPaymentSnapshot(whole, published.Version, published.UpdatedAt, pendingSignals);
            }

            // A large order: its whole state is in its row once the sync after this step saved it; until then the newest
            // entries of its lists (or, for an order whose request alone is too large to publish, its row as last saved).
            var saved = await _storage.Orders.GetAsync(orderId.Value, cancellationToken);
            return saved is not null && (saved.Version >= published.Version || published.State is null)
                ? new OrderPaymentSnapshot(saved.State, saved.Version, saved.UpdatedAt, pendingSignals)
                : published.State is { } newest
                    ? new OrderPaymentSnapshot(newest, published.Version, published.UpdatedAt, pendingSignals)
                    : null;
        }

        // No status yet: a generation that has not run its first step. Its input holds what it starts from: the carried
        // state after ContinueAsNew (exactly the last one published), or the request of a new order.
        return OrchestratorInput.TryRead(instance.SerializedInput) switch
        {
            { State: { } carried } input => new OrderPaymentSnapshot(carried, input.Version, input.UpdatedAt ?? instance.LastUpdatedAt, pendingSignals),
            { Request: { } request } input => new OrderPaymentSnapshot(_workflow.Start(request, instance.CreatedAt, input.By).State, OrderVersions.Started, instance.CreatedAt, pendingSignals),
            _ => await _storage.Orders.GetAsync(orderId.Value, cancellationToken) is { } row
                ? new OrderPaymentSnapshot(row.State, row.Version, row.UpdatedAt, pendingSignals)
                : null,
        };
    }

    /// <summary>The instance's published status; null while it has none (a new generation clears it until its first step: the Azure Storage backend then answers a JSON null).</summary>
    private static PublishedStatus? Published(OrchestrationMetadata instance) =>
        instance.SerializedCustomStatus is { Length: > 0 } && instance.ReadCustomStatusAs<string>() is { Length: > 0 } json
            ? PublishedStatus.FromJson(json)
            : null;

    private static StartOutcome Existing(OrderPaymentSnapshot snapshot, PaymentRequest request) =>
        snapshot.State.Request == request
            ? new StartOutcome(StartResult.AlreadyStarted, snapshot, [])
            : new StartOutcome(StartResult.Conflict, snapshot, [new InputRejection(
                RejectionReason.Conflict,
                $"Order {request.OrderId} already has a payment (status {snapshot.State.Status}) for a different request.",
                "orderId")]);
}
