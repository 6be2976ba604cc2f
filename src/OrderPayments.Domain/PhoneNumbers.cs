using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace OrderPayments.Domain;

/// <summary>
/// Phone numbers in the one form the workflow keeps: the MSISDN, the country code and the subscriber number as digits
/// with no prefix (<c>4791234567</c>). That is Vipps ePayment's <c>customer.phoneNumber</c> (pattern
/// <c>^\d{9,15}$</c>, API 1.8.1, <c>shared/vipps/epayment/epayment-swagger-id.v1.8.1.yaml</c>), and PayEx's
/// <c>prefillInfo.msisdn</c> is the same digits after a <c>+</c> (<c>shared/swedbankpay/NOTES.md</c> §2).
/// </summary>
public static class PhoneNumbers
{
    /// <summary>The fewest digits, country code included, Vipps takes (ePayment API 1.8.1; 1.4.1 said 10).</summary>
    public const int MinDigits = 9;

    /// <summary>The most digits, country code included: E.164's maximum and Vipps'.</summary>
    public const int MaxDigits = 15;

    /// <summary>The longest text <see cref="TryNormalize"/> reads (digits with their spaces, dashes and parentheses).</summary>
    public const int MaxInputLength = 32;

    /// <summary>Norway's country code; PayEx's Vipps instrument takes Norwegian numbers only.</summary>
    public const string NorwegianCountryCode = "47";

    /// <summary>
    /// Reads a phone number the way people write it and returns its MSISDN: an optional leading <c>+</c> (or an
    /// international <c>00</c> prefix), then digits with spaces, dashes, dots and parentheses anywhere between them
    /// (<c>+47 912 34 567</c>, <c>0047-912-34-567</c>, <c>(+47) 91 23 45 67</c>, <c>+44 (0)20 7946 0958</c>: a
    /// parenthesised trunk <c>0</c> after the country code is dropped). Digits without <c>+</c> or <c>00</c> are taken as
    /// the MSISDN already (the country code first), except that a leading <c>0</c> is a national number, which is
    /// refused: the providers need the country code, and guessing it could send a push to someone else.
    /// </summary>
    /// <param name="text">What the caller sent.</param>
    /// <param name="msisdn">The number as 9 to 15 digits, country code first, when it is one.</param>
    /// <param name="error">Why <paramref name="text"/> is not a phone number the providers take, when it is not.</param>
    public static bool TryNormalize(string? text, [NotNullWhen(true)] out string? msisdn, [NotNullWhen(false)] out string? error)
    {
        msisdn = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "The phone number is empty.";
            return false;
        }

        if (text.Length > MaxInputLength)
        {
            error = $"The phone number must be at most {MaxInputLength} characters long, spaces and dashes included.";
            return false;
        }

        var digits = new StringBuilder(MaxInputLength);
        var plus = false;
        var groupStart = -1;
        var trunkAt = -1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
            }
            else if (c == '+' && !plus && digits.Length == 0)
            {
                plus = true;
            }
            else if (c == '(' && groupStart < 0)
            {
                groupStart = digits.Length;
            }
            else if (c == ')' && groupStart >= 0)
            {
                if (digits.Length == groupStart + 1 && digits[groupStart] == '0' && groupStart > 0)
                {
                    trunkAt = groupStart;
                }

                groupStart = -1;
            }
            else if (c is not ('-' or '.') && !char.IsWhiteSpace(c))
            {
                error = string.Create(CultureInfo.InvariantCulture, $"The phone number may only contain digits, a leading + and spaces, dashes, dots or parentheses between them; position {i + 1} has '{c}'.");
                return false;
            }
        }

        if (groupStart >= 0)
        {
            error = "The phone number has a '(' without its ')'.";
            return false;
        }

        var prefix = plus ? 0 : digits.Length >= 2 && digits[0] == '0' && digits[1] == '0' ? 2 : 0;
        var international = plus || prefix > 0;
        if (international && trunkAt > prefix)
        {
            digits.Remove(trunkAt, 1);
        }

        var number = digits.ToString(prefix, digits.Length - prefix);
        error = Check(number, international);
        if (error is not null)
        {
            return false;
        }

        msisdn = number;
        return true;
    }

    /// <summary>Whether <paramref name="value"/> is an MSISDN as <see cref="TryNormalize"/> returns it: 9 to 15 digits, not starting with 0.</summary>
    public static bool IsMsisdn([NotNullWhen(true)] string? value) => value is not null && Check(value, international: true) is null;

    /// <summary>Whether the MSISDN is a Norwegian number: <c>47</c> and 8 digits (what PayEx's Vipps instrument takes).</summary>
    public static bool IsNorwegian(string msisdn) =>
        msisdn.Length == NorwegianCountryCode.Length + 8 && msisdn.StartsWith(NorwegianCountryCode, StringComparison.Ordinal) && msisdn.All(char.IsAsciiDigit);

    private static string? Check(string number, bool international)
    {
        if (!number.All(char.IsAsciiDigit))
        {
            return "The phone number must be digits.";
        }

        if (number.StartsWith('0'))
        {
            return international
                ? "A country code never starts with 0."
                : "The phone number needs its country code (e.g. +47 912 34 567): one starting with 0 is a national number.";
        }

        return number.Length is < MinDigits or > MaxDigits
            ? string.Create(CultureInfo.InvariantCulture, $"The phone number must have {MinDigits} to {MaxDigits} digits including the country code (e.g. +47 912 34 567); it has {number.Length}.")
            : null;
    }
}
