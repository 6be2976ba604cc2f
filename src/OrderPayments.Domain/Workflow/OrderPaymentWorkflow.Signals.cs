namespace OrderPayments.Domain.Workflow;

/// <summary>Signals from the storefront and the fulfillment system: capture, cancel, refund, new attempt.</summary>
public sealed partial class OrderPaymentWorkflow
{
    /// <summary>The longest shipment, refund or request id accepted.</summary>
    public const int MaxSignalIdLength = 100;

    private static InputRejection? Fulfill(StepContext context, FulfillmentSignalled signal)
    {
        var state = context.State;
        if (CheckSignalId(signal.ShipmentId, "shipmentId") is { } invalid)
        {
            return invalid;
        }

        if (state.Shipments.Find(s => s.ShipmentId == signal.ShipmentId && s.Outcome != OperationOutcome.Rejected) is { } seen)
        {
            return signal.Amount is null || signal.Amount == seen.Amount
                ? null
                : Reject(RejectionReason.Conflict, $"Shipment '{signal.ShipmentId}' was already signalled for {seen.Amount}, not {signal.Amount}.", "shipmentId");
        }

        switch (state.Status)
        {
            case PaymentStatus.Creating or PaymentStatus.AwaitingCustomer or PaymentStatus.Unpaid or PaymentStatus.Failed:
                return Reject(RejectionReason.NotAuthorized, $"The payment is not authorized (status {state.Status}); capture is possible only after the customer approves.");
            case PaymentStatus.Captured or PaymentStatus.Cancelled or PaymentStatus.Completed:
                return Reject(RejectionReason.NotAllowed, $"Nothing is reserved any more (status {state.Status}); there is nothing to capture.");
        }

        if (state.CancelRequested || state.ReleaseIssued || context.Now >= state.FulfillmentDeadline)
        {
            return Reject(RejectionReason.NotAllowed, "The reservation is being released (cancel requested or fulfillment deadline passed); it can no longer be captured.");
        }

        var capturable = state.Capturable;
        var amount = signal.Amount ?? capturable;
        if (CheckAmount(context, amount, "amount") is { } bad)
        {
            return bad;
        }

        if (amount > capturable)
        {
            return Reject(RejectionReason.ExceedsRemaining, $"Capturing {amount} exceeds what is left of the reservation ({capturable}).", "amount");
        }

        var key = context.NextKey(KeyOperations.Capture);
        context.State = context.State with
        {
            Shipments = context.State.Shipments
                .RemoveAll(s => s.ShipmentId == signal.ShipmentId)
                .Add(new ShipmentRecord(signal.ShipmentId, amount, key, OperationOutcome.Pending)),
        };
        context.Issue(new CapturePayment(key, state.Reference, amount, signal.ShipmentId));
        return null;
    }

    private static InputRejection? Cancel(StepContext context)
    {
        var state = context.State;
        switch (state.Status)
        {
            case PaymentStatus.Completed:
                return Reject(RejectionReason.NotAllowed, "The order is completed; there is nothing to cancel.");
            case PaymentStatus.Captured:
                return Reject(RejectionReason.NotAllowed, "Nothing is reserved any more (everything was captured or released); refund instead.");
            case PaymentStatus.Cancelled:
                return null;
            case PaymentStatus.Unpaid or PaymentStatus.Failed:
                context.State = state with { CancelRequested = true };
                context.SetStatus(PaymentStatus.Cancelled);
                return null;
            default:
                // Creating, AwaitingCustomer, Authorized: the reconciliation cancels as soon as it safely can.
                context.State = state with { CancelRequested = true };
                return null;
        }
    }

    private static InputRejection? Refund(StepContext context, RefundRequested request)
    {
        var state = context.State;
        if (CheckSignalId(request.RefundId, "refundId") is { } invalid)
        {
            return invalid;
        }

        if (state.Refunds.Find(r => r.RefundId == request.RefundId && r.Outcome != OperationOutcome.Rejected) is { } seen)
        {
            return request.Amount == seen.Amount
                ? null
                : Reject(RejectionReason.Conflict, $"Refund '{request.RefundId}' was already requested for {seen.Amount}, not {request.Amount}.", "refundId");
        }

        if (CheckAmount(context, request.Amount, "amount") is { } bad)
        {
            return bad;
        }

        if (state.Status == PaymentStatus.Completed || context.Now >= state.RefundWindowClosesAt)
        {
            return Reject(RejectionReason.RefundWindowClosed, $"The refund window closed at {state.RefundWindowClosesAt:O}.");
        }

        if (state.Status is not (PaymentStatus.Authorized or PaymentStatus.Captured) || state.Aggregate.Captured.IsZero)
        {
            return Reject(RejectionReason.NotAllowed, $"Nothing has been captured (status {state.Status}); there is nothing to refund.");
        }

        if (request.Amount > state.Refundable)
        {
            return Reject(RejectionReason.ExceedsRefundable, $"Refunding {request.Amount} exceeds captured minus refunded ({state.Refundable}).", "amount");
        }

        var key = context.NextKey(KeyOperations.Refund);
        context.State = context.State with
        {
            Refunds = context.State.Refunds
                .RemoveAll(r => r.RefundId == request.RefundId)
                .Add(new RefundRecord(request.RefundId, request.Amount, key, OperationOutcome.Pending)),
        };
        context.Issue(new RefundPayment(key, state.Reference, request.Amount, request.RefundId));
        return null;
    }

    private InputRejection? StartNewAttempt(StepContext context, NewAttemptRequested request)
    {
        var state = context.State;
        if (CheckSignalId(request.RequestId, "requestId") is { } invalid)
        {
            return invalid;
        }

        if (state.AttemptRequestIds.Contains(request.RequestId))
        {
            return null;
        }

        switch (state.Status)
        {
            case PaymentStatus.Creating or PaymentStatus.AwaitingCustomer:
                return Reject(RejectionReason.InProgress, $"Attempt {state.Attempt} is still waiting for the customer (status {state.Status}).");
            case PaymentStatus.Authorized or PaymentStatus.Captured or PaymentStatus.Completed:
                return Reject(RejectionReason.AlreadyPaid, $"The order is already paid (status {state.Status}).");
            case PaymentStatus.Cancelled:
                return Reject(RejectionReason.NotAllowed, "The order is cancelled.");
        }

        var attempt = state.Attempt + 1;
        context.State = state with
        {
            Attempt = attempt,
            Reference = PaymentReference.For(state.OrderId, attempt),
            AttemptStartedAt = context.Now,
            AttemptRequestIds = state.AttemptRequestIds.Add(request.RequestId),
            RedirectUrl = null,
            ProviderState = ProviderPaymentState.Created,
            Aggregate = PaymentAggregate.Zero(context.Currency),
            PreAuthorizationCancelIssued = false,
            QueryWanted = false,
            LastQueryIssuedAt = null,
            NextPollAt = null,
            PollInterval = _options.FirstPollDelay,
            AuthorizationDeadline = null,
        };
        context.SetStatus(PaymentStatus.Creating);
        IssueCreate(context);
        return null;
    }

    private static void IssueCreate(StepContext context)
    {
        var state = context.State;
        var request = state.Request;
        context.Issue(new CreatePayment(
            context.NextKey(KeyOperations.Create),
            state.Reference,
            request.Provider,
            request.Amount,
            request.Description,
            request.UserFlow,
            request.ReturnUrl,
            request.PhoneNumber));
    }

    private static InputRejection? CheckSignalId(string? id, string field) =>
        string.IsNullOrWhiteSpace(id) || id.Length > MaxSignalIdLength || id.Any(char.IsControl)
            ? Reject(RejectionReason.InvalidRequest, $"The {field} must be 1 to {MaxSignalIdLength} printable characters.", field)
            : null;

    private static InputRejection? CheckAmount(StepContext context, Money amount, string field)
    {
        if (amount.Currency != context.Currency)
        {
            return Reject(RejectionReason.CurrencyMismatch, $"The amount is in {amount.Currency}; the order is in {context.Currency}.", field);
        }

        return amount.IsZero ? Reject(RejectionReason.InvalidAmount, "The amount must be more than zero (and something must be left to take).", field) : null;
    }

    private static InputRejection Reject(RejectionReason reason, string message, string? field = null) => new(reason, message, field);
}
