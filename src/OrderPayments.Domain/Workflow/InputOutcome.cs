using System.Text.Json.Serialization;

namespace OrderPayments.Domain.Workflow;

/// <summary>What an input did.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<InputOutcome>))]
public enum InputOutcome
{
    /// <summary>The state moved (and there may be actions to run).</summary>
    Applied = 1,

    /// <summary>Nothing to do: a duplicate, a stale observation, an early wake-up. The state is returned as it was.</summary>
    Unchanged = 2,

    /// <summary>
    /// Refused as invalid for the order's state; see <see cref="WorkflowStep.Rejection"/>. From
    /// <see cref="OrderPaymentWorkflow.Decide"/> nothing changed; from <see cref="OrderPaymentWorkflow.Apply"/> (a recorded
    /// signal) the refusal itself is kept with the order, and nothing else changed.
    /// </summary>
    Rejected = 3,
}
