using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OrderPayments.Application.Hosting;

namespace OrderPayments.Infra.Tests;

/// <summary>
/// The Function App's settings, as the compiled template sets them, against what the app reads (<see cref="FunctionsApp"/>):
/// every setting it reads is set, nothing is set that nothing reads, storage is reached with the app's identity, and
/// every secret is a Key Vault reference to a secret the vault holds.
/// </summary>
[Collection(UsesCompiledInfra.Name)]
public sealed partial class AppSettingsTests(CompiledInfra infra)
{
    /// <summary>
    /// Settings the Functions host and worker read from the environment that a local run leaves unset (telemetry is off
    /// there, so the sample does not list them), each with what reads it.
    /// </summary>
    private static readonly Dictionary<string, string> PlatformSettings = new(StringComparer.Ordinal)
    {
        ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "the host's telemetry and the worker's exporter (FunctionsTelemetry) send to Application Insights",
        ["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"] = "the host authenticates its telemetry with the identity (the component's local auth is off)",
    };

    /// <summary>The settings of an identity-based connection (Functions: <c>{connection}__accountName</c>, …).</summary>
    private static readonly string[] IdentityConnectionSuffixes = ["__accountName", "__credential", "__clientId"];

    private static FunctionsApp App => FunctionsApp.Current;

    private JsonObject Settings => infra.AppSettings;

    public static TheoryData<string> SettingsTheAppReads()
    {
        var data = new TheoryData<string>();
        foreach (var name in FunctionsApp.Current.Settings.Order(StringComparer.Ordinal))
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SettingsTheAppReads))]
    public void AppSettings_SettingTheAppReads_IsSet(string name)
    {
        if (name == FunctionsApp.WorkerRuntime)
        {
            // Flex Consumption takes the worker runtime from functionAppConfig and refuses it as an app setting.
            Settings.ContainsKey(name).ShouldBeFalse($"{name} is set in functionAppConfig.runtime on Flex Consumption, not as an app setting");
            infra.FunctionApp["properties"]!["functionAppConfig"]!["runtime"]!["name"]!.GetValue<string>()
                .ShouldBe(App.SampleValues[name]!.GetValue<string>());
        }
        else if (App.StorageConnections.Contains(name))
        {
            IdentityConnectionSuffixes.ShouldAllBe(suffix => Settings.ContainsKey(name + suffix), $"{name} is reached with the identity ({string.Join(", ", IdentityConnectionSuffixes.Select(s => name + s))})");
        }
        else
        {
            Settings.ContainsKey(name).ShouldBeTrue($"the app reads {name} (local.settings.sample.json or host.json) but infra/app/api.bicep does not set it");
        }
    }

    [Fact]
    public void AppSettings_PlatformSettings_AreSet() =>
        PlatformSettings.Keys.ShouldAllBe(name => Settings.ContainsKey(name));

    [Fact]
    public void AppSettings_NoSettingThatNothingReads()
    {
        var read = App.Settings
            .Concat(PlatformSettings.Keys)
            .Concat(App.StorageConnections.SelectMany(c => IdentityConnectionSuffixes.Select(s => c + s)))
            .ToHashSet(StringComparer.Ordinal);

        Settings.Select(s => s.Key).Where(name => !read.Contains(name)).ShouldBeEmpty(
            "infra/app/api.bicep sets settings nothing reads (not in local.settings.sample.json, host.json, the bindings' connections or the platform's)");
    }

    [Fact]
    public void AppSettings_StorageConnections_UseTheAppsIdentityAndNoKey()
    {
        var identity = UserAssignedIdentity();

        foreach (var connection in App.StorageConnections)
        {
            Settings.ContainsKey(connection).ShouldBeFalse($"{connection} must not be a connection string (shared keys are off)");
            Text(connection + "__credential").ShouldBe("managedidentity");
            ReferencedIds(Text(connection + "__clientId")).ShouldBe([identity], $"{connection}__clientId is the client id of the app's identity");
            infra.OfType("Microsoft.Storage/storageAccounts").Select(a => a["name"]!.GetValue<string>())
                .ShouldContain(Text(connection + "__accountName"), $"{connection}__accountName names an account of the deployment");
        }

        foreach (var (name, value) in Settings)
        {
            value!.GetValue<string>().ShouldNotContain("AccountKey=", Case.Insensitive, $"{name} carries a storage key");
            value.GetValue<string>().ShouldNotContain("SharedAccessSignature=", Case.Insensitive, $"{name} carries a SAS");
        }
    }

    public static TheoryData<string> SecretSettings()
    {
        var data = new TheoryData<string>();
        foreach (var name in Secrets())
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SecretSettings))]
    public void AppSettings_Secret_IsAKeyVaultReferenceToASecretTheVaultHolds(string name)
    {
        var value = Text(name);
        var vault = infra.One("Microsoft.KeyVault/vaults");
        var vaultName = vault["name"]!.GetValue<string>();

        if (KeyVaultReference().Match(value) is { Success: true } reference)
        {
            reference.Groups["vault"].Value.ShouldBe(vaultName);
            var secret = VaultSecret(vaultName, reference.Groups["secret"].Value);
            secret["condition"].ShouldBeNull($"{name} always references {reference.Groups["secret"].Value}, so the secret must always be created");
        }
        else if (OptionalKeyVaultReference().Match(value) is { Success: true } optional)
        {
            // Set only when the secret is: the same condition creates the secret and gives the setting its reference
            // (else empty; a reference to a missing secret would reach the app as the reference's own text).
            var secret = VaultSecret(vaultName, optional.Groups["secret"].Value);
            secret["condition"]?.GetValue<string>().ShouldBe($"[{optional.Groups["condition"].Value}]", $"{name} must reference its secret exactly when the secret is created");
        }
        else
        {
            throw new ShouldAssertException($"{name} is a secret but its value is not a Key Vault reference: {value}");
        }
    }

    [Fact]
    public void SampleSettings_EveryNameThatLooksSecret_IsAKnownSecret()
    {
        // A new secret setting must join HostSettings' secret lists, so that it is kept out of logs and tested above.
        var secrets = Secrets().ToHashSet(StringComparer.Ordinal);

        App.SampleValues.Select(v => v.Key)
            .Where(name => SecretLike().IsMatch(name) && !App.StorageConnections.Contains(name))
            .ShouldAllBe(name => secrets.Contains(name));
    }

    [Fact]
    public void AppSettings_TaskHubName_IsAValidAzureStorageTaskHubName()
    {
        var hub = App.HostJson["extensions"]!["durableTask"]!["hubName"]!.GetValue<string>();
        var setting = HubReference().Match(hub);
        setting.Success.ShouldBeTrue("host.json takes the task hub name from an app setting (%NAME%)");

        // Azure Storage task hubs: 3 to 45 letters and digits, starting with a letter.
        Text(setting.Groups[1].Value).ShouldMatch("^[A-Za-z][A-Za-z0-9]{2,44}$");
    }

    [Fact]
    public void FunctionApp_OnFlexConsumption_WithTheUserAssignedIdentityForKeyVaultAndHttpsOnly()
    {
        var app = infra.FunctionApp;
        var plan = infra.ById(app["properties"]!["serverFarmId"]!.GetValue<string>()).ShouldNotBeNull("the app's plan is in the deployment");

        plan["sku"]!["tier"]!.GetValue<string>().ShouldBe("FlexConsumption");
        app["properties"]!["httpsOnly"]!.GetValue<bool>().ShouldBeTrue();
        app["properties"]!["keyVaultReferenceIdentity"]!.GetValue<string>().ShouldBe(UserAssignedIdentity());
        app["properties"]!["siteConfig"]!["minTlsVersion"]!.GetValue<string>().ShouldBe("1.2");
        app["properties"]!["functionAppConfig"]!["deployment"]!["storage"]!["authentication"]!["userAssignedIdentityResourceId"]!.GetValue<string>()
            .ShouldBe(UserAssignedIdentity());
    }

    /// <summary>The secret settings: HostSettings' secret lists, as the flat names app settings use.</summary>
    private static IEnumerable<string> Secrets() =>
        HostSettings.VippsSecretKeys.Select(HostSettings.Flat).Concat(HostSettings.PayExSecretKeys.Select(HostSettings.PayExFlat));

    /// <summary>The id of the app's one user-assigned identity.</summary>
    private string UserAssignedIdentity() =>
        infra.FunctionApp["identity"]!["userAssignedIdentities"]!.AsObject().ShouldHaveSingleItem().Key;

    private JsonObject VaultSecret(string vault, string secret) =>
        infra.OfType("Microsoft.KeyVault/vaults/secrets").SingleOrDefault(s => s["name"]!.GetValue<string>() == $"{vault}/{secret}")
        ?? throw new ShouldAssertException($"Key Vault {vault} has no secret {secret}");

    private string Text(string setting) =>
        Settings[setting]?.GetValue<string>() ?? throw new ShouldAssertException($"{setting} is not set");

    /// <summary>The resource ids an unevaluated expression reads with <c>reference('…')</c>.</summary>
    internal static IReadOnlyList<string> ReferencedIds(string expression) =>
        [.. Reference().Matches(expression).Select(m => m.Groups[1].Value).Distinct(StringComparer.OrdinalIgnoreCase)];

    [GeneratedRegex(@"^@Microsoft\.KeyVault\(VaultName=(?<vault>[^;]+);SecretName=(?<secret>[a-z0-9-]+)\)$")]
    private static partial Regex KeyVaultReference();

    // What the snapshot leaves of a reference that depends on a secure parameter: [if(<condition>, format('@Microsoft.KeyVault(VaultName={0};SecretName=<name>)', <vault>), '')]
    [GeneratedRegex(@"^\[if\((?<condition>.+), format\('@Microsoft\.KeyVault\(VaultName=\{0\};SecretName=(?<secret>[a-z0-9-]+)\)', [^()]+\('[A-Za-z]+'\)\), ''\)\]$")]
    private static partial Regex OptionalKeyVaultReference();

    [GeneratedRegex(@"reference\('([^']+)'")]
    private static partial Regex Reference();

    [GeneratedRegex(@"^%([A-Za-z0-9_]+)%$")]
    private static partial Regex HubReference();

    [GeneratedRegex("(Secret|Key|Token|Password)$", RegexOptions.IgnoreCase)]
    private static partial Regex SecretLike();
}
