using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Application.Workflows;

/// <summary>
/// What hosts call to drive order payments: start an order's workflow, raise a signal, read and list orders.
/// Implemented by the embedded runtime and, in the Functions app, over the Durable Task client.
/// </summary>
public interface IOrderPaymentClient
{
    /// <summary>
    /// Starts the order's payment. Idempotent: the same request for the same order returns the existing order;
    /// a different request for an order that exists is a conflict. Invalid requests are refused with reasons.
    /// </summary>
    /// <param name="request">The storefront's request.</param>
    /// <param name="by">Who asked for it (named in the order's history), when known.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<StartOutcome> StartAsync(PaymentRequest request, string? by, CancellationToken cancellationToken);

    /// <summary>Starts the order's payment with no caller named (see the other overload).</summary>
    Task<StartOutcome> StartAsync(PaymentRequest request, CancellationToken cancellationToken) => StartAsync(request, null, cancellationToken);

    /// <summary>
    /// Records a signal for the order, once per <paramref name="dedupeKey"/> (a webhook's event identity, a shipment id,
    /// a request id). A signal the order's current state refuses is rejected at once and not recorded; one that is
    /// accepted is applied durably in order, after every signal recorded before it.
    /// </summary>
    Task<SignalOutcome> RaiseAsync(OrderId orderId, WorkflowInput signal, string dedupeKey, CancellationToken cancellationToken);

    /// <summary>The order one of whose attempts has the provider payment <paramref name="reference"/>, or null (webhooks name only the reference).</summary>
    Task<OrderId?> FindByReferenceAsync(PaymentReference reference, CancellationToken cancellationToken);

    /// <summary>The order's current state, or null when there is no such order.</summary>
    Task<OrderPaymentSnapshot?> GetAsync(OrderId orderId, CancellationToken cancellationToken);

    /// <summary>
    /// Waits until the order's state satisfies <paramref name="condition"/> (e.g. the redirect URL is known) or
    /// <paramref name="timeout"/> passes.
    /// </summary>
    /// <returns>The snapshot that satisfied the condition, or null on timeout or when there is no such order.</returns>
    Task<OrderPaymentSnapshot?> WaitForAsync(OrderId orderId, Func<OrderPaymentSnapshot, bool> condition, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Orders by id, optionally of one status, after <paramref name="afterOrderId"/> (exclusive), at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<OrderPaymentSnapshot>> ListAsync(PaymentStatus? status, OrderId? afterOrderId, int limit, CancellationToken cancellationToken);
}
