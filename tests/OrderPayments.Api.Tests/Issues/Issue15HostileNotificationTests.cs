using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace OrderPayments.Api.Tests.Issues;

/// <summary>
/// Issue 15, item 3: 300 unsigned <c>POST /api/callbacks/payex?reference=…</c> with distinct transaction ids against a
/// Vipps order made 299 Vipps reads, 600 inbox rows, 601 history rows and 300 outbox rows. Now a callback reaches only
/// a PayEx order, its dedupe key is the payment and the interval (not its body), and the workflow coalesces the reads:
/// the figures below are exact. The API runs on a manual clock (polls set to an hour), so nothing but the callbacks moves.
/// </summary>
public sealed class Issue15HostileNotificationTests
{
    private const int Hostile = 200;
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);

    private static readonly Dictionary<string, string?> NoPolls = new()
    {
        ["Workflow:FirstPollDelay"] = "01:00:00",
        ["Workflow:MaxPollInterval"] = "01:00:00",
        ["Workflow:CustomerWindow"] = "02:00:00",
    };

    [Fact]
    public async Task PayExCallbacks_ManyWithDistinctTransactionsForAVippsOrder_RecordNothingAndReadNothing()
    {
        await using var api = await ApiHost.StartAsync(NoPolls, time: new ManualTimeProvider(Start));
        var reference = (string)(await api.StartPaymentAsync("vipps-hostile"))["reference"]!;
        var before = await QuietAsync(api, "vipps-hostile");

        for (var i = 0; i < Hostile; i++)
        {
            var receipt = await CallbackAsync(api, reference, i);
            receipt["recorded"]!.GetValue<int>().ShouldBe(0);
            receipt["ignored"]!.GetValue<int>().ShouldBe(1);
        }

        var after = await QuietAsync(api, "vipps-hostile");
        after.ShouldBe(before, "not one inbox, history or outbox row, provider read or version for a PayEx callback about a Vipps order");
        after.AwaitingCustomer.ShouldBeTrue();
    }

    [Fact]
    public async Task PayExCallbacks_ManyWithDistinctTransactionsForAPayExOrder_RecordOneHintAndOneReadPerInterval()
    {
        var time = new ManualTimeProvider(Start);
        await using var api = await ApiHost.StartAsync(NoPolls, time: time);
        var reference = (string)(await api.StartPayExAsync("px-hostile"))["reference"]!;
        // The simulator's own callback for the authorization it started, and the read it caused, come first.
        await Eventually.Holds(async () => (await api.PayExStatsAsync())["webhooks"]?["callbacks.delivered"]?.GetValue<long>() >= 1, "the simulator's callback");
        var before = await QuietAsync(api, "px-hostile");

        // In the same interval as the simulator's callback: one key, already recorded.
        for (var i = 0; i < Hostile; i++)
        {
            (await CallbackAsync(api, reference, i))["recorded"]!.GetValue<int>().ShouldBe(0);
        }

        (await QuietAsync(api, "px-hostile")).ShouldBe(before, "the interval's one hint was recorded already");

        // The next interval: one more hint, one more read, however many callbacks.
        time.Advance(TimeSpan.FromSeconds(5));
        var recorded = 0;
        for (var i = Hostile; i < 2 * Hostile; i++)
        {
            recorded += (await CallbackAsync(api, reference, i))["recorded"]!.GetValue<int>();
        }

        var after = await QuietAsync(api, "px-hostile");
        recorded.ShouldBe(1);
        after.ShouldBe(before with
        {
            Inbox = before.Inbox + 2,
            History = before.History + 2,
            Outbox = before.Outbox + 1,
            ProviderReads = before.ProviderReads + 1,
            Version = before.Version + 2,
            HistoryEntries = before.HistoryEntries + 3,
        }, "the hint (its input line and the read it issues), the read's result (its input line): 2 inbox and history rows, 1 outbox row and read, 2 versions");
    }

    [Fact]
    public async Task PayExCallback_FromOutsideTheAllowedSources_Answers403AndRecordsNothing()
    {
        var settings = new Dictionary<string, string?>(NoPolls) { ["PayEx:CallbackAllowedSources:0"] = "20.91.170.120/29" };
        await using var api = await ApiHost.StartAsync(settings, time: new ManualTimeProvider(Start));
        var reference = (string)(await api.StartPayExAsync("px-source"))["reference"]!;
        var before = await QuietAsync(api, "px-source");

        using var response = await api.Anonymous.PostAsync($"api/callbacks/payex?reference={reference}", Body(1));

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await ApiHost.ProblemAsync(response))["type"]!.GetValue<string>().ShouldBe("urn:orderpayments:problem:notification-source-not-allowed");
        (await QuietAsync(api, "px-source")).ShouldBe(before);
    }

    [Fact]
    public async Task VippsWebhook_SignedButAnHourOld_Answers401AndRecordsNothing()
    {
        await using var api = await ApiHost.StartAsync(NoPolls, time: new ManualTimeProvider(Start));
        var reference = (string)(await api.StartPaymentAsync("vipps-replay"))["reference"]!;
        var before = await QuietAsync(api, "vipps-replay");

        using var replayed = await api.Anonymous.SendAsync(api.SignedWebhook(Authorized(reference), await WebhookSecretAsync(api), Start.AddHours(-1).ToString("r")));

        replayed.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await ApiHost.ProblemAsync(replayed))["detail"]!.GetValue<string>().ShouldContain("x-ms-date");
        (await QuietAsync(api, "vipps-replay")).ShouldBe(before);
    }

    [Fact]
    public async Task VippsWebhook_SignedAndCurrentForAPayExOrder_IsIgnored()
    {
        await using var api = await ApiHost.StartAsync(NoPolls, time: new ManualTimeProvider(Start));
        var reference = (string)(await api.StartPayExAsync("px-vipps-event"))["reference"]!;
        await Eventually.Holds(async () => (await api.PayExStatsAsync())["webhooks"]?["callbacks.delivered"]?.GetValue<long>() >= 1, "the simulator's callback");
        var before = await QuietAsync(api, "px-vipps-event");

        using var response = await api.Anonymous.SendAsync(api.SignedWebhook(Authorized(reference), await WebhookSecretAsync(api), Start.ToString("r")));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadFromJsonAsync<JsonObject>())!["ignored"]!.GetValue<int>().ShouldBe(1);
        (await QuietAsync(api, "px-vipps-event")).ShouldBe(before, "a Vipps event never reaches an order paid through PayEx");
    }

    private static async Task<JsonObject> CallbackAsync(ApiHost api, string reference, int transaction)
    {
        using var response = await api.Anonymous.PostAsync($"api/callbacks/payex?reference={reference}", Body(transaction));
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static StringContent Body(int transaction) => new(
        $$$"""{"payment":{"id":"/psp/vipps/payments/forged","number":1},"transaction":{"id":"/psp/vipps/payments/forged/authorizations/{{{transaction}}}","number":{{{transaction}}}}}""",
        Encoding.UTF8,
        "application/json");

    private static string Authorized(string reference) =>
        $$"""{"msn":"123456","reference":"{{reference}}","pspReference":"psp-replay","name":"AUTHORIZED","amount":{"currency":"NOK","value":1000},"timestamp":"2026-06-01T10:00:00Z","success":true}""";

    /// <summary>The secret the API registered its webhook with (kept in its store).</summary>
    private static async Task<string> WebhookSecretAsync(ApiHost api)
    {
        await using var connection = Open(api);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM host_values WHERE name = 'vipps.webhook'";
        return ((string)(await command.ExecuteScalarAsync())!).Split('\t')[2];
    }

    /// <summary>
    /// Waits until the order has nothing left to do (no signal to apply, no provider call outstanding), then counts its
    /// rows in the store, the provider's reads of any payment and the order's version and history entries.
    /// </summary>
    private static async Task<Figures> QuietAsync(ApiHost api, string orderId)
    {
        Figures? figures = null;
        await Eventually.Holds(async () => (figures = await FiguresAsync(api, orderId)).Busy == 0, $"order {orderId} is quiet");
        return figures!;
    }

    /// <summary>The order's figures from one snapshot of the store (one read transaction), then the provider's reads.</summary>
    private static async Task<Figures> FiguresAsync(ApiHost api, string orderId)
    {
        await using var connection = Open(api);
        await using var snapshot = await connection.BeginTransactionAsync();
        async Task<long> Scalar(string sql)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$id", orderId);
            return (long)(await command.ExecuteScalarAsync())!;
        }

        var inbox = await Scalar("SELECT COUNT(*) FROM inbox WHERE instance_id = $id");
        var history = await Scalar("SELECT COUNT(*) FROM history WHERE instance_id = $id");
        var outbox = await Scalar("SELECT COUNT(*) FROM outbox WHERE instance_id = $id");
        var version = await Scalar("SELECT version FROM instances WHERE id = $id");
        var entries = await Scalar("SELECT json_array_length(state, '$.history') FROM instances WHERE id = $id");
        var status = await Scalar("SELECT status = 'AwaitingCustomer' FROM instances WHERE id = $id");
        var busy = await Scalar("SELECT (SELECT COUNT(*) FROM inbox WHERE instance_id = $id AND applied_at IS NULL) + (SELECT COUNT(*) FROM outbox WHERE instance_id = $id AND completed_at IS NULL)");

        static long Reads(JsonObject stats) => stats["calls"]?["get"]?.GetValue<long>() ?? 0;
        var reads = Reads(await api.StatsAsync()) + Reads(await api.PayExStatsAsync());
        return new Figures(inbox, history, outbox, reads, version, (int)entries, status == 1, busy);
    }

    private static SqliteConnection Open(ApiHost api)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(api.Directory, "orders.db"), Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>What one order left behind: store rows, provider reads (of every payment), version, history entries, whether it still waits for the customer; and work still to do.</summary>
    private sealed record Figures(long Inbox, long History, long Outbox, long ProviderReads, long Version, int HistoryEntries, bool AwaitingCustomer, long Busy);
}
