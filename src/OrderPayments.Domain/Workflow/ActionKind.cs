using System.Text.Json.Serialization;

namespace OrderPayments.Domain.Workflow;

/// <summary>The provider operation an action asks for.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ActionKind>))]
public enum ActionKind
{
    /// <summary>Create the payment.</summary>
    Create = 1,

    /// <summary>Read the payment's state and totals.</summary>
    Query = 2,

    /// <summary>Capture an amount of the reservation.</summary>
    Capture = 3,

    /// <summary>Cancel: before authorization, end the payment; after it, release what is left.</summary>
    Cancel = 4,

    /// <summary>Refund an amount of what was captured.</summary>
    Refund = 5,

    /// <summary>Abort a payment before authorization (PayEx).</summary>
    Abort = 6,
}
