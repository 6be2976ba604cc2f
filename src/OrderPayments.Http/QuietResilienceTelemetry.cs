using Microsoft.Extensions.Options;
using Polly.Telemetry;

namespace OrderPayments.Http;

/// <summary>
/// Keeps the provider clients' resilience telemetry quiet while calls succeed: Polly reports each call's attempts and
/// the pipeline's execution, a successful one at Information: two log entries per provider call, several per order at
/// the default levels. Those are reported at Debug instead. Nothing else changes: a failed attempt (Warning), a retry
/// (Warning), a timeout (Error), a failed execution, and the circuit opening (Error), half-opening (Warning) and closing
/// (Information) keep their levels, and the metrics still count every attempt and execution.
/// </summary>
internal sealed class QuietResilienceTelemetry : IConfigureOptions<TelemetryOptions>
{
    /// <summary>The events Polly reports for every call: each attempt, and the pipeline's execution as a whole.</summary>
    private static readonly HashSet<string> EveryCall = new(StringComparer.Ordinal) { "ExecutionAttempt", "PipelineExecuted" };

    public void Configure(TelemetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var previous = options.SeverityProvider;
        options.SeverityProvider = args =>
        {
            var severity = previous?.Invoke(args) ?? args.Event.Severity;
            return severity == ResilienceEventSeverity.Information && EveryCall.Contains(args.Event.EventName)
                ? ResilienceEventSeverity.Debug
                : severity;
        };
    }
}
