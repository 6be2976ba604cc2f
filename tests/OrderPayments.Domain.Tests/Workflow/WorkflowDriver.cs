using OrderPayments.Domain.Workflow;

namespace OrderPayments.Domain.Tests.Workflow;

/// <summary>Drives one order's workflow the way an interpreter would, with a hand-held clock.</summary>
internal sealed class WorkflowDriver
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public WorkflowDriver(WorkflowOptions? options = null, PaymentRequest? request = null)
    {
        Workflow = new OrderPaymentWorkflow(options);
        LastStep = Workflow.Start(request ?? Request(), Now);
        State = LastStep.State;
    }

    public OrderPaymentWorkflow Workflow { get; }

    public DateTimeOffset Now { get; set; } = Epoch;

    public OrderPaymentState State { get; private set; }

    public WorkflowStep LastStep { get; private set; }

    public static OrderId Order { get; } = OrderId.Parse("order-42");

    public static PaymentRequest Request(
        long amount = 1000,
        UserFlow flow = UserFlow.WebRedirect,
        PaymentProvider provider = PaymentProvider.Vipps,
        string? phone = null) =>
        new(Order, Nok(amount), "Two books", flow, "https://shop.example/return/order-42", phone, provider);

    public static Money Nok(long value) => new(value, Currency.NOK);

    public static PaymentAggregate Totals(long authorized = 0, long captured = 0, long cancelled = 0, long refunded = 0) =>
        new(Nok(authorized), Nok(captured), Nok(cancelled), Nok(refunded));

    public PaymentObservation Observation(ProviderPaymentState state, PaymentAggregate totals) => new(State.Reference, state, totals);

    public WorkflowStep Send(WorkflowInput input)
    {
        LastStep = Workflow.Decide(State, input, Now);
        State = LastStep.State;
        return LastStep;
    }

    public WorkflowStep Advance(TimeSpan by)
    {
        Now += by;
        return Send(new WokenUp());
    }

    /// <summary>Moves the clock to the wake-up time the workflow asked for and delivers the timer.</summary>
    public WorkflowStep WakeUp()
    {
        Now = State.WakeAt ?? throw new InvalidOperationException("The workflow asked not to be woken.");
        return Send(new WokenUp());
    }

    /// <summary>The one in-flight action of type T.</summary>
    public T InFlight<T>()
        where T : WorkflowAction => State.InFlight.OfType<T>().ShouldHaveSingleItem();

    public WorkflowStep Succeed(WorkflowAction action, PaymentObservation? observation = null, string? redirectUrl = null) =>
        Send(new ActivitySucceeded(action.Key, observation, redirectUrl));

    public WorkflowStep Fail(WorkflowAction action, string code, string? detail = null) =>
        Send(new ActivityFailed(action.Key, code, detail));

    /// <summary>Create succeeds; the customer is now expected to decide.</summary>
    public WorkflowDriver Created()
    {
        Succeed(InFlight<CreatePayment>(), redirectUrl: "https://landing.example/pay?token=abc");
        return this;
    }

    /// <summary>Create succeeds and the provider reports the full amount authorized.</summary>
    public WorkflowDriver Authorized()
    {
        Created();
        Send(new ProviderObserved(Observation(ProviderPaymentState.Authorized, Totals(authorized: State.Request.Amount.Value))));
        State.Status.ShouldBe(PaymentStatus.Authorized);
        return this;
    }

    /// <summary>The provider's answer to a capture of <paramref name="capture"/> on top of what it had.</summary>
    public PaymentObservation AfterCapture(CapturePayment capture) => Observation(
        ProviderPaymentState.Authorized,
        State.Aggregate with { Captured = State.Aggregate.Captured + capture.Amount });

    public PaymentObservation AfterRelease() => Observation(
        ProviderPaymentState.Authorized,
        State.Aggregate with { Cancelled = State.Aggregate.Cancelled + State.Aggregate.Remaining });

    public PaymentObservation AfterRefund(RefundPayment refund) => Observation(
        ProviderPaymentState.Authorized,
        State.Aggregate with { Refunded = State.Aggregate.Refunded + refund.Amount });

    /// <summary>Authorized, then one full capture that succeeded.</summary>
    public WorkflowDriver Captured()
    {
        Authorized();
        Send(new FulfillmentSignalled("shipment-1"));
        var capture = InFlight<CapturePayment>();
        Succeed(capture, AfterCapture(capture));
        State.Status.ShouldBe(PaymentStatus.Captured);
        return this;
    }
}
