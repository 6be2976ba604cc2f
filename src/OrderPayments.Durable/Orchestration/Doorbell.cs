using System.Text.Json;
using OrderPayments.Domain.Serialization;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Durable.Orchestration;

/// <summary>
/// The payload of <see cref="OrchestrationNames.SignalEvent"/>: a signal the client recorded in the order's inbox, with
/// its place there. The orchestration applies it at once when it is the next in line (<see cref="Sequence"/> one past
/// the last applied); otherwise (an earlier one's doorbell is late or was lost) it drains the inbox, which is the truth.
/// </summary>
/// <param name="Sequence">The signal's place in the order's inbox (from 1).</param>
/// <param name="DedupeKey">The signal's identity.</param>
/// <param name="Signal">The workflow input.</param>
internal sealed record Doorbell(long Sequence, string DedupeKey, WorkflowInput Signal)
{
    public string ToJson() => JsonSerializer.Serialize(this, OrderPaymentsJson.Options);

    /// <summary>The doorbell in an event's payload; null for a payload that is not one (then the inbox is drained).</summary>
    public static Doorbell? TryRead(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<Doorbell>(json, OrderPaymentsJson.Options) is { DedupeKey: not null, Signal: not null } bell ? bell : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
