using Microsoft.Extensions.Time.Testing;
using OrderPayments.Application.Payments;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Application.Tests.Payments;

/// <summary>The one activity retry policy both interpreters call.</summary>
public sealed class ActivityRetryPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly OrderId Order = OrderId.Parse("order-1");
    private static readonly CapturePayment Capture = new(IdempotencyKey.For(Order, 1, "capture", 1), PaymentReference.For(Order, 1), new Money(100, Currency.NOK), "ship-1");
    private static readonly QueryPayment Query = new(IdempotencyKey.For(Order, 1, "query", 1), PaymentReference.For(Order, 1));

    private static ActivityRetryPolicy CreateSut() =>
        new(new ActivityRetryOptions { BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(10), MaxQueryAttempts = 3 }, new FakeTimeProvider(Now));

    [Fact]
    public void AfterTransientFailure_Mutation_WaitsDoublingUpToTheCapAndNeverGivesUp()
    {
        var sut = CreateSut();

        var waits = Enumerable.Range(1, 40).Select(attempt => sut.AfterTransientFailure(Capture, attempt, "503", null, Now)).ToList();

        waits.ShouldAllBe(d => d.GiveUp == null);
        waits.Take(6).Select(d => (d.RetryAt!.Value - Now).TotalSeconds).ShouldBe([1, 2, 4, 8, 10, 10]);
        (waits[^1].RetryAt!.Value - Now).ShouldBe(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void AfterTransientFailure_ProviderAskedToWaitLonger_WaitsWhatItAsked()
    {
        var decision = CreateSut().AfterTransientFailure(Capture, 1, "429", TimeSpan.FromSeconds(30), Now);

        decision.RetryAt.ShouldBe(Now.AddSeconds(30));
    }

    [Fact]
    public void AfterTransientFailure_QueryAtItsLastAttempt_IsGivenUpWithRetriesExhausted()
    {
        var sut = CreateSut();

        var second = sut.AfterTransientFailure(Query, 2, "503", null, Now);
        var third = sut.AfterTransientFailure(Query, 3, "503", null, Now);

        second.GiveUp.ShouldBeNull();
        var givenUp = third.GiveUp.ShouldBeOfType<ActivityFailed>();
        (givenUp.Key, givenUp.ErrorCode, givenUp.Detail).ShouldBe((Query.Key, ActivityRetryOptions.ExhaustedErrorCode, "503"));
    }

    [Fact]
    public async Task AttemptAsync_TransientProviderFailure_IsATransientOutcomeWithItsRetryAfter()
    {
        var activities = new PaymentActivities([new FailingProvider(new PaymentProviderException("429", "Too many requests", isTransient: true, TimeSpan.FromSeconds(7)))]);

        var outcome = await CreateSut().AttemptAsync(activities, PaymentProvider.Vipps, Capture, CancellationToken.None);

        (outcome.IsTransient, outcome.TransientError, outcome.RetryAfter, outcome.Crash).ShouldBe((true, "Too many requests", TimeSpan.FromSeconds(7), null));
    }

    [Fact]
    public async Task AttemptAsync_UnexpectedException_IsATransientOutcomeThatKeepsTheException()
    {
        var crash = new InvalidDataException("bad answer");
        var activities = new PaymentActivities([new FailingProvider(crash)]);

        var outcome = await CreateSut().AttemptAsync(activities, PaymentProvider.Vipps, Capture, CancellationToken.None);

        (outcome.IsTransient, outcome.TransientError, outcome.Crash).ShouldBe((true, nameof(InvalidDataException), crash));
    }

    [Fact]
    public async Task AttemptAsync_PermanentRefusal_IsTheWorkflowsInput()
    {
        var activities = new PaymentActivities([new FailingProvider(new PaymentProviderException("6090", "Capture amount too high", isTransient: false))]);

        var outcome = await CreateSut().AttemptAsync(activities, PaymentProvider.Vipps, Capture, CancellationToken.None);

        outcome.Input.ShouldBe(new ActivityFailed(Capture.Key, "6090", "Capture amount too high"));
    }

    [Fact]
    public void Create_BaseDelayAboveTheCap_IsRefusedNamingTheSetting() =>
        Should.Throw<ArgumentException>(() => new ActivityRetryPolicy(new ActivityRetryOptions { BaseDelay = TimeSpan.FromMinutes(10) }, TimeProvider.System))
            .Message.ShouldContain("ActivityRetry:BaseDelay");

    private sealed class FailingProvider(Exception failure) : IPaymentProvider
    {
        public PaymentProvider Provider => PaymentProvider.Vipps;

        public Task<CreatedPayment> CreateAsync(CreatePayment action, CancellationToken cancellationToken) => throw failure;

        public Task<PaymentObservation> QueryAsync(QueryPayment action, CancellationToken cancellationToken) => throw failure;

        public Task<PaymentObservation> CaptureAsync(CapturePayment action, CancellationToken cancellationToken) => throw failure;

        public Task<PaymentObservation> CancelAsync(CancelPayment action, CancellationToken cancellationToken) => throw failure;

        public Task<PaymentObservation> RefundAsync(RefundPayment action, CancellationToken cancellationToken) => throw failure;

        public Task<PaymentObservation> AbortAsync(AbortPayment action, CancellationToken cancellationToken) => throw failure;
    }
}
