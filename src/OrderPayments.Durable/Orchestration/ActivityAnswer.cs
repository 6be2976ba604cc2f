using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OrderPayments.Application.Payments;
using OrderPayments.Domain.Serialization;

namespace OrderPayments.Durable.Orchestration;

/// <summary>
/// The answer of a provider-call activity, naming the request it answers (<see cref="For"/>: the request's
/// <see cref="Fingerprint"/>), so that the orchestration takes an answer only for the call it is waiting for.
/// </summary>
/// <remarks>
/// The Durable Task engine matches an activity's completion to the orchestration's task by a number the orchestration
/// assigns in the order it schedules. After a worker dies between sending an episode's activities and saving its
/// history, the episode runs again; with the messages that arrived meanwhile in its batch it may schedule other work under
/// the same numbers, and the completions of the first run's activities still arrive, each matched to whatever now has its
/// number (seen on Azure Storage over Azurite: a capture's answer delivered to a sync, so the order stopped). A completion
/// that is not for the request sent is taken as no answer: the call is made again with its key, the sync again.
/// </remarks>
/// <param name="For">The fingerprint of the request answered.</param>
/// <param name="Outcome">What the attempt came to.</param>
internal sealed record ActivityAnswer(string For, AttemptOutcome Outcome)
{
    public string ToJson() => JsonSerializer.Serialize(this, OrderPaymentsJson.Options);

    /// <summary>The outcome when <paramref name="json"/> answers the request <paramref name="fingerprint"/>; null for an answer to another request (or not an answer at all).</summary>
    public static AttemptOutcome? Answering(string? json, string fingerprint)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<ActivityAnswer>(json, OrderPaymentsJson.Options) is { Outcome: { } outcome } answer && answer.For == fingerprint
                ? outcome
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A short, stable fingerprint of an activity's request (its JSON): 96 bits of its SHA-256.</summary>
    public static string Fingerprint(string requestJson) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(requestJson)).AsSpan(0, 12));
}
