using System.Net;
using System.Net.Http.Headers;
using OrderPayments.Application.Payments;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;
using OrderPayments.Vipps.EPayment;
using OrderPayments.Vipps.Http;

namespace OrderPayments.Vipps.Tests.Http;

/// <summary>
/// The rate limit per payment reference through the real <c>AddVipps</c> pipeline (Vipps: 5 mutations and 120 queries
/// per reference per minute, shared/vipps/NOTES.md §9) on the manual clock: a call over the limit never reaches Vipps
/// and fails as Vipps' own 429 with Retry-After would, which the interpreters already retry.
/// </summary>
public sealed class VippsRateLimitTests
{
    private static readonly PaymentReference First = PaymentReference.Parse("order-42-1");
    private static readonly PaymentReference Second = PaymentReference.Parse("order-43-1");

    /// <summary>Long enough for a call that completes without the clock moving; a call that waits on the clock fails the test instead of hanging it.</summary>
    private static readonly TimeSpan NoWait = TimeSpan.FromSeconds(10);

    private static VippsTestHost Host(Dictionary<string, string?>? settings = null)
    {
        var host = new VippsTestHost(settings);
        host.Handler.Respond = (request, _) => Task.FromResult(FakeVippsHandler.Json(
            HttpStatusCode.OK,
            request.Method == HttpMethod.Get ? PaymentJson.Authorized : PaymentJson.Captured250));
        return host;
    }

    private static Task<VippsModificationResponse> Capture(VippsTestHost host, PaymentReference reference, int n = 1) =>
        host.EPayment.CaptureAsync(reference, new Money(10, Currency.NOK), IdempotencyKey.Parse($"{reference}-capture-{n}"), CancellationToken.None)
            .WaitAsync(NoWait);

    private static Task<VippsPayment> Get(VippsTestHost host, PaymentReference reference) =>
        host.EPayment.GetPaymentAsync(reference, CancellationToken.None).WaitAsync(NoWait);

    private static int SentFor(VippsTestHost host, PaymentReference reference) =>
        host.Handler.ApiRequests.Count(r => r.Path.Contains($"/{reference}", StringComparison.Ordinal));

    private static async Task CaptureTimes(VippsTestHost host, PaymentReference reference, int times)
    {
        for (var n = 1; n <= times; n++)
        {
            await Capture(host, reference, n);
        }
    }

    [Fact]
    public async Task Capture_SixthMutationForOneReferenceWithinAMinute_IsNotSentAndFailsAs429WithRetryAfter()
    {
        using var host = Host();
        await CaptureTimes(host, First, 5);

        var refused = await Should.ThrowAsync<VippsApiException>(() => Capture(host, First, 6));

        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        refused.IsTransient.ShouldBeTrue();
        refused.RetryAfter.ShouldNotBeNull();
        refused.RetryAfter.Value.ShouldBeInRange(TimeSpan.FromSeconds(50), TimeSpan.FromSeconds(70), "until the oldest calls leave the minute (10 s buckets, on the safe side)");
        refused.Detail.ShouldNotBeNull().ShouldStartWith("Not sent:");
        SentFor(host, First).ShouldBe(5, "the sixth never reached Vipps");
    }

    [Fact]
    public async Task Capture_OverTheLimitThroughTheProviderPort_IsATransientFailureWithRetryAfter()
    {
        // What the interpreters see: the embedded dispatcher reschedules a transient failure at its Retry-After; the
        // Functions activity throws it to the orchestrator's retry policy. The same as for Vipps' own 429.
        using var host = Host();
        var provider = host.Get<IEnumerable<IPaymentProvider>>().Single(p => p.Provider == PaymentProvider.Vipps);
        for (var n = 1; n <= 5; n++)
        {
            await provider.CaptureAsync(new CapturePayment(IdempotencyKey.Parse($"order-42-1-capture-{n}"), First, new Money(10, Currency.NOK), $"s{n}"), CancellationToken.None);
        }

        var failure = await Should.ThrowAsync<PaymentProviderException>(
            () => provider.CaptureAsync(new CapturePayment(IdempotencyKey.Parse("order-42-1-capture-6"), First, new Money(10, Currency.NOK), "s6"), CancellationToken.None).WaitAsync(NoWait));

        failure.IsTransient.ShouldBeTrue();
        failure.ErrorCode.ShouldBe("429");
        failure.RetryAfter.ShouldNotBeNull().ShouldBeGreaterThan(TimeSpan.Zero);
        SentFor(host, First).ShouldBe(5);
    }

    [Fact]
    public async Task Capture_AnotherReference_IsNotLimitedByTheFirst()
    {
        using var host = Host();
        await CaptureTimes(host, First, 5);
        await Should.ThrowAsync<VippsApiException>(() => Capture(host, First, 6));

        await Capture(host, Second);

        SentFor(host, Second).ShouldBe(1);
    }

    [Fact]
    public async Task Capture_AfterTheRetryAfterItWasGiven_IsSent()
    {
        using var host = Host();
        await CaptureTimes(host, First, 5);
        var refused = await Should.ThrowAsync<VippsApiException>(() => Capture(host, First, 6));

        host.Time.Advance(refused.RetryAfter!.Value);
        await Capture(host, First, 6);

        SentFor(host, First).ShouldBe(6);
    }

    [Fact]
    public async Task Capture_SpreadOverTheMinute_NeverMoreThanFiveInAnyMinute()
    {
        // Two calls, 40 s, three calls: the window slides, so 30 s later (70 s after the first two) there is room for
        // two again, not five as a fixed minute starting at the first call would give.
        using var host = Host();
        await CaptureTimes(host, First, 2);
        host.Time.Advance(TimeSpan.FromSeconds(40));
        for (var n = 3; n <= 5; n++)
        {
            await Capture(host, First, n);
        }

        host.Time.Advance(TimeSpan.FromSeconds(30));
        await Capture(host, First, 6);
        await Capture(host, First, 7);
        await Should.ThrowAsync<VippsApiException>(() => Capture(host, First, 8));

        SentFor(host, First).ShouldBe(7);
    }

    [Fact]
    public async Task Get_QueriesHaveTheirOwnLimit_120PerMinuteWhateverTheMutations()
    {
        using var host = Host();
        await CaptureTimes(host, First, 5);
        await Should.ThrowAsync<VippsApiException>(() => Capture(host, First, 6));

        for (var n = 0; n < 120; n++)
        {
            await Get(host, First);
        }

        var refused = await Should.ThrowAsync<VippsApiException>(() => Get(host, First));
        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        host.Handler.ApiRequests.Count(r => r.Method == HttpMethod.Get).ShouldBe(120);
        await Get(host, Second);
    }

    [Fact]
    public async Task Get_EventLogCountsAsAQuery()
    {
        using var host = Host(new() { ["Vipps:RateLimits:QueriesPerMinute"] = "2" });
        host.Handler.Respond = (request, _) => Task.FromResult(FakeVippsHandler.Json(
            HttpStatusCode.OK, request.Path.EndsWith("/events", StringComparison.Ordinal) ? "[]" : PaymentJson.Authorized));
        await Get(host, First);
        await host.EPayment.GetPaymentEventsAsync(First, CancellationToken.None).WaitAsync(NoWait);

        await Should.ThrowAsync<VippsApiException>(() => host.EPayment.GetPaymentEventsAsync(First, CancellationToken.None).WaitAsync(NoWait));
    }

    [Fact]
    public async Task Capture_Vipps429WithRetryAfter_PausesThatReferenceAndKindOnly()
    {
        using var host = Host();
        host.Handler.Respond = (request, _) =>
        {
            if (request.Method == HttpMethod.Post && request.Path.Contains($"/{First}/", StringComparison.Ordinal))
            {
                var tooMany = FakeVippsHandler.Problem(HttpStatusCode.TooManyRequests, title: "Too Many Requests");
                tooMany.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromMinutes(2));
                return Task.FromResult(tooMany);
            }

            return Task.FromResult(FakeVippsHandler.Json(HttpStatusCode.OK, request.Method == HttpMethod.Get ? PaymentJson.Authorized : PaymentJson.Captured250));
        };

        // Longer than MaxRetryDelay (30 s): not waited for in the call, but handed to the interpreter with the full wait.
        var answered = await Should.ThrowAsync<VippsApiException>(() => Capture(host, First, 1));
        answered.RetryAfter.ShouldBe(TimeSpan.FromMinutes(2));
        host.Time.Advance(TimeSpan.FromSeconds(30));
        var held = await Should.ThrowAsync<VippsApiException>(() => Capture(host, First, 2));

        held.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        held.RetryAfter.ShouldBe(TimeSpan.FromSeconds(90), "the rest of Vipps' Retry-After");
        host.Handler.ApiRequests.Count(r => r.Method == HttpMethod.Post && r.Path.Contains($"/{First}/", StringComparison.Ordinal)).ShouldBe(1, "the held call was not sent");
        await Capture(host, Second);
        await Get(host, First);
    }

    [Fact]
    public async Task Capture_BurstOfVipps429s_DoesNotUseUpTheReferencesCallsOfTheMinute()
    {
        // Refused calls are not counted: after six 429s (Retry-After 0) Vipps answers again, and so may the reference.
        using var host = Host();
        var refusals = 6;
        host.Handler.Respond = (request, _) =>
        {
            if (request.Method == HttpMethod.Post && Interlocked.Decrement(ref refusals) >= 0)
            {
                var tooMany = FakeVippsHandler.Problem(HttpStatusCode.TooManyRequests, title: "Too Many Requests");
                tooMany.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.Zero);
                return Task.FromResult(tooMany);
            }

            return Task.FromResult(FakeVippsHandler.Json(HttpStatusCode.OK, request.Method == HttpMethod.Get ? PaymentJson.Authorized : PaymentJson.Captured250));
        };

        // The first call and its 3 retries are refused by Vipps; the second call's attempts 5 and 6 too, its 7th is taken.
        var refused = await Should.ThrowAsync<VippsApiException>(() => Capture(host, First, 1));
        await Capture(host, First, 2);

        refused.Detail.ShouldNotStartWith("Not sent:");
        SentFor(host, First).ShouldBe(7, "the attempts after the fifth went to Vipps: the refused ones did not count");
    }

    [Fact]
    public async Task Capture_AfterVippsPauseHasPassed_IsSent()
    {
        using var host = Host();
        var answers = 0;
        host.Handler.Respond = (request, _) =>
        {
            if (request.Method == HttpMethod.Post && Interlocked.Increment(ref answers) == 1)
            {
                var tooMany = FakeVippsHandler.Problem(HttpStatusCode.TooManyRequests, title: "Too Many Requests");
                tooMany.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromMinutes(2));
                return Task.FromResult(tooMany);
            }

            return Task.FromResult(FakeVippsHandler.Json(HttpStatusCode.OK, PaymentJson.Captured250));
        };
        await Should.ThrowAsync<VippsApiException>(() => Capture(host, First, 1));

        host.Time.Advance(TimeSpan.FromMinutes(2));
        await Capture(host, First, 1);

        host.Handler.ApiRequests.Count().ShouldBe(2);
    }

    [Fact]
    public async Task Capture_SentAgainAfter401_StillCountsForItsReference()
    {
        // The authentication handler sends a copy of the request with a fresh token; the copy keeps the call's reference
        // and kind, so the resend is counted as the request Vipps sees.
        using var host = Host();
        var answers = 0;
        host.Handler.Respond = (_, _) => Task.FromResult(Interlocked.Increment(ref answers) == 1
            ? FakeVippsHandler.Problem(HttpStatusCode.Unauthorized, title: "Unauthorized")
            : FakeVippsHandler.Json(HttpStatusCode.OK, PaymentJson.Captured250));

        await CaptureTimes(host, First, 4);
        await Should.ThrowAsync<VippsApiException>(() => Capture(host, First, 5));

        SentFor(host, First).ShouldBe(5, "4 captures, one of them twice");
    }

    [Fact]
    public async Task Capture_RateLimitsDisabled_SendsEveryCall()
    {
        using var host = Host(new() { ["Vipps:RateLimits:Enabled"] = "false" });

        await CaptureTimes(host, First, 8);

        SentFor(host, First).ShouldBe(8);
    }

    [Fact]
    public async Task Capture_LimitFromSettings_IsUsed()
    {
        using var host = Host(new() { ["Vipps:RateLimits:MutationsPerMinute"] = "2" });
        await CaptureTimes(host, First, 2);

        await Should.ThrowAsync<VippsApiException>(() => Capture(host, First, 3));

        SentFor(host, First).ShouldBe(2);
    }

    [Fact]
    public async Task Register_WebhookCalls_AreNotLimitedPerReference()
    {
        using var host = Host(new() { ["Vipps:RateLimits:MutationsPerMinute"] = "1", ["Vipps:RateLimits:QueriesPerMinute"] = "1" });
        host.Handler.Respond = (_, _) => Task.FromResult(FakeVippsHandler.Json(HttpStatusCode.OK, """{"webhooks":[]}"""));

        for (var n = 0; n < 3; n++)
        {
            await host.Webhooks.ListAsync(CancellationToken.None).WaitAsync(NoWait);
        }

        host.Handler.ApiRequests.Count().ShouldBe(3);
    }
}
