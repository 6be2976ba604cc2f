using System.Text.Json.Serialization;

namespace OrderPayments.Domain.Workflow;

/// <summary>Where an order's payment stands. Values are fixed because states are persisted.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PaymentStatus>))]
public enum PaymentStatus
{
    /// <summary>The payment is being created at the provider.</summary>
    Creating = 1,

    /// <summary>Created; waiting for the customer's decision (webhook, or polling when none comes).</summary>
    AwaitingCustomer = 2,

    /// <summary>Reserved; waiting for fulfillment. Part may already be captured.</summary>
    Authorized = 3,

    /// <summary>Nothing is reserved any more and something was captured; refunds are possible until the refund window closes.</summary>
    Captured = 4,

    /// <summary>The attempt ended without payment (aborted, expired, terminated); a new attempt may be started.</summary>
    Unpaid = 5,

    /// <summary>The provider refused to create the payment (see the order's problems); a new attempt may be started.</summary>
    Failed = 6,

    /// <summary>Final: the order was cancelled, or its reservation released, with nothing captured.</summary>
    Cancelled = 7,

    /// <summary>Final: captured, and the refund window has closed.</summary>
    Completed = 8,
}
