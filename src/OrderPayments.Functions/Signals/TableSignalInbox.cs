using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using OrderPayments.Domain.Serialization;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Functions.Signals;

/// <summary>
/// The signal inbox in an Azure Storage table (the app's own storage account, beside the task hub): one partition per
/// order, one row per signal (row key from its dedupe key, so a key is recorded once), kept in the order the table
/// took them (its timestamps). The inbox is opened once, before the order's orchestration is scheduled, by writing an
/// <c>~open</c> row; every add touches that row
/// (unconditionally, so concurrent adds never contend) in the same entity-group transaction as it inserts its own row,
/// and fails if the row is gone. Closing deletes the <c>~open</c> row on the condition of the ETag it had when the
/// drain found nothing left, atomically with writing a <c>~closed</c> row: so an add lands either before the close
/// (which then fails and drains again) or after it (refused), never in between unseen.
/// </summary>
internal sealed class TableSignalInbox : ISignalInbox
{
    /// <summary>The default table name.</summary>
    public const string DefaultTableName = "OrderPaymentSignals";

    private const string OpenRowKey = "~open";
    private const string ClosedRowKey = "~closed";
    private const int MaxAttempts = 20;

    private readonly TableClient _table;
    private readonly Lazy<Task> _created;

    /// <summary>Creates the inbox over <paramref name="table"/> (created on first use).</summary>
    public TableSignalInbox(TableClient table)
    {
        _table = table;
        _created = new Lazy<Task>(() => _table.CreateIfNotExistsAsync());
    }

    /// <inheritdoc />
    public async Task OpenAsync(string orderId, CancellationToken cancellationToken)
    {
        await _created.Value;
        if (await GetAsync(orderId, ClosedRowKey, cancellationToken) is not null)
        {
            // Ended before: a closed inbox stays closed. (A close needs the open row, so none can slip in between:
            // the add below would then find the row and fail.)
            return;
        }

        try
        {
            await _table.AddEntityAsync(new TableEntity(orderId, OpenRowKey), cancellationToken);
        }
        catch (RequestFailedException failure) when (failure.Status == 409)
        {
            // Opened before (the same start again).
        }
    }

    /// <inheritdoc />
    public async Task<InboxAdd> AddAsync(string orderId, SignalEnvelope envelope, CancellationToken cancellationToken)
    {
        await _created.Value;
        var rowKey = RowKey(envelope.DedupeKey);
        var signalRow = new TableEntity(orderId, rowKey)
        {
            [Fields.DedupeKey] = envelope.DedupeKey,
            [Fields.Signal] = JsonSerializer.Serialize(envelope.Signal, OrderPaymentsJson.Options),
            [Fields.Applied] = false,
        };
        try
        {
            await _table.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.UpdateMerge, new TableEntity(orderId, OpenRowKey), ETag.All),
                    new TableTransactionAction(TableTransactionActionType.Add, signalRow),
                ],
                cancellationToken);
            return new InboxAdd(InboxAddResult.Added);
        }
        catch (TableTransactionFailedException failure) when (failure.Status == 409)
        {
            // The key was recorded before (rows are only ever added or marked applied, so it is still there).
            var existing = await GetAsync(orderId, rowKey, cancellationToken)
                ?? throw new InvalidOperationException($"The signal inbox of order {orderId} refused {envelope.DedupeKey} as recorded but has no row for it.", failure);
            return new InboxAdd(InboxAddResult.Duplicate, Outcome(existing));
        }
        catch (TableTransactionFailedException failure) when (failure.Status == 404)
        {
            // No open row: the inbox was closed (it is opened once, before the order's orchestration is scheduled).
            return await GetAsync(orderId, ClosedRowKey, cancellationToken) is not null
                ? new InboxAdd(InboxAddResult.Closed)
                : throw new InvalidOperationException($"The signal inbox of order {orderId} was never opened.", failure);
        }
    }

    /// <inheritdoc />
    public async Task<DrainResult> DrainAsync(DrainRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await _created.Value;
        foreach (var batch in request.Applied.Chunk(100))
        {
            // Entity-group transactions take one action per row: the last outcome of a key wins.
            var actions = batch
                .GroupBy(applied => RowKey(applied.DedupeKey))
                .Select(group =>
                {
                    var applied = group.Last();
                    return new TableTransactionAction(
                        TableTransactionActionType.UpdateMerge,
                        new TableEntity(request.OrderId, group.Key)
                        {
                            [Fields.Applied] = true,
                            [Fields.Outcome] = applied.Outcome.ToString(),
                            [Fields.Rejection] = applied.Rejection is null ? null : JsonSerializer.Serialize(applied.Rejection, OrderPaymentsJson.Options),
                        },
                        ETag.All);
                })
                .ToList();
            await _table.SubmitTransactionAsync(actions, cancellationToken);
        }

        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            // Only a close needs the open row, read before the pending signals: its ETag is the close's condition.
            var open = request.Close ? await GetAsync(request.OrderId, OpenRowKey, cancellationToken) : null;
            var pending = await PendingAsync(request.OrderId, cancellationToken);
            if (!request.Close || pending.Count > 0)
            {
                return new DrainResult([.. pending.Take(DrainResult.MaxSignals)], More: pending.Count > DrainResult.MaxSignals);
            }

            try
            {
                List<TableTransactionAction> close = [new(TableTransactionActionType.UpsertReplace, new TableEntity(request.OrderId, ClosedRowKey))];
                if (open is not null)
                {
                    close.Add(new TableTransactionAction(TableTransactionActionType.Delete, open, open.ETag));
                }

                await _table.SubmitTransactionAsync(close, cancellationToken);
                return new DrainResult([], Closed: true);
            }
            catch (TableTransactionFailedException failure) when (failure.Status is 404 or 412)
            {
                // A signal was added since the open row was read (or a retried close already deleted it): drain again.
            }
        }

        throw new InvalidOperationException($"The signal inbox of order {request.OrderId} stayed contended for {MaxAttempts} attempts.");
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<InboxSignal>> PendingAsync(string orderId, CancellationToken cancellationToken)
    {
        await _created.Value;
        var pending = new List<InboxSignal>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {orderId} and Applied eq false");
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            pending.Add(new InboxSignal(
                row.Timestamp?.UtcTicks ?? 0,
                row.GetString(Fields.DedupeKey),
                JsonSerializer.Deserialize<WorkflowInput>(row.GetString(Fields.Signal), OrderPaymentsJson.Options)
                    ?? throw new JsonException($"Inbox row {row.RowKey} of order {orderId} holds no signal.")));
        }

        // In the order the table took them; signals taken in the same instant by their keys, so every reader agrees.
        pending.Sort((a, b) => a.Sequence != b.Sequence ? a.Sequence.CompareTo(b.Sequence) : string.CompareOrdinal(RowKey(a.DedupeKey), RowKey(b.DedupeKey)));
        return pending;
    }

    /// <summary>A row key for any dedupe key (row keys refuse some characters): a hash of it, the key kept in the row.</summary>
    internal static string RowKey(string dedupeKey) =>
        "s" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(dedupeKey)).AsSpan(0, 16));

    private async Task<TableEntity?> GetAsync(string orderId, string rowKey, CancellationToken cancellationToken)
    {
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(orderId, rowKey, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    private static AppliedSignal? Outcome(TableEntity row) =>
        row.GetBoolean(Fields.Applied) == true && Enum.TryParse<InputOutcome>(row.GetString(Fields.Outcome), out var outcome)
            ? new AppliedSignal(
                row.GetString(Fields.DedupeKey),
                outcome,
                row.GetString(Fields.Rejection) is { Length: > 0 } rejection ? JsonSerializer.Deserialize<InputRejection>(rejection, OrderPaymentsJson.Options) : null)
            : null;

    private static class Fields
    {
        public const string DedupeKey = "DedupeKey";
        public const string Signal = "Signal";
        public const string Applied = "Applied";
        public const string Outcome = "Outcome";
        public const string Rejection = "Rejection";
    }
}
