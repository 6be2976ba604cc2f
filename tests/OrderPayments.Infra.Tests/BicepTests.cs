using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OrderPayments.Infra.Tests;

/// <summary>infra/ compiles and lints clean with the real Bicep CLI: a warning fails like an error.</summary>
[Collection(UsesCompiledInfra.Name)]
public sealed partial class BicepTests(CompiledInfra infra)
{
    [Fact]
    public void Build_MainBicep_CompilesWithoutAnyDiagnostic()
    {
        infra.Build.ShouldSatisfyAllConditions(
            b => b.ExitCode.ShouldBe(0, b.Errors),
            b => b.Diagnostics.ShouldBeEmpty());
        infra.Template["resources"].ShouldNotBeNull();
    }

    [Fact]
    public void Lint_EveryBicepFile_HasNoDiagnostic()
    {
        CompiledInfra.BicepFiles.ShouldContain("infra/main.bicep");
        infra.Lint.ShouldSatisfyAllConditions(
            l => l.ExitCode.ShouldBe(0, l.Errors),
            l => l.Diagnostics.ShouldBeEmpty());
    }

    [Fact]
    public async Task Lint_AFileBreakingARuleTheConfigSwitchesOn_ReportsIt()
    {
        // The rules infra/bicepconfig.json adds to the defaults are in force: a hard-coded location (off by default) and an
        // unused parameter (on by default) are both reported for a file linted with that configuration.
        var directory = Directory.CreateTempSubdirectory("orderpayments-lint-");
        try
        {
            var file = Path.Combine(directory.FullName, "bad.bicep");
            await File.WriteAllTextAsync(file, "param unused string\n\nresource id 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {\n  name: 'id-bad'\n  location: 'westeurope'\n}\n");

            var lint = await BicepCli.RunAsync(directory.FullName, "lint", file, "--config", RepositoryFiles.Path("infra/bicepconfig.json"));

            lint.Errors.ShouldSatisfyAllConditions(
                e => e.ShouldContain("Warning no-unused-params"),
                e => e.ShouldContain("Warning no-hardcoded-location"));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void BicepConfig_EveryRuleTurnedOff_SaysWhyBesideIt()
    {
        var lines = File.ReadAllLines(RepositoryFiles.Path("infra/bicepconfig.json"));

        for (var i = 0; i < lines.Length; i++)
        {
            if (OffRule().Match(lines[i]) is { Success: true } off)
            {
                lines[i - 1].TrimStart().ShouldStartWith("//", customMessage: $"bicepconfig.json turns '{off.Groups[1].Value}' off without a reason on the line before");
            }
        }

        // The comments are allowed by the CLI (JSON with comments); the rest must be the JSON it reads.
        JsonNode.Parse(File.ReadAllText(RepositoryFiles.Path("infra/bicepconfig.json")), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })
            .ShouldNotBeNull();
    }

    [Fact]
    public void Modules_AreLocalFiles_NoRegistryModule()
    {
        foreach (var file in CompiledInfra.BicepFiles)
        {
            foreach (Match module in ModulePath().Matches(File.ReadAllText(RepositoryFiles.Path(file))))
            {
                var path = module.Groups[1].Value;
                path.ShouldNotStartWith("br", customMessage: $"{file} takes '{path}' from a module registry, which cannot be restored offline: declare the resources");
                File.Exists(Path.Combine(Path.GetDirectoryName(RepositoryFiles.Path(file))!, path)).ShouldBeTrue($"{file}: module {path} is not a file");
            }
        }
    }

    [Fact]
    public void Snapshot_OfTheCompiledTemplate_HasNoDiagnostic()
    {
        infra.Snapshot.ShouldSatisfyAllConditions(
            s => s.ExitCode.ShouldBe(0, s.Errors),
            s => s.Diagnostics.ShouldBeEmpty());
        infra.Predicted["diagnostics"]!.AsArray().ShouldBeEmpty();
        infra.Resources.ShouldNotBeEmpty();
    }

    [Fact]
    public void ApiVersions_EveryResource_IsPinnedToAStableVersion()
    {
        foreach (var resource in infra.Resources)
        {
            resource["apiVersion"]!.GetValue<string>().ShouldMatch(@"^\d{4}-\d{2}-\d{2}$", $"{resource["type"]} is on a preview or unpinned API version");
        }
    }

    // "        "use-recent-api-versions": { "level": "off" },"
    [GeneratedRegex(@"^\s*""([a-z0-9-]+)""\s*:\s*\{\s*""level""\s*:\s*""off""")]
    private static partial Regex OffRule();

    // "module vault 'app/keyvault.bicep' = {"
    [GeneratedRegex(@"^module \w+ '([^']+)'", RegexOptions.Multiline)]
    private static partial Regex ModulePath();
}
