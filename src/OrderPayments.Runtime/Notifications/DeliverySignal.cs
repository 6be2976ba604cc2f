using OrderPayments.Runtime.Dispatching;

namespace OrderPayments.Runtime.Notifications;

/// <summary>Wakes the storefront notifier when a commit wrote events (or an operator retried one).</summary>
internal sealed class DeliverySignal : IDisposable
{
    public WorkSignal Work { get; } = new();

    public void Dispose() => Work.Dispose();
}
