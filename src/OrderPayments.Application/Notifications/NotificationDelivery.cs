namespace OrderPayments.Application.Notifications;

/// <summary>A provider's webhook or callback as it arrived over HTTP: the raw body (never re-serialized) and the headers.</summary>
/// <param name="Headers">The request headers, looked up case-insensitively.</param>
/// <param name="Body">The raw body bytes, exactly as received (signatures are computed over them).</param>
public sealed record NotificationDelivery(IReadOnlyDictionary<string, string> Headers, ReadOnlyMemory<byte> Body)
{
    /// <summary>
    /// The remote address of the connection the delivery came over, or null when the host cannot tell (the Functions
    /// worker). Behind a reverse proxy this is the proxy's, unless the host was configured explicitly to take the
    /// client's from forwarded headers; a forwarded header is never read here.
    /// </summary>
    public System.Net.IPAddress? RemoteAddress { get; init; }

    /// <summary>The query string's parameters (e.g. the payment reference a PayEx callback URL carries).</summary>
    public IReadOnlyDictionary<string, string> Query { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Builds a delivery from header pairs (a repeated header keeps its first value).</summary>
    public static NotificationDelivery From(IEnumerable<KeyValuePair<string, string>> headers, ReadOnlyMemory<byte> body)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
        {
            map.TryAdd(name, value);
        }

        return new NotificationDelivery(map, body);
    }

    /// <summary>The query parameter's value, or null.</summary>
    public string? QueryValue(string name) => Query.TryGetValue(name, out var value) ? value : null;

    /// <summary>The header's value, or null.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
