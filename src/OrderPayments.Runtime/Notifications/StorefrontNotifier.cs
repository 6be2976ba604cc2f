using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderPayments.Application.Storefront;
using OrderPayments.Runtime.Storage;

namespace OrderPayments.Runtime.Notifications;

/// <summary>
/// Runs the storefront deliverer over the SQLite outbox in the process that holds the file's notifier lease (one per
/// file, like the dispatcher), woken by commits that wrote events.
/// </summary>
internal sealed class StorefrontNotifier(
    RuntimeStore store,
    StorefrontDeliverer deliverer,
    DeliverySignal signal,
    TimeProvider time,
    IOptions<RuntimeOptions> options,
    IOptions<StorefrontDeliveryOptions> delivery,
    EmbeddedNotifications notifications,
    ILogger<StorefrontNotifier> logger) : BackgroundService
{
    private const string Lease = "notifier";
    private readonly string _owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Stopwatch.GetTimestamp()}/notifier";

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // The configured endpoints are the active ones of their source (secrets stay in the configuration's store too).
        await notifications.ConfigureAsync(
            [.. delivery.Value.Endpoints.Select(pair => (
                pair.Key,
                new Uri(pair.Value.Url!),
                pair.Value.Secret!,
                pair.Value.Types is { Count: > 0 } types ? (IReadOnlyList<string>?)types : null))],
            cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var lease = options.Value.LeaseDuration;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await TakeLeaseAsync(lease, stoppingToken).ConfigureAwait(false))
                {
                    await signal.Work.WaitAsync(lease / 3, time, options.Value.ExternalWorkPollInterval, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                // Deliver while the lease is ours; renew it between waits (each wait is at most a third of it).
                using var held = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var renewed = Stopwatch.StartNew();
                var loop = deliverer.RunAsync(
                    async (idle, ct) =>
                    {
                        await signal.Work.WaitAsync(idle < lease / 3 ? idle : lease / 3, time, options.Value.ExternalWorkPollInterval, ct).ConfigureAwait(false);
                        if (renewed.Elapsed < lease / 3)
                        {
                            return;
                        }

                        renewed.Restart();
                        if (!await TakeLeaseAsync(lease, ct).ConfigureAwait(false))
                        {
                            await held.CancelAsync().ConfigureAwait(false);
                        }
                    },
                    e => RuntimeLogs.NotifierFailed(logger, e),
                    held.Token);
                await loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                RuntimeLogs.NotifierFailed(logger, e);
                await Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<bool> TakeLeaseAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        using var session = await StoreSession.WriteAsync(store, cancellationToken).ConfigureAwait(false);
        var taken = session.TryTakeLease(_owner, time.GetUtcNow(), duration, Lease);
        session.Commit();
        return taken;
    }
}
