using System.Security.Cryptography;
using System.Text.Json.Nodes;
using PaymentSimulator.Faults;
using PaymentSimulator.Persistence;

namespace PaymentSimulator.Webhooks;

/// <summary>
/// The Webhooks API's registrations and the queues of deliveries: one queue per registration and payment, so events
/// of a payment reach a registration in order and a failing one blocks the ones after it (as Vipps documents).
/// Registrations (with their secrets) are kept in the <see cref="SimulatorStore"/> when it has a file; deliveries
/// still queued when the process stops are not (the orchestrator polls for what a lost webhook would have said).
/// </summary>
internal sealed class WebhookHub
{
    private readonly Lock _lock = new();
    private readonly List<WebhookRegistration> _registrations;
    private readonly Dictionary<(Guid, string), LinkedList<WebhookDelivery>> _queues = [];
    private readonly SimulatorClock _time;
    private readonly FaultInjector _faults;
    private readonly SimulatorStore _store;

    public WebhookHub(SimulatorClock time, FaultInjector faults, SimulatorStore store)
    {
        _time = time;
        _faults = faults;
        _store = store;
        _registrations = [.. StoredJson.ReadAll<WebhookRegistration>(store, StoreKinds.WebhookRegistration).Select(r => r.Value)];
    }

    /// <summary>Wakes the delivery loop.</summary>
    public SemaphoreSlim Pending { get; } = new(0);

    public WebhookRegistration Register(Uri url, IReadOnlyList<string> events)
    {
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        var registration = new WebhookRegistration(Guid.CreateVersion7(_time.GetUtcNow()), url, events, secret);
        lock (_lock)
        {
            _store.Write([new StoreRow(StoreKinds.WebhookRegistration, registration.Id.ToString(), StoredJson.Write(registration))]);
            _registrations.Add(registration);
        }

        return registration;
    }

    public IReadOnlyList<WebhookRegistration> List()
    {
        lock (_lock)
        {
            return [.. _registrations];
        }
    }

    public bool Delete(Guid id)
    {
        lock (_lock)
        {
            foreach (var key in _queues.Keys.Where(k => k.Item1 == id).ToList())
            {
                _queues.Remove(key);
            }

            _store.Write([new StoreRow(StoreKinds.WebhookRegistration, id.ToString(), null)]);
            return _registrations.RemoveAll(r => r.Id == id) > 0;
        }
    }

    /// <summary>Queues an event for every registration that listens to it (the event type is derived from its name).</summary>
    public void Publish(string msn, string reference, JsonObject paymentEvent)
    {
        var eventType = $"epayments.payment.{paymentEvent["name"]!.GetValue<string>().ToLowerInvariant()}.v1";
        var payload = new JsonObject { ["msn"] = msn };
        foreach (var (name, value) in paymentEvent)
        {
            payload[name] = value?.DeepClone();
        }

        var body = payload.ToJsonString();
        lock (_lock)
        {
            foreach (var registration in _registrations.Where(r => r.Events.Contains(eventType)))
            {
                var copies = _faults.WebhookCopies();
                for (var i = 0; i < copies; i++)
                {
                    var delivery = new WebhookDelivery(registration, reference, body) { NextAttemptAt = _time.GetUtcNow() + _faults.WebhookDelay() };
                    var queue = Queue(registration.Id, reference);
                    if (_faults.ReorderWebhook() && queue.Count > 0)
                    {
                        queue.AddBefore(queue.Last!, delivery);
                    }
                    else
                    {
                        queue.AddLast(delivery);
                    }
                }
            }
        }

        Pending.Release();
    }

    /// <summary>The head of every queue whose next attempt is due.</summary>
    public List<WebhookDelivery> Due()
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            return _queues.Values.Where(q => q.Count > 0 && q.First!.Value.NextAttemptAt <= now).Select(q => q.First!.Value).ToList();
        }
    }

    public void Delivered(WebhookDelivery delivery)
    {
        lock (_lock)
        {
            if (_queues.TryGetValue((delivery.Registration.Id, delivery.Reference), out var queue) && queue.First?.Value == delivery)
            {
                queue.RemoveFirst();
            }
        }
    }

    /// <summary>
    /// Schedules the next attempt (1 s, 2 s, 4 s … up to 60 s, on the simulator's clock); after
    /// <paramref name="maxAttempts"/> the delivery is dropped, as Vipps drops it after its retry period.
    /// </summary>
    public bool Failed(WebhookDelivery delivery, int maxAttempts)
    {
        delivery.Attempts++;
        if (delivery.Attempts >= maxAttempts)
        {
            Delivered(delivery);
            return false;
        }

        var backoff = TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, delivery.Attempts - 1)));
        delivery.NextAttemptAt = _time.GetUtcNow() + backoff;
        return true;
    }

    private LinkedList<WebhookDelivery> Queue(Guid id, string reference)
    {
        if (!_queues.TryGetValue((id, reference), out var queue))
        {
            queue = new LinkedList<WebhookDelivery>();
            _queues[(id, reference)] = queue;
        }

        return queue;
    }
}
