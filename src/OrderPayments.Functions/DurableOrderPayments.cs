using Microsoft.DurableTask.Client;
using OrderPayments.Application.Http;
using OrderPayments.Application.Notifications;
using OrderPayments.Application.Payments;
using OrderPayments.Domain.Workflow;
using OrderPayments.Functions.Signals;

namespace OrderPayments.Functions;

/// <summary>
/// What every function that reaches orders needs, in one place: the workflow, the clock, the signal inbox, the
/// providers and their notification readers. Makes the workflow client and the shared request handlers for one
/// invocation's <see cref="DurableTaskClient"/>.
/// </summary>
public sealed class DurableOrderPayments
{
    private readonly OrderPaymentWorkflow _workflow;
    private readonly TimeProvider _time;
    private readonly ISignalInbox _inbox;
    private readonly IEnumerable<IProviderNotifications> _notifications;
    private readonly IEnumerable<IPaymentProvider> _providers;
    private readonly bool _notify;

    internal DurableOrderPayments(OrderPaymentWorkflow workflow, TimeProvider time, ISignalInbox inbox, IEnumerable<IProviderNotifications> notifications, IEnumerable<IPaymentProvider> providers, bool notify = true)
    {
        _notify = notify;
        _workflow = workflow;
        _time = time;
        _inbox = inbox;
        _notifications = notifications;
        _providers = providers;
    }

    internal ISignalInbox Inbox => _inbox;

    /// <summary>The providers' notification readers (verify, then translate).</summary>
    internal IEnumerable<IProviderNotifications> Notifications => _notifications;

    /// <summary>The workflow client over <paramref name="client"/>.</summary>
    public DurableOrderPaymentClient Client(DurableTaskClient client) => new(client, _workflow, _time, _inbox, _notify);

    /// <summary>The shared request handlers over <paramref name="client"/>; a start waits up to <paramref name="startWait"/> for the redirect URL.</summary>
    public OrderPaymentRequests Requests(DurableTaskClient client, TimeSpan startWait) =>
        new(Client(client), _notifications, _providers.Select(p => p.Provider), startWait);
}
