using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OrderPayments.Infra.Tests;

/// <summary>
/// Each role assignment is the least the app needs: the roles each binding and use of a resource needs (Microsoft's
/// documented roles for identity-based connections), reduced to the fewest that grant them, at the scope of that
/// resource, and nothing else.
/// </summary>
[Collection(UsesCompiledInfra.Name)]
public sealed partial class RoleAssignmentTests(CompiledInfra infra)
{
    private static FunctionsApp App => FunctionsApp.Current;

    [Fact]
    public void RoleAssignments_TheAppsIdentity_HasExactlyTheLeastRolesWhatItUsesNeeds()
    {
        var needs = Needs().ToList();
        var expected = needs.GroupBy(n => n.Scope, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => AzureRole.Least(g.Select(n => n.Role)), StringComparer.OrdinalIgnoreCase);
        var actual = Assignments(AppPrincipal())
            .GroupBy(a => a.Scope, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => (IReadOnlySet<AzureRole>)g.Select(a => a.Role).ToHashSet(), StringComparer.OrdinalIgnoreCase);

        var why = string.Join("\n", needs.Select(n => $"  {n.Role} on {n.Scope.Split('/')[^1]}: {n.For}"));
        actual.Keys.ShouldBe(expected.Keys, ignoreOrder: true, $"scopes with roles; needed:\n{why}");
        foreach (var (scope, roles) in expected)
        {
            actual[scope].ShouldBe(roles, ignoreOrder: true, $"roles on {scope}; needed:\n{why}");
        }
    }

    [Fact]
    public void RoleAssignments_TheDeployingUser_GetsNoMoreThanTheAppOnStorage()
    {
        var app = Assignments(AppPrincipal()).Where(a => a.Role.Name.StartsWith("Storage", StringComparison.Ordinal)).ToHashSet();
        var user = Assignments(CompiledInfra.UserPrincipalId).ToList();

        user.ShouldNotBeEmpty("principalId was given: the user can run the app locally against the deployment's storage");
        user.ShouldAllBe(a => app.Contains(a));
        RoleAssignment(CompiledInfra.UserPrincipalId).ShouldAllBe(r => r["properties"]!["principalType"]!.GetValue<string>() == "User");
        RoleAssignment(AppPrincipal()).ShouldAllBe(r => r["properties"]!["principalType"]!.GetValue<string>() == "ServicePrincipal");
    }

    [Fact]
    public void RbacBicep_EveryRoleId_IsNamedInTheCommentAboveIt()
    {
        var lines = File.ReadAllLines(RepositoryFiles.Path("infra/app/rbac.bicep"));

        for (var i = 0; i < lines.Length; i++)
        {
            if (RoleId().Match(lines[i]) is { Success: true } id)
            {
                var role = AzureRole.ById(id.Groups[1].Value);
                Enumerable.Range(0, i).Reverse().Select(j => lines[j]).TakeWhile(l => l.TrimStart().StartsWith("//", StringComparison.Ordinal))
                    .ShouldContain(l => l.Contains($"// {role.Name}:", StringComparison.Ordinal), $"role id on line {i + 1} is {role.Name}: say so in the comment above it");
            }
        }
    }

    /// <summary>What the app does with each resource, and the role that allows it.</summary>
    private IEnumerable<RoleNeed> Needs()
    {
        var settings = infra.AppSettings;
        string Account(string connection) => AccountId(settings[connection + "__accountName"]!.GetValue<string>());

        yield return new("the Functions host's storage: host keys, timer schedules, singleton leases", Account(FunctionsApp.HostStorage), AzureRole.StorageBlobDataOwner);

        var deployment = infra.FunctionApp["properties"]!["functionAppConfig"]!["deployment"]!["storage"]!["value"]!.GetValue<string>();
        foreach (var account in AppSettingsTests.ReferencedIds(deployment))
        {
            yield return new("Flex Consumption reads the deployment package from its blob container", account, AzureRole.StorageBlobDataContributor);
        }

        foreach (var (function, binding) in App.Bindings)
        {
            var connection = binding["connection"]?.GetValue<string>() is { Length: > 0 } c ? c : FunctionsApp.HostStorage;
            switch (FunctionsApp.Type(binding))
            {
                case "queueTrigger":
                    // Reader + Message Processor read and delete; a message that keeps failing is moved to the -poison
                    // queue, which the host creates on first use and sends to: that takes the Contributor role.
                    yield return new($"{function}: queue trigger on '{binding["queueName"]}' (read, delete, create and write its -poison queue)", Account(connection), AzureRole.StorageQueueDataContributor);
                    break;
                case "queue":
                    yield return new($"{function}: queue output to '{binding["queueName"]}' (send; the queue is declared)", Account(connection), AzureRole.StorageQueueDataMessageSender);
                    break;
                case "blob" or "blobTrigger" or "table":
                    throw new ShouldAssertException($"{function} has a {FunctionsApp.Type(binding)} binding: name the role it needs here");
            }
        }

        if (App.UsesDurable)
        {
            App.DurableStorageProvider.ShouldBe("AzureStorage", "the roles below are the Azure Storage provider's; another provider needs its own");
            var account = Account(App.StorageConnections.Single(c => c == FunctionsApp.HostStorage));
            const string durable = "Durable Functions' task hub (Azure Storage provider)";
            yield return new($"{durable}: leases and large messages in blobs", account, AzureRole.StorageBlobDataContributor);
            yield return new($"{durable}: control and work-item queues, created by the extension", account, AzureRole.StorageQueueDataContributor);
            yield return new($"{durable}: instances and history tables, created by the extension", account, AzureRole.StorageTableDataContributor);
        }

        if (App.UsesTables)
        {
            yield return new("the app's own tables (Azure.Data.Tables: signal inbox, storefront notifications), created on first use", Account(FunctionsApp.HostStorage), AzureRole.StorageTableDataContributor);
        }

        if (settings.Any(s => s.Value!.GetValue<string>().Contains("@Microsoft.KeyVault(", StringComparison.Ordinal)))
        {
            yield return new("Key Vault references in the app settings", infra.One("Microsoft.KeyVault/vaults")["id"]!.GetValue<string>(), AzureRole.KeyVaultSecretsUser);
        }

        if (settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]?.GetValue<string>().Contains("Authorization=AAD", StringComparison.Ordinal) == true)
        {
            var component = AppSettingsTests.ReferencedIds(settings["APPLICATIONINSIGHTS_CONNECTION_STRING"]!.GetValue<string>()).ShouldHaveSingleItem();
            yield return new("telemetry to Application Insights with the identity", component, AzureRole.MonitoringMetricsPublisher);
        }
    }

    private string AccountId(string name) =>
        infra.OfType("Microsoft.Storage/storageAccounts").Single(a => a["name"]!.GetValue<string>() == name)["id"]!.GetValue<string>();

    /// <summary>The app identity's principal id as the snapshot leaves it: <c>[reference('&lt;identity id&gt;', …).principalId]</c>.</summary>
    private string AppPrincipal()
    {
        var identity = infra.FunctionApp["identity"]!["userAssignedIdentities"]!.AsObject().ShouldHaveSingleItem().Key;
        return RoleAssignment(null).Select(r => r["properties"]!["principalId"]!.GetValue<string>())
            .Distinct(StringComparer.Ordinal)
            .Single(p => AppSettingsTests.ReferencedIds(p).SequenceEqual([identity]) && p.EndsWith(".principalId]", StringComparison.Ordinal));
    }

    private IEnumerable<JsonObject> RoleAssignment(string? principal) =>
        infra.OfType("Microsoft.Authorization/roleAssignments")
            .Where(r => principal is null || r["properties"]!["principalId"]!.GetValue<string>() == principal);

    private IEnumerable<Assignment> Assignments(string principal) =>
        RoleAssignment(principal).Select(r =>
        {
            var id = r["id"]!.GetValue<string>();
            var scope = id[..id.IndexOf("/providers/Microsoft.Authorization/roleAssignments/", StringComparison.OrdinalIgnoreCase)];
            return new Assignment(scope, AzureRole.ById(r["properties"]!["roleDefinitionId"]!.GetValue<string>().Split('/')[^1]));
        });

    [GeneratedRegex(@"'([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})'")]
    private static partial Regex RoleId();

    private sealed record RoleNeed(string For, string Scope, AzureRole Role);

    private sealed record Assignment(string Scope, AzureRole Role);
}
