using System.Diagnostics;
using DurableWorker;

namespace OrderPayments.Durable.Tests.Engine;

/// <summary>
/// One run of the Durable interpreter's worker (<c>tools/DurableWorker</c>) as a child process: <c>dotnet
/// DurableWorker.dll</c> from this test's output folder, configured by environment
/// variables. Its standard input stays open for its life, so it also dies with this process; <see cref="KillAsync"/> ends it
/// with SIGKILL. What it prints is kept (the last lines) for failure messages.
/// </summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private const int KeptLines = 200;

    private readonly Process _process;
    private readonly Queue<string> _output = new();
    private readonly Lock _outputLock = new();
    private readonly TaskCompletionSource<TimeSpan> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Stopwatch _started = Stopwatch.StartNew();
    private bool _disposed;

    private WorkerProcess(IReadOnlyDictionary<string, string> environment)
    {
        var host = Path.Combine(AppContext.BaseDirectory, typeof(AzureStorageEngine).Assembly.GetName().Name + ".dll");
        File.Exists(host).ShouldBeTrue($"worker not built at {host}");
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(host);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.Exited += (_, _) => _ready.TrySetException(new InvalidOperationException($"The worker exited before it was ready. It printed:\n{Output}"));
        _process.OutputDataReceived += (_, e) => Received(e.Data);
        _process.ErrorDataReceived += (_, e) => Received(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Completes with the time from start when the host prints that it dispatches; fails if it exits before.</summary>
    public Task<TimeSpan> Ready => _ready.Task;

    /// <summary>The last lines the host printed (standard output and error).</summary>
    public string Output
    {
        get
        {
            lock (_outputLock)
            {
                return string.Join('\n', _output);
            }
        }
    }

    /// <summary>Starts the host with <paramref name="environment"/> (the Functions app's settings).</summary>
    public static WorkerProcess Start(IReadOnlyDictionary<string, string> environment) => new(environment);

    /// <summary>Kills the host with SIGKILL (no shutdown code runs) and waits until it is gone. Safe to call again.</summary>
    public async Task KillAsync()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // It had exited already.
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>Kills the host if it runs and releases the process handle. Safe to call again.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await KillAsync();
        _process.Dispose();
    }

    private void Received(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (line == "ready")
        {
            _ready.TrySetResult(_started.Elapsed);
        }

        lock (_outputLock)
        {
            _output.Enqueue(line);
            if (_output.Count > KeptLines)
            {
                _output.Dequeue();
            }
        }
    }
}
