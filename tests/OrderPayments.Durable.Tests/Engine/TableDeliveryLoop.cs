using Microsoft.Extensions.Hosting;
using OrderPayments.Application.Storefront;

namespace OrderPayments.Durable.Tests.Engine;

/// <summary>
/// Delivers the Durable interpreter's storefront events as the Functions app's timer function does (the shared deliverer
/// over the table store, one bounded tick at a time), every 100 ms instead of every 5 s.
/// </summary>
internal sealed class TableDeliveryLoop(StorefrontDeliverer deliverer) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await deliverer.DeliverDueAsync(TimeSpan.FromSeconds(4), null, stoppingToken);
                await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
