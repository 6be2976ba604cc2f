using Azure.Data.Tables;
using OrderPayments.Durable.Notifications;
using OrderPayments.Durable.Orders;
using OrderPayments.Durable.Signals;

namespace OrderPayments.Durable;

/// <summary>The Durable interpreter's own tables (beside the task hub's): the signal inboxes, the orders, the storefront notifications. Each is created on first use.</summary>
public sealed class DurableStorage
{
    /// <summary>Creates the stores over <paramref name="service"/> with the tables <paramref name="options"/> names.</summary>
    public DurableStorage(TableServiceClient service, DurableOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(options);
        Inbox = new TableSignalInbox(service.GetTableClient(options.SignalsTable));
        Orders = new OrderTable(service.GetTableClient(options.OrdersTable));
        Notifications = new TableNotificationStore(service.GetTableClient(options.NotificationsTable), time);
    }

    /// <summary>The storefront notification endpoints and deliveries (what the management routes and the deliverer use).</summary>
    public Application.Storefront.INotificationEndpoints Endpoints => Notifications;

    /// <summary>The storefront notification outbox (what the deliverer works off).</summary>
    public Application.Storefront.INotificationOutbox Outbox => Notifications;

    /// <summary>Makes the configured endpoints the active ones from configuration (added, changed, or deleted when gone).</summary>
    public Task ConfigureEndpointsAsync(IReadOnlyDictionary<string, Application.Storefront.StorefrontDeliveryOptions.EndpointSettings> configured, CancellationToken cancellationToken) =>
        Notifications.ConfigureAsync(configured, cancellationToken);

    internal TableSignalInbox Inbox { get; }

    /// <summary>This process's per-order turns at the signal door.</summary>
    internal OrderLocks Locks { get; } = new();

    internal OrderTable Orders { get; }

    internal TableNotificationStore Notifications { get; }
}
