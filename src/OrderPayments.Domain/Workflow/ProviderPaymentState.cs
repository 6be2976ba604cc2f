using System.Text.Json.Serialization;

namespace OrderPayments.Domain.Workflow;

/// <summary>
/// The provider's state of one payment (the Vipps ePayment <c>state</c>). Every state but
/// <see cref="Created"/> is final at the provider: captures, cancels and refunds show only in the amounts.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<ProviderPaymentState>))]
public enum ProviderPaymentState
{
    /// <summary>Created; the customer has not decided yet.</summary>
    Created = 1,

    /// <summary>The customer approved; the amount is reserved. Stays so after capture, cancel and refund.</summary>
    Authorized = 2,

    /// <summary>The customer cancelled.</summary>
    Aborted = 3,

    /// <summary>The customer did nothing in time.</summary>
    Expired = 4,

    /// <summary>The merchant cancelled before authorization.</summary>
    Terminated = 5,
}
