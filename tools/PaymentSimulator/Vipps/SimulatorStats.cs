using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace PaymentSimulator.Vipps;

/// <summary>What the simulator saw: calls per operation, operations applied and replayed per idempotency key.</summary>
internal sealed class SimulatorStats
{
    private readonly ConcurrentDictionary<string, long> _calls = new();
    private readonly ConcurrentDictionary<string, long> _applied = new();
    private readonly ConcurrentDictionary<string, long> _replayed = new();
    private readonly ConcurrentDictionary<string, long> _counters = new();

    public void Call(string operation) => _calls.AddOrUpdate(operation, 1, (_, n) => n + 1);

    public void Applied(string key) => _applied.AddOrUpdate(key, 1, (_, n) => n + 1);

    public void Replayed(string key) => _replayed.AddOrUpdate(key, 1, (_, n) => n + 1);

    /// <summary>Counts anything else (webhooks delivered, failed, given up).</summary>
    public void Count(string counter) => _counters.AddOrUpdate(counter, 1, (_, n) => n + 1);

    public long Counter(string counter) => _counters.GetValueOrDefault(counter);

    public JsonObject ToJson(JsonObject injected) => new()
    {
        ["calls"] = Object(_calls),
        ["appliedPerIdempotencyKey"] = Object(_applied),
        ["replayedPerIdempotencyKey"] = Object(_replayed),
        ["webhooks"] = Object(_counters),
        ["injected"] = injected,
    };

    private static JsonObject Object(ConcurrentDictionary<string, long> counts) =>
        new(counts.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
}
