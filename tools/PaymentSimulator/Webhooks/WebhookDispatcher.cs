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

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        OutboundDelivery.RunAsync(() => hub.Due().Select(delivery => DeliverAsync(delivery, stoppingToken)), hub.Pending, stoppingToken);

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
        if (await OutboundDelivery.SendAsync(http.CreateClient(HttpClientName), request, cancellationToken))
        {
            hub.Delivered(delivery);
            simulator.Stats.Count("webhooks.delivered");
            return;
        }

        simulator.Stats.Count(hub.Failed(delivery, options.Value.WebhookMaxAttempts) ? "webhooks.failed" : "webhooks.gaveUp");
    }
}
