using System.Text.Json.Serialization;

namespace OrderPayments.Vipps.AccessToken;

/// <summary>
/// The access token API's answer. Every field is a JSON string, numbers included (<c>"expires_in": "3599"</c>),
/// exactly as the specification types them.
/// </summary>
/// <param name="TokenType">Always <c>Bearer</c>.</param>
/// <param name="ExpiresIn">Lifetime in seconds, as text.</param>
/// <param name="ExtExpiresIn">Unused.</param>
/// <param name="ExpiresOn">Expiry in epoch seconds, as text.</param>
/// <param name="NotBefore">Start of validity in epoch seconds, as text.</param>
/// <param name="Resource">Unused.</param>
/// <param name="Token">The JWT.</param>
public sealed record AccessTokenResponse(
    [property: JsonPropertyName("token_type")] string? TokenType,
    [property: JsonPropertyName("expires_in")] string? ExpiresIn,
    [property: JsonPropertyName("ext_expires_in")] string? ExtExpiresIn,
    [property: JsonPropertyName("expires_on")] string? ExpiresOn,
    [property: JsonPropertyName("not_before")] string? NotBefore,
    [property: JsonPropertyName("resource")] string? Resource,
    [property: JsonPropertyName("access_token")] string? Token);
