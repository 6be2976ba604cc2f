using System.ComponentModel;
using System.Diagnostics;

namespace OrderPayments.Api.Tests.Docs;

/// <summary>What one run of a bash script did: its exit code and what it wrote.</summary>
/// <param name="ExitCode">bash's exit code.</param>
/// <param name="Output">Standard output.</param>
/// <param name="Errors">Standard error.</param>
internal sealed record BashRun(int ExitCode, string Output, string Errors)
{
    /// <summary>
    /// Runs the script file <paramref name="script"/> with <c>bash -e</c> (it stops at the first command that fails, as
    /// a reader would) in <paramref name="workingDirectory"/>, with <paramref name="environment"/> added to this
    /// process's and no standard input; kills it and throws when it outlives <paramref name="timeout"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">bash is not on PATH.</exception>
    /// <exception cref="TimeoutException">The script did not finish in time; the message has what it wrote so far.</exception>
    public static async Task<BashRun> RunAsync(string script, string workingDirectory, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-e");
        start.ArgumentList.Add(script);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"bash must be on PATH to run {script}: {e.Message}", e);
        }

        // No input: nothing in a script may wait for someone to type (sudo asking for a password, say).
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException e)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} did not finish within {timeout}. It wrote:\n{await output}\n{await errors}", e);
        }

        return new BashRun(process.ExitCode, await output, await errors);
    }

    /// <inheritdoc />
    public override string ToString() => $"exit code {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Errors}";
}
