using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace OrderPayments.Durable;

/// <summary>
/// Retention of finished orders on the Durable interpreter (<see cref="DurableOptions.FinishedOrderRetention"/>): a
/// finished order's orchestration instance (with its history), its inbox's signals and its storefront deliveries are
/// purged once the retention has passed since its last step. Its row in the orders table stays (marked purged), with the
/// inbox's closed marker: the status still answers, a repeated start is answered from it, and a late notification is
/// absorbed by the final state. Finished orders are found through their purge index, never by scanning.
/// </summary>
public sealed partial class OrderPurger
{
    private readonly DurableStorage _storage;
    private readonly DurableOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    internal OrderPurger(DurableStorage storage, DurableOptions options, TimeProvider time, ILogger logger)
    {
        _storage = storage;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>Purges the finished orders that are due, at most <see cref="DurableOptions.PurgeBatchSize"/>.</summary>
    /// <returns>How many were purged.</returns>
    public async Task<int> PurgeDueAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (_options.FinishedOrderRetention <= TimeSpan.Zero)
        {
            return 0;
        }

        var purged = 0;
        foreach (var (orderId, entry) in await _storage.Orders.DueForPurgeAsync(_time.GetUtcNow(), _options.PurgeBatchSize, cancellationToken))
        {
            if (await _storage.Orders.GetAsync(orderId, cancellationToken) is not { State.IsFinal: true, Purged: false })
            {
                await _storage.Orders.ForgetPurgeAsync(entry, cancellationToken);
                continue;
            }

            if (await client.GetInstanceAsync(orderId, getInputsAndOutputs: false, cancellationToken) is { } instance)
            {
                if (instance.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
                {
                    // Still closing its inbox, or stopped by a failure someone should look at first: not purged, looked at again later.
                    await _storage.Orders.PostponePurgeAsync(orderId, entry, _time.GetUtcNow() + TimeSpan.FromHours(1), cancellationToken);
                    LogNotPurged(_logger, orderId, instance.RuntimeStatus.ToString());
                    continue;
                }

                await client.PurgeInstanceAsync(orderId, cancellationToken);
            }

            await _storage.Inbox.PurgeAsync(orderId, cancellationToken);
            await _storage.Notifications.PurgeOrderAsync(orderId, cancellationToken);
            await _storage.Orders.MarkPurgedAsync(orderId, entry, cancellationToken);
            purged++;
        }

        if (purged > 0)
        {
            LogPurged(_logger, purged);
        }

        return purged;
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Purged {Count} finished orders past their retention.")]
    private static partial void LogPurged(ILogger logger, int count);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Finished order {OrderId} not purged: its orchestration is {RuntimeStatus}.")]
    private static partial void LogNotPurged(ILogger logger, string orderId, string runtimeStatus);
}
