using OrderPayments.Application.Queues;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Durable.Orchestration;

/// <summary>The names the orchestration, its activities, its clients and the Functions app's bindings share.</summary>
public static class OrchestrationNames
{
    /// <summary>The orchestrator of one order (instance id = order id).</summary>
    public const string Orchestrator = "OrderPaymentOrchestrator";

    /// <summary>
    /// The doorbell: raised after a signal is recorded in the order's inbox, carrying the signal and its place in the
    /// inbox (<see cref="Doorbell"/>), so that the orchestration applies it at once when it is next in line.
    /// </summary>
    public const string SignalEvent = "signal";

    /// <summary>The activity that records what the orchestration did in its tables and answers the signals still to apply (<see cref="SyncRequest"/>).</summary>
    public const string SyncOrder = "SyncOrder";

    /// <summary>The provider-call activity of <see cref="Domain.Workflow.CreatePayment"/>.</summary>
    public const string CreatePayment = nameof(Domain.Workflow.CreatePayment);

    /// <summary>The provider-call activity of <see cref="Domain.Workflow.QueryPayment"/>.</summary>
    public const string QueryPayment = nameof(Domain.Workflow.QueryPayment);

    /// <summary>The provider-call activity of <see cref="Domain.Workflow.CapturePayment"/>.</summary>
    public const string CapturePayment = nameof(Domain.Workflow.CapturePayment);

    /// <summary>The provider-call activity of <see cref="Domain.Workflow.CancelPayment"/>.</summary>
    public const string CancelPayment = nameof(Domain.Workflow.CancelPayment);

    /// <summary>The provider-call activity of <see cref="Domain.Workflow.RefundPayment"/>.</summary>
    public const string RefundPayment = nameof(Domain.Workflow.RefundPayment);

    /// <summary>The provider-call activity of <see cref="Domain.Workflow.AbortPayment"/>.</summary>
    public const string AbortPayment = nameof(Domain.Workflow.AbortPayment);

    /// <summary>The fulfillment system's shipments (the contract both hosts read: <see cref="FulfillmentMessage"/>).</summary>
    public const string FulfillmentsQueue = FulfillmentMessage.DefaultQueueName;

    /// <summary>Every provider-call activity (one per action kind).</summary>
    public static IReadOnlyList<string> PaymentActivities { get; } =
        [CreatePayment, QueryPayment, CapturePayment, CancelPayment, RefundPayment, AbortPayment];

    /// <summary>The activity for an action.</summary>
    /// <exception cref="ArgumentException">An action kind with no activity.</exception>
    public static string Activity(WorkflowAction action) => action switch
    {
        Domain.Workflow.CreatePayment => CreatePayment,
        Domain.Workflow.QueryPayment => QueryPayment,
        Domain.Workflow.CapturePayment => CapturePayment,
        Domain.Workflow.CancelPayment => CancelPayment,
        Domain.Workflow.RefundPayment => RefundPayment,
        Domain.Workflow.AbortPayment => AbortPayment,
        _ => throw new ArgumentException($"No activity for {action?.GetType().Name}.", nameof(action)),
    };
}
