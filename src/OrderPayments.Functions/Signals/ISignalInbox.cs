namespace OrderPayments.Functions.Signals;

/// <summary>
/// The durable inbox of each order's signals (shipments, cancellations, refunds, new attempts, provider
/// notifications). A signal is accepted only once it is recorded here; the orchestration's external event is then
/// only a doorbell that makes it drain the inbox. So a doorbell the engine drops (across <c>ContinueAsNew</c>, or
/// raised as the orchestration ends) loses nothing: every generation drains at its start, and an order ends only by
/// closing its inbox when nothing is left in it.
/// </summary>
internal interface ISignalInbox
{
    /// <summary>
    /// Opens the order's inbox (idempotent). Called before the order's orchestration is scheduled, so the inbox is open
    /// before any signal can be sent, and only ever opened once: a closed inbox is never opened again.
    /// </summary>
    Task OpenAsync(string orderId, CancellationToken cancellationToken);

    /// <summary>
    /// Records a signal for the order, unless one with the same dedupe key was recorded before (answers
    /// <see cref="InboxAddResult.Duplicate"/> with its outcome) or the inbox is closed (nothing recorded). Signals keep
    /// the order they were recorded in. Safe against concurrent adds from any number of hosts.
    /// </summary>
    Task<InboxAdd> AddAsync(string orderId, Functions.SignalEnvelope envelope, CancellationToken cancellationToken);

    /// <summary>
    /// The signals recorded and not yet marked applied, in inbox order (some may already be in the order's published
    /// state while their outcomes wait for the next drain; applying them again changes nothing).
    /// </summary>
    Task<IReadOnlyList<InboxSignal>> PendingAsync(string orderId, CancellationToken cancellationToken);

    /// <summary>
    /// Records the outcomes of applied signals, then answers those still to apply in inbox order; with
    /// <see cref="DrainRequest.Close"/>, closes the inbox when none is left, atomically with respect to
    /// <see cref="AddAsync"/> (an add either lands before the close and is answered, or is refused). Idempotent: the
    /// orchestration may run it more than once.
    /// </summary>
    Task<DrainResult> DrainAsync(DrainRequest request, CancellationToken cancellationToken);
}
