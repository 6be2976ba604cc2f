using Azure.Core;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace OrderPayments.Functions;

/// <summary>
/// The Functions worker's telemetry: the worker's OpenTelemetry integration (function invocations, with the host's
/// spans as parents), outgoing HTTP calls to the providers, exported to Application Insights when
/// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set and over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is.
/// </summary>
internal static class FunctionsTelemetry
{
    /// <summary>The service name in the exported resource.</summary>
    public const string ServiceName = "orderpayments-functions";

    /// <summary>Sets up telemetry when an exporter is configured; otherwise nothing.</summary>
    /// <returns>Whether telemetry was set up.</returns>
    public static bool AddWhenConfigured(IServiceCollection services, IConfiguration configuration)
    {
        var applicationInsights = configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"] is { Length: > 0 } connection ? connection : null;
        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        if (applicationInsights is null && !otlp)
        {
            return false;
        }

        var telemetry = services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithTracing(tracing =>
            {
                tracing.AddHttpClientInstrumentation();
                if (applicationInsights is not null)
                {
                    tracing.AddAzureMonitorTraceExporter(options =>
                    {
                        options.ConnectionString = applicationInsights;
                        options.Credential = Credential(configuration);
                    });
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddHttpClientInstrumentation();
                if (applicationInsights is not null)
                {
                    metrics.AddAzureMonitorMetricExporter(options =>
                    {
                        options.ConnectionString = applicationInsights;
                        options.Credential = Credential(configuration);
                    });
                }
            });
        if (otlp)
        {
            telemetry.UseOtlpExporter();
        }

        return true;
    }

    /// <summary>
    /// The identity the exporter authenticates with when Application Insights takes Entra ID only (local authentication
    /// off, as infra/ sets it): the user-assigned identity of <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c>
    /// (<c>ClientId=…;Authorization=AAD</c>), which the exporter does not read itself; null without that setting.
    /// </summary>
    internal static TokenCredential? Credential(IConfiguration configuration)
    {
        var parts = (configuration["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"] ?? "")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.OrdinalIgnoreCase);
        return parts.TryGetValue("Authorization", out var authorization) && string.Equals(authorization, "AAD", StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(parts.TryGetValue("ClientId", out var clientId) ? ManagedIdentityId.FromUserAssignedClientId(clientId) : ManagedIdentityId.SystemAssigned)
            : null;
    }
}
