using System.Text.Json.Serialization;

namespace OrderPayments.Domain.Workflow;

/// <summary>Where a capture or refund the workflow asked for (or refused) stands.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OperationOutcome>))]
public enum OperationOutcome
{
    /// <summary>Asked for; the result has not come back.</summary>
    Pending = 1,

    /// <summary>The provider did it.</summary>
    Succeeded = 2,

    /// <summary>The provider refused it (see the order's problems).</summary>
    Failed = 3,

    /// <summary>
    /// Recorded, then refused by the workflow when it was applied (e.g. a cancel recorded just before it released the
    /// reservation); never sent to the provider. The record's rejection says why.
    /// </summary>
    Rejected = 4,
}
