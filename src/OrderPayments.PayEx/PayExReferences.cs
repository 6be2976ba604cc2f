using System.Security.Cryptography;
using System.Text;
using OrderPayments.Domain;

namespace OrderPayments.PayEx;

/// <summary>
/// PayEx's idempotency mechanism is the operation's <c>payeeReference</c>: letters and digits only, at most 30. It is
/// derived from the workflow's idempotency key, so a retried operation carries the same one and a new operation a new
/// one.
/// </summary>
public static class PayExReferences
{
    /// <summary>The longest payee reference PayEx accepts when it settles.</summary>
    public const int MaxLength = 30;

    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /// <summary>"OP" and 28 base-32 characters of the key's SHA-256: stable, alphanumeric, 30 long.</summary>
    public static string For(IdempotencyKey key)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key.Value));
        var text = new StringBuilder("OP", MaxLength);
        var bits = 0;
        var buffer = 0;
        foreach (var b in hash)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5 && text.Length < MaxLength)
            {
                text.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        return text.ToString();
    }
}
