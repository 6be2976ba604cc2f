using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OrderPayments.Vipps.Http;

namespace OrderPayments.Vipps.Webhooks;

/// <summary>
/// Verifies Vipps webhook deliveries (HMAC-SHA256, Webhooks API "request authentication"): the body's SHA-256 must
/// equal <c>x-ms-content-sha256</c>, and the signature over
/// <c>POST\n{pathAndQuery}\n{x-ms-date};{host};{contentHash}</c> — path, query and host of the URL that was
/// <em>registered</em>, not of whatever proxy received it — keyed with the secret's UTF-8 bytes (not base64-decoded)
/// must equal the <c>Signature</c> in <c>Authorization</c>. Comparisons are constant-time.
/// </summary>
public sealed class VippsWebhookVerifier
{
    private const string Scheme = "HMAC-SHA256";
    private const string SignedHeaders = "SignedHeaders=x-ms-date;host;x-ms-content-sha256";
    private const string SignaturePrefix = "Signature=";
    private readonly byte[] _key;
    private readonly string _pathAndQuery;
    private readonly string _host;

    /// <summary>Creates a verifier for one registration.</summary>
    /// <param name="registeredUrl">The URL given to Vipps when registering.</param>
    /// <param name="secret">The secret Vipps returned at registration.</param>
    public VippsWebhookVerifier(Uri registeredUrl, string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        if (!registeredUrl.IsAbsoluteUri)
        {
            throw new ArgumentException("The registered webhook URL must be absolute.", nameof(registeredUrl));
        }

        _key = Encoding.UTF8.GetBytes(secret);
        _pathAndQuery = registeredUrl.PathAndQuery;
        _host = registeredUrl.Authority;
    }

    /// <summary>The header names Vipps signs with.</summary>
    public static class Headers
    {
        /// <summary>The RFC 1123 date that is signed.</summary>
        public const string Date = "x-ms-date";

        /// <summary>The base64 SHA-256 of the body.</summary>
        public const string ContentSha256 = "x-ms-content-sha256";

        /// <summary>The signature.</summary>
        public const string Authorization = "Authorization";
    }

    /// <summary>Checks one delivery. The body must be the raw bytes received, before any parsing.</summary>
    public WebhookVerificationResult Verify(ReadOnlySpan<byte> body, string? date, string? contentSha256, string? authorization)
    {
        if (string.IsNullOrEmpty(date) || string.IsNullOrEmpty(contentSha256) || string.IsNullOrEmpty(authorization))
        {
            return WebhookVerificationResult.MissingHeaders;
        }

        var contentHash = Convert.ToBase64String(SHA256.HashData(body));
        if (!FixedTimeEquals(contentHash, contentSha256))
        {
            return WebhookVerificationResult.ContentHashMismatch;
        }

        var signature = ParseSignature(authorization);
        if (signature is null)
        {
            return WebhookVerificationResult.MalformedAuthorization;
        }

        var stringToSign = $"POST\n{_pathAndQuery}\n{date};{_host};{contentHash}";
        var expected = Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(stringToSign)));
        return FixedTimeEquals(expected, signature) ? WebhookVerificationResult.Valid : WebhookVerificationResult.SignatureMismatch;
    }

    /// <summary>Verifies, then parses: the payload is read only from a delivery that verified.</summary>
    /// <returns>The result, and the event when <see cref="WebhookVerificationResult.Valid"/>.</returns>
    /// <exception cref="JsonException">The delivery verified but is not an ePayment webhook event.</exception>
    public (WebhookVerificationResult Result, VippsWebhookEvent? Event) VerifyAndParse(ReadOnlySpan<byte> body, string? date, string? contentSha256, string? authorization)
    {
        var result = Verify(body, date, contentSha256, authorization);
        return result == WebhookVerificationResult.Valid
            ? (result, JsonSerializer.Deserialize<VippsWebhookEvent>(body, VippsJson.Options) ?? throw new JsonException("The webhook body is empty."))
            : (result, null);
    }

    private static string? ParseSignature(string authorization)
    {
        // "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=<base64>"
        var parts = authorization.Split(' ', 2, StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !string.Equals(parts[0], Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var fields = parts[1].Split('&');
        return fields.Length == 2 && fields[0] == SignedHeaders && fields[1].StartsWith(SignaturePrefix, StringComparison.Ordinal)
            ? fields[1][SignaturePrefix.Length..]
            : null;
    }

    private static bool FixedTimeEquals(string expected, string actual) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(actual));
}
