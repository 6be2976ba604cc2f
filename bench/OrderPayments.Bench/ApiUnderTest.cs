using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrderPayments.Api;

namespace OrderPayments.Bench;

/// <summary>
/// The API under load: in a child process of its own (the default, so its CPU and allocations are its own), or in the
/// benchmark's process (the Durable engine's runs and <c>--embedded-simulator</c>). Either way it is <see cref="ApiApp"/>
/// as deployed, in Production, with a fresh store; a sample reads the process's <see cref="ApiProbe"/>.
/// </summary>
internal abstract class ApiUnderTest : IAsyncDisposable
{
    /// <summary>Where the API listens.</summary>
    public abstract Uri BaseAddress { get; }

    /// <summary>True when the load generator shares the API's process (its CPU is then counted with the API's).</summary>
    public abstract bool SharesProcess { get; }

    /// <summary>The API process's counters now (see <see cref="ApiProbe.Sample"/>).</summary>
    public abstract Task<JsonObject> SampleAsync(HttpClient http);

    /// <summary>Lines the API wrote to its console so far (its log, when it runs in a child process; else 0).</summary>
    public virtual long LogLines => 0;

    /// <summary>
    /// Starts the API in a child process with its store in <paramref name="folder"/>, pointed at <paramref name="simulator"/>.
    /// With <paramref name="defaultLogging"/> it logs at the levels it is deployed with (Information; its console read and
    /// counted here), else only errors.
    /// </summary>
    public static async Task<ApiUnderTest> StartChildAsync(DirectoryInfo folder, ChildSimulator simulator, Dictionary<string, string?> settings, bool defaultLogging = false)
    {
        var port = ChildSimulator.FreePort();
        var all = new Dictionary<string, string?>(simulator.ApiSettings(port))
        {
            ["OrderPayments:Store:Path"] = Path.Combine(folder.FullName, "orders.db"),
            ["OrderPayments:ApiKeys:Operator:0"] = BenchApi.ApiKey,
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        var dll = Path.Combine(AppContext.BaseDirectory, "OrderPayments.Bench.dll");
        var process = ChildProcesses.Start(new ProcessStartInfo("dotnet", [dll, "api-host", "--urls", $"http://127.0.0.1:{port}", "--environment", "Production", .. all.Select(p => $"--{p.Key}={p.Value}")])
        {
            RedirectStandardOutput = true,
            // At the deployed levels it reads the API's appsettings.json (copied to api/ beside this program) as the deployed app does.
            WorkingDirectory = defaultLogging ? Path.Combine(AppContext.BaseDirectory, "api") : "",
            Environment = { [DefaultLoggingVariable] = defaultLogging ? "1" : null },
        });
        // ORDERPAYMENTS_BENCH_API_LOG=path keeps the API's console output (e.g. with Logging__LogLevel__OrderPayments=Warning).
        var log = Environment.GetEnvironmentVariable("ORDERPAYMENTS_BENCH_API_LOG") is { Length: > 0 } path ? TextWriter.Synchronized(File.AppendText(path)) : null;
        var child = new Child(process, new Uri($"http://127.0.0.1:{port}/"), folder);
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is { } text)
            {
                child.CountLine();
                log?.WriteLine(text);
            }
        };
        process.BeginOutputReadLine();
        using var probe = new HttpClient();
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var ready = await probe.GetAsync(new Uri(child.BaseAddress, "bench/stats"));
                if (ready.IsSuccessStatusCode)
                {
                    return child;
                }
            }
            catch (HttpRequestException) when (waited.Elapsed < TimeSpan.FromSeconds(60) && !process.HasExited)
            {
            }

            if (process.HasExited || waited.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new InvalidOperationException($"The API child process did not start (exit {(process.HasExited ? process.ExitCode.ToString(CultureInfo.InvariantCulture) : "none")}).");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Starts the API in this process (see <see cref="BenchApi.StartAsync"/>).</summary>
    public static async Task<ApiUnderTest> StartInProcessAsync(DirectoryInfo folder, ChildSimulator? simulator, Dictionary<string, string?> settings, DurableBenchEngine? engine)
    {
        var probe = new ApiProbe();
        var app = await BenchApi.StartAsync(folder, simulator, settings, engine);
        var subscription = app.Services.GetRequiredService<OrderPayments.Vipps.Webhooks.VippsWebhookSubscription>();
        var ready = Stopwatch.StartNew();
        while (subscription.Verifier is null && ready.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(20);
        }

        return new InProcess(app, probe, folder);
    }

    /// <summary>The child process's entry point (<c>api-host</c>): the API with the benchmark's probe beside it.</summary>
    public static async Task<int> HostAsync(string[] args)
    {
        using var probe = new ApiProbe();
        var defaultLogging = Environment.GetEnvironmentVariable(DefaultLoggingVariable) == "1";
        var app = ApiApp.Build(args, builder =>
        {
            if (!defaultLogging)
            {
                builder.Logging.SetMinimumLevel(LogLevel.Error);
            }
        });
        // Ready once the webhook is registered (the simulator's webhooks are verified from then on).
        var subscription = app.Services.GetRequiredService<OrderPayments.Vipps.Webhooks.VippsWebhookSubscription>();
        app.MapGet("/bench/stats", () => subscription.Verifier is null ? Results.StatusCode(503) : Results.Json(probe.Sample())).AllowAnonymous();
        await app.RunAsync();
        return 0;
    }

    public abstract ValueTask DisposeAsync();

    /// <summary>Set to 1 for a child API that logs at its deployed levels.</summary>
    private const string DefaultLoggingVariable = "ORDERPAYMENTS_BENCH_DEFAULT_LOGGING";

    private sealed class Child(Process process, Uri baseAddress, DirectoryInfo folder) : ApiUnderTest
    {
        private long _lines;

        public override Uri BaseAddress => baseAddress;

        public override long LogLines => Interlocked.Read(ref _lines);

        public void CountLine() => Interlocked.Increment(ref _lines);

        public override bool SharesProcess => false;

        public override async Task<JsonObject> SampleAsync(HttpClient http) =>
            (await http.GetFromJsonAsync<JsonObject>(new Uri(baseAddress, "bench/stats")))!;

        public override async ValueTask DisposeAsync()
        {
            ChildProcesses.Kill(process);
            await process.WaitForExitAsync();
            process.Dispose();
            folder.Delete(recursive: true);
        }
    }

    private sealed class InProcess(WebApplication app, ApiProbe probe, DirectoryInfo folder) : ApiUnderTest
    {
        public override Uri BaseAddress { get; } = new(app.Urls.First().Replace("localhost", "127.0.0.1", StringComparison.Ordinal) + "/");

        public override bool SharesProcess => true;

        public override Task<JsonObject> SampleAsync(HttpClient http) => Task.FromResult(probe.Sample());

        public override async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
            probe.Dispose();
            SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }
}
