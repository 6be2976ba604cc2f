using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace OrderPayments.Bench;

/// <summary>
/// Hostile PayEx callbacks (issue 15, item 3): N unsigned <c>POST /api/callbacks/payex?reference=…</c>, each with a
/// distinct transaction id, first against a Vipps order's reference, then against a PayEx order's, through the real
/// HTTP API (the simulator embedded, Production, default workflow options but polls set to an hour, so that every read
/// counted is one a callback caused). Reports per target what they left behind: the order's inbox, history and outbox
/// rows, the provider reads, the order's version and history entries, and how fast they were answered.
/// </summary>
internal static class CallbackBenchmark
{
    public static async Task<int> RunAsync(int callbacks, int concurrency)
    {
        var folder = Directory.CreateTempSubdirectory("orderpayments-callbacks-");
        var app = await BenchApi.StartAsync(folder, null, new Dictionary<string, string?>
        {
            ["Workflow:FirstPollDelay"] = "01:00:00",
            ["Workflow:MaxPollInterval"] = "01:00:00",
            ["Workflow:CustomerWindow"] = "02:00:00",
        });
        using var http = BenchApi.Client(app, concurrency);
        var store = Path.Combine(folder.FullName, "orders.db");

        var vipps = await StartAsync(http, "hostile-vipps", """{"amount":{"currency":"NOK","value":1000},"description":"Hostile callbacks","returnUrl":"https://shop.example/return"}""");
        var payEx = await StartAsync(http, "hostile-payex", """{"amount":{"currency":"NOK","value":1000},"description":"Hostile callbacks","userFlow":"PUSH_MESSAGE","phoneNumber":"4712345678","provider":"payex"}""");
        Console.WriteLine($"callbacks: {callbacks:N0} hostile PayEx callbacks per order (distinct transaction ids, {concurrency} concurrent), polls off; the order's rows, reads and version added by them:");
        Console.WriteLine("   target order        | answered 200 | recorded | inbox rows | history rows | outbox rows | provider reads | version | history entries | callbacks/s");
        var failed = false;
        foreach (var (orderId, reference, provider) in new[] { ("hostile-vipps", vipps, "Vipps"), ("hostile-payex", payEx, "PayEx") })
        {
            await Task.Delay(TimeSpan.FromSeconds(6));
            var before = await QuietAsync(http, store, orderId);
            var (answered, recorded, seconds) = await SendAsync(http, reference, callbacks, concurrency);
            await Task.Delay(TimeSpan.FromSeconds(6));
            var after = await QuietAsync(http, store, orderId);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"   {provider,-5} {orderId,-13} | {answered,12:N0} | {recorded,8:N0} | {after.Inbox - before.Inbox,10:N0} | {after.History - before.History,12:N0} | {after.Outbox - before.Outbox,11:N0} | {after.Reads - before.Reads,14:N0} | {after.Version - before.Version,7:N0} | {after.Entries - before.Entries,15:N0} | {callbacks / seconds,11:N0}"));
            failed |= answered != callbacks;
        }

        await app.StopAsync();
        await app.DisposeAsync();
        SqliteConnection.ClearAllPools();
        folder.Delete(recursive: true);
        return failed ? 1 : 0;
    }

    private static async Task<string> StartAsync(HttpClient http, string orderId, string body)
    {
        using var response = await http.PutAsync($"api/orders/{orderId}/payment", new StringContent(body, Encoding.UTF8, "application/json"));
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return (int)response.StatusCode == 201
            ? (string)document["reference"]!
            : throw new InvalidOperationException($"Start of {orderId} answered {(int)response.StatusCode}: {document}");
    }

    private static async Task<(int Answered, int Recorded, double Seconds)> SendAsync(HttpClient http, string reference, int callbacks, int concurrency)
    {
        var next = -1;
        var answered = 0;
        var recorded = 0;
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < callbacks)
            {
                var body = $$$"""{"payment":{"id":"/psp/vipps/payments/forged","number":1},"transaction":{"id":"/psp/vipps/payments/forged/authorizations/{{{i}}}","number":{{{i}}}}}""";
                using var response = await http.PostAsync($"api/callbacks/payex?reference={reference}", new StringContent(body, Encoding.UTF8, "application/json"));
                if ((int)response.StatusCode == 200)
                {
                    Interlocked.Increment(ref answered);
                    Interlocked.Add(ref recorded, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["recorded"]!.GetValue<int>());
                }
            }
        })));
        return (answered, recorded, wall.Elapsed.TotalSeconds);
    }

    /// <summary>Waits until the order has no signal to apply and no provider call outstanding, then counts (one store snapshot, then the simulator's reads).</summary>
    private static async Task<Figures> QuietAsync(HttpClient http, string store, string orderId)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = store, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            await connection.OpenAsync();
            await using var snapshot = await connection.BeginTransactionAsync();
            async Task<long> Scalar(string sql)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = sql;
                command.Parameters.AddWithValue("$id", orderId);
                return (long)(await command.ExecuteScalarAsync())!;
            }

            var busy = await Scalar("SELECT (SELECT COUNT(*) FROM inbox WHERE instance_id = $id AND applied_at IS NULL) + (SELECT COUNT(*) FROM outbox WHERE instance_id = $id AND completed_at IS NULL)");
            if (busy == 0 || deadline.Elapsed > TimeSpan.FromMinutes(1))
            {
                var figures = new Figures(
                    await Scalar("SELECT COUNT(*) FROM inbox WHERE instance_id = $id"),
                    await Scalar("SELECT COUNT(*) FROM history WHERE instance_id = $id"),
                    await Scalar("SELECT COUNT(*) FROM outbox WHERE instance_id = $id"),
                    await Scalar("SELECT version FROM instances WHERE id = $id"),
                    await Scalar("SELECT json_array_length(state, '$.history') FROM instances WHERE id = $id"),
                    await ReadsAsync(http, "vipps") + await ReadsAsync(http, "payex"));
                return busy == 0 ? figures : throw new TimeoutException($"Order {orderId} still has {busy} signals or calls outstanding after a minute.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }

    private static async Task<long> ReadsAsync(HttpClient http, string provider) =>
        JsonNode.Parse(await http.GetStringAsync($"simulator/{provider}/control/stats"))!["calls"]?["get"]?.GetValue<long>() ?? 0;

    private sealed record Figures(long Inbox, long History, long Outbox, long Version, long Entries, long Reads);
}
