using System.Text.Json.Serialization;

namespace OrderPayments.Vipps.EPayment;

/// <summary>The ePayment <c>State</c> enum. All but <see cref="Created"/> are final.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<VippsPaymentState>))]
public enum VippsPaymentState
{
    /// <summary><c>CREATED</c>: waiting for the customer.</summary>
    [JsonStringEnumMemberName("CREATED")]
    Created = 1,

    /// <summary><c>ABORTED</c>: the customer cancelled.</summary>
    [JsonStringEnumMemberName("ABORTED")]
    Aborted = 2,

    /// <summary><c>EXPIRED</c>: the customer did nothing in time.</summary>
    [JsonStringEnumMemberName("EXPIRED")]
    Expired = 3,

    /// <summary><c>AUTHORIZED</c>: reserved; stays so after capture, cancel and refund.</summary>
    [JsonStringEnumMemberName("AUTHORIZED")]
    Authorized = 4,

    /// <summary><c>TERMINATED</c>: the merchant cancelled before authorization.</summary>
    [JsonStringEnumMemberName("TERMINATED")]
    Terminated = 5,
}
