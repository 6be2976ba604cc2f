using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using OrderPayments.Application.Hosting;
using OrderPayments.Application.Http;
using OrderPayments.Application.Storefront;

namespace OrderPayments.Durable.Notifications;

/// <summary>
/// Storefront notifications of the Durable interpreter in an Azure Storage table (the app's own account), laid out so
/// that nothing read on a timer scans the table:
/// <list type="bullet">
/// <item>per order one partition with a row per (endpoint, event) delivery, written by the orchestration's sync
/// (idempotent by event id);</item>
/// <item>per endpoint one partition <c>~pending|{endpoint}</c> with a row per order that has deliveries pending for it:
/// the order's oldest pending delivery (only it may be sent: an order's events reach an endpoint in order) and when it
/// is due. The deliverer reads the due rows of each endpoint, a few per endpoint, so a dead endpoint's backlog never
/// crowds out another endpoint's events;</item>
/// <item>per endpoint one partition <c>~failed|{endpoint}</c> indexing its failed deliveries for operators;</item>
/// <item>the endpoints in <c>~endpoints</c>.</item>
/// </list>
/// A pending row is created by the writer of an order's first pending delivery (an update that finds none inserts
/// it) and moved on or deleted by the deliverer on the condition of its ETag, so an event recorded while the deliverer
/// moves past the last one is never left without a pending row.
/// </summary>
internal sealed class TableNotificationStore : INotificationOutbox, INotificationEndpoints
{
    private const string EndpointsPartition = "~endpoints";
    private const string TestPartition = "~test";
    private const string PendingPrefix = "~pending|";
    private const string FailedPrefix = "~failed|";
    private const int MaxMoveAttempts = 20;

    private readonly TableClient _table;
    private readonly TimeProvider _time;
    private readonly Initializer _created;

    public TableNotificationStore(TableClient table, TimeProvider time)
    {
        _table = table;
        _time = time;
        _created = new Initializer(() => _table.CreateIfNotExistsAsync());
    }

    /// <summary>Records the events of a step for every active endpoint that wants them; recording one again changes nothing.</summary>
    public async Task RecordEventsAsync(string orderId, IReadOnlyList<SequencedEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return;
        }

        await _created.EnsureAsync(cancellationToken);
        var now = _time.GetUtcNow();
        foreach (var endpoint in await ActiveEndpointsAsync(cancellationToken))
        {
            var wanted = events.Where(e => endpoint.Types is null || endpoint.Types.Contains(e.Event.Type)).ToList();
            if (wanted.Count == 0)
            {
                continue;
            }

            // One transaction in the order's partition per 100 events (idempotent: a row recorded before is kept as it is).
            foreach (var batch in wanted.Chunk(100))
            {
                await AddDeliveriesAsync(orderId, endpoint.Id, batch, now, cancellationToken);
            }

            await TouchPendingAsync(orderId, endpoint.Id, wanted.Min(e => e.Sequence), now, cancellationToken);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PendingDelivery>> DueAsync(DateTimeOffset now, int perEndpoint, CancellationToken cancellationToken)
    {
        var due = new List<PendingDelivery>();
        foreach (var endpoint in await ActiveEndpointsAsync(cancellationToken))
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {PendingPrefix + endpoint.Id} and DueAt le {now}");
            var heads = new List<TableEntity>();
            await foreach (var head in _table.QueryAsync<TableEntity>(filter, maxPerPage: perEndpoint, cancellationToken: cancellationToken))
            {
                heads.Add(head);
                if (heads.Count >= perEndpoint)
                {
                    break;
                }
            }

            foreach (var head in heads)
            {
                var delivery = await GetAsync(head.RowKey, DeliveryKey(endpoint.Id, head.GetInt64(Fields.Head) ?? 0), cancellationToken);
                if (delivery is null || delivery.GetString(Fields.Status) != "pending")
                {
                    // Moved on meanwhile, or a pending row left by a crash between a result and its move: set it right.
                    await AdvanceAsync(head.RowKey, endpoint.Id, null, cancellationToken);
                    continue;
                }

                due.Add(new PendingDelivery(
                    endpoint.Id,
                    endpoint.Url,
                    endpoint.Secret,
                    delivery.GetInt64(Fields.Sequence)!.Value,
                    delivery.GetString(Fields.EventId),
                    delivery.PartitionKey,
                    delivery.GetString(Fields.Body),
                    delivery.GetInt32(Fields.Attempts) ?? 0,
                    delivery.GetDateTimeOffset(Fields.Since)!.Value));
            }
        }

        return due;
    }

    /// <inheritdoc />
    public async Task RecordAsync(IReadOnlyList<DeliveryResult> results, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(results);
        await _created.EnsureAsync(cancellationToken);
        foreach (var result in results)
        {
            await RecordAsync(result, cancellationToken);
        }
    }

    /// <inheritdoc />
    public async Task<DateTimeOffset?> NextDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        DateTimeOffset? next = null;
        foreach (var endpoint in await ActiveEndpointsAsync(cancellationToken))
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {PendingPrefix + endpoint.Id} and DueAt gt {now}");
            await foreach (var head in _table.QueryAsync<TableEntity>(filter, select: [Fields.DueAt], cancellationToken: cancellationToken))
            {
                var at = head.GetDateTimeOffset(Fields.DueAt)!.Value;
                next = next is null || at < next ? at : next;
            }
        }

        return next;
    }

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
        foreach (var gone in (await EndpointRowsAsync(cancellationToken)).Where(e => e.Source == "configuration" && !e.Deleted && !configured.ContainsKey(e.Id)))
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
        await AddDeliveriesAsync(TestPartition, id, [new SequencedEvent(now.UtcTicks, test)], now, cancellationToken);
        await TouchPendingAsync(TestPartition, id, now.UtcTicks, now, cancellationToken);
        return test.Id;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Failed deliveries come from each endpoint's index of them; pending ones are the deliveries each order will send
    /// next (one per order and endpoint: those behind it wait for it); delivered ones are read by a scan of the table
    /// (an operator's occasional look, never on a timer).
    /// </remarks>
    public async Task<IReadOnlyList<DeliveryRecord>> DeliveriesAsync(string status, string? endpointId, int limit, CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken);
        var endpoints = endpointId is null ? (await ActiveEndpointsAsync(cancellationToken)).Select(e => e.Id).ToList() : [endpointId];
        var rows = new List<TableEntity>();
        switch (status)
        {
            case "failed":
                foreach (var endpoint in endpoints)
                {
                    await foreach (var entry in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {FailedPrefix + endpoint}"), cancellationToken: cancellationToken))
                    {
                        if (await GetAsync(entry.GetString(Fields.OrderId), entry.GetString(Fields.Delivery), cancellationToken) is { } row && row.GetString(Fields.Status) == "failed")
                        {
                            rows.Add(row);
                        }
                    }
                }

                break;
            case "pending":
                foreach (var endpoint in endpoints)
                {
                    await foreach (var head in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {PendingPrefix + endpoint}"), cancellationToken: cancellationToken))
                    {
                        if (await GetAsync(head.RowKey, DeliveryKey(endpoint, head.GetInt64(Fields.Head) ?? 0), cancellationToken) is { } row && row.GetString(Fields.Status) == "pending")
                        {
                            rows.Add(row);
                        }
                    }
                }

                break;
            default:
                var filter = endpointId is null
                    ? TableClient.CreateQueryFilter($"Status eq {status}")
                    : TableClient.CreateQueryFilter($"Status eq {status} and EndpointId eq {endpointId}");
                await foreach (var row in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
                {
                    rows.Add(row);
                }

                break;
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
        await _created.EnsureAsync(cancellationToken);
        await foreach (var entry in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {FailedPrefix + endpointId} and EventId eq {eventId}"), cancellationToken: cancellationToken))
        {
            var orderId = entry.GetString(Fields.OrderId);
            if (await GetAsync(orderId, entry.GetString(Fields.Delivery), cancellationToken) is not { } row || row.GetString(Fields.Status) != "failed")
            {
                continue;
            }

            var now = _time.GetUtcNow();
            row[Fields.Status] = "pending";
            row[Fields.Attempts] = 0;
            row[Fields.NextAttemptAt] = now;
            row[Fields.Since] = now;
            row[Fields.DoneAt] = null;
            await _table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Merge, cancellationToken);
            await _table.DeleteEntityAsync(entry.PartitionKey, entry.RowKey, ETag.All, cancellationToken);
            // Due again: its order's pending row points at its oldest pending delivery, this one or an earlier one.
            await TouchPendingAsync(orderId, endpointId, row.GetInt64(Fields.Sequence) ?? 0, now, cancellationToken);
            return true;
        }

        return false;
    }

    /// <summary>Deletes an order's deliveries and their index rows (a purged order).</summary>
    public async Task PurgeOrderAsync(string orderId, CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken);
        var rows = new List<TableEntity>();
        await foreach (var row in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {orderId}"), cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        foreach (var endpoint in rows.Select(r => r.GetString(Fields.EndpointId)).Distinct(StringComparer.Ordinal))
        {
            await DeleteIfExistsAsync(PendingPrefix + endpoint, orderId, cancellationToken);
        }

        foreach (var failed in rows.Where(r => r.GetString(Fields.Status) == "failed"))
        {
            await DeleteIfExistsAsync(FailedPrefix + failed.GetString(Fields.EndpointId), FailedKey(orderId, failed.GetInt64(Fields.Sequence) ?? 0), cancellationToken);
        }

        foreach (var batch in rows.Chunk(100))
        {
            await _table.SubmitTransactionAsync(batch.Select(row => new TableTransactionAction(TableTransactionActionType.Delete, row, ETag.All)), cancellationToken);
        }
    }

    private async Task RecordAsync(DeliveryResult result, CancellationToken cancellationToken)
    {
        var delivery = result.Delivery;
        var status = result.Outcome switch { DeliveryOutcome.Delivered => "delivered", DeliveryOutcome.Failed => "failed", _ => "pending" };
        var update = new TableEntity(delivery.OrderId, DeliveryKey(delivery.EndpointId, delivery.Sequence))
        {
            [Fields.Status] = status,
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
            // Its endpoint was deleted meanwhile (and its deliveries with it), or its order purged.
            return;
        }

        if (status == "failed")
        {
            await _table.UpsertEntityAsync(
                new TableEntity(FailedPrefix + delivery.EndpointId, FailedKey(delivery.OrderId, delivery.Sequence))
                {
                    [Fields.OrderId] = delivery.OrderId,
                    [Fields.Delivery] = update.RowKey,
                    [Fields.EventId] = delivery.EventId,
                },
                TableUpdateMode.Replace,
                cancellationToken);
        }

        await AdvanceAsync(delivery.OrderId, delivery.EndpointId, status == "pending" ? result.RetryAt ?? result.At : null, cancellationToken);
    }

    /// <summary>
    /// Moves the order's pending row for the endpoint: due again at <paramref name="retryAt"/> (its head was retried), or on
    /// to the order's next pending delivery, or away when none is left; on the condition of the row's ETag, so that a
    /// writer that touched it meanwhile (a new event) makes this look again.
    /// </summary>
    private async Task AdvanceAsync(string orderId, string endpointId, DateTimeOffset? retryAt, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxMoveAttempts; attempt++)
        {
            if (await GetAsync(PendingPrefix + endpointId, orderId, cancellationToken) is not { } head)
            {
                return;
            }

            var next = await OldestPendingAsync(orderId, endpointId, cancellationToken);
            try
            {
                if (next is null)
                {
                    await _table.DeleteEntityAsync(head.PartitionKey, head.RowKey, head.ETag, cancellationToken);
                }
                else
                {
                    var isHead = next.GetInt64(Fields.Sequence) == head.GetInt64(Fields.Head);
                    head[Fields.Head] = next.GetInt64(Fields.Sequence);
                    head[Fields.DueAt] = isHead && retryAt is { } at ? at : next.GetDateTimeOffset(Fields.NextAttemptAt) ?? _time.GetUtcNow();
                    await _table.UpdateEntityAsync(head, head.ETag, TableUpdateMode.Replace, cancellationToken);
                }

                return;
            }
            catch (RequestFailedException failure) when (failure.Status is 404 or 412)
            {
                // A new event touched the row meanwhile (or another deliverer moved it): look again.
            }
        }

        throw new InvalidOperationException($"The pending row of order {orderId} for endpoint {endpointId} stayed contended.");
    }

    /// <summary>
    /// Makes sure the order has a pending row for the endpoint once it has a pending delivery: touches the row when it is
    /// there (so a deliverer about to delete it looks again), inserts it, pointing at the oldest pending delivery, when not.
    /// </summary>
    private async Task TouchPendingAsync(string orderId, string endpointId, long recordedSequence, DateTimeOffset now, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxMoveAttempts; attempt++)
        {
            try
            {
                await _table.UpdateEntityAsync(new TableEntity(PendingPrefix + endpointId, orderId) { [Fields.TouchedAt] = now }, ETag.All, TableUpdateMode.Merge, cancellationToken);
                return;
            }
            catch (RequestFailedException failure) when (failure.Status == 404)
            {
                // None: this is the order's first pending delivery for the endpoint (or the deliverer just moved past the last).
            }

            var oldest = await OldestPendingAsync(orderId, endpointId, cancellationToken);
            if (oldest is null)
            {
                return;
            }

            try
            {
                await _table.AddEntityAsync(
                    new TableEntity(PendingPrefix + endpointId, orderId)
                    {
                        [Fields.Head] = oldest.GetInt64(Fields.Sequence) ?? recordedSequence,
                        [Fields.DueAt] = oldest.GetDateTimeOffset(Fields.NextAttemptAt) ?? now,
                        [Fields.TouchedAt] = now,
                    },
                    cancellationToken);
                return;
            }
            catch (RequestFailedException failure) when (failure.Status == 409)
            {
                // Inserted meanwhile by another writer: touch it.
            }
        }

        throw new InvalidOperationException($"The pending row of order {orderId} for endpoint {endpointId} stayed contended.");
    }

    private async Task<TableEntity?> OldestPendingAsync(string orderId, string endpointId, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {orderId} and RowKey gt {endpointId + "|"} and RowKey lt {endpointId + "}"} and Status eq {"pending"}");
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: 1, cancellationToken: cancellationToken))
        {
            return row;
        }

        return null;
    }

    private async Task AddDeliveriesAsync(string partition, string endpointId, IReadOnlyList<SequencedEvent> events, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rows = events.Select(e => new TableEntity(partition, DeliveryKey(endpointId, e.Sequence))
        {
            [Fields.EndpointId] = endpointId,
            [Fields.Sequence] = e.Sequence,
            [Fields.EventId] = e.Event.Id,
            [Fields.Type] = e.Event.Type,
            [Fields.Body] = JsonSerializer.Serialize(e.Event, ApiJson.Options),
            [Fields.Status] = "pending",
            [Fields.Attempts] = 0,
            [Fields.NextAttemptAt] = now,
            [Fields.Since] = now,
        }).ToList();
        try
        {
            await _table.SubmitTransactionAsync(rows.Select(row => new TableTransactionAction(TableTransactionActionType.Add, row)), cancellationToken);
        }
        catch (TableTransactionFailedException failure) when (failure.Status == 409)
        {
            // Some were recorded before (the sync ran again): add the others one by one, once per event and endpoint.
            foreach (var row in rows)
            {
                try
                {
                    await _table.AddEntityAsync(row, cancellationToken);
                }
                catch (RequestFailedException again) when (again.Status == 409)
                {
                    // Recorded before.
                }
            }
        }
    }

    /// <summary>The row key of a delivery: the endpoint, then the event's place (so an order's rows sort by endpoint and order).</summary>
    private static string DeliveryKey(string endpointId, long sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"{endpointId}|{sequence:D20}");

    private static string FailedKey(string orderId, long sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"{orderId}|{sequence:D20}");

    private async Task<TableEntity?> GetAsync(string partition, string rowKey, CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken);
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(partition, rowKey, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    private async Task DeleteIfExistsAsync(string partition, string rowKey, CancellationToken cancellationToken)
    {
        try
        {
            await _table.DeleteEntityAsync(partition, rowKey, ETag.All, cancellationToken);
        }
        catch (RequestFailedException failure) when (failure.Status == 404)
        {
            // Gone already.
        }
    }

    private async Task UpsertEndpointAsync(NotificationEndpoint endpoint, string secret, CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken);
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
        var existing = await GetAsync(EndpointsPartition, id, cancellationToken);
        if (existing is null || existing.GetBoolean(Fields.Deleted) == true)
        {
            return false;
        }

        existing[Fields.Deleted] = true;
        await _table.UpdateEntityAsync(existing, existing.ETag, TableUpdateMode.Merge, cancellationToken);

        // Its undelivered events are dropped: every order's pending deliveries for it, and its pending rows.
        await foreach (var head in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {PendingPrefix + id}"), cancellationToken: cancellationToken))
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {head.RowKey} and RowKey gt {id + "|"} and RowKey lt {id + "}"} and Status eq {"pending"}");
            await foreach (var row in _table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
            {
                await DeleteIfExistsAsync(row.PartitionKey, row.RowKey, cancellationToken);
            }

            await DeleteIfExistsAsync(head.PartitionKey, head.RowKey, cancellationToken);
        }

        return true;
    }

    private async Task<List<EndpointRow>> ActiveEndpointsAsync(CancellationToken cancellationToken) =>
        [.. (await EndpointRowsAsync(cancellationToken)).Where(e => !e.Deleted)];

    private async Task<List<EndpointRow>> EndpointRowsAsync(CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken);
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
        public const string Head = "Head";
        public const string DueAt = "DueAt";
        public const string TouchedAt = "TouchedAt";
        public const string OrderId = "OrderId";
        public const string Delivery = "Delivery";
    }
}
