using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrderPayments.Runtime.Storage;

/// <summary>
/// Deletes what the retention settings let go (<see cref="RuntimeOptions.FinishedOrderRetention"/>,
/// <see cref="RuntimeOptions.SignalDedupeWindow"/>), a bounded batch per transaction so that the file's write lock is
/// held only briefly. The dispatcher calls it when idle, so due orders are stepped between two batches.
/// </summary>
internal sealed class RetentionPruner
{
    private readonly RuntimeStore _store;
    private readonly RuntimeOptions _options;
    private readonly ILogger<RetentionPruner> _logger;

    public RetentionPruner(RuntimeStore store, IOptions<RuntimeOptions> options, ILogger<RetentionPruner> logger)
    {
        _store = store;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>
    /// Prunes one batch of finished orders and one of applied signals (each its own transaction) as of
    /// <paramref name="now"/>; true when a batch was full, so more may be left.
    /// </summary>
    public async Task<bool> PruneBatchAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var limit = _options.PruneBatchSize;
        var orders = 0;
        if (_options.FinishedOrderRetention > TimeSpan.Zero)
        {
            using var session = await StoreSession.WriteAsync(_store, cancellationToken).ConfigureAwait(false);
            var prunable = session.PrunableOrders(now - _options.FinishedOrderRetention, limit);
            foreach (var id in prunable)
            {
                session.PruneOrder(id, now);
            }

            session.Commit();
            orders = prunable.Count;
        }

        var signals = 0;
        if (_options.SignalDedupeWindow > TimeSpan.Zero)
        {
            // Dedupe works for this window only: a retry of an older signal is recorded as new and decided again
            // (the workflow is idempotent by shipment, refund and attempt id). Pending signals are never deleted.
            using var session = await StoreSession.WriteAsync(_store, cancellationToken).ConfigureAwait(false);
            signals = session.PruneAppliedSignals(now - _options.SignalDedupeWindow, limit);
            session.Commit();
        }

        if (orders > 0 || signals > 0)
        {
            RuntimeLogs.Pruned(_logger, orders, signals);
        }

        return orders == limit || signals == limit;
    }
}
