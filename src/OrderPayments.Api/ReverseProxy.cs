using Microsoft.AspNetCore.HttpOverrides;
using OrderPayments.PayEx;

namespace OrderPayments.Api;

/// <summary>
/// The API behind a reverse proxy (nginx, Caddy, a load balancer): <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c>
/// are believed only from the proxies named in <c>OrderPayments:ReverseProxy:KnownProxies</c> (addresses or CIDR
/// ranges), and only the last hop's: the caller's address is then what that proxy saw, which is what
/// <c>PayEx:CallbackAllowedSources</c> checks. With none named (the default) the headers are ignored and the caller is
/// the connection's address. (ASP.NET Core's <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED</c> would believe any sender.)
/// </summary>
internal static class ReverseProxy
{
    /// <summary>The setting that lists the trusted proxies (<c>OrderPayments:ReverseProxy:KnownProxies:0</c>, <c>:1</c>, …).</summary>
    public const string KnownProxiesSetting = "OrderPayments:ReverseProxy:KnownProxies";

    /// <summary>Configures the forwarded headers from the proxies named in configuration; returns whether any is.</summary>
    /// <exception cref="InvalidOperationException">An entry is not an address or a CIDR range.</exception>
    public static bool Configure(IServiceCollection services, IConfiguration configuration)
    {
        var entries = configuration.GetSection(KnownProxiesSetting).GetChildren().Select(c => c.Value).Where(v => !string.IsNullOrWhiteSpace(v)).ToList();
        var networks = new List<System.Net.IPNetwork>();
        foreach (var entry in entries)
        {
            networks.Add(PayExNotifications.TryParseNetwork(entry, out var network)
                ? network
                : throw new InvalidOperationException($"{KnownProxiesSetting} has '{entry}', which is not an address or a CIDR range (e.g. 127.0.0.1, ::1 or 10.0.0.0/24)."));
        }

        if (networks.Count == 0)
        {
            return false;
        }

        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only the named proxies (the defaults trust loopback), and only the hop the nearest one added: addresses a
            // client wrote into the header itself are further left and never read.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var network in networks)
            {
                options.KnownIPNetworks.Add(network);
            }

            options.ForwardLimit = 1;
        });
        return true;
    }
}
