using System.Text.Json;
using OrderPayments.Domain.Serialization;
using OrderPayments.Durable.Notifications;
using OrderPayments.Durable.Signals;

namespace OrderPayments.Durable.Orchestration;

/// <summary>
/// The input of the <see cref="OrchestrationNames.SyncOrder"/> activity: what the orchestration did since its last sync,
/// to be made durable outside its history, and whether to answer the signals still to apply. The activity does it in
/// this order, each part idempotent (the activity may run more than once): record the storefront events, save the
/// order's state, record the signals' outcomes, then drain (and close) the inbox.
/// </summary>
/// <param name="OrderId">The order (the orchestration's instance id).</param>
/// <param name="Applied">Signals applied since the last sync, with their outcomes.</param>
/// <param name="Events">Storefront events of the steps since the last sync, in order.</param>
/// <param name="Order">The state to save, when it changed since the last sync.</param>
/// <param name="Drain">Answer the signals recorded and not applied yet (after <paramref name="AfterSequence"/>).</param>
/// <param name="AfterSequence">The last signal applied: later ones are answered.</param>
/// <param name="Close">Close the inbox when nothing is left to apply (the order has ended).</param>
/// <param name="OrderETag">The orders row's ETag after the previous save, when known (saves it without reading it first).</param>
internal sealed record SyncRequest(
    string OrderId,
    IReadOnlyList<AppliedSignal> Applied,
    IReadOnlyList<SequencedEvent> Events,
    SavedOrder? Order,
    bool Drain,
    long AfterSequence,
    bool Close = false,
    string? OrderETag = null)
{
    public string ToJson() => JsonSerializer.Serialize(this, OrderPaymentsJson.Options);

    public static SyncRequest FromJson(string json) =>
        JsonSerializer.Deserialize<SyncRequest>(json, OrderPaymentsJson.Options) ?? throw new JsonException("The sync request is empty.");
}
