using Microsoft.Extensions.Hosting;
using OrderPayments.Application.Storefront;
using OrderPayments.Functions.Notifications;
using OrderPayments.Runtime;

namespace OrderPayments.Functions.Tests.Engine;

/// <summary>
/// Delivers the Durable engine's storefront events as the Functions app's timer function does (the shared deliverer
/// over the table store), polling every 100 ms instead of every 5 s.
/// </summary>
internal sealed class TableDeliveryLoop(Func<TableNotificationStore> store, IHttpClientFactory http, TimeProvider time, StorefrontDeliveryOptions options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var deliverer = new StorefrontDeliverer(store(), http.CreateClient(RuntimeServiceCollectionExtensions.StorefrontHttpClient), time, options);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await deliverer.DeliverDueAsync(stoppingToken);
                await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
