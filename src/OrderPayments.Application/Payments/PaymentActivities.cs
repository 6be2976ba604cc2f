using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Application.Payments;

/// <summary>
/// Runs a workflow action against its provider and turns the outcome into the workflow's next input. Shared by
/// both interpreters, so they behave the same: success becomes <see cref="ActivitySucceeded"/>, a permanent
/// refusal becomes <see cref="ActivityFailed"/> with the provider's code, and a transient failure is thrown for
/// the interpreter to retry later with the same key.
/// </summary>
public sealed class PaymentActivities
{
    private readonly Dictionary<PaymentProvider, IPaymentProvider> _providers;

    /// <summary>Creates the runner over the registered providers (one per <see cref="PaymentProvider"/>).</summary>
    /// <exception cref="ArgumentException">Two providers claim the same <see cref="PaymentProvider"/>.</exception>
    public PaymentActivities(IEnumerable<IPaymentProvider> providers)
    {
        var byName = new Dictionary<PaymentProvider, IPaymentProvider>();
        foreach (var provider in providers)
        {
            if (!byName.TryAdd(provider.Provider, provider))
            {
                throw new ArgumentException($"Two payment providers are registered for {provider.Provider}.", nameof(providers));
            }
        }

        _providers = byName;
    }

    /// <summary>Runs the action once.</summary>
    /// <param name="provider">The order's provider.</param>
    /// <param name="action">The action, as the workflow emitted it.</param>
    /// <param name="cancellationToken">Stops waiting; the call may still have reached the provider.</param>
    /// <returns>The input to feed back to the workflow.</returns>
    /// <exception cref="PaymentProviderException">A transient failure: retry later with the same action.</exception>
    /// <exception cref="InvalidOperationException">No provider is registered for <paramref name="provider"/>.</exception>
    public async Task<WorkflowInput> ExecuteAsync(PaymentProvider provider, WorkflowAction action, CancellationToken cancellationToken)
    {
        var client = _providers.TryGetValue(provider, out var registered)
            ? registered
            : throw new InvalidOperationException($"No payment provider is registered for {provider}.");
        try
        {
            return action switch
            {
                CreatePayment create => await CreatedAsync(client, create, cancellationToken).ConfigureAwait(false),
                QueryPayment query => new ActivitySucceeded(action.Key, await client.QueryAsync(query, cancellationToken).ConfigureAwait(false)),
                CapturePayment capture => new ActivitySucceeded(action.Key, await client.CaptureAsync(capture, cancellationToken).ConfigureAwait(false)),
                CancelPayment cancel => new ActivitySucceeded(action.Key, await client.CancelAsync(cancel, cancellationToken).ConfigureAwait(false)),
                RefundPayment refund => new ActivitySucceeded(action.Key, await client.RefundAsync(refund, cancellationToken).ConfigureAwait(false)),
                AbortPayment abort => new ActivitySucceeded(action.Key, await client.AbortAsync(abort, cancellationToken).ConfigureAwait(false)),
                _ => throw new ArgumentException($"Unknown action {action.GetType().Name}.", nameof(action)),
            };
        }
        catch (PaymentProviderException e) when (!e.IsTransient)
        {
            return new ActivityFailed(action.Key, e.ErrorCode, e.Message);
        }
    }

    private static async Task<ActivitySucceeded> CreatedAsync(IPaymentProvider client, CreatePayment create, CancellationToken cancellationToken)
    {
        var created = await client.CreateAsync(create, cancellationToken).ConfigureAwait(false);
        return new ActivitySucceeded(create.Key, RedirectUrl: created.RedirectUrl, ProviderPaymentId: created.ProviderPaymentId);
    }
}
