using OrderPayments.Vipps;
using OrderPayments.Vipps.Webhooks;
using Microsoft.Extensions.Options;

namespace OrderPayments.Api;

/// <summary>
/// Registers the Vipps webhook once the server is listening (when <c>Vipps:WebhookUrl</c> is set), retrying with
/// back-off while Vipps cannot be reached. Until it succeeds, deliveries are refused (401) and Vipps retries them;
/// polling covers the gap.
/// </summary>
internal sealed partial class WebhookRegistrationService : BackgroundService
{
    private readonly VippsWebhookSubscription _subscription;
    private readonly IOptions<VippsOptions> _options;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<WebhookRegistrationService> _logger;

    public WebhookRegistrationService(VippsWebhookSubscription subscription, IOptions<VippsOptions> options, IHostApplicationLifetime lifetime, ILogger<WebhookRegistrationService> logger)
    {
        _subscription = subscription;
        _options = options;
        _lifetime = lifetime;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.Value.WebhookUrl is not { } url)
        {
            LogNoWebhookUrl(_logger);
            return;
        }

        // The embedded simulator answers on this server: wait until it listens.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (_lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
        }

        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _subscription.EnsureRegisteredAsync(url, stoppingToken).ConfigureAwait(false);
                return;
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogRegistrationFailed(_logger, url, delay, exception);
                await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
                delay = delay * 2 > TimeSpan.FromMinutes(5) ? TimeSpan.FromMinutes(5) : delay * 2;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Vipps:WebhookUrl is not set: no webhook is registered and payments are followed by polling only.")]
    private static partial void LogNoWebhookUrl(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Registering the Vipps webhook for {Url} failed; retrying in {Delay}.")]
    private static partial void LogRegistrationFailed(ILogger logger, Uri url, TimeSpan delay, Exception exception);
}
