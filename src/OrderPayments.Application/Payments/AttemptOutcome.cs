using System.Text.Json.Serialization;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Application.Payments;

/// <summary>
/// What one attempt of a provider call came to (<see cref="ActivityRetryPolicy.AttemptAsync"/>): an input for the
/// workflow (the call's success, or its permanent refusal as <see cref="ActivityFailed"/>), or a transient failure to
/// retry with the same idempotency key. Exchanged as JSON by the Durable interpreter's activities; fields are only added.
/// </summary>
/// <param name="Input">The workflow input, when the attempt got an answer.</param>
/// <param name="TransientError">Why the attempt failed transiently (no answer, 5xx, 429, a crash), when it did.</param>
/// <param name="RetryAfter">How long the provider asked to wait before the next attempt, when it said.</param>
public sealed record AttemptOutcome(WorkflowInput? Input, string? TransientError = null, TimeSpan? RetryAfter = null)
{
    /// <summary>Whether the attempt failed transiently (retry with the same key).</summary>
    [JsonIgnore]
    public bool IsTransient => Input is null;

    /// <summary>The unexpected exception behind a transient failure, for the host's log (never serialized).</summary>
    [JsonIgnore]
    public Exception? Crash { get; init; }
}
