using System.Text.Json;
using OrderPayments.Domain;
using OrderPayments.Vipps.EPayment;
using OrderPayments.Vipps.Webhooks;

namespace PaymentSimulator.Tests;

public sealed class WebhookSimulatorTests
{
    private static VippsCreatePaymentRequest Create(string reference) =>
        new(new Money(1000, Currency.NOK), new VippsPaymentMethod("WALLET"), reference, UserFlow.WebRedirect, "https://shop.example/return", "Two books", null);

    private static async Task<VippsRegisteredWebhook> Register(SimulatorHost sim, WebhookReceiver receiver) =>
        await sim.Client<VippsWebhooksClient>().RegisterAsync(receiver.Url, VippsWebhookEvents.AllPaymentEvents, CancellationToken.None);

    private static List<string> Names(IEnumerable<ReceivedWebhook> received) =>
        received.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("name").GetString()!).ToList();

    [Fact]
    public async Task WebhooksApi_RegisterListDelete_WithTheProjectsClient()
    {
        await using var sim = await SimulatorHost.StartAsync();
        var webhooks = sim.Client<VippsWebhooksClient>();

        var registered = await webhooks.RegisterAsync(new Uri("https://shop.example/api/webhooks/vipps"), ["epayments.payment.captured.v1"], CancellationToken.None);
        var listed = await webhooks.ListAsync(CancellationToken.None);
        await webhooks.DeleteAsync(registered.Id, CancellationToken.None);

        registered.Secret.Length.ShouldBeGreaterThanOrEqualTo(32);
        listed.ShouldHaveSingleItem().Url.ShouldBe("https://shop.example/api/webhooks/vipps");
        (await webhooks.ListAsync(CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Delivery_EveryEvent_IsSignedSoTheProjectsVerifierAcceptsItInOrder()
    {
        await using var sim = await SimulatorHost.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var registration = await Register(sim, receiver);

        await sim.EPayment.CreatePaymentAsync(Create("order-42-1"), IdempotencyKey.Parse("c-1"), CancellationToken.None);
        await sim.Control("payments/order-42-1/approve");
        await sim.EPayment.CaptureAsync(PaymentReference.Parse("order-42-1"), new Money(1000, Currency.NOK), IdempotencyKey.Parse("cap-1"), CancellationToken.None);
        var received = await receiver.WaitFor(3);

        var verifier = new VippsWebhookVerifier(receiver.Url, registration.Secret, sim.Time);
        received.ShouldAllBe(r => verifier.Verify(r.Body, r.Date, r.ContentHash, r.Authorization) == WebhookVerificationResult.Valid);
        Names(received).ShouldBe(["CREATED", "AUTHORIZED", "CAPTURED"]);
        var captured = verifier.VerifyAndParse(received[2].Body, received[2].Date, received[2].ContentHash, received[2].Authorization).Event!;
        captured.Msn.ShouldBe("123456");
        captured.IdempotencyKey.ShouldBe("cap-1");
        captured.Amount.ShouldBe(new Money(1000, Currency.NOK));
    }

    [Fact]
    public async Task Delivery_Failing_IsRetriedWithBackoffAndBlocksLaterEventsOfThePayment()
    {
        await using var sim = await SimulatorHost.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        await Register(sim, receiver);
        receiver.Respond = () => 500;

        await sim.EPayment.CreatePaymentAsync(Create("order-42-1"), IdempotencyKey.Parse("c-1"), CancellationToken.None);
        await sim.Control("payments/order-42-1/approve");
        await Eventually.Holds(async () => (await Stats(sim))["webhooks"]?["webhooks.failed"]?.GetValue<long>() >= 1, "a failed delivery");
        receiver.Respond = () => 200;
        sim.Time.Advance(TimeSpan.FromSeconds(1));
        var received = await receiver.WaitFor(2);

        Names(received).ShouldBe(["CREATED", "AUTHORIZED"]);
    }

    [Fact]
    public async Task Fault_WebhookDropped_IsNeverDeliveredAndCounted()
    {
        await using var sim = await SimulatorHost.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        await Register(sim, receiver);
        await sim.Control("faults", """{"webhookDropRate":1}""");

        await sim.EPayment.CreatePaymentAsync(Create("order-42-1"), IdempotencyKey.Parse("c-1"), CancellationToken.None);
        await Eventually.Holds(async () => (await Stats(sim))["injected"]?["webhookDropped"]?.GetValue<long>() == 1, "a dropped webhook");

        receiver.Received.ShouldBeEmpty();
    }

    [Fact]
    public async Task Fault_WebhookDuplicated_IsDeliveredTwice()
    {
        await using var sim = await SimulatorHost.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        await Register(sim, receiver);
        await sim.Control("faults", """{"webhookDuplicateRate":1}""");

        await sim.EPayment.CreatePaymentAsync(Create("order-42-1"), IdempotencyKey.Parse("c-1"), CancellationToken.None);

        Names(await receiver.WaitFor(2)).ShouldBe(["CREATED", "CREATED"]);
    }

    [Fact]
    public async Task Fault_WebhookDelayed_ArrivesOnlyAfterTheDelay()
    {
        await using var sim = await SimulatorHost.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        await Register(sim, receiver);
        await sim.Control("faults", """{"webhookDelaySeconds":30}""");

        await sim.EPayment.CreatePaymentAsync(Create("order-42-1"), IdempotencyKey.Parse("c-1"), CancellationToken.None);
        sim.Time.Advance(TimeSpan.FromSeconds(29));
        await sim.SendAsync(HttpMethod.Get, "control/stats");
        receiver.Received.ShouldBeEmpty();
        sim.Time.Advance(TimeSpan.FromSeconds(1));

        Names(await receiver.WaitFor(1)).ShouldBe(["CREATED"]);
    }

    [Fact]
    public async Task Fault_WebhookReordered_ArrivesBeforeTheEarlierEvent()
    {
        await using var sim = await SimulatorHost.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        await Register(sim, receiver);
        await sim.Control("faults", """{"webhookReorderRate":1,"webhookDelaySeconds":5}""");

        await sim.EPayment.CreatePaymentAsync(Create("order-42-1"), IdempotencyKey.Parse("c-1"), CancellationToken.None);
        await sim.Control("payments/order-42-1/approve");
        sim.Time.Advance(TimeSpan.FromSeconds(5));

        Names(await receiver.WaitFor(2)).ShouldBe(["AUTHORIZED", "CREATED"]);
    }

    private static async Task<System.Text.Json.Nodes.JsonNode> Stats(SimulatorHost sim) => (await sim.SendAsync(HttpMethod.Get, "control/stats")).Body!;
}
