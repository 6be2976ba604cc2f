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
/// must equal the <c>Signature</c> in <c>Authorization</c>. Comparisons are constant-time. A delivery that verifies must
/// also be current: its signed <c>x-ms-date</c> within the allowed clock skew of the injected clock, so that a captured
/// delivery cannot be replayed for ever.
/// </summary>
public sealed class VippsWebhookVerifier
{
    private const string Scheme = "HMAC-SHA256";
    private const string SignedHeaders = "SignedHeaders=x-ms-date;host;x-ms-content-sha256";
    private const string SignaturePrefix = "Signature=";
    private readonly byte[] _key;
    private readonly string _pathAndQuery;
    private readonly string _host;
    private readonly TimeProvider _time;
    private readonly TimeSpan _maxClockSkew;

    /// <summary>The default of <see cref="VippsOptions.WebhookMaxClockSkew"/>: 5 minutes either way.</summary>
    public static readonly TimeSpan DefaultMaxClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>Creates a verifier for one registration.</summary>
    /// <param name="registeredUrl">The URL given to Vipps when registering.</param>
    /// <param name="secret">The secret Vipps returned at registration.</param>
    /// <param name="time">The clock a delivery's <c>x-ms-date</c> is checked against.</param>
    /// <param name="maxClockSkew">How far <c>x-ms-date</c> may be from <paramref name="time"/>, either way (default <see cref="DefaultMaxClockSkew"/>).</param>
    /// <exception cref="ArgumentException">The secret is empty or the URL is relative.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxClockSkew"/> is not positive.</exception>
    public VippsWebhookVerifier(Uri registeredUrl, string secret, TimeProvider time, TimeSpan? maxClockSkew = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _maxClockSkew = maxClockSkew ?? DefaultMaxClockSkew;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_maxClockSkew, TimeSpan.Zero, nameof(maxClockSkew));
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

    /// <summary>
    /// Checks one delivery. The body must be the raw bytes received, before any parsing. The date is checked last, so
    /// that <see cref="WebhookVerificationResult.DateNotCurrent"/> says the delivery is authentic but stale (a replay, or
    /// a clock far off).
    /// </summary>
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
        if (!FixedTimeEquals(expected, signature))
        {
            return WebhookVerificationResult.SignatureMismatch;
        }

        return IsCurrent(date) ? WebhookVerificationResult.Valid : WebhookVerificationResult.DateNotCurrent;
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

    /// <summary>Whether the RFC 1123 <paramref name="date"/> is within the allowed skew of now, either way.</summary>
    private bool IsCurrent(string date)
    {
        if (!DateTimeOffset.TryParseExact(date, "r", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var signedAt))
        {
            return false;
        }

        return (_time.GetUtcNow() - signedAt).Duration() <= _maxClockSkew;
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
