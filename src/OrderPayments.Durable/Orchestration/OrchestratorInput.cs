using System.Text.Json;
using OrderPayments.Domain.Serialization;
using OrderPayments.Domain.Workflow;
using OrderPayments.Durable.Notifications;
using OrderPayments.Durable.Signals;

namespace OrderPayments.Durable.Orchestration;

/// <summary>
/// What the orchestrator carries from one generation to the next (<c>ContinueAsNew</c>): everything it holds that is
/// not durable elsewhere yet. Exchanged as JSON text (<see cref="OrderPaymentsJson"/>), so the Durable Task serializer
/// never has to know the workflow's polymorphic types. Fields are only added, with defaults.
/// </summary>
/// <param name="Request">The start request (first generation only).</param>
/// <param name="State">The state (later generations).</param>
/// <param name="Version">The order's version (<see cref="Application.Workflows.OrderVersions"/>).</param>
/// <param name="Applied">Outcomes of applied signals not yet recorded in the inbox.</param>
/// <param name="By">Who asked for the start (first generation only), named in the history.</param>
/// <param name="Notify">Record storefront events of this order's steps (fixed at its start, so a replay never differs).</param>
/// <param name="Events">Storefront events not yet recorded.</param>
/// <param name="Calls">Provider calls whose outcome is not known, with their failures and next attempt (null: re-issue the state's calls in flight).</param>
/// <param name="SavedVersion">The version last saved to the orders table.</param>
/// <param name="LastSequence">The inbox place of the last signal applied.</param>
/// <param name="OrderETag">The orders row's ETag after the last save, when known.</param>
/// <param name="Generation">How many generations came before this one.</param>
/// <param name="UpdatedAt">When the state last changed.</param>
internal sealed record OrchestratorInput(
    PaymentRequest? Request,
    OrderPaymentState? State,
    long Version = 0,
    IReadOnlyList<AppliedSignal>? Applied = null,
    string? By = null,
    bool Notify = false,
    IReadOnlyList<SequencedEvent>? Events = null,
    IReadOnlyList<PendingCall>? Calls = null,
    long SavedVersion = 0,
    long LastSequence = 0,
    string? OrderETag = null,
    int Generation = 0,
    DateTimeOffset? UpdatedAt = null)
{
    public string ToJson() => JsonSerializer.Serialize(this, OrderPaymentsJson.Options);

    public static OrchestratorInput FromJson(string json) =>
        JsonSerializer.Deserialize<OrchestratorInput>(json, OrderPaymentsJson.Options) ?? throw new JsonException("The orchestrator input is empty.");

    /// <summary>The input in an instance's serialized input (the JSON text serialized once more as a JSON string by the framework); null when it is not one.</summary>
    public static OrchestratorInput? TryRead(string? serializedInput)
    {
        if (serializedInput is null)
        {
            return null;
        }

        try
        {
            var text = serializedInput.StartsWith('"') ? JsonSerializer.Deserialize<string>(serializedInput) ?? serializedInput : serializedInput;
            return FromJson(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
