using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace PaymentSimulator.Vipps;

/// <summary>What the simulator saw: calls per operation, operations applied and replayed per idempotency key.</summary>
internal sealed class SimulatorStats
{
    private readonly ConcurrentDictionary<string, long> _calls = new();
    private readonly ConcurrentDictionary<string, long> _applied = new();
    private readonly ConcurrentDictionary<string, long> _replayed = new();

    public void Call(string operation) => _calls.AddOrUpdate(operation, 1, (_, n) => n + 1);

    public void Applied(string key) => _applied.AddOrUpdate(key, 1, (_, n) => n + 1);

    public void Replayed(string key) => _replayed.AddOrUpdate(key, 1, (_, n) => n + 1);

    public JsonObject ToJson() => new()
    {
        ["calls"] = Object(_calls),
        ["appliedPerIdempotencyKey"] = Object(_applied),
        ["replayedPerIdempotencyKey"] = Object(_replayed),
    };

    private static JsonObject Object(ConcurrentDictionary<string, long> counts) =>
        new(counts.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
}
