using System.Text.Json;
using OrderPayments.Domain.Serialization;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Functions.Signals;

/// <summary>A signal recorded in an order's inbox and not yet applied, in the order the inbox took it.</summary>
/// <param name="Sequence">Its place in the order's inbox: when the inbox took it (ticks), ties broken by key.</param>
/// <param name="DedupeKey">The signal's identity.</param>
/// <param name="Signal">The workflow input.</param>
internal sealed record InboxSignal(long Sequence, string DedupeKey, WorkflowInput Signal);

/// <summary>What applying a signal came to, kept with it in the inbox.</summary>
/// <param name="DedupeKey">The signal's identity.</param>
/// <param name="Outcome">Applied, unchanged or rejected.</param>
/// <param name="Rejection">Why it was rejected, when it was.</param>
internal sealed record AppliedSignal(string DedupeKey, InputOutcome Outcome, InputRejection? Rejection = null);

/// <summary>The input of the drain activity: record these outcomes, then answer what is still to apply.</summary>
/// <param name="OrderId">The order (the orchestration's instance id).</param>
/// <param name="Applied">Signals applied since the last drain, with their outcomes.</param>
/// <param name="Close">Close the inbox when nothing is left to apply (the order has ended): later signals are refused.</param>
internal sealed record DrainRequest(string OrderId, IReadOnlyList<AppliedSignal> Applied, bool Close = false)
{
    public string ToJson() => JsonSerializer.Serialize(this, OrderPaymentsJson.Options);

    public static DrainRequest FromJson(string json) =>
        JsonSerializer.Deserialize<DrainRequest>(json, OrderPaymentsJson.Options) ?? throw new JsonException("The drain request is empty.");
}

/// <summary>The answer of the drain activity.</summary>
/// <param name="Pending">Signals to apply, in inbox order.</param>
/// <param name="Closed">The inbox is closed (asked for, and nothing was left to apply).</param>
/// <param name="More">More signals wait than one drain answers (<see cref="MaxSignals"/>): drain again.</param>
internal sealed record DrainResult(IReadOnlyList<InboxSignal> Pending, bool Closed = false, bool More = false)
{
    /// <summary>The most signals one drain answers (bounds the activity's output).</summary>
    public const int MaxSignals = 100;

    public string ToJson() => JsonSerializer.Serialize(this, OrderPaymentsJson.Options);

    public static DrainResult FromJson(string json) =>
        JsonSerializer.Deserialize<DrainResult>(json, OrderPaymentsJson.Options) ?? throw new JsonException("The drain result is empty.");
}

/// <summary>What adding a signal to an order's inbox did.</summary>
internal enum InboxAddResult
{
    /// <summary>Recorded; the orchestration will apply it.</summary>
    Added = 1,

    /// <summary>A signal with this key was recorded before (see <see cref="InboxAdd.Applied"/>).</summary>
    Duplicate = 2,

    /// <summary>The order has ended and its inbox is closed: nothing was recorded.</summary>
    Closed = 3,
}

/// <summary>The answer of <see cref="ISignalInbox.AddAsync"/>.</summary>
/// <param name="Result">What happened.</param>
/// <param name="Applied">For a duplicate: what applying the first one came to, or null while it waits to be applied.</param>
internal sealed record InboxAdd(InboxAddResult Result, AppliedSignal? Applied = null);
