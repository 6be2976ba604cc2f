using System.Diagnostics;

namespace OrderPayments.Infra.Tests;

/// <summary>What one run of a command-line tool did: its exit code and what it wrote.</summary>
/// <param name="ExitCode">The process's exit code.</param>
/// <param name="Output">Standard output.</param>
/// <param name="Errors">Standard error (the Bicep CLI writes every diagnostic there, one per line).</param>
public sealed record ToolRun(int ExitCode, string Output, string Errors)
{
    /// <summary>The lines of standard error, e.g. <c>main.bicep(3,7) : Warning no-unused-params: …</c>.</summary>
    public IReadOnlyList<string> Diagnostics =>
        Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Runs <paramref name="executable"/> in <paramref name="workingDirectory"/>; kills it and throws when it outlives <paramref name="timeout"/>.</summary>
    public static async Task<ToolRun> RunAsync(string executable, string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start.");
        using var deadline = new CancellationTokenSource(timeout);
        var output = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var errors = process.StandardError.ReadToEndAsync(deadline.Token);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{executable} {string.Join(' ', arguments)} did not finish within {timeout}.");
        }

        return new ToolRun(process.ExitCode, await output, await errors);
    }
}
