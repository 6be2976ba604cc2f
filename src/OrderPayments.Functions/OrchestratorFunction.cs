using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using OrderPayments.Durable;
using OrderPayments.Durable.Orchestration;

namespace OrderPayments.Functions;

/// <summary>Binds the Durable interpreter's orchestration (<see cref="OrderPaymentOrchestration"/>) as the orchestrator function.</summary>
public sealed partial class OrchestratorFunction
{
    private readonly DurableOrderPayments _orders;

    /// <summary>Creates the function over the interpreter.</summary>
    public OrchestratorFunction(DurableOrderPayments orders) => _orders = orders;

    /// <summary>The orchestration of one order.</summary>
    [Function(OrchestrationNames.Orchestrator)]
    public async Task<string> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var logger = context.CreateReplaySafeLogger(nameof(OrchestratorFunction));
        var outcome = await _orders.RunOrchestrationAsync(context);
        LogEnded(logger, context.InstanceId, outcome);
        return outcome;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} orchestration ended: {Outcome}.")]
    private static partial void LogEnded(ILogger logger, string orderId, string outcome);
}
