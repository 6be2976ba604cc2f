using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using OrderPayments.Application.Http;
using OrderPayments.Application.Storefront;

namespace OrderPayments.Functions.Notifications;

/// <summary>
/// Storefront notifications of the Functions app in an Azure Storage table (the app's own account): endpoints in one
/// partition, and per order one row per (endpoint, event) delivery, written by the orchestration's
/// <c>RecordStorefrontEvents</c> activity (idempotent by event id) and worked off by the timer-triggered deliverer.
/// </summary>
internal sealed class TableNotificationStore : INotificationOutbox, INotificationEndpoints
{
    /// <summary>The default table name.</summary>
    public const string DefaultTableName = "OrderPaymentNotifications";

    private const string EndpointsPartition = "~endpoints";
    private const string TestPartition = "~test";

    private readonly TableClient _table;
    private readonly TimeProvider _time;
    private readonly Lazy<Task> _created;

    public TableNotificationStore(TableClient table, TimeProvider time)
    {
        _table = table;
        _time = time;
        _created = new Lazy<Task>(() => _table.CreateIfNotExistsAsync());
    }

    /// <summary>Records the events of a step for every active endpoint that wants them; recording one again changes nothing.</summary>
    public async Task RecordEventsAsync(string orderId, IReadOnlyList<(long Sequence, StorefrontEvent Event)> events, CancellationToken cancellationToken)
    {
        await _created.Value;
        var endpoints = await ActiveEndpointsAsync(cancellationToken);
        var now = _time.GetUtcNow();
        foreach (var (sequence, storefrontEvent) in events)
        {
            foreach (var endpoint in endpoints.Where(e => e.Types is null || e.Types.Contains(storefrontEvent.Type)))
            {
                await AddDeliveryAsync(orderId, endpoint.Id, sequence, storefrontEvent, now, cancellationToken);
            }
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PendingDelivery>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        var endpoints = (await ActiveEndpointsAsync(cancellationToken)).ToDictionary(e => e.Id, StringComparer.Ordinal);
        var heads = await PendingHeadsAsync(cancellationToken);
        return [.. heads
            .Where(row => row.GetDateTimeOffset(Fields.NextAttemptAt) <= now && endpoints.ContainsKey(row.GetString(Fields.EndpointId)))
            .OrderBy(row => row.GetDateTimeOffset(Fields.NextAttemptAt)).ThenBy(row => row.GetInt64(Fields.Sequence))
            .Take(limit)
            .Select(row => new PendingDelivery(
                row.GetString(Fields.EndpointId),
                endpoints[row.GetString(Fields.EndpointId)].Url,
                endpoints[row.GetString(Fields.EndpointId)].Secret,
                row.GetInt64(Fields.Sequence)!.Value,
                row.GetString(Fields.EventId),
                row.PartitionKey,
                row.GetString(Fields.Body),
                row.GetInt32(Fields.Attempts) ?? 0,
                row.GetDateTimeOffset(Fields.Since)!.Value))];
    }

    /// <inheritdoc />
    public async Task RecordAsync(IReadOnlyList<DeliveryResult> results, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(results);
        foreach (var result in results)
        {
            await RecordAsync(result, cancellationToken);
        }
    }

    private async Task RecordAsync(DeliveryResult result, CancellationToken cancellationToken)
    {
        await _created.Value;
        var delivery = result.Delivery;
        var update = new TableEntity(delivery.OrderId, DeliveryKey(delivery.EndpointId, delivery.Sequence))
        {
            [Fields.Status] = result.Outcome switch { DeliveryOutcome.Delivered => "delivered", DeliveryOutcome.Failed => "failed", _ => "pending" },
            [Fields.Attempts] = delivery.Attempts + 1,
            [Fields.NextAttemptAt] = result.RetryAt ?? result.At,
            [Fields.LastError] = result.Error,
            [Fields.DoneAt] = result.Outcome == DeliveryOutcome.RetryLater ? null : result.At,
        };
        try
        {
            await _table.UpdateEntityAsync(update, ETag.All, TableUpdateMode.Merge, cancellationToken);
        }
        catch (RequestFailedException failure) when (failure.Status == 404)
        {
            // Its endpoint was deleted meanwhile (and its deliveries with it).
        }
    }

    /// <inheritdoc />
    public async Task<DateTimeOffset?> NextDueAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        (await PendingHeadsAsync(cancellationToken))
            .Select(row => row.GetDateTimeOffset(Fields.NextAttemptAt)!.Value)
            .Where(at => at > now)
            .Order()
            .Select(at => (DateTimeOffset?)at)
            .FirstOrDefault();

    /// <inheritdoc />
    public async Task<(NotificationEndpoint Endpoint, string Secret)> AddAsync(Uri url, IReadOnlyList<string>? types, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        var id = "ep_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = StandardWebhooks.NewSecret();
        var endpoint = new NotificationEndpoint(id, url, types, "api", _time.GetUtcNow());
        await UpsertEndpointAsync(endpoint, secret, cancellationToken);
        return (endpoint, secret);
    }

    /// <summary>Makes the configured endpoints the active ones from configuration (added, changed, or deleted when gone).</summary>
    public async Task ConfigureAsync(IReadOnlyDictionary<string, StorefrontDeliveryOptions.EndpointSettings> configured, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configured);
        await _created.Value;
        foreach (var gone in (await EndpointRowsAsync(cancellationToken)).Where(e => e.Source == "configuration" && !configured.ContainsKey(e.Id)))
        {
            await DeleteEndpointAsync(gone.Id, cancellationToken);
        }

        foreach (var (id, settings) in configured)
        {
            var types = settings.Types is { Count: > 0 } list ? (IReadOnlyList<string>)list : null;
            await UpsertEndpointAsync(new NotificationEndpoint(id, new Uri(settings.Url!), types, "configuration", _time.GetUtcNow()), settings.Secret!, cancellationToken);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<NotificationEndpoint>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await ActiveEndpointsAsync(cancellationToken)).Select(e => new NotificationEndpoint(e.Id, e.Url, e.Types, e.Source, e.CreatedAt)).OrderBy(e => e.Id, StringComparer.Ordinal)];

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) => DeleteEndpointAsync(id, cancellationToken);

    /// <inheritdoc />
    public async Task<string?> SendTestAsync(string id, CancellationToken cancellationToken)
    {
        if ((await ActiveEndpointsAsync(cancellationToken)).All(e => e.Id != id))
        {
            return null;
        }

        var now = _time.GetUtcNow();
        var test = StorefrontEvents.Test("evt_test_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), now);
        await AddDeliveryAsync(TestPartition, id, now.UtcTicks, test, now, cancellationToken);
        return test.Id;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DeliveryRecord>> DeliveriesAsync(string status, string? endpointId, int limit, CancellationToken cancellationToken)
    {
        await _created.Value;
        var filter = endpointId is null
            ? TableClient.CreateQueryFilter($"Status eq {status}")
            : TableClient.CreateQueryFilter($"Status eq {status} and EndpointId eq {endpointId}");
        var rows = new List<TableEntity>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        return [.. rows
            .OrderBy(r => r.GetInt64(Fields.Sequence)).ThenBy(r => r.PartitionKey, StringComparer.Ordinal)
            .Take(limit)
            .Select(r => new DeliveryRecord(
                r.GetString(Fields.EndpointId), r.GetString(Fields.EventId), r.PartitionKey == TestPartition ? "" : r.PartitionKey, r.GetString(Fields.Type),
                r.GetString(Fields.Status), r.GetInt32(Fields.Attempts) ?? 0, r.GetString(Fields.LastError),
                r.GetString(Fields.Status) == "pending" ? r.GetDateTimeOffset(Fields.NextAttemptAt) : null, r.GetDateTimeOffset(Fields.DoneAt)))];
    }

    /// <inheritdoc />
    public async Task<bool> RetryAsync(string endpointId, string eventId, CancellationToken cancellationToken)
    {
        await _created.Value;
        var filter = TableClient.CreateQueryFilter($"Status eq {"failed"} and EndpointId eq {endpointId} and EventId eq {eventId}");
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            var now = _time.GetUtcNow();
            row[Fields.Status] = "pending";
            row[Fields.Attempts] = 0;
            row[Fields.NextAttemptAt] = now;
            row[Fields.Since] = now;
            row[Fields.DoneAt] = null;
            await _table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Merge, cancellationToken);
            return true;
        }

        return false;
    }

    /// <summary>The row key of a delivery: the endpoint, then the event's place (so an order's rows sort by endpoint and order).</summary>
    private static string DeliveryKey(string endpointId, long sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"{endpointId}|{sequence:D20}");

    /// <summary>The oldest pending delivery of each (order, endpoint): only these may be sent.</summary>
    private async Task<List<TableEntity>> PendingHeadsAsync(CancellationToken cancellationToken)
    {
        await _created.Value;
        var rows = new List<TableEntity>();
        await foreach (var row in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"Status eq {"pending"}"), cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        return [.. rows
            .GroupBy(row => (row.PartitionKey, row.GetString(Fields.EndpointId)))
            .Select(group => group.MinBy(row => row.GetInt64(Fields.Sequence))!)];
    }

    private async Task AddDeliveryAsync(string partition, string endpointId, long sequence, StorefrontEvent storefrontEvent, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await _created.Value;
        var row = new TableEntity(partition, DeliveryKey(endpointId, sequence))
        {
            [Fields.EndpointId] = endpointId,
            [Fields.Sequence] = sequence,
            [Fields.EventId] = storefrontEvent.Id,
            [Fields.Type] = storefrontEvent.Type,
            [Fields.Body] = JsonSerializer.Serialize(storefrontEvent, ApiJson.Options),
            [Fields.Status] = "pending",
            [Fields.Attempts] = 0,
            [Fields.NextAttemptAt] = now,
            [Fields.Since] = now,
        };
        try
        {
            await _table.AddEntityAsync(row, cancellationToken);
        }
        catch (RequestFailedException failure) when (failure.Status == 409)
        {
            // Recorded before (the activity ran again): once per event and endpoint.
        }
    }

    private async Task UpsertEndpointAsync(NotificationEndpoint endpoint, string secret, CancellationToken cancellationToken)
    {
        await _created.Value;
        await _table.UpsertEntityAsync(
            new TableEntity(EndpointsPartition, endpoint.Id)
            {
                [Fields.Url] = endpoint.Url.AbsoluteUri,
                [Fields.Secret] = secret,
                [Fields.Types] = endpoint.Types is null ? null : string.Join(',', endpoint.Types),
                [Fields.Source] = endpoint.Source,
                [Fields.CreatedAt] = endpoint.CreatedAt,
                [Fields.Deleted] = false,
            },
            TableUpdateMode.Replace,
            cancellationToken);
    }

    private async Task<bool> DeleteEndpointAsync(string id, CancellationToken cancellationToken)
    {
        await _created.Value;
        var existing = await _table.GetEntityIfExistsAsync<TableEntity>(EndpointsPartition, id, cancellationToken: cancellationToken);
        if (!existing.HasValue || existing.Value!.GetBoolean(Fields.Deleted) == true)
        {
            return false;
        }

        existing.Value[Fields.Deleted] = true;
        await _table.UpdateEntityAsync(existing.Value, existing.Value.ETag, TableUpdateMode.Merge, cancellationToken);
        await foreach (var row in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"Status eq {"pending"} and EndpointId eq {id}"), cancellationToken: cancellationToken))
        {
            await _table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
        }

        return true;
    }

    private async Task<List<EndpointRow>> ActiveEndpointsAsync(CancellationToken cancellationToken) =>
        [.. (await EndpointRowsAsync(cancellationToken)).Where(e => !e.Deleted)];

    private async Task<List<EndpointRow>> EndpointRowsAsync(CancellationToken cancellationToken)
    {
        await _created.Value;
        var endpoints = new List<EndpointRow>();
        await foreach (var row in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {EndpointsPartition}"), cancellationToken: cancellationToken))
        {
            endpoints.Add(new EndpointRow(
                row.RowKey,
                new Uri(row.GetString(Fields.Url)),
                row.GetString(Fields.Secret),
                row.GetString(Fields.Types)?.Split(',', StringSplitOptions.RemoveEmptyEntries),
                row.GetString(Fields.Source),
                row.GetDateTimeOffset(Fields.CreatedAt) ?? DateTimeOffset.MinValue,
                row.GetBoolean(Fields.Deleted) == true));
        }

        return endpoints;
    }

    private sealed record EndpointRow(string Id, Uri Url, string Secret, IReadOnlyList<string>? Types, string Source, DateTimeOffset CreatedAt, bool Deleted);

    private static class Fields
    {
        public const string EndpointId = "EndpointId";
        public const string Sequence = "Sequence";
        public const string EventId = "EventId";
        public const string Type = "Type";
        public const string Body = "Body";
        public const string Status = "Status";
        public const string Attempts = "Attempts";
        public const string NextAttemptAt = "NextAttemptAt";
        public const string Since = "Since";
        public const string LastError = "LastError";
        public const string DoneAt = "DoneAt";
        public const string Url = "Url";
        public const string Secret = "Secret";
        public const string Types = "Types";
        public const string Source = "Source";
        public const string CreatedAt = "CreatedAt";
        public const string Deleted = "Deleted";
    }
}
