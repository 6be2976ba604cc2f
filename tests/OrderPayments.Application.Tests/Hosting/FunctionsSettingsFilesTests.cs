using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OrderPayments.Application.Hosting;

namespace OrderPayments.Application.Tests.Hosting;

public sealed partial class FunctionsSettingsFilesTests
{
    private static JsonNode Read(string file) =>
        JsonNode.Parse(File.ReadAllText(RepositoryFiles.Path(file)))
        ?? throw new InvalidOperationException($"{file} is empty.");

    private static JsonObject SampleValues() => Read("local.settings.sample.json")["Values"]!.AsObject();

    [Fact]
    public void HostJson_IsTheVersion2Schema() => Read("host.json")["version"]!.GetValue<string>().ShouldBe("2.0");

    [Fact]
    public void HostJson_TaskHubName_ComesFromTheAppSetting() =>
        Read("host.json")["extensions"]!["durableTask"]!["hubName"]!.GetValue<string>().ShouldBe($"%{HostSettings.TaskHubName}%");

    [Fact]
    public void HostJson_DurableTaskConcurrency_IsBounded()
    {
        var durable = Read("host.json")["extensions"]!["durableTask"]!;

        durable["maxConcurrentActivityFunctions"]!.GetValue<int>().ShouldBeInRange(1, 100);
        durable["maxConcurrentOrchestratorFunctions"]!.GetValue<int>().ShouldBeInRange(1, 100);
    }

    [Fact]
    public void HostJson_EverySettingItReferences_IsInTheSample()
    {
        var referenced = SettingReference().Matches(File.ReadAllText(RepositoryFiles.Path("host.json"))).Select(m => m.Groups[1].Value);

        referenced.ToList().ShouldSatisfyAllConditions(
            r => r.ShouldNotBeEmpty(),
            r => r.ShouldBeSubsetOf(SampleValues().Select(p => p.Key)));
    }

    [Fact]
    public void LocalSettingsSample_HasEverySettingTheFunctionsAppReads() =>
        HostSettings.FunctionsApp.ShouldBeSubsetOf(SampleValues().Select(p => p.Key));

    [Fact]
    public void LocalSettingsSample_UsesAzuriteAndTheIsolatedWorker()
    {
        var values = SampleValues();

        values[HostSettings.AzureWebJobsStorage]!.GetValue<string>().ShouldBe("UseDevelopmentStorage=true");
        values[HostSettings.FunctionsWorkerRuntime]!.GetValue<string>().ShouldBe("dotnet-isolated");
    }

    [Fact]
    public void LocalSettingsSample_Secrets_ArePlaceholdersOnly()
    {
        var values = SampleValues();

        foreach (var key in HostSettings.VippsSecretKeys.Append("ClientId").Append("MerchantSerialNumber"))
        {
            values[HostSettings.Flat(key)]!.GetValue<string>().ShouldMatch("^<[a-z0-9-]+>$", $"{key} must be a named placeholder");
        }
    }

    [Fact]
    public void LocalSettingsJson_IsNotCheckedIn() =>
        File.ReadAllText(RepositoryFiles.Path(".gitignore")).ShouldContain("local.settings.json");

    [GeneratedRegex("%([A-Za-z0-9_]+)%")]
    private static partial Regex SettingReference();
}
