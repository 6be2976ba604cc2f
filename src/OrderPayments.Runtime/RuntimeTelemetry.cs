using System.Diagnostics;

namespace OrderPayments.Runtime;

/// <summary>
/// The runtime's traces: a span per workflow step (order id, input, outcome), continuing the trace the signal was
/// recorded in, and a span per provider call (order id, action, key, outcome) as a child of the step that decided it,
/// so the HTTP call to the provider nests under it. Nothing is recorded unless a listener (OpenTelemetry) subscribes to
/// <see cref="SourceName"/>.
/// </summary>
public static class RuntimeTelemetry
{
    /// <summary>The activity source's name (add it to a tracer provider to export the runtime's spans).</summary>
    public const string SourceName = "OrderPayments.Runtime";

    internal static ActivitySource Source { get; } = new(SourceName);

    /// <summary>Starts a span continuing <paramref name="traceParent"/> (a W3C traceparent), or a new trace when there is none.</summary>
    internal static Activity? Start(string name, string? traceParent, string orderId)
    {
        var activity = ActivityContext.TryParse(traceParent, null, out var parent)
            ? Source.StartActivity(name, ActivityKind.Internal, parent)
            : Source.StartActivity(name, ActivityKind.Internal, default(ActivityContext));
        activity?.SetTag("orderpayments.order_id", orderId);
        return activity;
    }
}
