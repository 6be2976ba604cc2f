using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OrderPayments.Application.Storefront;

/// <summary>
/// The Standard Webhooks signature scheme (standardwebhooks.com): headers <c>webhook-id</c>, <c>webhook-timestamp</c>
/// (Unix seconds) and <c>webhook-signature</c> = <c>v1,</c> + base64 HMAC-SHA256 over <c>{id}.{timestamp}.{body}</c>,
/// keyed with the base64-decoded part of a <c>whsec_…</c> secret. Storefronts verify with that specification's
/// libraries, or as docs/api.md describes.
/// </summary>
public static class StandardWebhooks
{
    /// <summary>The header with the event's id (the same on every delivery attempt).</summary>
    public const string IdHeader = "webhook-id";

    /// <summary>The header with the time of this attempt, in Unix seconds.</summary>
    public const string TimestampHeader = "webhook-timestamp";

    /// <summary>The header with the signatures (space-separated <c>v1,…</c> entries).</summary>
    public const string SignatureHeader = "webhook-signature";

    /// <summary>The prefix of a secret.</summary>
    public const string SecretPrefix = "whsec_";

    /// <summary>A new random secret: <c>whsec_</c> and 32 random bytes in base64.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>Whether <paramref name="secret"/> is a usable secret (<c>whsec_</c> and 24 to 64 bytes in base64).</summary>
    public static bool IsValidSecret(string? secret) => secret is not null && Key(secret) is { Length: >= 24 and <= 64 };

    /// <summary>The <c>webhook-signature</c> value for one delivery.</summary>
    /// <exception cref="ArgumentException">The secret is not a <c>whsec_</c> secret.</exception>
    public static string Sign(string secret, string id, DateTimeOffset timestamp, string body)
    {
        var key = Key(secret) ?? throw new ArgumentException("The secret must be whsec_ followed by base64.", nameof(secret));
        var signed = $"{id}.{timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}.{body}";
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(signed)));
    }

    /// <summary>
    /// Whether a delivery is authentic and current: one of the <c>v1</c> signatures matches, and the timestamp is
    /// within <paramref name="tolerance"/> of <paramref name="now"/> either way (a replay later is refused).
    /// </summary>
    public static bool Verify(string secret, string? id, string? timestamp, string? signatures, string body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrEmpty(id) || signatures is null
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return false;
        }

        var at = DateTimeOffset.FromUnixTimeSeconds(seconds);
        if ((now - at).Duration() > tolerance)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(secret, id, at, body));
        return signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Any(candidate => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(candidate), expected));
    }

    private static byte[]? Key(string secret)
    {
        var encoded = secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret;
        var buffer = new byte[(encoded.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(encoded, buffer, out var written) ? buffer[..written] : null;
    }
}
