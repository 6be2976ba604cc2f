using OrderPayments.Application.Storefront;
using OrderPayments.Runtime.Storage;

namespace OrderPayments.Runtime.Notifications;

/// <summary>
/// The storefront notification endpoints and deliveries of the embedded runtime, for the API's management routes:
/// add (the secret is answered once), list, delete, send a test event, list deliveries, retry a failed one.
/// </summary>
public sealed class EmbeddedNotifications : INotificationEndpoints
{
    /// <summary>The source of endpoints added through the API.</summary>
    public const string ApiSource = "api";

    /// <summary>The source of endpoints from the configuration (<c>Notifications:Endpoints:{name}</c>).</summary>
    public const string ConfigurationSource = "configuration";

    private readonly RuntimeStore _store;
    private readonly TimeProvider _time;
    private readonly DeliverySignal _signal;

    internal EmbeddedNotifications(RuntimeStore store, TimeProvider time, DeliverySignal signal)
    {
        _store = store;
        _time = time;
        _signal = signal;
    }

    /// <inheritdoc />
    public async Task<(NotificationEndpoint Endpoint, string Secret)> AddAsync(Uri url, IReadOnlyList<string>? types, CancellationToken cancellationToken)
    {
        var id = "ep_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
        var secret = StandardWebhooks.NewSecret();
        var now = _time.GetUtcNow();
        using var session = await StoreSession.WriteAsync(_store, cancellationToken).ConfigureAwait(false);
        session.UpsertEndpoint(id, url, secret, types, ApiSource, now);
        session.Commit();
        return (new NotificationEndpoint(id, url, types, ApiSource, now), secret);
    }

    /// <summary>Makes the configured endpoints the active ones of source <see cref="ConfigurationSource"/> (added, changed, or deleted when gone).</summary>
    public async Task ConfigureAsync(IReadOnlyList<(string Id, Uri Url, string Secret, IReadOnlyList<string>? Types)> configured, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configured);
        var now = _time.GetUtcNow();
        using var session = await StoreSession.WriteAsync(_store, cancellationToken).ConfigureAwait(false);
        foreach (var gone in session.Endpoints(ConfigurationSource).Where(e => configured.All(c => c.Id != e.Id)))
        {
            session.DeleteEndpoint(gone.Id, now);
        }

        foreach (var (id, url, secret, types) in configured)
        {
            session.UpsertEndpoint(id, url, secret, types, ConfigurationSource, now);
        }

        session.Commit();
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<NotificationEndpoint>> ListAsync(CancellationToken cancellationToken)
    {
        using var session = StoreSession.Read(_store);
        return Task.FromResult<IReadOnlyList<NotificationEndpoint>>(session.Endpoints());
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        using var session = await StoreSession.WriteAsync(_store, cancellationToken).ConfigureAwait(false);
        var deleted = session.DeleteEndpoint(id, _time.GetUtcNow());
        session.Commit();
        return deleted;
    }

    /// <inheritdoc />
    public async Task<string?> SendTestAsync(string id, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        using var session = await StoreSession.WriteAsync(_store, cancellationToken).ConfigureAwait(false);
        if (session.Endpoints().All(e => e.Id != id))
        {
            return null;
        }

        var test = StorefrontEvents.Test("evt_test_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)), now);
        session.InsertEventFor(id, "", test, now);
        session.Commit();
        _signal.Work.Set();
        return test.Id;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DeliveryRecord>> DeliveriesAsync(string status, string? endpointId, int limit, CancellationToken cancellationToken)
    {
        using var session = StoreSession.Read(_store);
        return Task.FromResult<IReadOnlyList<DeliveryRecord>>(session.Deliveries(status, endpointId, limit));
    }

    /// <inheritdoc />
    public async Task<bool> RetryAsync(string endpointId, string eventId, CancellationToken cancellationToken)
    {
        using var session = await StoreSession.WriteAsync(_store, cancellationToken).ConfigureAwait(false);
        var retried = session.RetryDelivery(endpointId, eventId, _time.GetUtcNow());
        session.Commit();
        if (retried)
        {
            _signal.Work.Set();
        }

        return retried;
    }
}
