using System.Net;
using System.Text;

namespace OrderPayments.Api.Tests;

/// <summary>
/// Behind a reverse proxy: <c>X-Forwarded-For</c> counts only from a proxy named in
/// <c>OrderPayments:ReverseProxy:KnownProxies</c>, and only the hop that proxy added; <c>PayEx:CallbackAllowedSources</c>
/// then checks the address the proxy saw. (These tests' client is 127.0.0.1, standing in for the proxy.)
/// </summary>
public sealed class ReverseProxyTests
{
    private const string SwedbankPayRange = "20.91.170.120/29";

    [Fact]
    public async Task PayExCallback_ForwardedByAKnownProxyFromAnAllowedSource_IsTaken()
    {
        await using var api = await StartAsync(knownProxy: "127.0.0.1");

        using var response = await CallbackAsync(api, forwardedFor: "20.91.170.121");

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PayExCallback_ForwardedByAKnownProxyFromOutsideTheSources_Answers403()
    {
        await using var api = await StartAsync(knownProxy: "127.0.0.0/8");

        using var response = await CallbackAsync(api, forwardedFor: "203.0.113.7");

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task PayExCallback_AnAddressTheClientWroteBeforeTheProxysHop_IsNotRead()
    {
        // The client sent "X-Forwarded-For: 20.91.170.121" itself; the proxy appended the address it saw.
        await using var api = await StartAsync(knownProxy: "127.0.0.1");

        using var response = await CallbackAsync(api, forwardedFor: "20.91.170.121, 203.0.113.7");

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task PayExCallback_ForwardedHeaderWithoutAKnownProxy_IsIgnored()
    {
        await using var api = await StartAsync(knownProxy: null);

        using var response = await CallbackAsync(api, forwardedFor: "20.91.170.121");

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden, "without a known proxy the caller is the connection's address, 127.0.0.1");
    }

    [Fact]
    public void Build_AKnownProxyThatIsNoAddress_FailsNamingTheSetting()
    {
        var directory = ApiHost.TemporaryDirectory();
        try
        {
            var exception = Should.Throw<InvalidOperationException>(() => ApiApp.Build(
                ["--urls", "http://127.0.0.1:0", "--environment", "Development", "--OrderPayments:ReverseProxy:KnownProxies:0=proxy.example", $"--OrderPayments:Store:Path={Path.Combine(directory, "orders.db")}"]));

            exception.Message.ShouldContain("OrderPayments:ReverseProxy:KnownProxies has 'proxy.example'");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static Task<ApiHost> StartAsync(string? knownProxy)
    {
        var settings = new Dictionary<string, string?> { ["PayEx:CallbackAllowedSources:0"] = SwedbankPayRange };
        if (knownProxy is not null)
        {
            settings["OrderPayments:ReverseProxy:KnownProxies:0"] = knownProxy;
        }

        return ApiHost.StartAsync(settings);
    }

    private static async Task<HttpResponseMessage> CallbackAsync(ApiHost api, string forwardedFor)
    {
        var reference = (string)(await api.StartPayExAsync("px-proxied"))["reference"]!;
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/callbacks/payex?reference={reference}")
        {
            Content = new StringContent("""{"payment":{"id":"/psp/vipps/payments/p1","number":1},"transaction":{"id":"/psp/vipps/payments/p1/authorizations/1","number":1}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        request.Headers.Add("X-Forwarded-Proto", "https");
        return await api.Anonymous.SendAsync(request);
    }
}
