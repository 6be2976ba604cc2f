using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace OrderPayments.Functions.Tests.Hosting;

/// <summary>The worker's telemetry: set up with an exporter to send to, absent without one; the host emits OpenTelemetry too.</summary>
public sealed class FunctionsTelemetryTests
{
    [Fact]
    public void AddWhenConfigured_ApplicationInsightsConnectionString_RegistersTheTracerProvider()
    {
        var services = new ServiceCollection();

        var added = FunctionsTelemetry.AddWhenConfigured(services, Configuration(("APPLICATIONINSIGHTS_CONNECTION_STRING", "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://localhost/")));

        added.ShouldBeTrue();
        using var provider = services.BuildServiceProvider();
        provider.GetService<TracerProvider>().ShouldNotBeNull();
    }

    [Fact]
    public void AddWhenConfigured_NoExporterConfigured_SetsUpNothing()
    {
        var services = new ServiceCollection();

        FunctionsTelemetry.AddWhenConfigured(services, Configuration()).ShouldBeFalse();

        using var provider = services.BuildServiceProvider();
        provider.GetService<TracerProvider>().ShouldBeNull();
    }

    [Fact]
    public void Credential_EntraIdAuthenticationString_IsTheUserAssignedIdentity() =>
        FunctionsTelemetry.Credential(Configuration(("APPLICATIONINSIGHTS_AUTHENTICATION_STRING", "ClientId=11111111-2222-3333-4444-555555555555;Authorization=AAD")))
            .ShouldBeOfType<Azure.Identity.ManagedIdentityCredential>();

    [Fact]
    public void Credential_NoAuthenticationString_IsNone() =>
        FunctionsTelemetry.Credential(Configuration()).ShouldBeNull();

    [Fact]
    public void HostJson_TelemetryMode_IsOpenTelemetry() =>
        System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(RepositoryFiles.Path("host.json")))!["telemetryMode"]!.GetValue<string>().ShouldBe("OpenTelemetry");

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();
}
