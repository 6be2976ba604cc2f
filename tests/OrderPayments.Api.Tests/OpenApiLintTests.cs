using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace OrderPayments.Api.Tests;

/// <summary>
/// The API's OpenAPI document through an OpenAPI linter: the Redocly CLI pinned in eng/openapi-lint (installed there by
/// <see cref="NpmInstall"/> on first use) with its recommended rules and eng/openapi-lint/redocly.yaml, where a rule is
/// switched off only with its reason. An error or a warning fails.
/// </summary>
public sealed class OpenApiLintTests
{
    private static readonly string LintDirectory = RepositoryFiles.Path(Path.Combine("eng", "openapi-lint"));

    [Fact]
    public async Task Lint_TheServedDocument_HasNoErrorsOrWarnings()
    {
        await using var api = await ApiHost.StartAsync();
        var document = Path.Combine(api.Directory, "openapi.json");
        await File.WriteAllTextAsync(document, await api.Anonymous.GetStringAsync("openapi/v1.json"));

        var problems = await LintAsync(document);

        problems.ShouldBeEmpty($"Redocly found in /openapi/v1.json:{Environment.NewLine}{string.Join(Environment.NewLine, problems)}");
    }

    [Fact]
    public async Task Lint_ADocumentWithProblems_ReportsThem()
    {
        var directory = Directory.CreateTempSubdirectory("orderpayments-lint-").FullName;
        try
        {
            var document = Path.Combine(directory, "openapi.json");
            await File.WriteAllTextAsync(document, """
                {
                  "openapi": "3.1.1",
                  "info": { "title": "t", "version": "1" },
                  "paths": { "/things": { "get": { "responses": { "200": { "description": "OK", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Missing" } } } } } } } }
                }
                """);

            var problems = await LintAsync(document);

            problems.ShouldContain(p => p.StartsWith("no-unresolved-refs", StringComparison.Ordinal));
            problems.ShouldContain(p => p.StartsWith("operation-operationId", StringComparison.Ordinal), "a warning is reported as well as an error");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Every problem Redocly reports for <paramref name="document"/>: rule, severity, message and where.</summary>
    private static async Task<List<string>> LintAsync(string document)
    {
        var cli = Path.Combine("node_modules", "@redocly", "cli", "bin", "cli.js");
        await NpmInstall.EnsureAsync(LintDirectory, "@redocly/cli", cli);
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = LintDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { Path.Combine(LintDirectory, cli), "lint", document, "--config", Path.Combine(LintDirectory, "redocly.yaml"), "--format=json" })
        {
            start.ArgumentList.Add(argument);
        }

        // Offline and quiet: no usage telemetry, no check for a newer version.
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        start.Environment["NO_COLOR"] = "1";
        using var process = StartProcess(start);
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException e)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"Redocly did not finish linting {document} within 2 minutes.", e);
        }

        JsonNode? report;
        try
        {
            report = JsonNode.Parse(await output);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new InvalidOperationException($"Redocly (exit code {process.ExitCode}) printed no JSON report: {await output}{Environment.NewLine}{await errors}", e);
        }

        return [.. report!["problems"]!.AsArray().Select(p =>
            $"{p!["ruleId"]} ({p["severity"]}): {p["message"]} at {string.Join(", ", p["location"]!.AsArray().Select(l => (string?)l!["pointer"]))}")];
    }

    private static Process StartProcess(ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start)!;
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"Node.js (node) must be on PATH to lint the OpenAPI document: {e.Message}", e);
        }
    }
}
