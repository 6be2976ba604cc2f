using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using OrderPayments.Runtime;

namespace OrderPayments.Api;

/// <summary>
/// OpenTelemetry for the self-hosted API: traces of incoming requests, workflow steps and provider calls (each call's
/// span a child of the step that decided it, the HTTP call to the provider a child of that), and the runtime's metrics
/// with ASP.NET Core's and HttpClient's. Exported over OTLP when the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set
/// (with the other standard <c>OTEL_*</c> variables); nothing is set up when it is not.
/// </summary>
public static class ApiTelemetry
{
    /// <summary>The service name in the exported resource (override with <c>OTEL_SERVICE_NAME</c>).</summary>
    public const string ServiceName = "orderpayments-api";

    /// <summary>The API's sources and instrumentations on a tracer provider.</summary>
    public static TracerProviderBuilder Tracing(TracerProviderBuilder tracing) =>
        tracing.AddSource(RuntimeTelemetry.SourceName).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();

    /// <summary>The API's meters and instrumentations on a meter provider.</summary>
    public static MeterProviderBuilder Metrics(MeterProviderBuilder metrics) =>
        metrics.AddMeter(RuntimeMetrics.MeterName).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();

    /// <summary>Exports traces and metrics over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; otherwise does nothing.</summary>
    /// <returns>Whether telemetry was set up.</returns>
    internal static bool AddWhenConfigured(IServiceCollection services, IConfiguration configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            return false;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithTracing(tracing => Tracing(tracing))
            .WithMetrics(metrics => Metrics(metrics))
            .UseOtlpExporter();
        return true;
    }
}
