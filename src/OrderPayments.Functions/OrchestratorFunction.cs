using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Functions;

/// <summary>Binds <see cref="OrderPaymentOrchestration.RunAsync"/> as the orchestrator function.</summary>
public sealed partial class OrchestratorFunction
{
    private readonly OrderPaymentWorkflow _workflow;

    /// <summary>Creates the function with the shared workflow.</summary>
    public OrchestratorFunction(OrderPaymentWorkflow workflow) => _workflow = workflow;

    /// <summary>The orchestration of one order.</summary>
    [Function(OrchestrationNames.Orchestrator)]
    public async Task<string> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var logger = context.CreateReplaySafeLogger(nameof(OrchestratorFunction));
        var outcome = await OrderPaymentOrchestration.RunAsync(context, _workflow);
        LogEnded(logger, context.InstanceId, outcome);
        return outcome;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} orchestration ended: {Outcome}.")]
    private static partial void LogEnded(ILogger logger, string orderId, string outcome);
}
