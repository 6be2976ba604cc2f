using System.Globalization;
using OrderPayments.Application.Workflows;

namespace OrderPayments.Application.Http;

/// <summary>
/// The <c>ETag</c> of an order's status document, and the <c>If-None-Match</c> check against it. The document is a
/// function of the order's version (<see cref="OrderVersions"/>: it moves with every input that changes the state),
/// its count of signals recorded but not applied yet, and its fault; the tag names exactly those, so equal tags mean
/// equal documents. It is the version alone (<c>"7"</c>) while nothing is pending and no fault is recorded, which is
/// nearly always.
/// </summary>
public static class EntityTags
{
    /// <summary>The strong entity tag (quoted) of <paramref name="snapshot"/>'s status document.</summary>
    public static string Of(OrderPaymentSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var version = snapshot.Version.ToString(CultureInfo.InvariantCulture);
        return (snapshot.PendingSignals, snapshot.Fault) switch
        {
            (0, null) => $"\"{version}\"",
            (var pending, null) => string.Create(CultureInfo.InvariantCulture, $"\"{version}-{pending}\""),
            (var pending, { } fault) => string.Create(CultureInfo.InvariantCulture, $"\"{version}-{pending}-f{fault.Attempts}\""),
        };
    }

    /// <summary>
    /// Whether an <c>If-None-Match</c> value names <paramref name="tag"/>: <c>*</c>, or one of its comma-separated tags
    /// by the weak comparison of RFC 9110 (a <c>W/</c> prefix is ignored). Null or empty names nothing.
    /// </summary>
    public static bool Matches(string? ifNoneMatch, string tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        if (string.IsNullOrWhiteSpace(ifNoneMatch))
        {
            return false;
        }

        foreach (var part in ifNoneMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = part.StartsWith("W/", StringComparison.Ordinal) ? part[2..] : part;
            if (candidate == "*" || string.Equals(candidate, tag, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
