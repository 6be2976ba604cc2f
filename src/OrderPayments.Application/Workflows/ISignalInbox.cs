using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Application.Workflows;

/// <summary>
/// An interpreter's durable inbox of each order's signals, as <see cref="SignalDoor"/> uses it: a signal is accepted
/// only once it is recorded here, once per dedupe key, and applied later in the order recorded. Implemented over the
/// embedded runtime's SQLite file (inside the transaction that admits the signal) and over an Azure Storage table by the
/// Durable interpreter.
/// </summary>
public interface ISignalInbox
{
    /// <summary>The signal recorded under <paramref name="dedupeKey"/> for the order, with its outcome once applied; null when none is (or no longer is) recorded.</summary>
    ValueTask<RecordedSignal?> FindAsync(OrderId orderId, string dedupeKey, CancellationToken cancellationToken);

    /// <summary>The order's signals recorded and not yet applied, in the order recorded.</summary>
    ValueTask<IReadOnlyList<WorkflowInput>> PendingAsync(OrderId orderId, CancellationToken cancellationToken);

    /// <summary>
    /// Records the signal after every one recorded before it, unless its key was recorded meanwhile
    /// (<see cref="InboxAddResult.Duplicate"/>) or the order has ended and its inbox is closed
    /// (<see cref="InboxAddResult.Closed"/>); then nothing is recorded.
    /// </summary>
    ValueTask<InboxAddResult> AddAsync(OrderId orderId, string dedupeKey, WorkflowInput signal, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Records a signal for an order whose inbox is closed as already applied with <paramref name="outcome"/> (a final
    /// order absorbs what it does not refuse), so that a retry of it is answered with that outcome. Idempotent.
    /// </summary>
    ValueTask AbsorbAsync(OrderId orderId, string dedupeKey, WorkflowInput signal, InputOutcome outcome, DateTimeOffset now, CancellationToken cancellationToken);
}
