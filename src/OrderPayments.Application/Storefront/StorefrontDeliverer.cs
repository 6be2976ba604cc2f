using System.Globalization;
using System.Text;

namespace OrderPayments.Application.Storefront;

/// <summary>
/// Delivers storefront events from an <see cref="INotificationOutbox"/>: signed (Standard Webhooks), at least once,
/// in order per order and endpoint, each attempt bounded by <see cref="StorefrontDeliveryOptions.Timeout"/>, retried
/// with growing delays for <see cref="StorefrontDeliveryOptions.RetryFor"/>, then kept as failed. Deliveries run
/// concurrently with a cap per endpoint, so a slow or dead endpoint holds up only its own deliveries; the workflow
/// never waits for any of them. A crash between a delivery and its record sends the same event id again.
/// </summary>
public sealed class StorefrontDeliverer
{
    private readonly INotificationOutbox _outbox;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly StorefrontDeliveryOptions _options;

    /// <summary>Deliveries a timer tick started that have not ended yet, by endpoint and order (<see cref="DeliverDueAsync(TimeSpan, Action{Exception}?, CancellationToken)"/>).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Endpoint, string Order), byte> _ticking = new();

    /// <summary>Creates the deliverer.</summary>
    public StorefrontDeliverer(INotificationOutbox outbox, HttpClient http, TimeProvider time, StorefrontDeliveryOptions options)
    {
        _outbox = outbox;
        _http = http;
        _time = time;
        _options = options;
    }

    /// <summary>
    /// Runs until <paramref name="cancellationToken"/> is cancelled: starts due deliveries as slots free up and waits
    /// with <paramref name="waitForWork"/> (new events, or the given time until the next retry) when none is due.
    /// </summary>
    /// <param name="waitForWork">Waits until new deliveries may be due or the time passes; cancelled when a delivery ends first.</param>
    /// <param name="onError">Told of a failure to read or record the outbox (the loop goes on; nothing is lost).</param>
    /// <param name="cancellationToken">Stops the loop; deliveries in flight are abandoned and sent again later.</param>
    public async Task RunAsync(Func<TimeSpan, CancellationToken, Task> waitForWork, Action<Exception> onError, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(waitForWork);
        ArgumentNullException.ThrowIfNull(onError);
        var inFlight = new Dictionary<(string Endpoint, string Order), Task<DeliveryResult>>();
        while (!cancellationToken.IsCancellationRequested)
        {
            var idle = TimeSpan.FromMinutes(1);
            try
            {
                // The results of the deliveries that ended, in one commit; a delivery not recorded is sent again.
                var done = inFlight.Where(pair => pair.Value.IsCompleted).ToList();
                foreach (var (key, _) in done)
                {
                    inFlight.Remove(key);
                }

                var results = done.Where(pair => pair.Value.IsCompletedSuccessfully).Select(pair => pair.Value.Result).ToList();
                foreach (var failed in done.Where(pair => pair.Value.IsFaulted))
                {
                    onError(failed.Value.Exception!.GetBaseException());
                }

                if (results.Count > 0)
                {
                    await _outbox.RecordAsync(results, CancellationToken.None).ConfigureAwait(false);
                }

                var now = _time.GetUtcNow();
                Start(await _outbox.DueAsync(now, _options.MaxConcurrentPerEndpoint, cancellationToken).ConfigureAwait(false), inFlight, cancellationToken);
                if (await _outbox.NextDueAsync(now, cancellationToken).ConfigureAwait(false) is { } next && next - now < idle)
                {
                    idle = next - now;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                onError(e);
                idle = TimeSpan.FromSeconds(1);
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var wait = waitForWork(idle, stop.Token);
            await Task.WhenAny(inFlight.Values.Append(wait)).ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await wait.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // A delivery ended first (or the loop stops): look again.
            }
        }
    }

    /// <summary>Delivers everything due now, within the limits, and returns when those deliveries ended and are recorded (tests).</summary>
    /// <returns>How many deliveries were attempted.</returns>
    public Task<int> DeliverDueAsync(CancellationToken cancellationToken) => DeliverDueAsync(Timeout.InfiniteTimeSpan, null, cancellationToken);

    /// <summary>
    /// One tick of a timer host: starts the deliveries due now (at most <see cref="StorefrontDeliveryOptions.MaxConcurrentPerEndpoint"/>
    /// per endpoint and <see cref="StorefrontDeliveryOptions.MaxConcurrentDeliveries"/> in all, none that an earlier tick
    /// still has in flight) and returns when they have ended or <paramref name="budget"/> has passed, whichever is first:
    /// a slow endpoint's attempts go on (each records its own result when it ends) without holding up the next tick.
    /// </summary>
    /// <param name="budget">How long the tick waits for its deliveries (<see cref="Timeout.InfiniteTimeSpan"/>: until they end).</param>
    /// <param name="onError">Told of a delivery whose result could not be recorded (it is sent again later; nothing is lost).</param>
    /// <param name="cancellationToken">Stops waiting; deliveries in flight go on.</param>
    /// <returns>How many deliveries were started.</returns>
    public async Task<int> DeliverDueAsync(TimeSpan budget, Action<Exception>? onError, CancellationToken cancellationToken)
    {
        var due = await _outbox.DueAsync(_time.GetUtcNow(), _options.MaxConcurrentPerEndpoint, cancellationToken).ConfigureAwait(false);
        var started = new List<Task>();
        foreach (var delivery in due)
        {
            if (_ticking.Count >= _options.MaxConcurrentDeliveries)
            {
                break;
            }

            var key = (delivery.EndpointId, delivery.OrderId);
            if (_ticking.TryAdd(key, 0))
            {
                started.Add(DeliverAndRecordAsync(delivery, key, onError));
            }
        }

        try
        {
            await Task.WhenAll(started).WaitAsync(budget, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The rest go on and record themselves; the next tick leaves them alone until they have.
        }

        return started.Count;
    }

    private async Task DeliverAndRecordAsync(PendingDelivery delivery, (string, string) key, Action<Exception>? onError)
    {
        try
        {
            var result = await SendAsync(delivery, CancellationToken.None).ConfigureAwait(false);
            await _outbox.RecordAsync([result], CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (onError is not null)
        {
            onError(e);
        }
        finally
        {
            _ticking.TryRemove(key, out _);
        }
    }

    /// <summary>One attempt: POST the signed body; 2xx is delivered, anything else (or no answer in time) is retried or, after the retry period, failed.</summary>
    public async Task<DeliveryResult> SendAsync(PendingDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var sentAt = _time.GetUtcNow();
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url)
        {
            Content = new StringContent(delivery.Body, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation(StandardWebhooks.IdHeader, delivery.EventId);
        request.Headers.TryAddWithoutValidation(StandardWebhooks.TimestampHeader, sentAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation(StandardWebhooks.SignatureHeader, StandardWebhooks.Sign(delivery.Secret, delivery.EventId, sentAt, delivery.Body));

        string error;
        using var timeout = new CancellationTokenSource(_options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return new DeliveryResult(delivery, DeliveryOutcome.Delivered, _time.GetUtcNow());
            }

            error = string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)response.StatusCode}");
        }
        catch (HttpRequestException e)
        {
            error = e.Message;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Anything else the attempt threw is the attempt's failure too (retried later, never in a tight loop).
            error = $"{e.GetType().Name}: {e.Message}";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"No answer within {_options.Timeout.TotalSeconds:0.#} s.");
        }

        var at = _time.GetUtcNow();
        var retryAt = at + _options.RetryDelay(delivery.Attempts + 1);
        return retryAt - delivery.Since > _options.RetryFor
            ? new DeliveryResult(delivery, DeliveryOutcome.Failed, at, null, error)
            : new DeliveryResult(delivery, DeliveryOutcome.RetryLater, at, retryAt, error);
    }

    private void Start(IReadOnlyList<PendingDelivery> due, Dictionary<(string Endpoint, string Order), Task<DeliveryResult>> inFlight, CancellationToken cancellationToken)
    {
        foreach (var delivery in due)
        {
            var key = (delivery.EndpointId, delivery.OrderId);
            if (inFlight.Count >= _options.MaxConcurrentDeliveries)
            {
                return;
            }

            if (inFlight.ContainsKey(key) || inFlight.Keys.Count(k => k.Endpoint == delivery.EndpointId) >= _options.MaxConcurrentPerEndpoint)
            {
                continue;
            }

            inFlight[key] = SendAsync(delivery, cancellationToken);
        }
    }
}
