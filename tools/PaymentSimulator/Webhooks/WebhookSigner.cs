using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PaymentSimulator.Webhooks;

/// <summary>
/// Signs a delivery as Vipps does (Webhooks API request authentication): <c>x-ms-content-sha256</c> = base64 SHA-256 of
/// the body; <c>Authorization: HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&amp;Signature=…</c> over
/// <c>POST\n{pathAndQuery}\n{date};{host};{hash}</c> of the registered URL, keyed with the secret's UTF-8 bytes.
/// Written independently of the client's verifier so that a mistake in one cannot hide in the other.
/// </summary>
internal static class WebhookSigner
{
    public static (string Date, string ContentHash, string Authorization) Sign(Uri url, string secret, byte[] body, DateTimeOffset now)
    {
        var date = now.ToUniversalTime().ToString("r", CultureInfo.InvariantCulture);
        var hash = Convert.ToBase64String(SHA256.HashData(body));
        var toSign = "POST\n" + url.PathAndQuery + "\n" + date + ";" + url.Authority + ";" + hash;
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        var signature = Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(toSign)));
        return (date, hash, "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=" + signature);
    }
}
