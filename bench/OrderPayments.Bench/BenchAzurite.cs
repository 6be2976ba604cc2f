using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace OrderPayments.Bench;

/// <summary>
/// A fresh Azurite (the Azure Storage emulator) for one benchmark run: the version pinned in <c>eng/azurite</c>
/// (installed there with <c>npm ci</c> when missing), on free loopback ports, with an empty data folder, optionally
/// writing its debug log (one block of lines per request: service, URL, operation), which is how the benchmark counts
/// storage requests. A fresh one per run: Azurite slows down as its data grows.
/// </summary>
internal sealed class BenchAzurite : IAsyncDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process _process;
    private readonly DirectoryInfo _location;

    private BenchAzurite(Process process, DirectoryInfo location, int[] ports, string? debugLog)
    {
        _process = process;
        _location = location;
        DebugLog = debugLog;
        ConnectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + AccountKey + ";"
            + $"BlobEndpoint=http://127.0.0.1:{ports[0]}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{ports[1]}/devstoreaccount1;"
            + $"TableEndpoint=http://127.0.0.1:{ports[2]}/devstoreaccount1;";
    }

    /// <summary>The storage connection string (the emulator's well-known account, this instance's ports).</summary>
    public string ConnectionString { get; }

    /// <summary>Azurite's debug log, when it writes one.</summary>
    public string? DebugLog { get; }

    /// <summary>How many bytes the debug log has now (where a window of requests starts or ends).</summary>
    public long DebugLogLength => DebugLog is { } path && File.Exists(path) ? new FileInfo(path).Length : 0;

    /// <summary>
    /// Installs Azurite if needed and starts it; with <paramref name="debug"/> it writes its debug log; with
    /// <paramref name="inMemory"/> it keeps its data in memory only (by default its table store, LokiJS, writes the whole
    /// database to disk every 5 s, which costs more the more data the run has written).
    /// </summary>
    public static async Task<BenchAzurite> StartAsync(bool debug, bool inMemory = false)
    {
        var install = Path.Combine(RepositoryRoot(), "eng", "azurite");
        var entry = Path.Combine(install, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(entry))
        {
            Console.WriteLine("installing Azurite (npm ci in eng/azurite)");
            using var npm = Process.Start(new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund"]) { WorkingDirectory = install })
                ?? throw new InvalidOperationException("npm did not start (Node.js and npm must be on PATH).");
            await npm.WaitForExitAsync();
            if (npm.ExitCode != 0 || !File.Exists(entry))
            {
                throw new InvalidOperationException($"npm ci in {install} failed (exit {npm.ExitCode}).");
            }
        }

        var location = Directory.CreateTempSubdirectory("orderpayments-bench-azurite-");
        var ports = FreePorts(3);
        var log = debug ? Path.Combine(location.FullName, "debug.log") : null;
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = location.FullName,
        };
        foreach (var argument in (string[])[
            "--require", Path.Combine(install, "exit-with-parent.cjs"), entry,
            "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
            "--blobPort", $"{ports[0]}", "--queuePort", $"{ports[1]}", "--tablePort", $"{ports[2]}",
            .. inMemory ? ["--inMemoryPersistence"] : (string[])["--location", location.FullName],
            "--skipApiVersionCheck", "--silent", "--loose", "--disableTelemetry",
            .. log is null ? Array.Empty<string>() : ["--debug", log]])
        {
            start.ArgumentList.Add(argument);
        }

        var process = ChildProcesses.Start(start);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var azurite = new BenchAzurite(process, location, ports, log);
        var waited = Stopwatch.StartNew();
        while (!await ListensAsync(ports))
        {
            if (process.HasExited || waited.Elapsed > TimeSpan.FromSeconds(60))
            {
                await azurite.DisposeAsync();
                throw new InvalidOperationException("Azurite did not start listening within 60 s.");
            }

            await Task.Delay(100);
        }

        return azurite;
    }

    public async ValueTask DisposeAsync()
    {
        ChildProcesses.Kill(_process);
        await _process.WaitForExitAsync();
        _process.Dispose();
        try
        {
            _location.Delete(recursive: true);
        }
        catch (IOException)
        {
            // Left for the temporary folder's cleanup.
        }
    }

    /// <summary>The repository's root: the nearest folder above the benchmark's binaries with <c>eng/azurite/package.json</c>.</summary>
    internal static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "eng", "azurite", "package.json")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("eng/azurite/package.json was not found above " + AppContext.BaseDirectory + ": run the benchmark from the repository.");
    }

    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        foreach (var listener in listeners)
        {
            listener.Start();
        }

        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        foreach (var listener in listeners)
        {
            listener.Dispose();
        }

        return ports;
    }

    private static async Task<bool> ListensAsync(int[] ports)
    {
        foreach (var port in ports)
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port);
            }
            catch (SocketException)
            {
                return false;
            }
        }

        return true;
    }
}
