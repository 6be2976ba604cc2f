using System.Net;
using System.Net.Sockets;

namespace OrderPayments.Api;

/// <summary>
/// Where this process listens, decided before the app is built, so the embedded simulator's base URL and the webhook
/// URL can be configured up front. Port 0 (any free port, used by tests) is resolved to a concrete free port here.
/// </summary>
internal static class ListeningAddress
{
    /// <summary>
    /// The URL the app reaches itself on: the first of <c>--urls</c> / <c>ASPNETCORE_URLS</c>, else
    /// <c>http://localhost:5000</c>. When that first URL asks for port 0 it is given a free port, and
    /// <paramref name="urls"/> is the URL list to listen on with that port filled in (null when nothing changed).
    /// </summary>
    public static Uri Resolve(IConfiguration configuration, out string? urls)
    {
        urls = null;
        var all = configuration["urls"]?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        var configured = all.FirstOrDefault();
        if (configured is null && configuration["http_ports"] is { Length: > 0 } ports)
        {
            configured = $"http://*:{ports.Split(';')[0]}";
        }

        configured ??= "http://localhost:5000";
        var builder = new UriBuilder(configured.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal));
        if (builder.Port == 0)
        {
            builder.Port = FreePort();
            urls = string.Join(';', [builder.Uri.ToString().TrimEnd('/'), .. all.Skip(1)]);
        }

        return builder.Uri;
    }

    /// <summary>How this process reaches itself: a wildcard or <c>localhost</c> becomes the IPv4 loopback.</summary>
    public static Uri Self(Uri listening)
    {
        var host = listening.Host is "0.0.0.0" or "[::]" or "::" or "localhost" ? "127.0.0.1" : listening.Host;
        return new UriBuilder(listening) { Host = host, Path = "/" }.Uri;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
