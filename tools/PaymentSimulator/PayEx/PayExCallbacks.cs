using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace PaymentSimulator.PayEx;

/// <summary>A callback waiting to be delivered.</summary>
internal sealed record PayExCallback(string Url, string Body, int Attempt, DateTimeOffset DueAt);

/// <summary>The queue of PayEx callbacks: one per transaction created or updated, to the payment's <c>callbackUrl</c>.</summary>
internal sealed class PayExCallbacks(SimulatorClock time)
{
    private readonly ConcurrentQueue<PayExCallback> _queue = new();

    public SemaphoreSlim Pending { get; } = new(0);

    public void Enqueue(PayExPayment payment, PayExTransaction transaction)
    {
        if (payment.CallbackUrl is null)
        {
            return;
        }

        var body = new JsonObject
        {
            ["payment"] = new JsonObject { ["id"] = payment.Id, ["number"] = payment.Number },
            ["transaction"] = new JsonObject { ["id"] = transaction.Id(payment), ["number"] = transaction.Number },
        };
        Add(new PayExCallback(payment.CallbackUrl, body.ToJsonString(), 1, time.GetUtcNow()));
    }

    public void Add(PayExCallback callback)
    {
        _queue.Enqueue(callback);
        Pending.Release();
    }

    /// <summary>Takes every callback due now; the rest stay queued.</summary>
    public List<PayExCallback> Due()
    {
        var now = time.GetUtcNow();
        var due = new List<PayExCallback>();
        var later = new List<PayExCallback>();
        while (_queue.TryDequeue(out var callback))
        {
            (callback.DueAt <= now ? due : later).Add(callback);
        }

        foreach (var callback in later)
        {
            _queue.Enqueue(callback);
        }

        return due;
    }
}

/// <summary>
/// Delivers PayEx callbacks: a POST with the JSON body and no signature (PayEx does not sign them); any non-2xx or
/// no answer is retried after the configured delays, up to 8 attempts. Faults: drop, duplicate and delay.
/// </summary>
internal sealed class PayExCallbackSender(PayExCallbacks callbacks, PayExSimulator simulator, IHttpClientFactory http, SimulatorClock time, IOptions<SimulatorOptions> options) : BackgroundService
{
    public const string HttpClientName = "Simulator.PayExCallbacks";
    private const int MaxAttempts = 8;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        OutboundDelivery.RunAsync(() => callbacks.Due().Select(callback => DeliverAsync(callback, stoppingToken)), callbacks.Pending, stoppingToken);

    private async Task DeliverAsync(PayExCallback callback, CancellationToken cancellationToken)
    {
        if (simulator.Faults.DropWebhook())
        {
            return;
        }

        var copies = simulator.Faults.WebhookCopies();
        for (var copy = 0; copy < copies; copy++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, callback.Url) { Content = new StringContent(callback.Body, Encoding.UTF8, "application/json") };
            if (await OutboundDelivery.SendAsync(http.CreateClient(HttpClientName), request, cancellationToken))
            {
                simulator.Stats.Count("callbacks.delivered");
                continue;
            }

            simulator.Stats.Count("callbacks.failed");
            var delays = options.Value.PayExCallbackRetrySeconds;
            if (callback.Attempt < MaxAttempts && delays.Count > 0)
            {
                var wait = TimeSpan.FromSeconds(delays[Math.Min(callback.Attempt - 1, delays.Count - 1)]);
                callbacks.Add(callback with { Attempt = callback.Attempt + 1, DueAt = time.GetUtcNow() + wait });
            }

            return;
        }
    }
}
