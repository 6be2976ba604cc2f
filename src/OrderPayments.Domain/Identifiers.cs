using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace OrderPayments.Domain;

/// <summary>Shared rules for the identifiers the workflow accepts and derives.</summary>
internal static class Identifiers
{
    private const string Base32Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    /// <summary>The length of the stable hash that stands in for a shortened order id.</summary>
    public const int HashLength = 10;

    /// <summary>Whether a character is one of <c>A-Za-z0-9-</c>.</summary>
    public static bool IsAllowed(char c) => char.IsAsciiLetterOrDigit(c) || c == '-';

    /// <summary>Returns why <paramref name="value"/> is not 1..max characters of <c>A-Za-z0-9-</c>, or null when it is.</summary>
    public static string? Check(string? value, string what, int minLength, int maxLength)
    {
        if (string.IsNullOrEmpty(value))
        {
            return $"The {what} is required.";
        }

        if (value.Length < minLength || value.Length > maxLength)
        {
            return $"The {what} must be {minLength} to {maxLength} characters long; it has {value.Length}.";
        }

        for (var i = 0; i < value.Length; i++)
        {
            if (!IsAllowed(value[i]))
            {
                return $"The {what} may only contain the letters A-Z and a-z, digits and '-'; position {i + 1} has '{value[i]}'.";
            }
        }

        return null;
    }

    /// <summary>
    /// Composes <c>{orderId}{suffix}</c> within <paramref name="maxLength"/> characters. When it does not fit,
    /// the order-id part is replaced by its longest prefix that fits followed by '-' and a stable
    /// <see cref="HashLength"/>-character hash of the whole order id, so different orders keep different
    /// results (up to a 50-bit hash collision) and the same order always gets the same one.
    /// </summary>
    public static string Compose(OrderId orderId, string suffix, int maxLength)
    {
        var id = orderId.Value;
        if (id.Length + suffix.Length <= maxLength)
        {
            return id + suffix;
        }

        var prefixLength = maxLength - suffix.Length - HashLength - 1;
        if (prefixLength < 1)
        {
            throw new InvalidOperationException($"The suffix '{suffix}' leaves no room for the order id within {maxLength} characters.");
        }

        return $"{id[..prefixLength]}-{StableHash(id)}{suffix}";
    }

    /// <summary>A stable, lowercase base32 hash of the text (the first 50 bits of its SHA-256).</summary>
    public static string StableHash(string text)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), digest);
        var bits = BinaryPrimitives.ReadUInt64LittleEndian(digest);
        var chars = new char[HashLength];
        for (var i = 0; i < HashLength; i++)
        {
            chars[i] = Base32Alphabet[(int)(bits & 31)];
            bits >>= 5;
        }

        return new string(chars);
    }
}
