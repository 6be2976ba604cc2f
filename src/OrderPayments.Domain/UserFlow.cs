using System.Text.Json.Serialization;

namespace OrderPayments.Domain;

/// <summary>How the customer reaches the payment (the Vipps <c>userFlow</c>); serialized with the Vipps names.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<UserFlow>))]
public enum UserFlow
{
    /// <summary>The browser is redirected to the landing page, then back to the return URL. Needs a return URL.</summary>
    [JsonStringEnumMemberName("WEB_REDIRECT")]
    WebRedirect = 1,

    /// <summary>App-to-app switch. Needs a return URL.</summary>
    [JsonStringEnumMemberName("NATIVE_REDIRECT")]
    NativeRedirect = 2,

    /// <summary>A push message to the customer's phone. Needs the phone number; no redirect URL.</summary>
    [JsonStringEnumMemberName("PUSH_MESSAGE")]
    PushMessage = 3,

    /// <summary>The redirect URL is a QR code for the customer to scan.</summary>
    [JsonStringEnumMemberName("QR")]
    Qr = 4,
}
