using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using OrderPayments.Durable;

namespace OrderPayments.Functions;

/// <summary>Retention of finished orders (<see cref="DurableOptions.FinishedOrderRetention"/>, <see cref="OrderPurger"/>).</summary>
public sealed class RetentionFunctions
{
    private readonly DurableOrderPayments _orders;

    /// <summary>Creates the function over the interpreter.</summary>
    public RetentionFunctions(DurableOrderPayments orders) => _orders = orders;

    /// <summary>Purges finished orders past their retention, a batch every 10 minutes.</summary>
    [Function(nameof(PurgeFinishedOrders))]
    public Task PurgeFinishedOrders([TimerTrigger("0 */10 * * * *")] TimerInfo timer, [DurableClient] DurableTaskClient client, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return _orders.Purger.PurgeDueAsync(client, context.CancellationToken);
    }
}
