using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace OrderPayments.Application.Reports;

/// <summary>
/// Where a listing page ended: the last order's start time and id. Travels as an opaque URL-safe text
/// (<see cref="ToString"/>, <see cref="TryParse"/>); clients pass back what they were given.
/// </summary>
/// <param name="StartedAt">When the last order's payment was started (millisecond precision).</param>
/// <param name="OrderId">The last order's id.</param>
public sealed record OrderCursor(DateTimeOffset StartedAt, string OrderId)
{
    /// <summary>The cursor as the API hands it out.</summary>
    public override string ToString() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{StartedAt.ToUnixTimeMilliseconds()}:{OrderId}")));

    /// <summary>Reads a cursor handed out by <see cref="ToString"/>; false for any other text.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out OrderCursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(text) || text.Length > 200 || !Base64Url.IsValid(text))
        {
            return false;
        }

        var decoded = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text));
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0
            || !long.TryParse(decoded.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            || ms > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
            || !Domain.OrderId.TryParse(decoded[(colon + 1)..], out var id, out _))
        {
            return false;
        }

        cursor = new OrderCursor(DateTimeOffset.FromUnixTimeMilliseconds(ms), id.Value);
        return true;
    }
}
