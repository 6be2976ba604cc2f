using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using OrderPayments.Application.Http;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Application.Storefront;

/// <summary>
/// The storefront events of one committed workflow step, derived from the states before and after it (pure and
/// deterministic, so the Durable interpreter may compute them in orchestration code and the embedded runtime in its
/// commit). Only what the workflow committed is told: status changes and money that moved.
/// </summary>
public static class StorefrontEvents
{
    /// <summary>The events of <paramref name="step"/>, applied to <paramref name="before"/> because of <paramref name="input"/>.</summary>
    /// <param name="before">The state before the step.</param>
    /// <param name="step">The step (its state is the state after).</param>
    /// <param name="input">What the step applied (a refused storefront signal makes a <c>signal.rejected</c> event).</param>
    /// <param name="version">The order's version after the step.</param>
    /// <param name="at">When the step was committed.</param>
    /// <param name="ordinal">Events of earlier steps committed with the same version (the embedded runtime commits several steps of an order at once): keeps ids unique.</param>
    public static IReadOnlyList<StorefrontEvent> Derive(OrderPaymentState before, WorkflowStep step, WorkflowInput? input, long version, DateTimeOffset at, int ordinal = 0)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(step);
        var after = step.State;
        if (ReferenceEquals(before, after))
        {
            return [];
        }

        var events = new List<(string Type, Func<StorefrontEventData, StorefrontEventData> With)>();
        var moved = after.Aggregate;
        var was = before.Aggregate;
        var sameAttempt = before.Attempt == after.Attempt;

        if (after.Status == PaymentStatus.AwaitingCustomer && (before.Status != PaymentStatus.AwaitingCustomer || !sameAttempt))
        {
            events.Add((StorefrontEventTypes.PaymentReady, d => d with { RedirectUrl = after.RedirectUrl }));
        }

        if (after.Status == PaymentStatus.Authorized && before.Status != PaymentStatus.Authorized)
        {
            events.Add((StorefrontEventTypes.PaymentAuthorized, d => d with { Amount = moved.Authorized.Value }));
        }

        var captured = sameAttempt ? moved.Captured.Value - was.Captured.Value : moved.Captured.Value;
        if (captured > 0)
        {
            var shipments = Newly(before.Shipments.Where(s => s.Outcome == OperationOutcome.Succeeded).Select(s => s.ShipmentId), after.Shipments.Where(s => s.Outcome == OperationOutcome.Succeeded).Select(s => s.ShipmentId));
            events.Add((StorefrontEventTypes.PaymentCaptured, d => d with { Amount = captured, ShipmentIds = shipments }));
        }

        var released = sameAttempt ? moved.Cancelled.Value - was.Cancelled.Value : moved.Cancelled.Value;
        if (released > 0 || (after.Status == PaymentStatus.Cancelled && before.Status != PaymentStatus.Cancelled))
        {
            events.Add((StorefrontEventTypes.PaymentCancelled, d => d with { Amount = Math.Max(released, 0) }));
        }

        var refunded = sameAttempt ? moved.Refunded.Value - was.Refunded.Value : moved.Refunded.Value;
        if (refunded > 0)
        {
            var refunds = Newly(before.Refunds.Where(r => r.Outcome == OperationOutcome.Succeeded).Select(r => r.RefundId), after.Refunds.Where(r => r.Outcome == OperationOutcome.Succeeded).Select(r => r.RefundId));
            events.Add((StorefrontEventTypes.PaymentRefunded, d => d with { Amount = refunded, RefundIds = refunds }));
        }

        Became(PaymentStatus.Unpaid, StorefrontEventTypes.PaymentUnpaid);
        Became(PaymentStatus.Failed, StorefrontEventTypes.PaymentFailed);
        Became(PaymentStatus.Completed, StorefrontEventTypes.PaymentCompleted);

        if (after.Problems.Count > before.Problems.Count && after.NeedsAttention)
        {
            var problem = after.Problems[^1];
            events.Add((StorefrontEventTypes.PaymentNeedsAttention, d => d with
            {
                Problem = new ProblemEntry(problem.At, problem.Attempt, problem.Action.ToString(), problem.Key.Value, problem.ErrorCode, problem.Detail),
            }));
        }

        if (step.Rejection is { } rejection && Rejected(input) is { } signal)
        {
            events.Add((StorefrontEventTypes.SignalRejected, d => d with { Signal = signal.Kind, SignalId = signal.Id, Rejection = RejectionEntry.From(rejection) }));
        }

        if (events.Count == 0)
        {
            return [];
        }

        var data = new StorefrontEventData(after.OrderId.Value, version, after.Status.ToString(), after.Request.Amount.Currency, AmountsDocument.Of(after));
        return [.. events.Select((e, index) => new StorefrontEvent(Id(after.OrderId.Value, version, ordinal + index), e.Type, at, e.With(data)))];

        void Became(PaymentStatus status, string type)
        {
            if (after.Status == status && before.Status != status)
            {
                events.Add((type, d => d));
            }
        }
    }

    /// <summary>A test event for one endpoint (not about an order).</summary>
    public static StorefrontEvent Test(string id, DateTimeOffset at) =>
        new(id, StorefrontEventTypes.Test, at, new StorefrontEventData("test", 0, "Test", Domain.Currency.NOK, new AmountsDocument(0, 0, 0, 0, 0, 0)));

    /// <summary>The event id: the same for the same order, version and place, on every host and every replay.</summary>
    private static string Id(string orderId, long version, int index) =>
        "evt_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{orderId}\n{version}\n{index}")))[..16]);

    private static string[]? Newly(IEnumerable<string> before, IEnumerable<string> after)
    {
        var known = before.ToHashSet(StringComparer.Ordinal);
        var added = after.Where(id => !known.Contains(id)).ToArray();
        return added.Length > 0 ? added : null;
    }

    private static (string Kind, string? Id)? Rejected(WorkflowInput? input) => input switch
    {
        FulfillmentSignalled f => ("shipment", f.ShipmentId),
        RefundRequested r => ("refund", r.RefundId),
        CancelRequested => ("cancellation", null),
        NewAttemptRequested a => ("attempt", a.RequestId),
        _ => null,
    };
}
