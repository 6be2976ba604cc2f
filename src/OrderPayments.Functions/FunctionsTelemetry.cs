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
                    tracing.AddAzureMonitorTraceExporter(options => options.ConnectionString = applicationInsights);
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddHttpClientInstrumentation();
                if (applicationInsights is not null)
                {
                    metrics.AddAzureMonitorMetricExporter(options => options.ConnectionString = applicationInsights);
                }
            });
        if (otlp)
        {
            telemetry.UseOtlpExporter();
        }

        return true;
    }
}
