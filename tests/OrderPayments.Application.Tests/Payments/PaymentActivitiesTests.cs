using OrderPayments.Application.Payments;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Application.Tests.Payments;

public sealed class PaymentActivitiesTests
{
    private static readonly PaymentReference Reference = PaymentReference.Parse("order-42-1");
    private static readonly Money Amount = new(1000, Currency.NOK);
    private static readonly PaymentObservation Authorized = new(
        Reference, ProviderPaymentState.Authorized, new PaymentAggregate(Amount, Money.Zero(Currency.NOK), Money.Zero(Currency.NOK), Money.Zero(Currency.NOK)));

    private static CapturePayment Capture => new(IdempotencyKey.Parse("order-42-1-capture-1"), Reference, Amount, "s-1");

    [Fact]
    public async Task Execute_Create_SucceedsWithTheRedirectUrl()
    {
        var provider = new FakeProvider { Created = new CreatedPayment("https://landing.example/x") };
        var create = new CreatePayment(IdempotencyKey.Parse("order-42-1-create-1"), Reference, PaymentProvider.Vipps, Amount, "Books", UserFlow.WebRedirect, "https://shop.example", null);

        var input = await new PaymentActivities([provider]).ExecuteAsync(PaymentProvider.Vipps, create, CancellationToken.None);

        input.ShouldBe(new ActivitySucceeded(create.Key, RedirectUrl: "https://landing.example/x"));
    }

    [Fact]
    public async Task Execute_Capture_SucceedsWithTheObservation()
    {
        var provider = new FakeProvider { Observation = Authorized };

        var input = await new PaymentActivities([provider]).ExecuteAsync(PaymentProvider.Vipps, Capture, CancellationToken.None);

        input.ShouldBe(new ActivitySucceeded(Capture.Key, Authorized));
        provider.Calls.ShouldBe([Capture]);
    }

    [Fact]
    public async Task Execute_PermanentRefusal_BecomesActivityFailedWithTheCode()
    {
        var provider = new FakeProvider { Failure = new PaymentProviderException("6090", "Capture amount too high", isTransient: false) };

        var input = await new PaymentActivities([provider]).ExecuteAsync(PaymentProvider.Vipps, Capture, CancellationToken.None);

        input.ShouldBe(new ActivityFailed(Capture.Key, "6090", "Capture amount too high"));
    }

    [Fact]
    public async Task Execute_TransientFailure_IsThrownForTheInterpreterToRetry()
    {
        var provider = new FakeProvider { Failure = new PaymentProviderException("503", "Unavailable", isTransient: true) };

        var error = await Should.ThrowAsync<PaymentProviderException>(() => new PaymentActivities([provider]).ExecuteAsync(PaymentProvider.Vipps, Capture, CancellationToken.None));

        error.IsTransient.ShouldBeTrue();
    }

    [Fact]
    public async Task Execute_ProviderNotRegistered_Throws() =>
        await Should.ThrowAsync<InvalidOperationException>(() => new PaymentActivities([new FakeProvider()]).ExecuteAsync(PaymentProvider.PayEx, Capture, CancellationToken.None));

    [Fact]
    public void Constructor_TwoProvidersForOneName_Throws() =>
        Should.Throw<ArgumentException>(() => new PaymentActivities([new FakeProvider(), new FakeProvider()]));

    private sealed class FakeProvider : IPaymentProvider
    {
        public List<WorkflowAction> Calls { get; } = [];

        public CreatedPayment Created { get; init; } = new(null);

        public PaymentObservation? Observation { get; init; }

        public PaymentProviderException? Failure { get; init; }

        public PaymentProvider Provider => PaymentProvider.Vipps;

        public Task<CreatedPayment> CreateAsync(CreatePayment action, CancellationToken cancellationToken) => Answer(action, Created);

        public Task<PaymentObservation> QueryAsync(QueryPayment action, CancellationToken cancellationToken) => Answer(action, Observation!);

        public Task<PaymentObservation> CaptureAsync(CapturePayment action, CancellationToken cancellationToken) => Answer(action, Observation!);

        public Task<PaymentObservation> CancelAsync(CancelPayment action, CancellationToken cancellationToken) => Answer(action, Observation!);

        public Task<PaymentObservation> RefundAsync(RefundPayment action, CancellationToken cancellationToken) => Answer(action, Observation!);

        public Task<PaymentObservation> AbortAsync(AbortPayment action, CancellationToken cancellationToken) => Answer(action, Observation!);

        private Task<T> Answer<T>(WorkflowAction action, T result)
        {
            Calls.Add(action);
            return Failure is null ? Task.FromResult(result) : Task.FromException<T>(Failure);
        }
    }
}
