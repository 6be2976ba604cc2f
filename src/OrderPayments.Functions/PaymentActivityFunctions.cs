using Microsoft.Azure.Functions.Worker;
using OrderPayments.Durable;
using OrderPayments.Durable.Orchestration;

namespace OrderPayments.Functions;

/// <summary>
/// The orchestration's activities: one per provider call (each one attempt with the workflow's idempotency key; the
/// orchestration retries transient failures as the shared retry policy says) and the sync of the order's tables.
/// </summary>
public sealed class PaymentActivityFunctions
{
    private readonly DurableActivities _activities;

    /// <summary>Creates the activities over the interpreter.</summary>
    public PaymentActivityFunctions(DurableOrderPayments orders)
    {
        ArgumentNullException.ThrowIfNull(orders);
        _activities = orders.Activities;
    }

    /// <summary>Creates the payment.</summary>
    [Function(OrchestrationNames.CreatePayment)]
    public Task<string> CreatePayment([ActivityTrigger] string request, FunctionContext context) => CallAsync(request, context);

    /// <summary>Reads the payment.</summary>
    [Function(OrchestrationNames.QueryPayment)]
    public Task<string> QueryPayment([ActivityTrigger] string request, FunctionContext context) => CallAsync(request, context);

    /// <summary>Captures for a shipment.</summary>
    [Function(OrchestrationNames.CapturePayment)]
    public Task<string> CapturePayment([ActivityTrigger] string request, FunctionContext context) => CallAsync(request, context);

    /// <summary>Cancels, or releases the rest of the reservation.</summary>
    [Function(OrchestrationNames.CancelPayment)]
    public Task<string> CancelPayment([ActivityTrigger] string request, FunctionContext context) => CallAsync(request, context);

    /// <summary>Refunds.</summary>
    [Function(OrchestrationNames.RefundPayment)]
    public Task<string> RefundPayment([ActivityTrigger] string request, FunctionContext context) => CallAsync(request, context);

    /// <summary>Aborts a payment that is not authorized.</summary>
    [Function(OrchestrationNames.AbortPayment)]
    public Task<string> AbortPayment([ActivityTrigger] string request, FunctionContext context) => CallAsync(request, context);

    /// <summary>Records what the orchestration did in the order's tables and answers the signals still to apply.</summary>
    [Function(OrchestrationNames.SyncOrder)]
    public Task<string> SyncOrder([ActivityTrigger] string request, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return _activities.SyncOrderAsync(request, context.CancellationToken);
    }

    private Task<string> CallAsync(string request, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return _activities.CallProviderAsync(request, context.CancellationToken);
    }
}
