using System.Text.Json;
using OrderPayments.Application.Caching;
using OrderPayments.Application.Http;

namespace OrderPayments.Api;

/// <summary>
/// The JSON of the status documents served lately, by order. A document is a function of the order's committed
/// version (its state), update time, pending-signal count and fault (<see cref="OrderPaymentDocument.From"/>), so while
/// those are unchanged the bytes served last time are served again: a storefront polling an order that has not moved
/// costs one read of the file and a copy, not a serialization of the whole document and its history. Documents with a
/// fault (rare, and listed with their latest error) and listings are serialized each time. Bounded like every cache
/// here (<see cref="RecentCache{TValue}"/>).
/// </summary>
internal sealed class RenderedDocuments(int capacity)
{
    private readonly RecentCache<Rendered> _documents = new(capacity);

    /// <summary>The UTF-8 JSON of <paramref name="document"/> with <paramref name="options"/> (the same every call).</summary>
    public byte[] Render(OrderPaymentDocument document, JsonSerializerOptions options)
    {
        if (document.Fault is not null || document.History is null)
        {
            return JsonSerializer.SerializeToUtf8Bytes(document, options);
        }

        if (_documents.Find(document.OrderId) is { } kept
            && kept.Version == document.Version
            && kept.UpdatedAt == document.UpdatedAt
            && kept.PendingSignals == document.PendingSignals)
        {
            return kept.Json;
        }

        var json = JsonSerializer.SerializeToUtf8Bytes(document, options);
        _documents.Put(document.OrderId, new Rendered(document.Version, document.UpdatedAt, document.PendingSignals, json), static (held, offered) => held.Version > offered.Version);
        return json;
    }

    private sealed record Rendered(long Version, DateTimeOffset UpdatedAt, int PendingSignals, byte[] Json);
}
