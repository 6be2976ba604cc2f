using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OrderPayments.Application.Notifications;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;
using OrderPayments.Vipps.Webhooks;

namespace OrderPayments.Vipps.Tests.Webhooks;

public sealed class VippsNotificationsTests
{
    private const string Reference = "order-7-0001";

    [Fact]
    public void Translate_AuthorizedSuccess_IsAnObservationWithTheAuthorizedAmount()
    {
        var notification = VippsNotifications.Translate(Event("AUTHORIZED", 49900)).ShouldHaveSingleItem();

        var observed = notification.Input.ShouldBeOfType<ProviderObserved>().Observation;
        observed.State.ShouldBe(ProviderPaymentState.Authorized);
        observed.Aggregate.Authorized.ShouldBe(new Money(49900, Currency.NOK));
        observed.Aggregate.Captured.IsZero.ShouldBeTrue();
        notification.Reference.Value.ShouldBe(Reference);
        notification.DedupeKey.ShouldBe($"vipps:{Reference}:AUTHORIZED:psp-1");
    }

    [Theory]
    [InlineData("ABORTED", ProviderPaymentState.Aborted)]
    [InlineData("EXPIRED", ProviderPaymentState.Expired)]
    public void Translate_EndWithoutPayment_IsAnObservationWithNothingReserved(string name, ProviderPaymentState state)
    {
        var observed = VippsNotifications.Translate(Event(name, 49900)).ShouldHaveSingleItem().Input.ShouldBeOfType<ProviderObserved>().Observation;

        observed.State.ShouldBe(state);
        observed.Aggregate.ShouldBe(PaymentAggregate.Zero(Currency.NOK));
    }

    [Theory]
    [InlineData("CAPTURED")]
    [InlineData("REFUNDED")]
    [InlineData("CANCELLED")]
    [InlineData("TERMINATED")]
    public void Translate_OtherEvents_AreHintsCarryingTheCausingKey(string name)
    {
        var hint = VippsNotifications.Translate(Event(name, 100, key: "order-7-1-capture-1")).ShouldHaveSingleItem().Input.ShouldBeOfType<ProviderNotified>();

        hint.EventName.ShouldBe(name);
        hint.CausedBy.ShouldBe(IdempotencyKey.Parse("order-7-1-capture-1"));
    }

    [Fact]
    public void Translate_FailedAuthorization_IsOnlyAHint()
    {
        VippsNotifications.Translate(Event("AUTHORIZED", 49900, success: false)).ShouldHaveSingleItem().Input.ShouldBeOfType<ProviderNotified>();
    }

    [Theory]
    [InlineData("CREATED", Reference)]
    [InlineData("AUTHORIZED", "short")]
    public void Translate_NothingToAct_IsEmpty(string name, string reference)
    {
        VippsNotifications.Translate(Event(name, 100) with { Reference = reference }).ShouldBeEmpty();
    }

    [Fact]
    public async Task Read_SignedByTheRegisteredSecret_IsVerified()
    {
        var intake = await IntakeAsync();
        const string Body = """{"msn":"123456","reference":"order-7-0001","pspReference":"psp-1","name":"AUTHORIZED","amount":{"currency":"NOK","value":100},"timestamp":"2026-03-01T08:00:00Z","success":true}""";

        var read = await intake.ReadAsync(Delivery(Body, "s3cret"), CancellationToken.None);

        read.Refusal.ShouldBeNull();
        read.Notifications.ShouldHaveSingleItem().Input.ShouldBeOfType<ProviderObserved>();
    }

    [Fact]
    public async Task Read_SignedButReplayedAnHourLater_IsNotAuthentic()
    {
        var intake = await IntakeAsync(SignedAt.AddHours(1));
        const string Body = """{"msn":"123456","reference":"order-7-0001","pspReference":"psp-1","name":"AUTHORIZED","amount":{"currency":"NOK","value":100},"timestamp":"2026-03-01T08:00:00Z","success":true}""";

        var read = await intake.ReadAsync(Delivery(Body, "s3cret"), CancellationToken.None);

        read.Unauthenticated.ShouldBeTrue();
        read.Refusal!.ShouldContain("x-ms-date");
        read.Notifications.ShouldBeEmpty();
    }

    [Fact]
    public async Task Read_SignedWithAnotherSecret_IsNotAuthentic()
    {
        var intake = await IntakeAsync();

        var read = await intake.ReadAsync(Delivery("""{"reference":"order-7-0001","name":"AUTHORIZED","success":true}""", "guess"), CancellationToken.None);

        read.Unauthenticated.ShouldBeTrue();
        read.Notifications.ShouldBeEmpty();
    }

    [Fact]
    public async Task Read_BeforeAnyRegistration_IsNotAuthentic()
    {
        using var host = new VippsTestHost();
        var intake = new VippsNotifications(new VippsWebhookSubscription(host.Webhooks, NullLogger<VippsWebhookSubscription>.Instance, new VippsWebhookSubscriptionTests.MemoryStore()));

        var read = await intake.ReadAsync(Delivery("{}", "s3cret"), CancellationToken.None);

        read.Unauthenticated.ShouldBeTrue();
    }

    [Fact]
    public async Task Read_SignedButNotJson_IsUnreadable()
    {
        var intake = await IntakeAsync();

        var read = await intake.ReadAsync(Delivery("not json", "s3cret"), CancellationToken.None);

        read.Unauthenticated.ShouldBeFalse();
        read.Refusal.ShouldNotBeNull();
    }

    private static readonly Uri Url = new("https://shop.example/api/webhooks/vipps");

    /// <summary>When <see cref="Delivery"/> signs.</summary>
    private static readonly DateTimeOffset SignedAt = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>The intake over a fresh registration, on a clock at <paramref name="now"/> (default: when deliveries are signed).</summary>
    private static async Task<VippsNotifications> IntakeAsync(DateTimeOffset? now = null)
    {
        using var host = new VippsTestHost();
        host.Handler.Respond = (request, _) => Task.FromResult(request.Method == HttpMethod.Get
            ? FakeVippsHandler.Json(HttpStatusCode.OK, """{"webhooks":[]}""")
            : FakeVippsHandler.Json(HttpStatusCode.Created, """{"id":"497f6eca-6276-4993-bfeb-53cbbbba6f08","secret":"s3cret"}"""));
        var subscription = new VippsWebhookSubscription(host.Webhooks, NullLogger<VippsWebhookSubscription>.Instance, new VippsWebhookSubscriptionTests.MemoryStore(), new FakeTimeProvider(now ?? SignedAt));
        await subscription.EnsureRegisteredAsync(Url, CancellationToken.None);
        return new VippsNotifications(subscription);
    }

    private static NotificationDelivery Delivery(string body, string secret)
    {
        const string Date = "Sun, 01 Mar 2026 08:00:00 GMT";
        var bytes = Encoding.UTF8.GetBytes(body);
        var hash = Convert.ToBase64String(SHA256.HashData(bytes));
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"POST\n{Url.PathAndQuery}\n{Date};{Url.Authority};{hash}")));
        return NotificationDelivery.From(
            [
                KeyValuePair.Create("X-MS-Date", Date),
                KeyValuePair.Create("x-ms-content-sha256", hash),
                KeyValuePair.Create("authorization", $"HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature={signature}"),
            ],
            bytes);
    }

    private static VippsWebhookEvent Event(string name, long amount, bool success = true, string? key = null) =>
        new("123456", Reference, "psp-1", name, new Money(amount, Currency.NOK), new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero), key, success);
}
