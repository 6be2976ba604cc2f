using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using OrderPayments.Application.Payments;
using OrderPayments.Domain.Serialization;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Functions;

/// <summary>
/// One activity per provider call, each a thin call into the shared <see cref="PaymentActivities"/> with the
/// workflow's idempotency key. A permanent refusal comes back as <see cref="ActivityFailed"/> (the workflow records a
/// problem); a transient failure throws, so the orchestrator's retry policy runs the same call again.
/// </summary>
public sealed class PaymentActivityFunctions
{
    private readonly PaymentActivities _activities;

    /// <summary>Creates the activities over the registered providers.</summary>
    public PaymentActivityFunctions(PaymentActivities activities) => _activities = activities;

    /// <summary>Creates the payment.</summary>
    [Function(nameof(CreatePayment))]
    public Task<string> CreatePayment([ActivityTrigger] string request, FunctionContext context) => RunAsync(request, context);

    /// <summary>Reads the payment.</summary>
    [Function(nameof(QueryPayment))]
    public Task<string> QueryPayment([ActivityTrigger] string request, FunctionContext context) => RunAsync(request, context);

    /// <summary>Captures for a shipment.</summary>
    [Function(nameof(CapturePayment))]
    public Task<string> CapturePayment([ActivityTrigger] string request, FunctionContext context) => RunAsync(request, context);

    /// <summary>Cancels, or releases the rest of the reservation.</summary>
    [Function(nameof(CancelPayment))]
    public Task<string> CancelPayment([ActivityTrigger] string request, FunctionContext context) => RunAsync(request, context);

    /// <summary>Refunds.</summary>
    [Function(nameof(RefundPayment))]
    public Task<string> RefundPayment([ActivityTrigger] string request, FunctionContext context) => RunAsync(request, context);

    /// <summary>Aborts a payment that is not authorized.</summary>
    [Function(nameof(AbortPayment))]
    public Task<string> AbortPayment([ActivityTrigger] string request, FunctionContext context) => RunAsync(request, context);

    private Task<string> RunAsync(string json, FunctionContext context) => RunAsync(_activities, json, context.CancellationToken);

    /// <summary>An activity's work, for any Durable Task host: the <c>ActivityRequest</c> JSON in, the workflow input JSON out.</summary>
    internal static async Task<string> RunAsync(PaymentActivities activities, string json, CancellationToken cancellationToken)
    {
        var request = ActivityRequest.FromJson(json);
        var result = await activities.ExecuteAsync(request.Provider, request.Action, cancellationToken);
        return JsonSerializer.Serialize(result, OrderPaymentsJson.Options);
    }
}
