using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using OrderPayments.Application.Hosting;
using OrderPayments.Application.Workflows;
using OrderPayments.Domain;
using OrderPayments.Domain.Serialization;
using OrderPayments.Domain.Workflow;
using OrderPayments.Durable.Orchestration;

namespace OrderPayments.Durable.Signals;

/// <summary>
/// The orders' signal inboxes in an Azure Storage table (the app's own storage account, beside the task hub): one
/// partition per order, one row per signal (row key from its dedupe key, so a key is recorded once) with its place in
/// the inbox (<c>Seq</c>). The inbox is opened once, before the order's orchestration is scheduled, by writing an
/// <c>~open</c> row that holds the next place; a signal is added in one entity-group transaction with the update of
/// that row, on the condition of the ETag it had when the door read the inbox: so signals get consecutive places in the
/// order they were admitted, and a signal admitted against an inbox that changed meanwhile is admitted again
/// (<see cref="InboxAddResult.Contended"/>), as a serialized store would. Closing deletes the <c>~open</c> row on the
/// same kind of condition, atomically with writing a <c>~closed</c> row: an add lands either before the close (which
/// then fails and drains again) or after it (the order absorbs or refuses it), never in between unseen.
/// </summary>
internal sealed class TableSignalInbox
{
    private const string OpenRowKey = "~open";
    private const string ClosedRowKey = "~closed";
    private const int MaxCloseAttempts = 20;

    private readonly TableClient _table;
    private readonly Initializer _created;

    /// <summary>Creates the inbox over <paramref name="table"/> (created on first use; retried after a failure).</summary>
    public TableSignalInbox(TableClient table)
    {
        _table = table;
        _created = new Initializer(() => _table.CreateIfNotExistsAsync());
    }

    /// <summary>
    /// Opens the order's inbox (idempotent). Called before the order's orchestration is scheduled, so the inbox is open
    /// before any signal can be sent, and only ever opened once: a closed inbox is never opened again.
    /// </summary>
    public async Task OpenAsync(string orderId, CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken);
        try
        {
            // Only the start of an order that does not exist yet opens an inbox (the client answers a start of an
            // existing or purged order from its instance or its row), so a closed inbox is never opened again.
            await _table.AddEntityAsync(new TableEntity(orderId, OpenRowKey) { [Fields.NextSequence] = 1L }, cancellationToken);
        }
        catch (RequestFailedException failure) when (failure.Status == 409)
        {
            // Opened before (the same start again).
        }
    }

    /// <summary>The door's view of one order's inbox for one signal (<see cref="SignalDoor"/>): read once, added to on its condition.</summary>
    public InboxDoorway Doorway(OrderId orderId) => new(this, orderId.Value);

    /// <summary>How many signals of the order are recorded after <paramref name="afterSequence"/> and not yet applied.</summary>
    /// <remarks>
    /// Every status read asks, and nearly always none is: the inbox's open row (a point read) names the next sequence it
    /// will give, so when no signal was recorded after <paramref name="afterSequence"/> the answer is 0 without a query
    /// over the order's rows (a query is a scan of the whole table on Azurite, and a partition range on Azure).
    /// </remarks>
    public async Task<int> CountPendingAsync(string orderId, long afterSequence, CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken);
        var open = await _table.GetEntityIfExistsAsync<TableEntity>(orderId, OpenRowKey, [Fields.NextSequence], cancellationToken);
        if (open.HasValue && open.Value!.GetInt64(Fields.NextSequence) is { } next && next - 1 <= afterSequence)
        {
            return 0;
        }

        var count = 0;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {orderId} and Applied eq {false} and Seq gt {afterSequence}");
        await foreach (var _ in _table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            count++;
        }

        return count;
    }

    /// <summary>Records the outcomes of applied signals (idempotent: the last outcome of a key wins).</summary>
    public async Task RecordAsync(string orderId, IReadOnlyList<AppliedSignal> applied, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(applied);
        if (applied.Count == 0)
        {
            return;
        }

        await _created.EnsureAsync(cancellationToken);
        foreach (var batch in applied.GroupBy(a => RowKey(a.DedupeKey)).Select(group => group.Last()).Chunk(100))
        {
            // Entity-group transactions take one action per row, at most 100.
            await _table.SubmitTransactionAsync(
                batch.Select(a => new TableTransactionAction(
                    TableTransactionActionType.UpdateMerge,
                    new TableEntity(orderId, RowKey(a.DedupeKey))
                    {
                        [Fields.Applied] = true,
                        [Fields.Outcome] = a.Outcome.ToString(),
                        [Fields.Rejection] = a.Rejection is null ? null : JsonSerializer.Serialize(a.Rejection, OrderPaymentsJson.Options),
                    },
                    ETag.All)),
                cancellationToken);
        }
    }

    /// <summary>
    /// The signals recorded after <paramref name="afterSequence"/> and not yet applied, in inbox order (at most
    /// <see cref="SyncResult.MaxSignals"/>); with <paramref name="close"/>, closes the inbox when none is left,
    /// atomically with respect to adds.
    /// </summary>
    public async Task<SyncResult> DrainAsync(string orderId, long afterSequence, bool close, CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken);
        for (var attempt = 0; attempt < MaxCloseAttempts; attempt++)
        {
            var view = await ReadAsync(orderId, null, cancellationToken);
            var pending = view.Pending.Where(s => s.Sequence > afterSequence).ToList();
            if (!close || pending.Count > 0)
            {
                return new SyncResult([.. pending.Take(SyncResult.MaxSignals)], More: pending.Count > SyncResult.MaxSignals);
            }

            if (view.Closed && view.Open is null)
            {
                return new SyncResult([], Closed: true);
            }

            try
            {
                List<TableTransactionAction> closing = [new(TableTransactionActionType.UpsertReplace, new TableEntity(orderId, ClosedRowKey))];
                if (view.Open is { } open)
                {
                    closing.Add(new TableTransactionAction(TableTransactionActionType.Delete, open, open.ETag));
                }

                await _table.SubmitTransactionAsync(closing, cancellationToken);
                return new SyncResult([], Closed: true);
            }
            catch (TableTransactionFailedException failure) when (failure.Status is 404 or 412)
            {
                // A signal was added since the inbox was read (or a retried close already deleted the row): read again.
            }
        }

        throw new InvalidOperationException($"The signal inbox of order {orderId} stayed contended for {MaxCloseAttempts} attempts.");
    }

    /// <summary>Deletes the order's signals (a purged order); the closed marker stays, so the inbox is never opened again.</summary>
    public async Task PurgeAsync(string orderId, CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken);
        var rows = new List<TableEntity>();
        await foreach (var row in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {orderId}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            if (row.RowKey != ClosedRowKey)
            {
                rows.Add(row);
            }
        }

        foreach (var batch in rows.Chunk(100))
        {
            await _table.SubmitTransactionAsync(batch.Select(row => new TableTransactionAction(TableTransactionActionType.Delete, row, ETag.All)), cancellationToken);
        }
    }

    /// <summary>A row key for any dedupe key (row keys refuse some characters): a hash of it, the key kept in the row.</summary>
    internal static string RowKey(string dedupeKey) =>
        "s" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(dedupeKey)).AsSpan(0, 16));

    /// <summary>
    /// The order's inbox in one query: the signals not applied yet, the open and closed markers, and the row of
    /// <paramref name="dedupeKey"/> when given.
    /// </summary>
    internal async Task<InboxView> ReadAsync(string orderId, string? dedupeKey, CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken);
        var filter = dedupeKey is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {orderId} and (Applied eq {false} or RowKey eq {OpenRowKey} or RowKey eq {ClosedRowKey})")
            : TableClient.CreateQueryFilter($"PartitionKey eq {orderId} and (Applied eq {false} or RowKey eq {OpenRowKey} or RowKey eq {ClosedRowKey} or RowKey eq {RowKey(dedupeKey)})");
        TableEntity? open = null;
        var closed = false;
        RecordedSignal? recorded = null;
        var pending = new List<InboxSignal>();
        var keyRow = dedupeKey is null ? null : RowKey(dedupeKey);
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            switch (row.RowKey)
            {
                case OpenRowKey:
                    open = row;
                    continue;
                case ClosedRowKey:
                    closed = true;
                    continue;
            }

            if (row.RowKey == keyRow)
            {
                recorded = Outcome(row);
            }

            if (row.GetBoolean(Fields.Applied) != true)
            {
                pending.Add(new InboxSignal(
                    row.GetInt64(Fields.Sequence) ?? 0,
                    row.GetString(Fields.DedupeKey),
                    JsonSerializer.Deserialize<WorkflowInput>(row.GetString(Fields.Signal), OrderPaymentsJson.Options)
                        ?? throw new JsonException($"Inbox row {row.RowKey} of order {orderId} holds no signal.")));
            }
        }

        pending.Sort((a, b) => a.Sequence != b.Sequence ? a.Sequence.CompareTo(b.Sequence) : string.CompareOrdinal(a.DedupeKey, b.DedupeKey));
        return new InboxView(open, closed, recorded, pending);
    }

    /// <summary>Adds a signal at the next place of the inbox read as <paramref name="view"/>, on the condition that it did not change since.</summary>
    internal async Task<(InboxAddResult Result, long Sequence)> AddAsync(string orderId, InboxView view, string dedupeKey, WorkflowInput signal, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (view.Open is not { } open)
        {
            return view.Closed
                ? (InboxAddResult.Closed, 0)
                : throw new InvalidOperationException($"The signal inbox of order {orderId} was never opened.");
        }

        var sequence = open.GetInt64(Fields.NextSequence) ?? 1;
        try
        {
            await _table.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.UpdateMerge, new TableEntity(orderId, OpenRowKey) { [Fields.NextSequence] = sequence + 1 }, open.ETag),
                    new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(orderId, RowKey(dedupeKey))
                    {
                        [Fields.DedupeKey] = dedupeKey,
                        [Fields.Signal] = JsonSerializer.Serialize(signal, OrderPaymentsJson.Options),
                        [Fields.Sequence] = sequence,
                        [Fields.Applied] = false,
                        [Fields.RecordedAt] = now,
                    }),
                ],
                cancellationToken);
            return (InboxAddResult.Added, sequence);
        }
        catch (TableTransactionFailedException failure) when (failure.Status == 409)
        {
            // The key was recorded meanwhile (rows are only ever added, marked applied, or purged with the order).
            return (InboxAddResult.Duplicate, 0);
        }
        catch (TableTransactionFailedException failure) when (failure.Status is 412 or 404)
        {
            // Another signal was added (or the inbox closed) since it was read: the door admits again.
            return (InboxAddResult.Contended, 0);
        }
    }

    /// <summary>Records a signal of a closed inbox as applied with <paramref name="outcome"/> (the final order absorbed it).</summary>
    internal async Task AbsorbAsync(string orderId, string dedupeKey, WorkflowInput signal, InputOutcome outcome, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken);
        try
        {
            await _table.AddEntityAsync(
                new TableEntity(orderId, RowKey(dedupeKey))
                {
                    [Fields.DedupeKey] = dedupeKey,
                    [Fields.Signal] = JsonSerializer.Serialize(signal, OrderPaymentsJson.Options),
                    [Fields.Applied] = true,
                    [Fields.Outcome] = outcome.ToString(),
                    [Fields.RecordedAt] = now,
                },
                cancellationToken);
        }
        catch (RequestFailedException failure) when (failure.Status == 409)
        {
            // Recorded before (the same signal again).
        }
    }

    private static RecordedSignal Outcome(TableEntity row) =>
        row.GetBoolean(Fields.Applied) == true && Enum.TryParse<InputOutcome>(row.GetString(Fields.Outcome), out var outcome)
            ? new RecordedSignal(
                outcome,
                row.GetString(Fields.Rejection) is { Length: > 0 } rejection ? JsonSerializer.Deserialize<InputRejection>(rejection, OrderPaymentsJson.Options) : null)
            : new RecordedSignal(null);

    /// <summary>The order's inbox as one query read it.</summary>
    /// <param name="Open">The open marker (with the next place and its ETag); null once closed.</param>
    /// <param name="Closed">Whether the closed marker is there.</param>
    /// <param name="Recorded">The row of the dedupe key asked for, when there is one.</param>
    /// <param name="Pending">Signals not applied yet, in inbox order.</param>
    internal sealed record InboxView(TableEntity? Open, bool Closed, RecordedSignal? Recorded, IReadOnlyList<InboxSignal> Pending);

    private static class Fields
    {
        public const string DedupeKey = "DedupeKey";
        public const string Signal = "Signal";
        public const string Sequence = "Seq";
        public const string Applied = "Applied";
        public const string Outcome = "Outcome";
        public const string Rejection = "Rejection";
        public const string RecordedAt = "RecordedAt";
        public const string NextSequence = "NextSeq";
    }
}
