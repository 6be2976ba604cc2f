using Microsoft.Azure.Functions.Worker;

namespace OrderPayments.Functions.Signals;

/// <summary>The orchestration's one way into its order's signal inbox.</summary>
public sealed class SignalInboxFunctions
{
    private readonly ISignalInbox _inbox;

    /// <summary>Creates the function over the app's inbox.</summary>
    public SignalInboxFunctions(DurableOrderPayments orders)
    {
        ArgumentNullException.ThrowIfNull(orders);
        _inbox = orders.Inbox;
    }

    /// <summary>Records applied signals' outcomes and answers the signals still to apply (a <c>DrainRequest</c> as JSON in, a <c>DrainResult</c> out).</summary>
    [Function(nameof(DrainSignals))]
    public Task<string> DrainSignals([ActivityTrigger] string request, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return DrainAsync(_inbox, request, context.CancellationToken);
    }

    /// <summary>The activity's work, for any Durable Task host.</summary>
    internal static async Task<string> DrainAsync(ISignalInbox inbox, string request, CancellationToken cancellationToken) =>
        (await inbox.DrainAsync(DrainRequest.FromJson(request), cancellationToken)).ToJson();
}
