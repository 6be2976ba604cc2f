using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrderPayments.Runtime;

namespace OrderPayments.Api;

/// <summary>Healthy when the store answers a query; reports the signals waiting to be applied.</summary>
internal sealed class StoreHealthCheck : IHealthCheck
{
    private readonly EmbeddedOrderPaymentClient _client;

    public StoreHealthCheck(EmbeddedOrderPaymentClient client) => _client = client;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var pending = await _client.CountPendingSignalsAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"Store reachable; {pending} signals waiting to be applied.");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The store cannot be read.", exception);
        }
    }
}
