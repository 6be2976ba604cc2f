using OrderPayments.Application.Workflows;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Durable.Signals;

/// <summary>
/// One order's inbox as the signal door sees it for one signal: read in one query on first use (the signal's own row,
/// the pending signals, the open marker), and added to on the condition that it has not changed since. Not thread-safe:
/// one per <see cref="SignalDoor.RaiseAsync"/>.
/// </summary>
internal sealed class InboxDoorway(TableSignalInbox inbox, string orderId) : ISignalInbox
{
    private TableSignalInbox.InboxView? _view;
    private string? _key;

    /// <summary>The place the signal was added at (0 until it was).</summary>
    public long Sequence { get; private set; }

    public async ValueTask<RecordedSignal?> FindAsync(OrderId orderId, string dedupeKey, CancellationToken cancellationToken)
    {
        // Each pass of the door starts here: read the inbox as it is now.
        _key = dedupeKey;
        _view = await inbox.ReadAsync(orderId.Value, dedupeKey, cancellationToken);
        return _view.Recorded;
    }

    public async ValueTask<IReadOnlyList<WorkflowInput>> PendingAsync(OrderId orderId, CancellationToken cancellationToken) =>
        [.. (await ViewAsync(cancellationToken)).Pending.Select(p => p.Signal)];

    public async ValueTask<InboxAddResult> AddAsync(OrderId orderId, string dedupeKey, WorkflowInput signal, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (result, sequence) = await inbox.AddAsync(orderId.Value, await ViewAsync(cancellationToken), dedupeKey, signal, now, cancellationToken);
        Sequence = sequence;
        return result;
    }

    public async ValueTask AbsorbAsync(OrderId orderId, string dedupeKey, WorkflowInput signal, InputOutcome outcome, DateTimeOffset now, CancellationToken cancellationToken) =>
        await inbox.AbsorbAsync(orderId.Value, dedupeKey, signal, outcome, now, cancellationToken);

    private async ValueTask<TableSignalInbox.InboxView> ViewAsync(CancellationToken cancellationToken) =>
        _view ??= await inbox.ReadAsync(orderId, _key, cancellationToken);
}
