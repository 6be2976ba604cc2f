using System.Text;
using System.Text.RegularExpressions;

namespace OrderPayments.Bench;

/// <summary>One kind of storage request: the service, the operation Azurite dispatched it to, and the table, queue or container (without the task hub's prefix).</summary>
internal readonly record struct StorageRequestKind(string Service, string Operation, string Resource);

/// <summary>
/// Counts the storage requests in a window of Azurite's debug log (<c>--debug</c>): every request writes a line
/// <c>{time} {request id} info: {Service}StorageContextMiddleware: RequestMethod=… RequestURL=…</c> and, once routed,
/// <c>{time} {request id} info: DispatchMiddleware: Operation=…</c>; the two are joined by the request id.
/// </summary>
internal static partial class AzuriteRequestLog
{
    /// <summary>The requests whose first line lies between the byte offsets <paramref name="from"/> and <paramref name="to"/>, by kind.</summary>
    /// <param name="path">Azurite's debug log.</param>
    /// <param name="from">Where the window starts (the log's length when it began).</param>
    /// <param name="to">Where it ends.</param>
    /// <param name="hub">The task hub, whose name starts every queue, table and container of the run.</param>
    public static Dictionary<StorageRequestKind, long> Count(string path, long from, long to, string hub)
    {
        var requests = new Dictionary<string, (string Service, string Resource)>(StringComparer.Ordinal);
        var operations = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            stream.Position = from;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var read = from;
            while (reader.ReadLine() is { } line)
            {
                // Operations are looked up for every request seen, even after the window (a request's lines may straddle it).
                if (DispatchLine().Match(line) is { Success: true } dispatched)
                {
                    operations[dispatched.Groups["id"].Value] = dispatched.Groups["operation"].Value;
                }
                else if (read < to && ContextLine().Match(line) is { Success: true } request)
                {
                    requests[request.Groups["id"].Value] = (request.Groups["service"].Value, Resource(request.Groups["path"].Value, hub));
                }

                read += Encoding.UTF8.GetByteCount(line) + 1;
            }
        }

        var counts = new Dictionary<StorageRequestKind, long>();
        foreach (var (id, (service, resource)) in requests)
        {
            var kind = new StorageRequestKind(service, operations.GetValueOrDefault(id, "(not dispatched)"), resource);
            counts[kind] = counts.GetValueOrDefault(kind) + 1;
        }

        return counts;
    }

    /// <summary>
    /// The table, queue or container a request addressed, named without the run's task hub: <c>History</c>,
    /// <c>Instances</c>, <c>control</c> (every control queue), <c>workitems</c>, <c>leases</c>, the interpreter's own
    /// tables; <c>$batch</c> for a table batch (its table is in the body).
    /// </summary>
    private static string Resource(string urlPath, string hub)
    {
        var account = urlPath.IndexOf("/devstoreaccount1/", StringComparison.Ordinal);
        var rest = account < 0 ? urlPath : urlPath[(account + "/devstoreaccount1/".Length)..];
        var end = rest.IndexOfAny(['/', '(', '?']);
        var name = Uri.UnescapeDataString(end < 0 ? rest : rest[..end]);
        if (name.StartsWith(hub, StringComparison.OrdinalIgnoreCase))
        {
            name = name[hub.Length..].TrimStart('-');
        }

        return ControlQueue().IsMatch(name) ? "control" : name.Length == 0 ? "(account)" : name;
    }

    [GeneratedRegex(@"^\S+ (?<id>[0-9a-f-]{36}) info: (?<service>Blob|Queue|Table)StorageContextMiddleware: RequestMethod=\S+ RequestURL=(?<path>\S+)")]
    private static partial Regex ContextLine();

    [GeneratedRegex(@"^\S+ (?<id>[0-9a-f-]{36}) info: DispatchMiddleware: Operation=(?<operation>\S+)")]
    private static partial Regex DispatchLine();

    [GeneratedRegex(@"^control-\d+$")]
    private static partial Regex ControlQueue();
}
