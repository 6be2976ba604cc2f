using System.Text.Json;
using OrderPayments.Application.Http;
using OrderPayments.Application.Storefront;

namespace OrderPayments.Runtime.Storage;

/// <summary>The storefront notification tables: endpoints, events of committed steps, deliveries.</summary>
internal sealed partial class StoreSession
{
    /// <summary>The active endpoints and the types each wants, read once per session (a change of them in it resets this).</summary>
    private List<(string Id, IReadOnlyList<string>? Types)>? _activeEndpoints;

    /// <summary>Whether any endpoint is active: without one, a step has no events worth deriving.</summary>
    public bool AnyActiveEndpoint => (_activeEndpoints ??= ActiveEndpointTypes()).Count > 0;

    /// <summary>Records events of a step and one delivery per active endpoint that wants each; an event no endpoint wants is not kept.</summary>
    public void InsertStorefrontEvents(string id, IReadOnlyList<StorefrontEvent> events, DateTimeOffset now)
    {
        if (events.Count == 0)
        {
            return;
        }

        var endpoints = _activeEndpoints ??= ActiveEndpointTypes();
        foreach (var storefrontEvent in events)
        {
            var wanting = endpoints.Where(e => e.Types is null || e.Types.Contains(storefrontEvent.Type)).Select(e => e.Id).ToList();
            if (wanting.Count > 0)
            {
                InsertEvent(id, storefrontEvent, wanting, now);
            }
        }
    }

    /// <summary>Records one event for one endpoint only (a test event).</summary>
    public void InsertEventFor(string endpointId, string instanceId, StorefrontEvent storefrontEvent, DateTimeOffset now) =>
        InsertEvent(instanceId, storefrontEvent, [endpointId], now);

    /// <summary>The due deliveries, at most <paramref name="perEndpoint"/> for each endpoint (see <see cref="INotificationOutbox.DueAsync"/>).</summary>
    public List<PendingDelivery> DueDeliveries(DateTimeOffset now, int perEndpoint)
    {
        using var reader = Query(
            """
            SELECT endpoint_id, url, secret, event_seq, event_id, instance_id, body, attempts, since FROM (
                SELECT d.endpoint_id, e.url, e.secret, d.event_seq, ev.event_id, d.instance_id, ev.body, d.attempts, d.since,
                       d.next_attempt_at,
                       ROW_NUMBER() OVER (PARTITION BY d.endpoint_id ORDER BY d.next_attempt_at, d.event_seq) AS place
                FROM event_deliveries d
                JOIN notification_endpoints e ON e.id = d.endpoint_id
                JOIN storefront_events ev ON ev.seq = d.event_seq
                WHERE d.status = 'pending' AND d.next_attempt_at <= $now
                  AND d.event_seq = (SELECT MIN(x.event_seq) FROM event_deliveries x
                                     WHERE x.endpoint_id = d.endpoint_id AND x.instance_id = d.instance_id AND x.status = 'pending'))
            WHERE place <= $perEndpoint
            ORDER BY next_attempt_at, event_seq
            """,
            ("$now", Ms(now)), ("$perEndpoint", perEndpoint));
        var due = new List<PendingDelivery>();
        while (reader.Read())
        {
            due.Add(new PendingDelivery(
                reader.GetString(0), new Uri(reader.GetString(1)), reader.GetString(2), reader.GetInt64(3), reader.GetString(4),
                reader.GetString(5), reader.GetString(6), reader.GetInt32(7), Time(reader.GetInt64(8))));
        }

        return due;
    }

    public void RecordDelivery(DeliveryResult result)
    {
        var delivery = result.Delivery;
        var (status, next) = result.Outcome switch
        {
            DeliveryOutcome.Delivered => ("delivered", result.At),
            DeliveryOutcome.Failed => ("failed", result.At),
            _ => ("pending", result.RetryAt ?? result.At),
        };
        Execute(
            """
            UPDATE event_deliveries SET status = $status, attempts = attempts + 1, next_attempt_at = $next, last_error = $error,
                done_at = CASE WHEN $status = 'pending' THEN NULL ELSE $at END
            WHERE endpoint_id = $endpoint AND event_seq = $seq AND status = 'pending'
            """,
            ("$status", status), ("$next", Ms(next)), ("$error", result.Error), ("$at", Ms(result.At)),
            ("$endpoint", delivery.EndpointId), ("$seq", delivery.Sequence));
    }

    public DateTimeOffset? NextDeliveryDue(DateTimeOffset now) =>
        Scalar("SELECT MIN(next_attempt_at) FROM event_deliveries WHERE status = 'pending' AND next_attempt_at > $now", ("$now", Ms(now))) is long ms ? Time(ms) : null;

    public bool AnyDeliveryDue(DateTimeOffset now) =>
        Scalar("SELECT 1 FROM event_deliveries WHERE status = 'pending' AND next_attempt_at <= $now LIMIT 1", ("$now", Ms(now))) is not null;

    // ---- Endpoints ----

    public void UpsertEndpoint(string endpointId, Uri url, string secret, IReadOnlyList<string>? types, string source, DateTimeOffset now)
    {
        _activeEndpoints = null;
        Execute(
            """
            INSERT INTO notification_endpoints (id, url, secret, types, source, created_at) VALUES ($id, $url, $secret, $types, $source, $now)
            ON CONFLICT (id) DO UPDATE SET url = excluded.url, secret = excluded.secret, types = excluded.types, source = excluded.source, deleted_at = NULL
            """,
            ("$id", endpointId), ("$url", url.AbsoluteUri), ("$secret", secret), ("$types", Types(types)), ("$source", source), ("$now", Ms(now)));
    }

    /// <summary>Deletes an endpoint: it receives nothing more and its undelivered events are dropped. False when there is none.</summary>
    public bool DeleteEndpoint(string endpointId, DateTimeOffset now)
    {
        _activeEndpoints = null;
        var deleted = Execute("UPDATE notification_endpoints SET deleted_at = $now WHERE id = $id AND deleted_at IS NULL", ("$id", endpointId), ("$now", Ms(now))) == 1;
        if (deleted)
        {
            Execute("DELETE FROM event_deliveries WHERE endpoint_id = $id AND status = 'pending'", ("$id", endpointId));
        }

        return deleted;
    }

    public List<NotificationEndpoint> Endpoints(string? source = null)
    {
        using var reader = Query(
            "SELECT id, url, types, source, created_at FROM notification_endpoints WHERE deleted_at IS NULL AND ($source IS NULL OR source = $source) ORDER BY id",
            ("$source", source));
        var endpoints = new List<NotificationEndpoint>();
        while (reader.Read())
        {
            endpoints.Add(new NotificationEndpoint(reader.GetString(0), new Uri(reader.GetString(1)), ParseTypes(reader.IsDBNull(2) ? null : reader.GetString(2)), reader.GetString(3), Time(reader.GetInt64(4))));
        }

        return endpoints;
    }

    public List<DeliveryRecord> Deliveries(string status, string? endpointId, int limit)
    {
        using var reader = Query(
            """
            SELECT d.endpoint_id, ev.event_id, d.instance_id, ev.type, d.status, d.attempts, d.last_error, d.next_attempt_at, d.done_at
            FROM event_deliveries d JOIN storefront_events ev ON ev.seq = d.event_seq
            WHERE d.status = $status AND ($endpoint IS NULL OR d.endpoint_id = $endpoint)
            ORDER BY d.event_seq LIMIT $limit
            """,
            ("$status", status), ("$endpoint", endpointId), ("$limit", limit));
        var records = new List<DeliveryRecord>();
        while (reader.Read())
        {
            var pending = reader.GetString(4) == "pending";
            records.Add(new DeliveryRecord(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetInt32(5),
                reader.IsDBNull(6) ? null : reader.GetString(6), pending ? Time(reader.GetInt64(7)) : null, reader.IsDBNull(8) ? null : Time(reader.GetInt64(8))));
        }

        return records;
    }

    /// <summary>Makes a failed delivery pending again, due now, with a fresh retry period. False when there is no such failed one.</summary>
    public bool RetryDelivery(string endpointId, string eventId, DateTimeOffset now) =>
        Execute(
            """
            UPDATE event_deliveries SET status = 'pending', attempts = 0, next_attempt_at = $now, since = $now, done_at = NULL
            WHERE endpoint_id = $endpoint AND status = 'failed' AND event_seq = (SELECT seq FROM storefront_events WHERE event_id = $event)
            """,
            ("$endpoint", endpointId), ("$event", eventId), ("$now", Ms(now))) == 1;

    private void InsertEvent(string instanceId, StorefrontEvent storefrontEvent, IReadOnlyList<string> endpointIds, DateTimeOffset now)
    {
        var seq = (long)Scalar(
            """
            INSERT INTO storefront_events (event_id, instance_id, type, body, created_at) VALUES ($event, $id, $type, $body, $now)
            ON CONFLICT (event_id) DO UPDATE SET event_id = excluded.event_id RETURNING seq
            """,
            ("$event", storefrontEvent.Id), ("$id", instanceId), ("$type", storefrontEvent.Type),
            ("$body", JsonSerializer.Serialize(storefrontEvent, ApiJson.Options)), ("$now", Ms(now)))!;
        foreach (var endpointId in endpointIds)
        {
            Execute(
                """
                INSERT INTO event_deliveries (endpoint_id, event_seq, instance_id, status, next_attempt_at, since) VALUES ($endpoint, $seq, $id, 'pending', $now, $now)
                ON CONFLICT (endpoint_id, event_seq) DO NOTHING
                """,
                ("$endpoint", endpointId), ("$seq", seq), ("$id", instanceId), ("$now", Ms(now)));
        }
    }

    private List<(string Id, IReadOnlyList<string>? Types)> ActiveEndpointTypes()
    {
        using var reader = Query("SELECT id, types FROM notification_endpoints WHERE deleted_at IS NULL");
        var endpoints = new List<(string, IReadOnlyList<string>?)>();
        while (reader.Read())
        {
            endpoints.Add((reader.GetString(0), ParseTypes(reader.IsDBNull(1) ? null : reader.GetString(1))));
        }

        return endpoints;
    }

    private static string? Types(IReadOnlyList<string>? types) => types is null ? null : string.Join(',', types);

    private static string[]? ParseTypes(string? types) => types is null ? null : types.Split(',', StringSplitOptions.RemoveEmptyEntries);
}
