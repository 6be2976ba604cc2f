using System.Text.Json.Serialization;

namespace OrderPayments.Domain.Workflow;

/// <summary>Where a capture or refund the workflow asked for stands.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OperationOutcome>))]
public enum OperationOutcome
{
    /// <summary>Asked for; the result has not come back.</summary>
    Pending = 1,

    /// <summary>The provider did it.</summary>
    Succeeded = 2,

    /// <summary>The provider refused it (see the order's problems).</summary>
    Failed = 3,
}
