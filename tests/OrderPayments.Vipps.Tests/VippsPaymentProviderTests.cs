using System.Net;
using System.Text.Json.Nodes;
using OrderPayments.Application.Payments;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;

namespace OrderPayments.Vipps.Tests;

public sealed class VippsPaymentProviderTests
{
    private static readonly PaymentReference Reference = PaymentReference.Parse("order-42-1");

    private static Money Nok(long value) => new(value, Currency.NOK);

    private static IPaymentProvider Provider(VippsTestHost host) => host.Get<IEnumerable<IPaymentProvider>>().Single(p => p.Provider == PaymentProvider.Vipps);

    [Fact]
    public async Task Create_WorkflowAction_BecomesAWalletPaymentWithTheWorkflowsKey()
    {
        using var host = new VippsTestHost();
        host.Handler.Respond = (_, _) => Task.FromResult(FakeVippsHandler.Json(HttpStatusCode.Created, """{"redirectUrl":"https://landing.vipps.no?token=abc","reference":"order-42-1"}"""));
        var action = new CreatePayment(IdempotencyKey.Parse("order-42-1-create-1"), Reference, PaymentProvider.Vipps, Nok(1000), "Two books", UserFlow.WebRedirect, "https://shop.example/return", null);

        var created = await Provider(host).CreateAsync(action, CancellationToken.None);

        created.RedirectUrl.ShouldBe("https://landing.vipps.no?token=abc");
        var request = host.Handler.ApiRequests.ShouldHaveSingleItem();
        request.Header("Idempotency-Key").ShouldBe("order-42-1-create-1");
        var body = JsonNode.Parse(request.Body!)!;
        body["paymentMethod"]!["type"]!.GetValue<string>().ShouldBe("WALLET");
        body["paymentDescription"]!.GetValue<string>().ShouldBe("Two books");
        body["customer"].ShouldBeNull();
    }

    [Fact]
    public async Task Query_AuthorizedPayment_BecomesAnObservation()
    {
        using var host = new VippsTestHost();
        host.Handler.Respond = (_, _) => Task.FromResult(FakeVippsHandler.Json(HttpStatusCode.OK, PaymentJson.Authorized));

        var observation = await Provider(host).QueryAsync(new QueryPayment(IdempotencyKey.Parse("query-1"), Reference), CancellationToken.None);

        observation.ShouldBe(new PaymentObservation(Reference, ProviderPaymentState.Authorized, new PaymentAggregate(Nok(1000), Nok(0), Nok(0), Nok(0))));
    }

    [Fact]
    public async Task Cancel_BeforeAuthorization_ReportsTerminatedWithTheAmountCancelled()
    {
        using var host = new VippsTestHost();
        host.Handler.Respond = (_, _) => Task.FromResult(FakeVippsHandler.Json(HttpStatusCode.OK, PaymentJson.Terminated));

        var observation = await Provider(host).CancelAsync(new CancelPayment(IdempotencyKey.Parse("order-42-1-cancel-1"), Reference, true), CancellationToken.None);

        observation.State.ShouldBe(ProviderPaymentState.Terminated);
        observation.Aggregate.Cancelled.ShouldBe(Nok(1000));
        host.Handler.ApiRequests.Single().Body.ShouldBe("""{"cancelTransactionOnly":true}""");
    }

    [Fact]
    public async Task Capture_RefusedWithACode_IsAPermanentFailureCarryingTheCode()
    {
        using var host = new VippsTestHost();
        host.Handler.Respond = (_, _) => Task.FromResult(FakeVippsHandler.Problem(HttpStatusCode.BadRequest, "6090", "Capture amount too high"));

        var error = await Should.ThrowAsync<PaymentProviderException>(() =>
            Provider(host).CaptureAsync(new CapturePayment(IdempotencyKey.Parse("order-42-1-capture-1"), Reference, Nok(2000), "s-1"), CancellationToken.None));

        error.IsTransient.ShouldBeFalse();
        error.ErrorCode.ShouldBe("6090");
        error.Message.ShouldContain("trace-123");
    }

    [Fact]
    public async Task Query_UnknownReferenceWithoutACode_IsPermanentWithTheStatus()
    {
        using var host = new VippsTestHost();
        host.Handler.Respond = (_, _) => Task.FromResult(FakeVippsHandler.Problem(HttpStatusCode.NotFound));

        var error = await Should.ThrowAsync<PaymentProviderException>(() => Provider(host).QueryAsync(new QueryPayment(IdempotencyKey.Parse("query-1"), Reference), CancellationToken.None));

        error.ErrorCode.ShouldBe("404");
        error.IsTransient.ShouldBeFalse();
    }

    [Fact]
    public async Task Refund_VippsDownThroughEveryRetry_IsTransient()
    {
        using var host = new VippsTestHost();
        host.Handler.Respond = (_, _) => Task.FromResult(FakeVippsHandler.Problem(HttpStatusCode.ServiceUnavailable));

        var error = await Should.ThrowAsync<PaymentProviderException>(() => host.Drive(
            Provider(host).RefundAsync(new RefundPayment(IdempotencyKey.Parse("order-42-1-refund-1"), Reference, Nok(100), "r-1"), CancellationToken.None)));

        error.IsTransient.ShouldBeTrue();
        error.ErrorCode.ShouldBe("503");
    }

    [Fact]
    public async Task Query_NetworkFailingThroughEveryRetry_IsTransient()
    {
        using var host = new VippsTestHost();
        host.Handler.Respond = (_, _) => throw new HttpRequestException("Connection refused");

        var error = await Should.ThrowAsync<PaymentProviderException>(() => host.Drive(Provider(host).QueryAsync(new QueryPayment(IdempotencyKey.Parse("query-1"), Reference), CancellationToken.None)));

        error.IsTransient.ShouldBeTrue();
        error.ErrorCode.ShouldBe("unavailable");
        host.Handler.ApiRequests.Count().ShouldBe(4);
    }

    [Fact]
    public async Task Abort_IsRefusedPermanentlyBecauseVippsHasNoAbort()
    {
        using var host = new VippsTestHost();

        var error = await Should.ThrowAsync<PaymentProviderException>(() =>
            Provider(host).AbortAsync(new AbortPayment(IdempotencyKey.Parse("order-42-1-abort-1"), Reference), CancellationToken.None));

        error.IsTransient.ShouldBeFalse();
        host.Handler.Requests.ShouldBeEmpty();
    }
}
