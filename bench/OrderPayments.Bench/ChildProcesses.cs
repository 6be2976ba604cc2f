using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace OrderPayments.Bench;

/// <summary>
/// The child processes a benchmark runs (the API, the simulator), killed when the benchmark is stopped by Ctrl+C or
/// SIGTERM or exits without disposing them. A simulator left behind keeps retrying its webhooks to an API that is gone
/// and takes CPU from every later run on the machine (six such simulators were found using a fifth of a core).
/// A SIGKILL of the benchmark cannot be caught; its children then have to be stopped by hand.
/// </summary>
internal static class ChildProcesses
{
    private static readonly ConcurrentDictionary<int, Process> Running = new();

    // Kept in a field: a registration that is collected no longer handles its signal.
    private static readonly PosixSignalRegistration[] Signals =
    [
        PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => KillAll()),
        PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => KillAll()),
    ];

    static ChildProcesses() => AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();

    /// <summary>Starts <paramref name="start"/> and tracks the process until <see cref="Kill"/>.</summary>
    public static Process Start(ProcessStartInfo start)
    {
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start.");
        Running[process.Id] = process;
        return process;
    }

    /// <summary>Stops tracking <paramref name="process"/> and kills it if it still runs (the caller waits for its exit).</summary>
    public static void Kill(Process process)
    {
        Running.TryRemove(process.Id, out _);
        if (!process.HasExited)
        {
            process.Kill();
        }
    }

    private static void KillAll()
    {
        foreach (var process in Running.Values)
        {
            try
            {
                process.Kill();
            }
            catch (InvalidOperationException)
            {
                // Already exited.
            }
        }
    }
}
