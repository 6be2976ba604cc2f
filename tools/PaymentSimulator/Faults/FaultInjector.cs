using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using PaymentSimulator.Vipps;

namespace PaymentSimulator.Faults;

/// <summary>Rolls the fault dice (seeded) and counts every fault it injects.</summary>
internal sealed class FaultInjector
{
    private readonly Lock _lock = new();
    private readonly ConcurrentDictionary<string, long> _injected = new();
    private FaultSettings _settings;
    private Random _dice;
    private int _tooManyLeft;

    public FaultInjector(IOptions<SimulatorOptions> options)
    {
        _settings = options.Value.Faults;
        _dice = new Random(_settings.Seed);
        _tooManyLeft = _settings.TooManyRequests;
    }

    public FaultSettings Settings
    {
        get
        {
            lock (_lock)
            {
                return _settings;
            }
        }
    }

    public void Replace(FaultSettings settings)
    {
        lock (_lock)
        {
            _settings = settings;
            _dice = new Random(settings.Seed);
            _tooManyLeft = settings.TooManyRequests;
        }
    }

    /// <summary>An answer that replaces the call (a 429 of a burst, or a 5xx), or null to let it through.</summary>
    public SimResponse? BeforeCall()
    {
        lock (_lock)
        {
            if (_tooManyLeft > 0)
            {
                _tooManyLeft--;
                Count("tooManyRequests");
                return SimResponse.Problem(429, "Too Many Requests", "Rate limit exceeded (injected).") with { RetryAfterSeconds = _settings.RetryAfterSeconds };
            }

            if (_settings.ErrorRate > 0 && _dice.NextDouble() < _settings.ErrorRate)
            {
                var status = _settings.ErrorStatuses[_dice.Next(_settings.ErrorStatuses.Count)];
                Count($"status{status}");
                return SimResponse.Problem(status, "Server Error", "Injected failure; nothing was applied.");
            }

            return null;
        }
    }

    public TimeSpan Latency()
    {
        var latency = Settings.LatencyMilliseconds;
        if (latency > 0)
        {
            Count("latency");
        }

        return TimeSpan.FromMilliseconds(latency);
    }

    public bool DropAfterApply() => Roll(s => s.DropAfterApplyRate, "droppedAfterApply");

    public bool DropWebhook() => Roll(s => s.WebhookDropRate, "webhookDropped");

    public int WebhookCopies() => Roll(s => s.WebhookDuplicateRate, "webhookDuplicated") ? 2 : 1;

    public bool ReorderWebhook() => Roll(s => s.WebhookReorderRate, "webhookReordered");

    public TimeSpan WebhookDelay()
    {
        var seconds = Settings.WebhookDelaySeconds;
        if (seconds > 0)
        {
            Count("webhookDelayed");
        }

        return TimeSpan.FromSeconds(seconds);
    }

    public JsonObject ToJson() =>
        new(_injected.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));

    private bool Roll(Func<FaultSettings, double> rate, string counter)
    {
        lock (_lock)
        {
            var hit = rate(_settings) > 0 && _dice.NextDouble() < rate(_settings);
            if (hit)
            {
                Count(counter);
            }

            return hit;
        }
    }

    private void Count(string counter) => _injected.AddOrUpdate(counter, 1, (_, n) => n + 1);
}
