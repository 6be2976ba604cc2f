namespace OrderPayments.Application.Storefront;

/// <summary>
/// The durable outbox of storefront events and their deliveries, one per (endpoint, event), written in the same commit
/// as the step that caused the event. Implemented over the embedded runtime's SQLite file.
/// </summary>
public interface INotificationOutbox
{
    /// <summary>
    /// Deliveries due at <paramref name="now"/>, at most <paramref name="perEndpoint"/> for each endpoint, the longest
    /// due first: for each endpoint and order only the oldest one not delivered yet (an order's events reach an
    /// endpoint in order; one that fails holds back that order's later ones for that endpoint, not other orders' or
    /// other endpoints'). Counted per endpoint, so a dead endpoint's backlog never crowds another endpoint's events out
    /// of the answer.
    /// </summary>
    Task<IReadOnlyList<PendingDelivery>> DueAsync(DateTimeOffset now, int perEndpoint, CancellationToken cancellationToken);

    /// <summary>Records attempts' results (delivered, retry later, or failed for good), together (one commit where the store has them).</summary>
    Task RecordAsync(IReadOnlyList<DeliveryResult> results, CancellationToken cancellationToken);

    /// <summary>When the next delivery becomes due after <paramref name="now"/>; null when none waits.</summary>
    Task<DateTimeOffset?> NextDueAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
