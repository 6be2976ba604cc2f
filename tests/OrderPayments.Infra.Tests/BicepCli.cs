using System.Reflection;

namespace OrderPayments.Infra.Tests;

/// <summary>
/// The Bicep CLI the repository pins (eng/bicep/Bicep.props, restored from NuGet with this project), run as a process.
/// </summary>
internal static class BicepCli
{
    private static readonly Dictionary<string, string> Quiet = new(StringComparer.Ordinal)
    {
        // No telemetry from the CLI.
        ["BICEP_TRACING_ENABLED"] = "false",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
    };

    /// <summary>The restored executable (its path is written into this assembly at build time).</summary>
    public static string Executable { get; } = Find();

    /// <summary>Runs the CLI in <paramref name="workingDirectory"/>; gives up after 3 minutes.</summary>
    public static Task<ToolRun> RunAsync(string workingDirectory, params string[] arguments) =>
        ToolRun.RunAsync(Executable, workingDirectory, TimeSpan.FromMinutes(3), Quiet, arguments);

    private static string Find()
    {
        var path = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepExecutable").Value;
        return File.Exists(path)
            ? path
            : throw new InvalidOperationException($"The Bicep CLI is not at '{path}': restore this project (dotnet restore) to download the package eng/bicep/Bicep.props pins.");
    }
}
