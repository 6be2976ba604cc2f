using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OrderPayments.Application.Hosting;

namespace OrderPayments.Application.Tests.Hosting;

/// <summary>The Bicep templates give the Functions app every setting it reads (no Azure access needed to check).</summary>
public sealed partial class InfrastructureTests
{
    private static string Bicep(string file) => File.ReadAllText(RepositoryFiles.Path(Path.Combine("infra", file)));

    private static HashSet<string> AppSettingNames() =>
        [.. SettingKey().Matches(Bicep("app/api.bicep")).Select(m => m.Groups[1].Value)];

    [Theory]
    [InlineData("main.parameters.json")]
    [InlineData("abbreviations.json")]
    public void JsonFiles_Parse(string file) =>
        JsonNode.Parse(File.ReadAllText(RepositoryFiles.Path(Path.Combine("infra", file)))).ShouldNotBeNull();

    [Fact]
    public void AppSettings_ProvideEverySettingTheFunctionsAppReads()
    {
        var settings = AppSettingNames();
        var api = Bicep("app/api.bicep");

        foreach (var name in HostSettings.FunctionsApp)
        {
            var provided = name switch
            {
                // Identity-based connection: the account name (and credential) instead of a connection string.
                HostSettings.AzureWebJobsStorage => settings.Contains("AzureWebJobsStorage__accountName") && settings.Contains("AzureWebJobsStorage__credential"),
                // Flex Consumption sets the worker runtime in functionAppConfig, not as an app setting.
                HostSettings.FunctionsWorkerRuntime => api.Contains("name: 'dotnet-isolated'", StringComparison.Ordinal),
                _ => settings.Contains(name),
            };
            provided.ShouldBeTrue($"{name} is not set by infra/app/api.bicep");
        }
    }

    [Fact]
    public void AppSettings_SecretsAreKeyVaultReferences()
    {
        var api = Bicep("app/api.bicep");

        foreach (var secret in HostSettings.VippsSecretKeys.Select(HostSettings.Flat).Concat(HostSettings.PayExSecretKeys.Select(HostSettings.PayExFlat)))
        {
            // Either the reference itself, or a variable that holds one.
            var value = Regex.Match(api, $@"^\s+{secret}: (.+)$", RegexOptions.Multiline).Groups[1].Value.Trim();
            var reference = value.StartsWith('\'') ? value : Regex.Match(api, $@"^var {value} = (.+)$", RegexOptions.Multiline).Groups[1].Value;
            reference.ShouldContain("@Microsoft.KeyVault(SecretUri=", customMessage: $"{secret} must come from Key Vault");
        }
    }

    [Fact]
    public void Storage_HasTheAppsQueuesAndNoSharedKeys()
    {
        var storage = Bicep("app/storage.bicep");

        storage.ShouldContain("name: 'payment-notifications'");
        storage.ShouldContain("name: 'order-fulfillments'");
        storage.ShouldContain("allowSharedKeyAccess: false");
    }

    [Fact]
    public void MainParameters_CoverEveryRequiredParameter()
    {
        var parameters = JsonNode.Parse(File.ReadAllText(RepositoryFiles.Path("infra/main.parameters.json")))!["parameters"]!.AsObject();
        var required = RequiredParameter().Matches(Bicep("main.bicep")).Select(m => m.Groups[1].Value).ToList();

        required.ShouldNotBeEmpty();
        required.ShouldBeSubsetOf(parameters.Select(p => p.Key));
    }

    [Fact]
    public void Rbac_EveryRoleIdIsNamedInAComment()
    {
        var lines = Bicep("app/rbac.bicep").Split('\n');

        for (var i = 0; i < lines.Length; i++)
        {
            if (RoleId().IsMatch(lines[i]))
            {
                lines[i - 1].TrimStart().ShouldStartWith("//", customMessage: $"role id on line {i + 1} needs a comment naming it");
            }
        }
    }

    [Fact]
    public void AzureYaml_PointsAtTheFunctionsProject() =>
        File.ReadAllText(RepositoryFiles.Path("azure.yaml")).ShouldContain("project: ./src/OrderPayments.Functions/");

    // "      Vipps__ClientId: vippsClientId" inside the appsettings block.
    [GeneratedRegex(@"^\s{6}([A-Za-z_][A-Za-z0-9_]*): ", RegexOptions.Multiline)]
    private static partial Regex SettingKey();

    // "param name type" without "= default" (and not @secure-only defaults).
    [GeneratedRegex(@"^param (\w+) \w+\s*$", RegexOptions.Multiline)]
    private static partial Regex RequiredParameter();

    [GeneratedRegex(@"^var \w+ = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'")]
    private static partial Regex RoleId();
}
