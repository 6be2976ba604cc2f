using System.Text.Json.Serialization;

namespace OrderPayments.Domain.Workflow;

/// <summary>Why an input was refused. Hosts map these to HTTP problem types; values are stable.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RejectionReason>))]
public enum RejectionReason
{
    /// <summary>A field is missing or malformed (see <see cref="InputRejection.Field"/>).</summary>
    InvalidRequest = 1,

    /// <summary>An amount is in another currency than the order.</summary>
    CurrencyMismatch = 2,

    /// <summary>An amount is zero.</summary>
    InvalidAmount = 3,

    /// <summary>A capture before the customer authorized the payment.</summary>
    NotAuthorized = 4,

    /// <summary>A capture above what is left of the reservation.</summary>
    ExceedsRemaining = 5,

    /// <summary>A refund above captured minus refunded.</summary>
    ExceedsRefundable = 6,

    /// <summary>A shipment or refund id seen before with a different amount.</summary>
    Conflict = 7,

    /// <summary>A new attempt while the current one is still live.</summary>
    InProgress = 8,

    /// <summary>A new attempt on an order that is paid.</summary>
    AlreadyPaid = 9,

    /// <summary>The refund window has closed.</summary>
    RefundWindowClosed = 10,

    /// <summary>The order's status does not allow this (e.g. capture after the reservation was released).</summary>
    NotAllowed = 11,

    /// <summary>A provider observation contradicts itself (e.g. captured above authorized).</summary>
    InvalidObservation = 12,
}
