namespace OrderPayments.Infra.Tests;

/// <summary>What one run of the Bicep CLI did: its exit code, and what it wrote (diagnostics go to standard error).</summary>
/// <param name="ExitCode">The process's exit code.</param>
/// <param name="Output">Standard output.</param>
/// <param name="Errors">Standard error: every diagnostic (error, warning, info), one per line.</param>
public sealed record BicepRun(int ExitCode, string Output, string Errors)
{
    /// <summary>The diagnostic lines, e.g. <c>main.bicep(3,7) : Warning no-unused-params: …</c>.</summary>
    public IReadOnlyList<string> Diagnostics =>
        Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
