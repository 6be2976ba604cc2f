using System.Diagnostics;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using OrderPayments.Application.Workflows;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;
using OrderPayments.Functions.Signals;

namespace OrderPayments.Functions;

/// <summary>
/// The workflow client over the Durable Task client: an order is the orchestration whose instance id is the order id;
/// its state is read from the custom status the orchestrator publishes after every step. A signal is recorded in the
/// order's durable inbox (deduplicated there by its key) before it is answered as accepted, then the doorbell event
/// <see cref="OrchestrationNames.SignalEvent"/> makes the orchestration drain the inbox.
/// </summary>
public sealed class DurableOrderPaymentClient : IOrderPaymentClient
{
    private readonly DurableTaskClient _client;
    private readonly OrderPaymentWorkflow _workflow;
    private readonly TimeProvider _time;
    private readonly ISignalInbox _inbox;
    private readonly bool _notify;

    /// <summary>Creates the client for one function invocation's <see cref="DurableTaskClient"/>; <paramref name="notify"/>: orders started record storefront events.</summary>
    internal DurableOrderPaymentClient(DurableTaskClient client, OrderPaymentWorkflow workflow, TimeProvider time, ISignalInbox inbox, bool notify = false)
    {
        _notify = notify;
        _client = client;
        _workflow = workflow;
        _time = time;
        _inbox = inbox;
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

        var id = request.OrderId.Value;
        if (await _client.GetInstanceAsync(id, getInputsAndOutputs: true, cancellationToken) is { } existing)
        {
            return Existing(existing, request);
        }

        var now = _time.GetUtcNow();
        var first = _workflow.Start(request, now, by);
        // Before the orchestration exists (and so before any signal can be sent to it), never after its close.
        await _inbox.OpenAsync(id, cancellationToken);
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
            // Another request may have started the same order a moment earlier.
            if (await _client.GetInstanceAsync(id, getInputsAndOutputs: true, cancellationToken) is { } raced)
            {
                return Existing(raced, request);
            }

            throw;
        }

        return new StartOutcome(StartResult.Started, new OrderPaymentSnapshot(first.State, 1, now, 0), []);
    }

    /// <inheritdoc />
    public async Task<SignalOutcome> RaiseAsync(OrderId orderId, WorkflowInput signal, string dedupeKey, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dedupeKey);
        if (await GetAsync(orderId, cancellationToken) is not { } snapshot)
        {
            return new SignalOutcome(SignalResult.NotFound);
        }

        // Refuse at once what the order refuses with every signal recorded before this one applied (the first recorded
        // wins); the orchestrator decides again when it applies the signal, and keeps a refusal visible.
        var before = await _inbox.PendingAsync(orderId.Value, cancellationToken);
        if (_workflow.Admit(snapshot.State, before.Select(pending => pending.Signal), signal, _time.GetUtcNow()) is { } rejection)
        {
            return new SignalOutcome(SignalResult.Rejected, rejection);
        }

        var added = await _inbox.AddAsync(orderId.Value, new SignalEnvelope(signal, dedupeKey), cancellationToken);
        switch (added.Result)
        {
            case InboxAddResult.Closed:
                return new SignalOutcome(SignalResult.Rejected, new InputRejection(
                    RejectionReason.NotAllowed,
                    $"Order {orderId} has ended ({snapshot.State.Status}); it takes no more signals."));
            case InboxAddResult.Duplicate:
                if (added.Applied is null)
                {
                    // Recorded and not applied yet: ring again, in case the first ring never came (a crash after the add).
                    await RingAsync(orderId, dedupeKey, cancellationToken);
                }

                return SignalAdmission.Repeat(added.Applied?.Outcome, added.Applied?.Rejection);
            default:
                await RingAsync(orderId, dedupeKey, cancellationToken);
                return new SignalOutcome(SignalResult.Accepted);
        }
    }

    private Task RingAsync(OrderId orderId, string dedupeKey, CancellationToken cancellationToken) =>
        _client.RaiseEventAsync(orderId.Value, OrchestrationNames.SignalEvent, dedupeKey, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// References are <c>{orderId}-{attempt}</c>, so the order is the text before the last dash, checked against the
    /// instance's attempts. References of order ids too long to fit were shortened by a hash and cannot be traced back
    /// here: their notifications are ignored and the order learns by polling.
    /// </remarks>
    public async Task<OrderId?> FindByReferenceAsync(PaymentReference reference, CancellationToken cancellationToken)
    {
        var dash = reference.Value.LastIndexOf('-');
        if (dash <= 0 || !OrderId.TryParse(reference.Value[..dash], out var candidate, out _))
        {
            return null;
        }

        return await GetAsync(candidate, cancellationToken) is { } snapshot
            && Enumerable.Range(1, snapshot.State.Attempt).Any(attempt => PaymentReference.For(candidate, attempt) == reference)
                ? candidate
                : null;
    }

    /// <inheritdoc />
    public async Task<OrderPaymentSnapshot?> GetAsync(OrderId orderId, CancellationToken cancellationToken)
    {
        var instance = await _client.GetInstanceAsync(orderId.Value, getInputsAndOutputs: true, cancellationToken);
        return instance is null ? null : Snapshot(instance);
    }

    /// <inheritdoc />
    public async Task<OrderPaymentSnapshot?> WaitForAsync(OrderId orderId, Func<OrderPaymentSnapshot, bool> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            var snapshot = await GetAsync(orderId, cancellationToken);
            if (snapshot is null || condition(snapshot))
            {
                return snapshot;
            }

            var left = timeout - elapsed.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                return null;
            }

            await Task.Delay(left < TimeSpan.FromMilliseconds(250) ? left : TimeSpan.FromMilliseconds(250), cancellationToken);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OrderPaymentSnapshot>> ListAsync(PaymentStatus? status, OrderId? afterOrderId, int limit, CancellationToken cancellationToken)
    {
        // Instances come in the store's order; the page is made here (fine for operator use, not for bulk export).
        var page = new List<OrderPaymentSnapshot>();
        var query = new OrchestrationQuery { FetchInputsAndOutputs = true, PageSize = 100 };
        await foreach (var instance in _client.GetAllInstancesAsync(query).WithCancellation(cancellationToken))
        {
            if (Snapshot(instance) is { } snapshot
                && (status is null || snapshot.State.Status == status)
                && (afterOrderId is null || string.CompareOrdinal(instance.InstanceId, afterOrderId.Value.Value) > 0))
            {
                page.Add(snapshot);
            }
        }

        return [.. page.OrderBy(s => s.State.OrderId.Value, StringComparer.Ordinal).Take(limit)];
    }

    private StartOutcome Existing(OrchestrationMetadata existing, PaymentRequest request)
    {
        var snapshot = Snapshot(existing) ?? new OrderPaymentSnapshot(_workflow.Start(request, _time.GetUtcNow()).State, 0, _time.GetUtcNow(), 0);
        var input = ReadInput(existing.SerializedInput);
        var sameRequest = (input?.Request ?? input?.State?.Request) == request;
        return sameRequest
            ? new StartOutcome(StartResult.AlreadyStarted, snapshot, [])
            : new StartOutcome(StartResult.Conflict, snapshot, [new InputRejection(
                RejectionReason.Conflict,
                $"Order {request.OrderId} already has a payment (status {snapshot.State.Status}) for a different request.",
                "orderId")]);
    }

    /// <summary>
    /// The order's state from the custom status; before the orchestrator published one, the state it starts from
    /// (computed from its input). Null for an instance that is not an order's.
    /// </summary>
    private OrderPaymentSnapshot? Snapshot(OrchestrationMetadata instance)
    {
        if (instance.SerializedCustomStatus is { Length: > 0 })
        {
            var published = PublishedStatus.FromJson(instance.ReadCustomStatusAs<string>() ?? instance.SerializedCustomStatus);
            return new OrderPaymentSnapshot(published.State, published.Version, published.UpdatedAt, 0);
        }

        return ReadInput(instance.SerializedInput)?.Request is { } request
            ? new OrderPaymentSnapshot(_workflow.Start(request, instance.CreatedAt).State, 0, instance.CreatedAt, 0)
            : null;
    }

    private static OrchestratorInput? ReadInput(string? serializedInput)
    {
        if (serializedInput is null)
        {
            return null;
        }

        try
        {
            // The input is the JSON text of OrchestratorInput, serialized once more as a JSON string by the framework.
            var text = System.Text.Json.JsonSerializer.Deserialize<string>(serializedInput) ?? serializedInput;
            return OrchestratorInput.FromJson(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
