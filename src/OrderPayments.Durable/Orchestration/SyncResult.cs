using System.Text.Json;
using OrderPayments.Domain.Serialization;
using OrderPayments.Durable.Signals;

namespace OrderPayments.Durable.Orchestration;

/// <summary>The answer of the <see cref="OrchestrationNames.SyncOrder"/> activity.</summary>
/// <param name="Pending">Signals to apply, in inbox order (when asked to drain).</param>
/// <param name="Closed">The inbox is closed (asked for, and nothing was left to apply).</param>
/// <param name="More">More signals wait than one answer carries (<see cref="MaxSignals"/>): drain again.</param>
/// <param name="OrderETag">The orders row's ETag after this save (null when nothing was saved).</param>
/// <param name="For">The fingerprint of the request answered (<see cref="ActivityAnswer.Fingerprint"/>; see <see cref="ActivityAnswer"/> for why).</param>
internal sealed record SyncResult(IReadOnlyList<InboxSignal> Pending, bool Closed = false, bool More = false, string? OrderETag = null, string? For = null)
{
    /// <summary>The most signals one answer carries (bounds the activity's output in the orchestration's history).</summary>
    public const int MaxSignals = 100;

    public string ToJson() => JsonSerializer.Serialize(this, OrderPaymentsJson.Options);

    public static SyncResult FromJson(string json) =>
        JsonSerializer.Deserialize<SyncResult>(json, OrderPaymentsJson.Options) ?? throw new JsonException("The sync result is empty.");

    /// <summary>The result when <paramref name="json"/> answers the sync request <paramref name="fingerprint"/>; null for an answer to another request (or not a sync result at all).</summary>
    public static SyncResult? Answering(string? json, string fingerprint)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<SyncResult>(json, OrderPaymentsJson.Options) is { Pending: not null } result && result.For == fingerprint ? result : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
