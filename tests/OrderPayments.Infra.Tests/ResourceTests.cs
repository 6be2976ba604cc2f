namespace OrderPayments.Infra.Tests;

/// <summary>The queues the bindings use exist, and the resources keep to identity-only access (no shared keys, no local auth).</summary>
[Collection(UsesCompiledInfra.Name)]
public sealed class ResourceTests(CompiledInfra infra)
{
    private static FunctionsApp App => FunctionsApp.Current;

    [Fact]
    public void Queues_EveryQueueTheBindingsUse_IsDeclaredInTheAccountOfItsConnection()
    {
        App.Queues.ShouldNotBeEmpty();

        foreach (var (queue, connection) in App.Queues)
        {
            var account = infra.AppSettings[connection + "__accountName"]!.GetValue<string>();
            infra.OfType("Microsoft.Storage/storageAccounts/queueServices/queues").Select(q => q["name"]!.GetValue<string>())
                .ShouldContain($"{account}/default/{queue}", $"the bindings use queue '{queue}' on {connection}; declare it in infra/app/storage.bicep");
        }
    }

    [Fact]
    public void Queues_NoneDeclaredThatNoBindingUses()
    {
        var used = App.Queues.Select(q => q.Queue).ToHashSet(StringComparer.Ordinal);

        infra.OfType("Microsoft.Storage/storageAccounts/queueServices/queues")
            .Select(q => q["name"]!.GetValue<string>().Split('/')[^1])
            .Where(q => !used.Contains(q))
            .ShouldBeEmpty("queues no binding of functions.metadata uses");
    }

    [Fact]
    public void StorageAccount_AllowsNoSharedKeyNorPublicBlobsAndOnlyHttps()
    {
        var account = infra.One("Microsoft.Storage/storageAccounts")["properties"]!;

        account["allowSharedKeyAccess"]!.GetValue<bool>().ShouldBeFalse();
        account["allowBlobPublicAccess"]!.GetValue<bool>().ShouldBeFalse();
        account["supportsHttpsTrafficOnly"]!.GetValue<bool>().ShouldBeTrue();
        account["minimumTlsVersion"]!.GetValue<string>().ShouldBe("TLS1_2");
    }

    [Fact]
    public void KeyVault_UsesRbacAndKeepsDeletedSecrets()
    {
        var vault = infra.One("Microsoft.KeyVault/vaults")["properties"]!;

        vault["enableRbacAuthorization"]!.GetValue<bool>().ShouldBeTrue();
        vault["enablePurgeProtection"]!.GetValue<bool>().ShouldBeTrue();
        vault["accessPolicies"].ShouldBeNull();
    }

    [Fact]
    public void ApplicationInsights_TakesOnlyAuthenticatedTelemetry() =>
        infra.One("Microsoft.Insights/components")["properties"]!["DisableLocalAuth"]!.GetValue<bool>().ShouldBeTrue();
}
