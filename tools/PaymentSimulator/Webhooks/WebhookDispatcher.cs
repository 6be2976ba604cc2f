using System.Text;
using Microsoft.Extensions.Options;
using PaymentSimulator.Vipps;

namespace PaymentSimulator.Webhooks;

/// <summary>
/// Delivers queued webhook events: POST with the Vipps signature headers, a 10 s timeout, retried with backoff on
/// any non-2xx answer or no answer. Looks for due deliveries when an event is published and every 50 ms.
/// </summary>
internal sealed class WebhookDispatcher(WebhookHub hub, IHttpClientFactory http, SimulatorClock time, VippsSimulator simulator, IOptions<SimulatorOptions> options) : BackgroundService
{
    public const string HttpClientName = "Simulator.Webhooks";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.WhenAll(hub.Due().Select(delivery => DeliverAsync(delivery, stoppingToken)));
            try
            {
                await hub.Pending.WaitAsync(TimeSpan.FromMilliseconds(50), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task DeliverAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        if (simulator.Faults.DropWebhook())
        {
            hub.Delivered(delivery);
            return;
        }

        var body = Encoding.UTF8.GetBytes(delivery.Body);
        var (date, hash, authorization) = WebhookSigner.Sign(delivery.Registration.Url, delivery.Registration.Secret, body, time.GetUtcNow());
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Registration.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TryAddWithoutValidation("x-ms-date", date);
        request.Headers.TryAddWithoutValidation("x-ms-content-sha256", hash);
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
            if (response.IsSuccessStatusCode)
            {
                hub.Delivered(delivery);
                simulator.Stats.Count("webhooks.delivered");
                return;
            }
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // No answer counts as a failure, like any non-2xx answer.
        }

        simulator.Stats.Count(hub.Failed(delivery, options.Value.WebhookMaxAttempts) ? "webhooks.failed" : "webhooks.gaveUp");
    }
}
