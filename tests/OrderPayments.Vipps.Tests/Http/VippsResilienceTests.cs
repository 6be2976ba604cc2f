using System.Net;
using OrderPayments.Domain;
using OrderPayments.Vipps.Http;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace OrderPayments.Vipps.Tests.Http;

public sealed class VippsResilienceTests
{
    private static readonly PaymentReference Reference = PaymentReference.Parse("order-42-1");
    private static readonly IdempotencyKey Key = IdempotencyKey.Parse("order-42-1-capture-1");

    /// <summary>Answers with the given responses in turn, then 200.</summary>
    private static Func<RecordedRequest, CancellationToken, Task<HttpResponseMessage>> InTurn(params Func<HttpResponseMessage>[] responses)
    {
        var next = 0;
        return (_, _) =>
        {
            var index = Interlocked.Increment(ref next) - 1;
            return Task.FromResult(index < responses.Length ? responses[index]() : FakeVippsHandler.Json(HttpStatusCode.OK, PaymentJson.Captured250));
        };
    }

    private static Task<OrderPayments.Vipps.EPayment.VippsModificationResponse> Capture(VippsTestHost host) =>
        host.EPayment.CaptureAsync(Reference, new Money(250, Currency.NOK), Key, CancellationToken.None);

    [Fact]
    public async Task Call_429WithRetryAfter_WaitsThatLongThenRetriesTheSameRequest()
    {
        using var host = new VippsTestHost();
        host.Handler.Respond = InTurn(() =>
        {
            var response = FakeVippsHandler.Json(HttpStatusCode.TooManyRequests, """{"title":"Too many requests"}""");
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
            return response;
        });

        await host.Drive(Capture(host));

        var attempts = host.Handler.ApiRequests.ToList();
        attempts.Count.ShouldBe(2);
        (attempts[1].At - attempts[0].At).ShouldBeInRange(TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(20), "Retry-After, not the ~0.5 s backoff nor the 30 s cap");
        attempts[1].Body.ShouldBe(attempts[0].Body);
        attempts[1].Header("Idempotency-Key").ShouldBe("order-42-1-capture-1");
    }

    [Fact]
    public async Task Call_429WithRetryAfterAboveTheMaximum_IsHandedToTheCallerWithTheFullWait()
    {
        // Waiting the maximum (30 s) and sending again would only be refused (and the rate limit holds the reference for
        // the full Retry-After): the caller gets the 429 at once, and its interpreter retries the activity after 5 min.
        using var host = new VippsTestHost();
        host.Handler.Respond = InTurn(() =>
        {
            var response = FakeVippsHandler.Json(HttpStatusCode.TooManyRequests, """{"title":"Too many requests"}""");
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromMinutes(5));
            return response;
        });

        var refused = await Should.ThrowAsync<VippsApiException>(() => Capture(host).WaitAsync(TimeSpan.FromSeconds(10)));

        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        refused.RetryAfter.ShouldBe(TimeSpan.FromMinutes(5));
        host.Handler.ApiRequests.Count().ShouldBe(1);
    }

    [Fact]
    public async Task Call_429WithRetryAfterDate_WaitsUntilThenOnTheInjectedClock()
    {
        // An HTTP-date Retry-After is read against the host's TimeProvider (here the test clock), not the machine's.
        using var host = new VippsTestHost();
        host.Handler.Respond = InTurn(() =>
        {
            var response = FakeVippsHandler.Json(HttpStatusCode.TooManyRequests, """{"title":"Too many requests"}""");
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(host.Time.GetUtcNow().AddSeconds(8));
            return response;
        });

        await host.Drive(Capture(host));

        var attempts = host.Handler.ApiRequests.ToList();
        attempts.Count.ShouldBe(2);
        (attempts[1].At - attempts[0].At).ShouldBeInRange(TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(20));
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    [InlineData(HttpStatusCode.Locked)]
    public async Task Call_TransientStatus_IsRetried(HttpStatusCode status)
    {
        using var host = new VippsTestHost();
        host.Handler.Respond = InTurn(() => FakeVippsHandler.Problem(status));

        var result = await host.Drive(Capture(host));

        result.Aggregate.CapturedAmount.Value.ShouldBe(250);
        host.Handler.ApiRequests.Count().ShouldBe(2);
    }

    [Fact]
    public async Task Call_RetryCodeInA4xx_IsRetried()
    {
        using var host = new VippsTestHost();
        host.Handler.Respond = InTurn(() => FakeVippsHandler.Problem(HttpStatusCode.BadRequest, "6280", "Capture failed"));

        await host.Drive(Capture(host));

        host.Handler.ApiRequests.Count().ShouldBe(2);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, "6090")]
    [InlineData(HttpStatusCode.Conflict, "4010")]
    [InlineData(HttpStatusCode.NotFound, null)]
    public async Task Call_BusinessRejection_IsNotRetried(HttpStatusCode status, string? code)
    {
        using var host = new VippsTestHost();
        host.Handler.Respond = InTurn(() => FakeVippsHandler.Problem(status, code));

        var error = await Should.ThrowAsync<VippsApiException>(() => host.Drive(Capture(host)));

        error.StatusCode.ShouldBe(status);
        error.IsTransient.ShouldBeFalse();
        host.Handler.ApiRequests.Count().ShouldBe(1);
    }

    [Fact]
    public async Task Call_AttemptHangsPastTheAttemptTimeout_IsAbandonedAndRetried()
    {
        using var host = new VippsTestHost();
        var calls = 0;
        host.Handler.Respond = async (_, cancellationToken) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            }

            return FakeVippsHandler.Json(HttpStatusCode.OK, PaymentJson.Captured250);
        };

        await host.Drive(Capture(host));

        var attempts = host.Handler.ApiRequests.ToList();
        attempts.Count.ShouldBe(2);
        (attempts[1].At - attempts[0].At).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Call_StillFailingAfterAllRetries_ThrowsTheLastTransientProblem()
    {
        using var host = new VippsTestHost();
        host.Handler.Respond = (_, _) => Task.FromResult(FakeVippsHandler.Problem(HttpStatusCode.ServiceUnavailable));

        var error = await Should.ThrowAsync<VippsApiException>(() => host.Drive(Capture(host)));

        error.IsTransient.ShouldBeTrue();
        host.Handler.ApiRequests.Count().ShouldBe(4);
    }

    [Fact]
    public async Task Call_ManyFailures_OpenThatClientsCircuitOnlyAndFailFast()
    {
        // One circuit per HTTP client (token, ePayment, webhooks), since the pipelines come from
        // Microsoft.Extensions.Http.Resilience (one per client). The successful token call no longer counts: two
        // failed captures (2 of 2, under the minimum throughput of 3) leave the ePayment circuit closed; the third
        // opens it (3 of 3 ≥ 60 %); the webhooks client's circuit stays closed.
        using var host = new VippsTestHost(new()
        {
            ["Vipps:MaxRetryAttempts"] = "0",
            ["Vipps:CircuitBreakerMinimumThroughput"] = "3",
            ["Vipps:CircuitBreakerFailureRatio"] = "0.6",
        });
        host.Handler.Respond = (_, _) => Task.FromResult(FakeVippsHandler.Problem(HttpStatusCode.ServiceUnavailable));
        await Should.ThrowAsync<VippsApiException>(() => Capture(host));
        await Should.ThrowAsync<VippsApiException>(() => Capture(host));
        await Should.ThrowAsync<VippsApiException>(() => Capture(host));

        await Should.ThrowAsync<BrokenCircuitException>(() => Capture(host));

        host.Handler.ApiRequests.Count().ShouldBe(3);
        await Should.ThrowAsync<VippsApiException>(() => host.Webhooks.ListAsync(CancellationToken.None));
        host.Handler.ApiRequests.Count().ShouldBe(4, "the webhooks client's circuit is its own and closed: its call reached Vipps");
    }

    [Fact]
    public async Task Call_HangingThroughTheTotalBudget_GivesUpWhenTheBudgetIsSpent()
    {
        using var host = new VippsTestHost(new() { ["Vipps:TotalTimeout"] = "00:00:15" });
        host.Handler.Respond = async (_, cancellationToken) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            throw new InvalidOperationException("unreachable");
        };

        await Should.ThrowAsync<TimeoutRejectedException>(() => host.Drive(Capture(host)));

        var elapsed = host.Time.GetUtcNow() - VippsTestHost.Start;
        elapsed.ShouldBeInRange(TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(25));
        host.Handler.ApiRequests.Count().ShouldBe(2, "one 10 s attempt, then a second cut short by the 15 s budget");
    }
}
