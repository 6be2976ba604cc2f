using OrderPayments.Api.Tests;
using OrderPayments.Durable.Tests.Engine;

namespace OrderPayments.Functions.Tests.Host;

/// <summary>
/// The cross-engine scenarios on the Functions app itself: its HTTP functions in front of the API host's routes, its
/// orchestrator and activities on the Durable Task engine over the Azure Storage backend (Azurite), its timers on a
/// short schedule, every function class created by the worker's activator (<see cref="FunctionsEngine"/>). The same
/// expected value as on the embedded runtime and the Durable engines behind the API. The contract scenarios only: the
/// ones under load and faults (EngineStressScenarios) run on the same interpreter behind the API, through the same
/// client and activities, where they take a fraction of the time.
/// </summary>
public sealed class FunctionsHostScenarios(Azurite azurite) : EngineScenarios, IClassFixture<Azurite>
{
    private protected override IApiEngine? CreateEngine() => new FunctionsEngine(azurite.ConnectionString);
}
