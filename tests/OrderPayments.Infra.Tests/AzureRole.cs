namespace OrderPayments.Infra.Tests;

/// <summary>An Azure built-in role: its name and its role definition id (the same in every subscription).</summary>
/// <param name="Name">The role's name as Azure lists it.</param>
/// <param name="Id">The role definition's id.</param>
internal sealed record AzureRole(string Name, string Id)
{
    public static readonly AzureRole StorageBlobDataOwner = new("Storage Blob Data Owner", "b7e6dc6d-f1e8-4753-8033-0f276bb0955b");
    public static readonly AzureRole StorageBlobDataContributor = new("Storage Blob Data Contributor", "ba92f5b4-2d11-453d-a403-e96b0029c9fe");
    public static readonly AzureRole StorageQueueDataContributor = new("Storage Queue Data Contributor", "974c5e8b-45b9-4653-ba55-5f855dd0fb88");
    public static readonly AzureRole StorageQueueDataReader = new("Storage Queue Data Reader", "19e7f393-937e-4f77-808e-94535e297925");
    public static readonly AzureRole StorageQueueDataMessageProcessor = new("Storage Queue Data Message Processor", "8a0f0c08-91a1-4084-bc3d-661d67233fed");
    public static readonly AzureRole StorageQueueDataMessageSender = new("Storage Queue Data Message Sender", "c6a89b2d-59bc-44d0-9896-0f6e12d7b80a");
    public static readonly AzureRole StorageTableDataContributor = new("Storage Table Data Contributor", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3");
    public static readonly AzureRole KeyVaultSecretsUser = new("Key Vault Secrets User", "4633458b-17de-408a-b874-0445c86b69e6");
    public static readonly AzureRole MonitoringMetricsPublisher = new("Monitoring Metrics Publisher", "3913510d-42f4-4e42-8a64-420c390055eb");

    /// <summary>Every role these tests know.</summary>
    public static IReadOnlyList<AzureRole> All { get; } =
    [
        StorageBlobDataOwner, StorageBlobDataContributor, StorageQueueDataContributor, StorageQueueDataReader,
        StorageQueueDataMessageProcessor, StorageQueueDataMessageSender, StorageTableDataContributor, KeyVaultSecretsUser,
        MonitoringMetricsPublisher,
    ];

    /// <summary>Pairs (larger, smaller) where the larger role's data actions include all of the smaller's.</summary>
    private static readonly HashSet<(AzureRole, AzureRole)> Inclusions =
    [
        (StorageBlobDataOwner, StorageBlobDataContributor),
        (StorageQueueDataContributor, StorageQueueDataReader),
        (StorageQueueDataContributor, StorageQueueDataMessageProcessor),
        (StorageQueueDataContributor, StorageQueueDataMessageSender),
    ];

    /// <summary>The role with this definition id.</summary>
    public static AzureRole ById(string id) =>
        All.SingleOrDefault(r => string.Equals(r.Id, id, StringComparison.OrdinalIgnoreCase))
        ?? throw new InvalidOperationException($"Role definition {id} is none these tests know: name it in {nameof(AzureRole)} with what it allows.");

    /// <summary>The fewest roles that grant everything <paramref name="needed"/> grants (a role included in another is dropped).</summary>
    public static IReadOnlySet<AzureRole> Least(IEnumerable<AzureRole> needed)
    {
        var set = needed.ToHashSet();
        return set.Where(r => !set.Any(other => other != r && Inclusions.Contains((other, r)))).ToHashSet();
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
