using System.Net;
using OrderPayments.Domain;
using OrderPayments.Vipps.EPayment;
using OrderPayments.Vipps.Http;

namespace PaymentSimulator.Tests;

public sealed class FaultSimulatorTests
{
    private static readonly PaymentReference Reference = PaymentReference.Parse("order-42-1");

    private static async Task Authorized(SimulatorHost sim)
    {
        await sim.EPayment.CreatePaymentAsync(
            new VippsCreatePaymentRequest(new Money(1000, Currency.NOK), new VippsPaymentMethod("WALLET"), "order-42-1", UserFlow.WebRedirect, "https://shop.example/return", "Two books", null),
            IdempotencyKey.Parse("c-1"),
            CancellationToken.None);
        await sim.Control("payments/order-42-1/approve");
    }

    [Fact]
    public async Task Fault_ErrorRate_AnswersTheConfiguredStatusWithoutApplying()
    {
        await using var sim = await SimulatorHost.StartAsync();
        await Authorized(sim);
        await sim.Control("faults", """{"errorRate":1,"errorStatuses":[503]}""");

        var error = await Should.ThrowAsync<VippsApiException>(() => sim.EPayment.CaptureAsync(Reference, new Money(100, Currency.NOK), IdempotencyKey.Parse("cap-1"), CancellationToken.None));
        await sim.Control("faults", "{}");

        error.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        error.IsTransient.ShouldBeTrue();
        (await sim.EPayment.GetPaymentAsync(Reference, CancellationToken.None)).Aggregate.CapturedAmount.Value.ShouldBe(0);
        (await sim.SendAsync(HttpMethod.Get, "control/stats")).Body!["injected"]!["status503"]!.GetValue<long>().ShouldBe(1);
    }

    [Fact]
    public async Task Fault_TooManyRequestsBurst_Answers429WithRetryAfterThenRecovers()
    {
        await using var sim = await SimulatorHost.StartAsync();
        await Authorized(sim);
        await sim.Control("faults", """{"tooManyRequests":2,"retryAfterSeconds":7}""");

        var first = await Should.ThrowAsync<VippsApiException>(() => sim.EPayment.GetPaymentAsync(Reference, CancellationToken.None));
        await Should.ThrowAsync<VippsApiException>(() => sim.EPayment.GetPaymentAsync(Reference, CancellationToken.None));
        var third = await sim.EPayment.GetPaymentAsync(Reference, CancellationToken.None);

        first.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        first.RetryAfter.ShouldBe(TimeSpan.FromSeconds(7));
        third.State.ShouldBe(VippsPaymentState.Authorized);
    }

    [Fact]
    public async Task Fault_ConnectionDroppedAfterApply_TheClientFailsButTheCaptureHappened()
    {
        await using var sim = await SimulatorHost.StartAsync();
        await Authorized(sim);
        await sim.Control("faults", """{"dropAfterApplyRate":1}""");

        await Should.ThrowAsync<HttpRequestException>(() => sim.EPayment.CaptureAsync(Reference, new Money(400, Currency.NOK), IdempotencyKey.Parse("cap-1"), CancellationToken.None));
        await sim.Control("faults", "{}");
        var retried = await sim.EPayment.CaptureAsync(Reference, new Money(400, Currency.NOK), IdempotencyKey.Parse("cap-1"), CancellationToken.None);

        retried.Aggregate.CapturedAmount.Value.ShouldBe(400, "the retry with the same key is the same capture");
        var stats = (await sim.SendAsync(HttpMethod.Get, "control/stats")).Body!;
        stats["appliedPerIdempotencyKey"]!["cap-1"]!.GetValue<long>().ShouldBe(1);
        stats["injected"]!["droppedAfterApply"]!.GetValue<long>().ShouldBe(1);
    }

    [Fact]
    public async Task Fault_Latency_IsAddedAndCounted()
    {
        await using var sim = await SimulatorHost.StartAsync();
        await Authorized(sim);
        await sim.Control("faults", """{"latencyMilliseconds":150}""");

        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        await sim.EPayment.GetPaymentAsync(Reference, CancellationToken.None);

        elapsed.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(140));
        (await sim.SendAsync(HttpMethod.Get, "control/stats")).Body!["injected"]!["latency"]!.GetValue<long>().ShouldBe(1);
    }

    [Fact]
    public async Task Faults_SetPerRunInConfiguration_ApplyFromTheStart()
    {
        await using var sim = await SimulatorHost.StartAsync(new() { ["Simulator:Faults:TooManyRequests"] = "1" });

        var (status, _) = await sim.SendAsync(HttpMethod.Get, "epayment/v1/payments/order-42-1");

        status.ShouldBe(429);
    }
}
