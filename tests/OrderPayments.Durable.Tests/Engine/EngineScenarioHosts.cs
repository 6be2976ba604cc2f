using OrderPayments.Api.Tests;

namespace OrderPayments.Durable.Tests.Engine;

/// <summary>The scenarios on the embedded runtime (SQLite), the reference the Durable engines must agree with.</summary>
public sealed class EmbeddedRuntimeScenarios : EngineStressScenarios
{
    private protected override IApiEngine? CreateEngine() => null;
}

/// <summary>The scenarios on the Durable Task engine with the SDK's in-memory backend (the inbox table on Azurite).</summary>
public sealed class InMemoryEngineScenarios(Azurite azurite) : EngineStressScenarios, IClassFixture<Azurite>
{
    private protected override IApiEngine? CreateEngine() => new DurableApiEngine(DurableBackend.InMemory, azurite.ConnectionString);
}

/// <summary>The scenarios on the Durable Task engine with the Azure Storage backend over Azurite.</summary>
public sealed class AzureStorageEngineScenarios(Azurite azurite) : EngineStressScenarios, IClassFixture<Azurite>
{
    private protected override IApiEngine? CreateEngine() => new DurableApiEngine(DurableBackend.AzureStorage, azurite.ConnectionString);
}
