using OrderPayments.Application.Storefront;
using OrderPayments.Runtime.Storage;

namespace OrderPayments.Runtime.Notifications;

/// <summary>The storefront outbox in the runtime's SQLite file (events are written by the dispatcher, in each step's commit).</summary>
internal sealed class SqliteNotificationOutbox(RuntimeStore store) : INotificationOutbox
{
    public Task<IReadOnlyList<PendingDelivery>> DueAsync(DateTimeOffset now, int perEndpoint, CancellationToken cancellationToken)
    {
        using var session = StoreSession.Read(store);
        IReadOnlyList<PendingDelivery> due = session.DueDeliveries(now, perEndpoint);
        return Task.FromResult(due);
    }

    public async Task RecordAsync(IReadOnlyList<DeliveryResult> results, CancellationToken cancellationToken)
    {
        using var session = await StoreSession.WriteAsync(store, cancellationToken).ConfigureAwait(false);
        foreach (var result in results)
        {
            session.RecordDelivery(result);
        }

        session.Commit();
    }

    public Task<DateTimeOffset?> NextDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var session = StoreSession.Read(store);
        return Task.FromResult(session.NextDeliveryDue(now));
    }
}
