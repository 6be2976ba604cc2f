using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using OrderPayments.Application.Hosting;
using OrderPayments.Domain.Serialization;
using OrderPayments.Domain.Workflow;
using OrderPayments.Durable.Orchestration;

namespace OrderPayments.Durable.Orders;

/// <summary>
/// The orders of the Durable interpreter in an Azure Storage table: one row per order (partition = order id), written
/// when the order is started and saved by the orchestration's sync after its state changes, with the whole state (the
/// published custom status may carry only the newest entries of its lists). It answers what the orchestration's own
/// records cannot: the whole state of a large order, the listing by id (a range of partitions, never every instance's
/// input), and, once a finished order's instance is purged, its final state for a repeated start or a late
/// notification. Finished orders are indexed for purging in the partition <c>~purge</c> by the time they are due.
/// </summary>
internal sealed class OrderTable
{
    /// <summary>The row key of an order's row.</summary>
    private const string OrderRowKey = "order";

    private const string PurgePartition = "~purge";

    /// <summary>Characters per state property (a string property takes at most 64 KiB of UTF-16).</summary>
    private const int ChunkChars = 30_000;

    /// <summary>The most state properties in a row (an entity takes at most 1 MiB).</summary>
    private const int MaxChunks = 15;

    private readonly TableClient _table;
    private readonly Initializer _created;

    public OrderTable(TableClient table)
    {
        _table = table;
        _created = new Initializer(() => _table.CreateIfNotExistsAsync());
    }

    /// <summary>Writes a new order's row; false when it was there already (then nothing changed).</summary>
    public async Task<bool> InsertAsync(SavedOrder order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        await _created.EnsureAsync(cancellationToken);
        try
        {
            await _table.AddEntityAsync(Row(order, null), cancellationToken);
            return true;
        }
        catch (RequestFailedException failure) when (failure.Status == 409)
        {
            return false;
        }
    }

    /// <summary>
    /// Saves the order's state unless the row holds the same or a later version (a sync that ran again, late). With the
    /// row's ETag from the last save, the row is written on that condition without being read first.
    /// </summary>
    /// <param name="order">The state to save.</param>
    /// <param name="etag">The row's ETag after the previous save, when known.</param>
    /// <param name="purgeAfter">For a finished order: how long after its last step its records may be purged (null: never).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The row's ETag now.</returns>
    public async Task<string> SaveAsync(SavedOrder order, string? etag, TimeSpan? purgeAfter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        await _created.EnsureAsync(cancellationToken);
        var purgeAt = order.State.IsFinal && purgeAfter is { } retention ? order.UpdatedAt + retention : (DateTimeOffset?)null;
        if (purgeAt is { } due)
        {
            // Indexed before the row says final, so a crash between the two leaves an entry that finds the row, not the reverse.
            await _table.UpsertEntityAsync(new TableEntity(PurgePartition, PurgeKey(due, order.State.OrderId.Value)), TableUpdateMode.Replace, cancellationToken);
        }

        var row = Row(order, purgeAt);
        if (etag is not null)
        {
            try
            {
                return (await _table.UpdateEntityAsync(row, new ETag(etag), TableUpdateMode.Replace, cancellationToken)).Headers.ETag?.ToString() ?? etag;
            }
            catch (RequestFailedException failure) when (failure.Status is 412 or 404)
            {
                // Written by someone else since (a late run of an earlier sync): compare versions below.
            }
        }

        while (true)
        {
            var existing = await _table.GetEntityIfExistsAsync<TableEntity>(order.State.OrderId.Value, OrderRowKey, cancellationToken: cancellationToken);
            try
            {
                if (!existing.HasValue)
                {
                    return (await _table.AddEntityAsync(row, cancellationToken)).Headers.ETag?.ToString() ?? "";
                }

                if ((existing.Value!.GetInt64(Fields.Version) ?? 0) >= order.Version)
                {
                    return existing.Value.ETag.ToString();
                }

                return (await _table.UpdateEntityAsync(row, existing.Value.ETag, TableUpdateMode.Replace, cancellationToken)).Headers.ETag?.ToString() ?? "";
            }
            catch (RequestFailedException failure) when (failure.Status is 409 or 412)
            {
                // Changed between the read and the write: read again.
            }
        }
    }

    /// <summary>The order's row; null when there is none.</summary>
    public async Task<OrderRow?> GetAsync(string orderId, CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken);
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(orderId, OrderRowKey, cancellationToken: cancellationToken);
        return response.HasValue ? Read(response.Value!) : null;
    }

    /// <summary>Orders by id after <paramref name="afterOrderId"/> (exclusive), optionally of one status, at most <paramref name="limit"/>.</summary>
    /// <remarks>A range of partitions read in id order until the page is full; a status is filtered by the table service within that range.</remarks>
    public async Task<IReadOnlyList<OrderRow>> ListAsync(PaymentStatus? status, string? afterOrderId, int limit, CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken);
        var after = afterOrderId ?? "";
        var filter = status is { } wanted
            ? TableClient.CreateQueryFilter($"PartitionKey gt {after} and PartitionKey lt {"~"} and RowKey eq {OrderRowKey} and Status eq {wanted.ToString()}")
            : TableClient.CreateQueryFilter($"PartitionKey gt {after} and PartitionKey lt {"~"} and RowKey eq {OrderRowKey}");
        var page = new List<OrderRow>(limit);
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(limit, 1000), cancellationToken: cancellationToken))
        {
            page.Add(Read(row));
            if (page.Count >= limit)
            {
                break;
            }
        }

        return page;
    }

    /// <summary>Finished orders whose records may be purged at <paramref name="now"/>, oldest first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<(string OrderId, string Entry)>> DueForPurgeAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken);
        var due = new List<(string, string)>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {PurgePartition} and RowKey lt {PurgeKey(now, "~")}");
        await foreach (var entry in _table.QueryAsync<TableEntity>(filter, maxPerPage: limit, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            due.Add((entry.RowKey[(entry.RowKey.IndexOf('|', StringComparison.Ordinal) + 1)..], entry.RowKey));
            if (due.Count >= limit)
            {
                break;
            }
        }

        return due;
    }

    /// <summary>Marks the order's row as purged (its instance, inbox and deliveries are gone) and drops its purge entry.</summary>
    public async Task MarkPurgedAsync(string orderId, string entry, CancellationToken cancellationToken)
    {
        await _table.UpdateEntityAsync(new TableEntity(orderId, OrderRowKey) { [Fields.Purged] = true }, ETag.All, TableUpdateMode.Merge, cancellationToken);
        await ForgetPurgeAsync(entry, cancellationToken);
    }

    /// <summary>Looks at a finished order again at <paramref name="at"/> (its instance could not be purged yet).</summary>
    public async Task PostponePurgeAsync(string orderId, string entry, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await _table.UpsertEntityAsync(new TableEntity(PurgePartition, PurgeKey(at, orderId)), TableUpdateMode.Replace, cancellationToken);
        await ForgetPurgeAsync(entry, cancellationToken);
    }

    /// <summary>Drops a purge entry (its order is purged, or is not to be).</summary>
    public async Task ForgetPurgeAsync(string entry, CancellationToken cancellationToken)
    {
        try
        {
            await _table.DeleteEntityAsync(PurgePartition, entry, ETag.All, cancellationToken);
        }
        catch (RequestFailedException failure) when (failure.Status == 404)
        {
            // Dropped before.
        }
    }

    private static string PurgeKey(DateTimeOffset at, string orderId) =>
        string.Create(CultureInfo.InvariantCulture, $"{at.UtcTicks:D19}|{orderId}");

    private static TableEntity Row(SavedOrder order, DateTimeOffset? purgeAt)
    {
        var state = order.State;
        var json = Fit(state, order);
        var row = new TableEntity(state.OrderId.Value, OrderRowKey)
        {
            [Fields.Status] = state.Status.ToString(),
            [Fields.Version] = order.Version,
            [Fields.UpdatedAt] = order.UpdatedAt,
            [Fields.StartedAt] = state.StartedAt,
            [Fields.Final] = state.IsFinal,
            [Fields.PurgeAt] = purgeAt,
            [Fields.Chunks] = (json.Length + ChunkChars - 1) / ChunkChars,
        };
        for (var i = 0; i * ChunkChars < json.Length; i++)
        {
            row[Fields.Chunk + i.ToString(CultureInfo.InvariantCulture)] = json.Substring(i * ChunkChars, Math.Min(ChunkChars, json.Length - (i * ChunkChars)));
        }

        return row;
    }

    /// <summary>The state as JSON within the row's limit: whole, unless an order grew beyond ~450,000 characters (then its lists' newest entries).</summary>
    private static string Fit(OrderPaymentState state, SavedOrder order)
    {
        var json = JsonSerializer.Serialize(state, OrderPaymentsJson.Options);
        return json.Length <= ChunkChars * MaxChunks
            ? json
            : JsonSerializer.Serialize(PublishedStatus.FromJson(PublishedStatus.Create(state, order.Version, order.UpdatedAt)).State, OrderPaymentsJson.Options);
    }

    private static OrderRow Read(TableEntity row)
    {
        var chunks = row.GetInt32(Fields.Chunks) ?? 0;
        var json = new StringBuilder();
        for (var i = 0; i < chunks; i++)
        {
            json.Append(row.GetString(Fields.Chunk + i.ToString(CultureInfo.InvariantCulture)));
        }

        var state = JsonSerializer.Deserialize<OrderPaymentState>(json.ToString(), OrderPaymentsJson.Options)
            ?? throw new JsonException($"The orders row of {row.PartitionKey} holds no state.");
        return new OrderRow(state, row.GetInt64(Fields.Version) ?? 0, row.GetDateTimeOffset(Fields.UpdatedAt) ?? state.StartedAt, row.GetBoolean(Fields.Purged) == true, row.ETag.ToString());
    }

    private static class Fields
    {
        public const string Status = "Status";
        public const string Version = "Version";
        public const string UpdatedAt = "UpdatedAt";
        public const string StartedAt = "StartedAt";
        public const string Final = "Final";
        public const string PurgeAt = "PurgeAt";
        public const string Purged = "Purged";
        public const string Chunks = "Chunks";
        public const string Chunk = "State";
    }
}
