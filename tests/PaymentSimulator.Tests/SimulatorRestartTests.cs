using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using OrderPayments.Domain;
using OrderPayments.Vipps.EPayment;
using OrderPayments.Vipps.Webhooks;
using PaymentSimulator.Persistence;

namespace PaymentSimulator.Tests;

/// <summary>
/// A simulator with <c>Simulator:DatabasePath</c> stopped and started again on the same file: it carries on every
/// payment where it was (state, amounts, events, applied idempotency keys, tokens, webhook registrations, PayEx
/// payments and their operations). Without the setting it keeps nothing.
/// </summary>
public sealed class SimulatorRestartTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("orderpayments-simulator-").FullName;

    private Dictionary<string, string?> Persistent => new() { ["Simulator:DatabasePath"] = Path.Combine(_directory, "simulator.db") };

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Restart_WithDatabasePath_KeepsThePaymentItsAmountsAndEvents()
    {
        await using (var before = await SimulatorHost.StartAsync(Persistent))
        {
            (await before.SendAsync(HttpMethod.Post, "epayment/v1/payments", SimulatorHost.CreateBody("order-r-1"), "create-1")).Status.ShouldBe(201);
            await before.Control("payments/order-r-1/approve");
            (await before.SendAsync(HttpMethod.Post, "epayment/v1/payments/order-r-1/capture", SimulatorHost.Amount(300), "capture-1")).Status.ShouldBe(200);
        }

        await using var after = await SimulatorHost.StartAsync(Persistent);
        var capture = await after.SendAsync(HttpMethod.Post, "epayment/v1/payments/order-r-1/capture", SimulatorHost.Amount(700), "capture-2");
        var (_, events) = await after.SendAsync(HttpMethod.Get, "epayment/v1/payments/order-r-1/events");

        capture.Status.ShouldBe(200);
        capture.Body!["aggregate"]!["capturedAmount"]!["value"]!.GetValue<long>().ShouldBe(1000);
        capture.Body["state"]!.GetValue<string>().ShouldBe("AUTHORIZED");
        events!.AsArray().Select(e => (string?)e!["name"]).ShouldBe(["CREATED", "AUTHORIZED", "CAPTURED", "CAPTURED"]);
        events.AsArray().Select(e => (string?)e!["pspReference"]).Distinct().Count().ShouldBe(4, "numbers are not reused after a restart");
    }

    [Fact]
    public async Task Restart_WithDatabasePath_ReplaysAnAppliedIdempotencyKeyWithoutApplyingItAgain()
    {
        await using (var before = await SimulatorHost.StartAsync(Persistent))
        {
            await before.SendAsync(HttpMethod.Post, "epayment/v1/payments", SimulatorHost.CreateBody("order-r-2"), "create-2");
            await before.Control("payments/order-r-2/approve");
            await before.SendAsync(HttpMethod.Post, "epayment/v1/payments/order-r-2/capture", SimulatorHost.Amount(400), "capture-once");
        }

        await using var after = await SimulatorHost.StartAsync(Persistent);
        var replay = await after.SendAsync(HttpMethod.Post, "epayment/v1/payments/order-r-2/capture", SimulatorHost.Amount(400), "capture-once");
        var otherBody = await after.SendAsync(HttpMethod.Post, "epayment/v1/payments/order-r-2/capture", SimulatorHost.Amount(500), "capture-once");
        var (_, payment) = await after.SendAsync(HttpMethod.Get, "epayment/v1/payments/order-r-2");

        replay.Status.ShouldBe(200);
        otherBody.Status.ShouldBe(409);
        payment!["aggregate"]!["capturedAmount"]!["value"]!.GetValue<long>().ShouldBe(400);
    }

    [Fact]
    public async Task Restart_WithDatabasePath_KeepsTokensAndTheClockOffset()
    {
        string token;
        DateTimeOffset advanced;
        await using (var before = await SimulatorHost.StartAsync(Persistent))
        {
            token = await before.TokenAsync();
            var (_, moved) = await before.Control("clock/advance", """{ "seconds": 120 }""");
            advanced = DateTimeOffset.Parse((string)moved!["now"]!, System.Globalization.CultureInfo.InvariantCulture);
        }

        await using var after = await SimulatorHost.StartAsync(Persistent);
        using var request = new HttpRequestMessage(HttpMethod.Get, "epayment/v1/payments/no-such-payment");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("Ocp-Apim-Subscription-Key", "simulator-subscription-key");
        request.Headers.Add("Merchant-Serial-Number", "123456");
        using var response = await after.Http.SendAsync(request);
        var (_, now) = await after.Control("clock/advance", """{ "seconds": 0 }""");

        ((int)response.StatusCode).ShouldBe(404, "the token issued before the restart is still accepted");
        DateTimeOffset.Parse((string)now!["now"]!, System.Globalization.CultureInfo.InvariantCulture).ShouldBe(advanced);
    }

    [Fact]
    public async Task Restart_WithDatabasePath_DeliversWithTheRegistrationAndSecretMadeBefore()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        VippsRegisteredWebhook registration;
        await using (var before = await SimulatorHost.StartAsync(Persistent))
        {
            registration = await before.Client<VippsWebhooksClient>().RegisterAsync(receiver.Url, ["epayments.payment.authorized.v1"], CancellationToken.None);
            await before.EPayment.CreatePaymentAsync(
                new VippsCreatePaymentRequest(new Money(1000, Currency.NOK), new VippsPaymentMethod("WALLET"), "order-r-3", UserFlow.WebRedirect, "https://shop.example/return", "Two books", null),
                IdempotencyKey.Parse("create-3"),
                CancellationToken.None);
        }

        await using var after = await SimulatorHost.StartAsync(Persistent);
        var listed = await after.Client<VippsWebhooksClient>().ListAsync(CancellationToken.None);
        await after.Control("payments/order-r-3/approve");
        var received = (await receiver.WaitFor(1)).ShouldHaveSingleItem();

        listed.ShouldHaveSingleItem().Id.ShouldBe(registration.Id);
        var verifier = new VippsWebhookVerifier(receiver.Url, registration.Secret, after.Time);
        verifier.Verify(received.Body, received.Date, received.ContentHash, received.Authorization).ShouldBe(WebhookVerificationResult.Valid);
        JsonDocument.Parse(received.Body).RootElement.GetProperty("name").GetString().ShouldBe("AUTHORIZED");
    }

    [Fact]
    public async Task Restart_WithDatabasePath_KeepsPayExPaymentsTheirOperationsAndPayeeReferences()
    {
        string guid;
        await using (var before = await SimulatorHost.StartAsync(Persistent))
        {
            var (_, created) = await PayEx(before, HttpMethod.Post, "", PayExCreateBody("OPR1"));
            guid = ((string)created!["payment"]!["id"]!).Split('/')[^1];
            (await PayEx(before, HttpMethod.Post, $"/{guid}/authorizations", """{ "transaction": { "msisdn": "+4712345678" } }""")).Status.ShouldBe(200);
            (await before.Http.PostAsync($"{before.Address}/simulator/payex/control/payments/{guid}/approve", null)).IsSuccessStatusCode.ShouldBeTrue();
            (await PayEx(before, HttpMethod.Post, $"/{guid}/captures", PayExCapture("CAP1", 300))).Status.ShouldBe(200);
        }

        await using var after = await SimulatorHost.StartAsync(Persistent);
        var (status, payment) = await PayEx(after, HttpMethod.Get, $"/{guid}");
        var replay = await PayEx(after, HttpMethod.Post, $"/{guid}/captures", PayExCapture("CAP1", 300));
        var reused = await PayEx(after, HttpMethod.Post, $"/{guid}/captures", PayExCapture("CAP1", 200));
        var (_, another) = await PayEx(after, HttpMethod.Post, "", PayExCreateBody("OPR2"));

        status.ShouldBe(200);
        payment!["payment"]!["remainingCaptureAmount"]!.GetValue<long>().ShouldBe(700);
        payment["operations"]!.AsArray().Select(o => (string?)o!["rel"]).ShouldContain("create-capture");
        replay.Status.ShouldBe(200);
        reused.Status.ShouldBe(409);
        ((string)another!["payment"]!["id"]!).ShouldNotEndWith(guid, "ids are not reused after a restart");
        another["payment"]!["number"]!.GetValue<long>().ShouldBeGreaterThan(payment["payment"]!["number"]!.GetValue<long>());
    }

    [Fact]
    public async Task Restart_WithoutDatabasePath_KeepsNothing()
    {
        await using (var before = await SimulatorHost.StartAsync())
        {
            (await before.SendAsync(HttpMethod.Post, "epayment/v1/payments", SimulatorHost.CreateBody("order-r-4"), "create-4")).Status.ShouldBe(201);
        }

        await using var after = await SimulatorHost.StartAsync();
        (await after.SendAsync(HttpMethod.Get, "epayment/v1/payments/order-r-4")).Status.ShouldBe(404);
        Directory.EnumerateFileSystemEntries(_directory).ShouldBeEmpty();
    }

    [Fact]
    public void Open_FileOfANewerLayout_RefusesNamingTheFile()
    {
        var path = Path.Combine(_directory, "newer.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 99";
            command.ExecuteNonQuery();
        }

        var failure = Should.Throw<InvalidOperationException>(() => SimulatorStore.Open(path));

        failure.Message.ShouldContain(path);
        failure.Message.ShouldContain("newer simulator");
    }

    private static string PayExCreateBody(string payeeReference) => new JsonObject
    {
        ["payment"] = new JsonObject
        {
            ["operation"] = "Purchase",
            ["intent"] = "Authorization",
            ["currency"] = "NOK",
            ["prices"] = new JsonArray(new JsonObject { ["type"] = "Vipps", ["amount"] = 1000, ["vatAmount"] = 0 }),
            ["description"] = "Two books",
            ["userAgent"] = "test",
            ["language"] = "nb-NO",
            ["urls"] = new JsonObject { ["hostUrls"] = new JsonArray("https://shop.example"), ["completeUrl"] = "https://shop.example/done" },
            ["payeeInfo"] = new JsonObject { ["payeeId"] = "simulator-payee", ["payeeReference"] = payeeReference },
        },
    }.ToJsonString();

    private static string PayExCapture(string payeeReference, long amount) =>
        new JsonObject { ["transaction"] = new JsonObject { ["amount"] = amount, ["vatAmount"] = 0, ["description"] = "Shipment", ["payeeReference"] = payeeReference } }.ToJsonString();

    private static async Task<(int Status, JsonNode? Body)> PayEx(SimulatorHost host, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, $"{host.Address}/simulator/payex/psp/vipps/payments{path}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "simulator-payex-token");
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await host.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }
}
