using OrderPayments.Application.Workflows;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Runtime.Storage;

/// <summary>
/// The order inbox of the SQLite file, as <see cref="SignalDoor"/> sees it, inside one write session: every call
/// completes synchronously, in the transaction that admits the signal. The embedded inbox is never closed (a final
/// order's signals are recorded and applied, unchanged, by the dispatcher), so <see cref="AbsorbAsync"/> never runs.
/// </summary>
internal sealed class SessionSignalInbox(StoreSession session) : ISignalInbox
{
    public ValueTask<RecordedSignal?> FindAsync(OrderId orderId, string dedupeKey, CancellationToken cancellationToken) =>
        ValueTask.FromResult(session.RecordedSignal(orderId.Value, dedupeKey) is var (outcome, rejection) ? new RecordedSignal(outcome, rejection) : null);

    public ValueTask<IReadOnlyList<WorkflowInput>> PendingAsync(OrderId orderId, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<WorkflowInput>>([.. session.PendingSignals(orderId.Value).Select(pending => pending.Input)]);

    public ValueTask<InboxAddResult> AddAsync(OrderId orderId, string dedupeKey, WorkflowInput signal, DateTimeOffset now, CancellationToken cancellationToken) =>
        ValueTask.FromResult(session.InsertSignal(orderId.Value, dedupeKey, signal, now) ? InboxAddResult.Added : InboxAddResult.Duplicate);

    public ValueTask AbsorbAsync(OrderId orderId, string dedupeKey, WorkflowInput signal, InputOutcome outcome, DateTimeOffset now, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("The embedded runtime's inbox is never closed.");
}
