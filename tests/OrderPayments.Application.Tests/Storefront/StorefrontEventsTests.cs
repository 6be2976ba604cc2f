using OrderPayments.Application.Storefront;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Application.Tests.Storefront;

/// <summary>Which storefront events a workflow step makes: status changes and money that moved, nothing else.</summary>
public sealed class StorefrontEventsTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly OrderPaymentWorkflow _workflow = new();
    private OrderPaymentState _state;
    private long _version = 1;

    public StorefrontEventsTests() =>
        _state = _workflow.Start(new PaymentRequest(OrderId.Parse("order-7"), Nok(1000), "Two books", UserFlow.WebRedirect, "https://shop.example/return"), Now).State;

    [Fact]
    public void Derive_PaymentCreated_IsPaymentReadyWithTheRedirectUrl()
    {
        var events = Step(new ActivitySucceeded(InFlight<CreatePayment>().Key, null, "https://pay.example/landing"));

        var ready = events.ShouldHaveSingleItem();
        ready.Type.ShouldBe(StorefrontEventTypes.PaymentReady);
        ready.Data.RedirectUrl.ShouldBe("https://pay.example/landing");
        ready.Data.Version.ShouldBe(_version);
        ready.Data.Status.ShouldBe("AwaitingCustomer");
    }

    [Fact]
    public void Derive_Authorized_IsPaymentAuthorizedWithTheAmount()
    {
        Created();

        var events = Step(Observed(ProviderPaymentState.Authorized, authorized: 1000));

        events.ShouldHaveSingleItem().Type.ShouldBe(StorefrontEventTypes.PaymentAuthorized);
        events[0].Data.Amount.ShouldBe(1000);
        events[0].Data.Amounts.Capturable.ShouldBe(1000);
    }

    [Fact]
    public void Derive_ShipmentCaptured_IsPaymentCapturedWithTheShipment()
    {
        Authorized();
        Step(new FulfillmentSignalled("ship-1", Nok(400))).ShouldBeEmpty("asking to capture moves no money yet");
        var capture = InFlight<CapturePayment>();

        var events = Step(new ActivitySucceeded(capture.Key, Observation(ProviderPaymentState.Authorized, 1000, captured: 400)));

        var captured = events.ShouldHaveSingleItem();
        (captured.Type, captured.Data.Amount).ShouldBe((StorefrontEventTypes.PaymentCaptured, 400L));
        captured.Data.ShipmentIds.ShouldBe(["ship-1"]);
    }

    [Fact]
    public void Derive_SignalRefusedWhenApplied_IsSignalRejectedWithTheReason()
    {
        Created();
        var before = _state;
        var step = _workflow.Apply(_state, new FulfillmentSignalled("ship-1"), Now);

        var events = StorefrontEvents.Derive(before, step, new FulfillmentSignalled("ship-1"), ++_version, Now);

        var rejected = events.ShouldHaveSingleItem();
        rejected.Type.ShouldBe(StorefrontEventTypes.SignalRejected);
        (rejected.Data.Signal, rejected.Data.SignalId, rejected.Data.Rejection!.Reason).ShouldBe(("shipment", "ship-1", "not-authorized"));
    }

    [Fact]
    public void Derive_StepThatChangesNothing_HasNoEvents()
    {
        Created();

        Step(new WokenUp()).Count.ShouldBe(0);
        StorefrontEvents.Derive(_state, new WorkflowStep(_state, [], InputOutcome.Unchanged), new WokenUp(), _version, Now).ShouldBeEmpty();
    }

    [Fact]
    public void Derive_SameStepTwice_GivesTheSameIds()
    {
        Created();
        var before = _state;
        var step = _workflow.Decide(_state, Observed(ProviderPaymentState.Authorized, authorized: 1000), Now);

        var first = StorefrontEvents.Derive(before, step, null, 5, Now);
        var again = StorefrontEvents.Derive(before, step, null, 5, Now);

        again.Select(e => e.Id).ShouldBe(first.Select(e => e.Id));
        StorefrontEvents.Derive(before, step, null, 6, Now)[0].Id.ShouldNotBe(first[0].Id);
    }

    private static Money Nok(long value) => new(value, Currency.NOK);

    private T InFlight<T>()
        where T : WorkflowAction => _state.InFlight.OfType<T>().ShouldHaveSingleItem();

    private PaymentObservation Observation(ProviderPaymentState state, long authorized, long captured = 0) =>
        new(_state.Reference, state, new PaymentAggregate(Nok(authorized), Nok(captured), Nok(0), Nok(0)));

    private ProviderObserved Observed(ProviderPaymentState state, long authorized) => new(Observation(state, authorized));

    private void Created() => Step(new ActivitySucceeded(InFlight<CreatePayment>().Key, null, "https://pay.example/landing"));

    private void Authorized()
    {
        Created();
        Step(Observed(ProviderPaymentState.Authorized, authorized: 1000));
    }

    private IReadOnlyList<StorefrontEvent> Step(WorkflowInput input)
    {
        var before = _state;
        var step = _workflow.Decide(_state, input, Now);
        _state = step.State;
        return StorefrontEvents.Derive(before, step, input, ReferenceEquals(before, step.State) ? _version : ++_version, Now);
    }
}
