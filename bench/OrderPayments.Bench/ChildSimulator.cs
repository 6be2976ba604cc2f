using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace OrderPayments.Bench;

/// <summary>The payment simulator in a child process, so its memory and allocations are not the API's.</summary>
internal sealed class ChildSimulator : IDisposable
{
    private readonly Process _process;

    private ChildSimulator(Process process, int port)
    {
        _process = process;
        BaseUrl = $"http://127.0.0.1:{port}/simulator/vipps";
    }

    public string BaseUrl { get; }

    /// <summary>The CPU time the simulator process has used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>The settings that point the API at this simulator and register <paramref name="apiPort"/>'s webhook.</summary>
    public Dictionary<string, string?> ApiSettings(int apiPort) => new()
    {
        ["Vipps:BaseUrl"] = BaseUrl,
        ["Vipps:ClientId"] = "simulator-client",
        ["Vipps:ClientSecret"] = "simulator-secret",
        ["Vipps:SubscriptionKey"] = "simulator-subscription-key",
        ["Vipps:MerchantSerialNumber"] = "123456",
        ["Vipps:WebhookUrl"] = $"http://127.0.0.1:{apiPort}/api/webhooks/vipps",
    };

    public static async Task<ChildSimulator> StartAsync(params string[] settings)
    {
        var port = FreePort();
        var dll = Path.Combine(AppContext.BaseDirectory, "PaymentSimulator.dll");
        var process = ChildProcesses.Start(new ProcessStartInfo("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}", "--environment", "Development", "--Logging:LogLevel:Default", "Warning", .. settings])
        {
            RedirectStandardOutput = true,
        });
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        var simulator = new ChildSimulator(process, port);
        using var probe = new HttpClient();
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var ok = await probe.GetAsync($"{simulator.BaseUrl}/control/stats");
                return simulator;
            }
            catch (HttpRequestException) when (waited.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(100);
            }
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        ChildProcesses.Kill(_process);
        _process.WaitForExit();
        _process.Dispose();
    }
}
