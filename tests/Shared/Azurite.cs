using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OrderPayments.Tests.Shared;

/// <summary>
/// Azurite, the Azure Storage emulator (blob, queue and table services), run for a test class: an xUnit fixture
/// (<c>IClassFixture&lt;Azurite&gt;</c>, or a collection fixture) that starts one Azurite process with an empty data
/// folder in <see cref="InitializeAsync"/> and ends it in <see cref="DisposeAsync"/>. Each fixture instance is its own
/// emulator (no state shared between test classes); there is no process-wide shared instance.
/// </summary>
/// <remarks>
/// Azurite is installed by the repository itself: the npm package pinned in <c>eng/azurite/package.json</c> and its
/// lock file (<see cref="NpmInstall"/>: <c>npm ci</c> there when it is missing, once across processes). Needs Node.js
/// and npm on PATH.
/// The emulator listens on free loopback ports only, and a test process that dies without disposing the fixture
/// takes its Azurite down with it (Azurite exits when its stdin, held by this process, closes).
/// </remarks>
public sealed class Azurite : IAsyncLifetime
{
    /// <summary>The emulator's one account.</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>The emulator's well-known, public account key (not a secret).</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private const int StartAttempts = 3;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly Lock _outputLock = new();
    private readonly StringBuilder _output = new();
    private Process? _process;
    private string? _location;

    /// <summary>The blob service's port on 127.0.0.1 (0 before <see cref="InitializeAsync"/>).</summary>
    public int BlobPort { get; private set; }

    /// <summary>The queue service's port on 127.0.0.1 (0 before <see cref="InitializeAsync"/>).</summary>
    public int QueuePort { get; private set; }

    /// <summary>The table service's port on 127.0.0.1 (0 before <see cref="InitializeAsync"/>).</summary>
    public int TablePort { get; private set; }

    /// <summary>
    /// The full storage connection string (account <see cref="AccountName"/>, key <see cref="AccountKey"/>, explicit
    /// blob, queue and table endpoints on this instance's ports), for the Azure SDK clients and <c>AzureWebJobsStorage</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">Azurite has not been started.</exception>
    public string ConnectionString => _process is null
        ? throw new InvalidOperationException("Azurite has not been started (InitializeAsync).")
        : $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};"
          + $"BlobEndpoint={Endpoint(BlobPort)};QueueEndpoint={Endpoint(QueuePort)};TableEndpoint={Endpoint(TablePort)};";

    /// <summary>What Azurite (and, when it ran, npm) printed so far: for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_outputLock)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Installs Azurite if needed, then starts it on three free loopback ports with a new temporary data folder and
    /// waits until all three services accept connections (at most 60 s). A port taken by someone else between choosing
    /// and binding it is retried with new ports.
    /// </summary>
    /// <exception cref="InvalidOperationException">npm or Node.js is missing or failed, or Azurite exited while starting.</exception>
    /// <exception cref="TimeoutException">The install lock was not had, or the services did not listen, in time.</exception>
    public async Task InitializeAsync()
    {
        await EnsureInstalledAsync();
        for (var attempt = 1; attempt <= StartAttempts; attempt++)
        {
            if (await TryStartAsync())
            {
                return;
            }
        }

        throw new InvalidOperationException($"Azurite found its ports taken {StartAttempts} times (EADDRINUSE). It printed:\n{Output}");
    }

    /// <summary>Kills Azurite (its whole process tree) and deletes its data folder. Safe to call more than once.</summary>
    public async Task DisposeAsync()
    {
        await StopAsync();
        if (_location is { } location)
        {
            _location = null;
            await Eventually.Holds(() => TryDelete(location), $"Azurite's data folder {location} to be deleted", StopTimeout);
        }
    }

    private static string InstallDirectory => RepositoryFiles.Path(Path.Combine("eng", "azurite"));

    private static string EntryScript => Path.Combine(InstallDirectory, "node_modules", "azurite", "dist", "src", "azurite.js");

    private static string Endpoint(int port) => $"http://127.0.0.1:{port}/{AccountName}";

    /// <summary>Starts Azurite once; false when a port was taken meanwhile (retry with others), throws on any other failure.</summary>
    private async Task<bool> TryStartAsync()
    {
        var ports = FreeLoopbackPorts(3);
        (BlobPort, QueuePort, TablePort) = (ports[0], ports[1], ports[2]);
        _location = Directory.CreateTempSubdirectory("orderpayments-azurite-").FullName;

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = _location,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--require", Path.Combine(InstallDirectory, "exit-with-parent.cjs"),
            EntryScript,
            "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
            "--blobPort", $"{BlobPort}", "--queuePort", $"{QueuePort}", "--tablePort", $"{TablePort}",
            // In memory only: by default Azurite's table store writes its whole database to disk every 5 s, which under a
            // long run (the crash test at 1,000 orders) takes more CPU than the requests themselves. No test restarts
            // Azurite and expects its data back; the folder stays its working directory.
            "--inMemoryPersistence",
            "--skipApiVersionCheck", "--silent", "--loose",
            // Azurite sends usage telemetry unless told not to; tests reach nothing beyond loopback.
            "--disableTelemetry",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = _process = StartCapturing(start, "Node.js (node) must be on PATH to run Azurite");
        var elapsed = Stopwatch.StartNew();
        try
        {
            await Eventually.Holds(
                async () => process.HasExited || await AllAcceptAsync(BlobPort, QueuePort, TablePort),
                "Azurite's blob, queue and table ports to accept connections",
                StartTimeout);
        }
        catch (TimeoutException e)
        {
            await DisposeAsync();
            throw new TimeoutException($"{e.Message} Azurite printed:\n{Output}", e);
        }

        if (!process.HasExited)
        {
            return true;
        }

        var output = Output;
        var exitCode = process.ExitCode;
        await DisposeAsync();
        if (output.Contains("EADDRINUSE", StringComparison.Ordinal))
        {
            return false;
        }

        throw new InvalidOperationException(
            $"Azurite exited with code {exitCode} after {elapsed.Elapsed.TotalSeconds:F1} s while starting. It printed:\n{output}");
    }

    private async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It had exited already.
        }

        using var stopped = new CancellationTokenSource(StopTimeout);
        await process.WaitForExitAsync(stopped.Token);
        process.Dispose();
    }

    /// <summary>Runs <c>npm ci</c> in eng/azurite unless the pinned version is installed, once across processes.</summary>
    private static Task EnsureInstalledAsync() =>
        NpmInstall.EnsureAsync(InstallDirectory, "azurite", Path.Combine("node_modules", ".bin", "azurite"), Path.GetRelativePath(InstallDirectory, EntryScript));

    private Process StartCapturing(ProcessStartInfo start, string whenMissing)
    {
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            throw new InvalidOperationException($"{whenMissing}: starting '{start.FileName}' failed ({e.Message}).", e);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_outputLock)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>Distinct free ports on 127.0.0.1, chosen by the OS (listeners bound to port 0, held together, then released).</summary>
    private static int[] FreeLoopbackPorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        try
        {
            foreach (var listener in listeners)
            {
                listener.Start();
            }

            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Dispose();
            }
        }
    }

    private static async Task<bool> AllAcceptAsync(params int[] ports)
    {
        foreach (var port in ports)
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }

            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
