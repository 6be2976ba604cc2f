using System.Net;
using OrderPayments.Application.Payments;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;
using OrderPayments.Vipps.EPayment;
using OrderPayments.Vipps.Http;

namespace PaymentSimulator.Tests;

/// <summary>The project's own Vipps client against the simulator: only the base URL differs from production.</summary>
public sealed class EPaymentSimulatorTests
{
    private static readonly Money Nok1000 = new(1000, Currency.NOK);

    private static VippsCreatePaymentRequest Create(string reference, long amount = 1000) =>
        new(new Money(amount, Currency.NOK), new VippsPaymentMethod("WALLET"), reference, UserFlow.WebRedirect, "https://shop.example/return", "Two books", null);

    private static IdempotencyKey Key(string value) => IdempotencyKey.Parse(value);

    [Fact]
    public async Task Lifecycle_CreateApproveCaptureRefund_ReportsStateAggregateAndEvents()
    {
        await using var sim = await SimulatorHost.StartAsync();
        var reference = PaymentReference.Parse("order-42-1");

        var created = await sim.EPayment.CreatePaymentAsync(Create("order-42-1"), Key("order-42-1-create-1"), CancellationToken.None);
        (await sim.Control("payments/order-42-1/approve")).Status.ShouldBe(200);
        await sim.EPayment.CaptureAsync(reference, new Money(400, Currency.NOK), Key("order-42-1-capture-1"), CancellationToken.None);
        await sim.EPayment.CaptureAsync(reference, new Money(600, Currency.NOK), Key("order-42-1-capture-2"), CancellationToken.None);
        var refunded = await sim.EPayment.RefundAsync(reference, new Money(100, Currency.NOK), Key("order-42-1-refund-1"), CancellationToken.None);
        var events = await sim.EPayment.GetPaymentEventsAsync(reference, CancellationToken.None);

        created.RedirectUrl.ShouldStartWith($"{sim.BaseUrl}/landing/order-42-1?token=");
        refunded.State.ShouldBe(VippsPaymentState.Authorized);
        refunded.Aggregate.ShouldBe(new VippsAggregate(Nok1000, Money.Zero(Currency.NOK), Nok1000, new Money(100, Currency.NOK)));
        events.Select(e => e.Name).ShouldBe(["CREATED", "AUTHORIZED", "CAPTURED", "CAPTURED", "REFUNDED"]);
        events.Single(e => e.Name == "REFUNDED").IdempotencyKey.ShouldBe("order-42-1-refund-1");
    }

    [Fact]
    public async Task ProviderAdapter_ThroughTheActivityRunner_WorksUnchanged()
    {
        await using var sim = await SimulatorHost.StartAsync();
        var activities = new PaymentActivities(sim.Client<IEnumerable<IPaymentProvider>>());
        var reference = PaymentReference.Parse("order-7-00001");

        var created = await activities.ExecuteAsync(PaymentProvider.Vipps, new CreatePayment(Key("order-7-1-create-1"), reference, PaymentProvider.Vipps, Nok1000, "Books", UserFlow.WebRedirect, "https://shop.example/r", null), CancellationToken.None);
        await sim.Control("payments/order-7-00001/approve");
        var queried = await activities.ExecuteAsync(PaymentProvider.Vipps, new QueryPayment(Key("order-7-1-query-1"), reference), CancellationToken.None);
        var tooMuch = await activities.ExecuteAsync(PaymentProvider.Vipps, new CapturePayment(Key("order-7-1-capture-1"), reference, new Money(2000, Currency.NOK), "s-1"), CancellationToken.None);

        created.ShouldBeOfType<ActivitySucceeded>().RedirectUrl.ShouldNotBeNull();
        queried.ShouldBeOfType<ActivitySucceeded>().Observation!.State.ShouldBe(ProviderPaymentState.Authorized);
        tooMuch.ShouldBeOfType<ActivityFailed>().ErrorCode.ShouldBe("6090");
    }

    [Fact]
    public async Task Cancel_BeforeAuthorization_IsTerminatedWithTheAmountCancelled()
    {
        await using var sim = await SimulatorHost.StartAsync();
        await sim.EPayment.CreatePaymentAsync(Create("order-42-1"), Key("c-1"), CancellationToken.None);

        var cancelled = await sim.EPayment.CancelAsync(PaymentReference.Parse("order-42-1"), true, Key("x-1"), CancellationToken.None);

        cancelled.State.ShouldBe(VippsPaymentState.Terminated);
        cancelled.Aggregate.CancelledAmount.ShouldBe(Nok1000);
        cancelled.Aggregate.AuthorizedAmount.Value.ShouldBe(0);
    }

    [Fact]
    public async Task Cancel_AfterPartialCapture_ReleasesTheRest()
    {
        await using var sim = await SimulatorHost.StartAsync();
        var reference = PaymentReference.Parse("order-42-1");
        await sim.EPayment.CreatePaymentAsync(Create("order-42-1"), Key("c-1"), CancellationToken.None);
        await sim.Control("payments/order-42-1/approve");
        await sim.EPayment.CaptureAsync(reference, new Money(250, Currency.NOK), Key("k-1"), CancellationToken.None);

        var released = await sim.EPayment.CancelAsync(reference, false, Key("k-2"), CancellationToken.None);

        released.State.ShouldBe(VippsPaymentState.Authorized);
        released.Aggregate.CapturedAmount.Value.ShouldBe(250);
        released.Aggregate.CancelledAmount.Value.ShouldBe(750);
    }

    [Theory]
    [InlineData("capture-before-authorization", "6080")]
    [InlineData("capture-too-high", "6090")]
    [InlineData("capture-after-cancel", "6070")]
    [InlineData("cancel-authorized-transaction-only", "6060")]
    [InlineData("cancel-captured", "6040")]
    [InlineData("cancel-terminated", "6050")]
    [InlineData("refund-too-much", "6150")]
    [InlineData("refund-period-expired-magic-124", "6220")]
    public async Task Operation_RefusedByTheRules_AnswersTheDocumentedCode(string scenario, string code)
    {
        await using var sim = await SimulatorHost.StartAsync();
        var reference = PaymentReference.Parse("order-42-1");
        await sim.EPayment.CreatePaymentAsync(Create("order-42-1"), Key("c-1"), CancellationToken.None);
        if (scenario != "capture-before-authorization" && scenario != "cancel-terminated")
        {
            await sim.Control("payments/order-42-1/approve");
        }

        Task Act() => scenario switch
        {
            "capture-before-authorization" => sim.EPayment.CaptureAsync(reference, Nok1000, Key("k-1"), CancellationToken.None),
            "capture-too-high" => sim.EPayment.CaptureAsync(reference, new Money(1001, Currency.NOK), Key("k-1"), CancellationToken.None),
            "capture-after-cancel" => sim.EPayment.CancelAsync(reference, false, Key("k-0"), CancellationToken.None)
                .ContinueWith(_ => sim.EPayment.CaptureAsync(reference, new Money(1, Currency.NOK), Key("k-1"), CancellationToken.None), TaskScheduler.Default).Unwrap(),
            "cancel-authorized-transaction-only" => sim.EPayment.CancelAsync(reference, true, Key("k-1"), CancellationToken.None),
            "cancel-captured" => sim.EPayment.CaptureAsync(reference, Nok1000, Key("k-0"), CancellationToken.None)
                .ContinueWith(_ => sim.EPayment.CancelAsync(reference, false, Key("k-1"), CancellationToken.None), TaskScheduler.Default).Unwrap(),
            "cancel-terminated" => sim.EPayment.CancelAsync(reference, true, Key("k-0"), CancellationToken.None)
                .ContinueWith(_ => sim.EPayment.CancelAsync(reference, false, Key("k-1"), CancellationToken.None), TaskScheduler.Default).Unwrap(),
            "refund-too-much" => sim.EPayment.CaptureAsync(reference, new Money(500, Currency.NOK), Key("k-0"), CancellationToken.None)
                .ContinueWith(_ => sim.EPayment.RefundAsync(reference, new Money(501, Currency.NOK), Key("k-1"), CancellationToken.None), TaskScheduler.Default).Unwrap(),
            _ => sim.EPayment.CaptureAsync(reference, Nok1000, Key("k-0"), CancellationToken.None)
                .ContinueWith(_ => sim.EPayment.RefundAsync(reference, new Money(124, Currency.NOK), Key("k-1"), CancellationToken.None), TaskScheduler.Default).Unwrap(),
        };

        var error = await Should.ThrowAsync<VippsApiException>(Act);

        error.ErrorCode.ShouldBe(code);
        error.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        error.TraceId.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task Idempotency_SameKeyAndBody_ReplaysTheAnswerAndAppliesOnce()
    {
        await using var sim = await SimulatorHost.StartAsync();
        var reference = PaymentReference.Parse("order-42-1");
        await sim.EPayment.CreatePaymentAsync(Create("order-42-1"), Key("c-1"), CancellationToken.None);
        await sim.Control("payments/order-42-1/approve");

        var first = await sim.EPayment.CaptureAsync(reference, new Money(300, Currency.NOK), Key("cap-1"), CancellationToken.None);
        var again = await sim.EPayment.CaptureAsync(reference, new Money(300, Currency.NOK), Key("cap-1"), CancellationToken.None);
        var stats = (await sim.SendAsync(HttpMethod.Get, "control/stats")).Body!;

        again.ShouldBe(first);
        again.Aggregate.CapturedAmount.Value.ShouldBe(300);
        stats["appliedPerIdempotencyKey"]!["cap-1"]!.GetValue<long>().ShouldBe(1);
        stats["replayedPerIdempotencyKey"]!["cap-1"]!.GetValue<long>().ShouldBe(1);
    }

    [Fact]
    public async Task Idempotency_SameKeyOtherBody_Is409With4010ForCaptures()
    {
        await using var sim = await SimulatorHost.StartAsync();
        var reference = PaymentReference.Parse("order-42-1");
        await sim.EPayment.CreatePaymentAsync(Create("order-42-1"), Key("c-1"), CancellationToken.None);
        await sim.Control("payments/order-42-1/approve");
        await sim.EPayment.CaptureAsync(reference, new Money(300, Currency.NOK), Key("cap-1"), CancellationToken.None);

        var error = await Should.ThrowAsync<VippsApiException>(() => sim.EPayment.CaptureAsync(reference, new Money(301, Currency.NOK), Key("cap-1"), CancellationToken.None));

        error.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        error.ErrorCode.ShouldBe("4010");
    }

    [Fact]
    public async Task Idempotency_ReferenceReusedWithANewKey_Is409With4150()
    {
        await using var sim = await SimulatorHost.StartAsync();
        await sim.EPayment.CreatePaymentAsync(Create("order-42-1"), Key("c-1"), CancellationToken.None);

        var error = await Should.ThrowAsync<VippsApiException>(() => sim.EPayment.CreatePaymentAsync(Create("order-42-1"), Key("c-2"), CancellationToken.None));

        error.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        error.ErrorCode.ShouldBe("4150");
    }

    [Fact]
    public async Task Idempotency_KeyReusedForAnotherOperation_Is409With4020()
    {
        await using var sim = await SimulatorHost.StartAsync();
        await sim.EPayment.CreatePaymentAsync(Create("order-42-1"), Key("same-key"), CancellationToken.None);
        await sim.Control("payments/order-42-1/approve");

        var error = await Should.ThrowAsync<VippsApiException>(() =>
            sim.EPayment.CaptureAsync(PaymentReference.Parse("order-42-1"), Nok1000, Key("same-key"), CancellationToken.None));

        error.ErrorCode.ShouldBe("4020");
    }

    [Fact]
    public async Task Expiry_AnUnansweredPayment_ExpiresAfterTheWindowAndNotBefore()
    {
        await using var sim = await SimulatorHost.StartAsync();
        var reference = PaymentReference.Parse("order-42-1");
        await sim.EPayment.CreatePaymentAsync(Create("order-42-1"), Key("c-1"), CancellationToken.None);

        sim.Time.Advance(TimeSpan.FromMinutes(9.9));
        (await sim.EPayment.GetPaymentAsync(reference, CancellationToken.None)).State.ShouldBe(VippsPaymentState.Created);
        sim.Time.Advance(TimeSpan.FromMinutes(0.1));

        (await sim.EPayment.GetPaymentAsync(reference, CancellationToken.None)).State.ShouldBe(VippsPaymentState.Expired);
        (await sim.EPayment.GetPaymentEventsAsync(reference, CancellationToken.None)).Select(e => e.Name).ShouldBe(["CREATED", "EXPIRED"]);
    }

    [Fact]
    public async Task ControlClock_Advance_MovesTheSimulatorsTime()
    {
        await using var sim = await SimulatorHost.StartAsync();
        await sim.EPayment.CreatePaymentAsync(Create("order-42-1"), Key("c-1"), CancellationToken.None);

        (await sim.Control("clock/advance", """{"seconds":600}""")).Status.ShouldBe(200);

        (await sim.EPayment.GetPaymentAsync(PaymentReference.Parse("order-42-1"), CancellationToken.None)).State.ShouldBe(VippsPaymentState.Expired);
    }

    [Theory]
    [InlineData(151)]
    [InlineData(182)]
    [InlineData(183)]
    [InlineData(184)]
    [InlineData(186)]
    [InlineData(187)]
    [InlineData(197)]
    [InlineData(202)]
    public async Task MagicAmount_RefusedApproval_LeavesThePaymentCreated(long amount)
    {
        await using var sim = await SimulatorHost.StartAsync();
        await sim.EPayment.CreatePaymentAsync(Create("order-42-1", amount), Key("c-1"), CancellationToken.None);

        var approve = await sim.Control("payments/order-42-1/approve");

        approve.Status.ShouldBe(409);
        (await sim.EPayment.GetPaymentAsync(PaymentReference.Parse("order-42-1"), CancellationToken.None)).State.ShouldBe(VippsPaymentState.Created);
    }

    [Fact]
    public async Task MagicAmount201_UnknownResult_StaysCreatedPastTheNormalWindowForAnHour()
    {
        await using var sim = await SimulatorHost.StartAsync();
        var reference = PaymentReference.Parse("order-42-1");
        await sim.EPayment.CreatePaymentAsync(Create("order-42-1", 201), Key("c-1"), CancellationToken.None);

        (await sim.Control("payments/order-42-1/approve")).Status.ShouldBe(202);
        sim.Time.Advance(TimeSpan.FromMinutes(30));
        (await sim.EPayment.GetPaymentAsync(reference, CancellationToken.None)).State.ShouldBe(VippsPaymentState.Created);
        sim.Time.Advance(TimeSpan.FromMinutes(30));

        (await sim.EPayment.GetPaymentAsync(reference, CancellationToken.None)).State.ShouldBe(VippsPaymentState.Expired);
    }

    [Fact]
    public async Task MagicRefundAmount123_IsRefusedAndNothingIsRefunded()
    {
        await using var sim = await SimulatorHost.StartAsync();
        var reference = PaymentReference.Parse("order-42-1");
        await sim.EPayment.CreatePaymentAsync(Create("order-42-1"), Key("c-1"), CancellationToken.None);
        await sim.Control("payments/order-42-1/approve");
        await sim.EPayment.CaptureAsync(reference, Nok1000, Key("cap-1"), CancellationToken.None);

        var error = await Should.ThrowAsync<VippsApiException>(() => sim.EPayment.RefundAsync(reference, new Money(123, Currency.NOK), Key("ref-1"), CancellationToken.None));

        error.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await sim.EPayment.GetPaymentAsync(reference, CancellationToken.None)).Aggregate.RefundedAmount.Value.ShouldBe(0);
    }

    [Fact]
    public async Task ControlExpire_MakesThePaymentExpiredAtOnce()
    {
        await using var sim = await SimulatorHost.StartAsync();
        await sim.EPayment.CreatePaymentAsync(Create("order-42-1"), Key("c-1"), CancellationToken.None);

        await sim.Control("payments/order-42-1/expire");

        (await sim.EPayment.GetPaymentAsync(PaymentReference.Parse("order-42-1"), CancellationToken.None)).State.ShouldBe(VippsPaymentState.Expired);
    }

    [Fact]
    public async Task ControlReject_MakesThePaymentAborted()
    {
        await using var sim = await SimulatorHost.StartAsync();
        await sim.EPayment.CreatePaymentAsync(Create("order-42-1"), Key("c-1"), CancellationToken.None);

        await sim.Control("payments/order-42-1/reject");

        (await sim.EPayment.GetPaymentAsync(PaymentReference.Parse("order-42-1"), CancellationToken.None)).State.ShouldBe(VippsPaymentState.Aborted);
    }

    [Fact]
    public async Task ForceApprove_TestEndpoint_AuthorizesThePayment()
    {
        await using var sim = await SimulatorHost.StartAsync();
        var reference = PaymentReference.Parse("order-42-1");
        await sim.EPayment.CreatePaymentAsync(Create("order-42-1"), Key("c-1"), CancellationToken.None);

        await sim.EPayment.ForceApproveAsync(reference, "4712345678", CancellationToken.None);

        (await sim.EPayment.GetPaymentAsync(reference, CancellationToken.None)).State.ShouldBe(VippsPaymentState.Authorized);
    }

    [Fact]
    public async Task Create_ManyConcurrently_AllSucceedWithDistinctPspReferences()
    {
        await using var sim = await SimulatorHost.StartAsync();

        var created = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            sim.EPayment.CreatePaymentAsync(Create($"order-{i:D4}-1"), Key($"order-{i:D4}-1-create-1"), CancellationToken.None)));
        var payments = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            sim.EPayment.GetPaymentAsync(PaymentReference.Parse($"order-{i:D4}-1"), CancellationToken.None)));

        created.Length.ShouldBe(200);
        payments.Select(p => p.PspReference).Distinct().Count().ShouldBe(200);
    }
}
