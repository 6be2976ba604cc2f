using System.Diagnostics;
using System.Reflection;

namespace OrderPayments.Infra.Tests;

/// <summary>
/// The Bicep CLI the repository pins (eng/bicep/Bicep.props, restored from NuGet with this project), run as a process.
/// </summary>
internal static class BicepCli
{
    /// <summary>The restored executable (its path is written into this assembly at build time).</summary>
    public static string Executable { get; } = Find();

    /// <summary>Runs the CLI in <paramref name="workingDirectory"/> and returns its exit code and output; gives up after 3 minutes.</summary>
    public static async Task<BicepRun> RunAsync(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable)
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

        // No telemetry, and no attempt to reach the public module registry (nothing here uses one).
        start.Environment["BICEP_TRACING_ENABLED"] = "false";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{Executable} did not start.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish within 3 minutes.");
        }

        return new BicepRun(process.ExitCode, await output, await errors);
    }

    private static string Find()
    {
        var path = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepExecutable").Value;
        return File.Exists(path)
            ? path
            : throw new InvalidOperationException($"The Bicep CLI is not at '{path}': restore this project (dotnet restore) to download the package eng/bicep/Bicep.props pins.");
    }
}
