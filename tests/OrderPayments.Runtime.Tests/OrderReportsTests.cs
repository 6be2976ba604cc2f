using Microsoft.Data.Sqlite;
using OrderPayments.Application.Reports;
using OrderPayments.Domain;
using OrderPayments.Domain.Workflow;
using OrderPayments.Runtime.Storage;

namespace OrderPayments.Runtime.Tests;

/// <summary>
/// The operator reports (<see cref="EmbeddedOrderReports"/>, schema version 8): listings, totals and hourly activity
/// computed by the store over every matching order, from the report columns a step keeps beside the state.
/// </summary>
public sealed class OrderReportsTests : IDisposable
{
    /// <summary>Drops what migration 8 added, leaving a version-7 file (for the upgrade tests).</summary>
    public const string DowngradeTo7 =
        """
        DROP TRIGGER tr_instances_money; DROP TABLE money_movements;
        DROP INDEX ix_instances_created; DROP INDEX ix_instances_status_created; DROP INDEX ix_instances_attention;
        DROP INDEX ix_instances_id_nocase; DROP INDEX ix_instances_reference;
        ALTER TABLE instances DROP COLUMN reference; ALTER TABLE instances DROP COLUMN provider; ALTER TABLE instances DROP COLUMN currency;
        ALTER TABLE instances DROP COLUMN amount; ALTER TABLE instances DROP COLUMN authorized; ALTER TABLE instances DROP COLUMN captured;
        ALTER TABLE instances DROP COLUMN refunded; ALTER TABLE instances DROP COLUMN needs_attention;
        PRAGMA user_version = 7;
        """;

    private static readonly CancellationToken None = CancellationToken.None;
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("orderpayments-reports-");

    [Fact]
    public async Task List_MoreOrdersThanAPage_EveryOrderOnceNewestFirst()
    {
        await using var host = await new RuntimeTestHost().StartAsync();
        await StartAsync(host, "page-1");
        host.Time.Advance(TimeSpan.FromSeconds(1));
        // Three started in the same millisecond: ordered by id, and the cursor neither skips nor repeats one of them.
        foreach (var id in new[] { "page-2", "page-4", "page-3" })
        {
            await StartAsync(host, id);
        }

        host.Time.Advance(TimeSpan.FromSeconds(1));
        await StartAsync(host, "page-5");

        var (ids, pages) = await ListAllAsync(host, OrderFilter.All, 2);

        ids.ShouldBe(["page-5", "page-4", "page-3", "page-2", "page-1"]);
        pages.ShouldBe(3);
    }

    [Fact]
    public async Task List_SearchText_MatchesTheStartOfTheOrderIdOrTheReferenceInAnyCase()
    {
        await using var host = await new RuntimeTestHost().StartAsync();
        await StartAsync(host, "Shop-100");
        await StartAsync(host, "shop-101");
        var web = await StartAsync(host, "web-7");
        await StartAsync(host, "workshop-1");

        (await IdsAsync(host, new OrderFilter(Search: "SHOP-10"))).ShouldBe(["shop-101", "Shop-100"], ignoreOrder: true);
        // Longer than the id: only the reference starts with it.
        (await IdsAsync(host, new OrderFilter(Search: web.State.Reference.Value.ToUpperInvariant()))).ShouldBe(["web-7"]);
        (await IdsAsync(host, new OrderFilter(Search: "hop"))).ShouldBeEmpty();
    }

    [Fact]
    public async Task List_StatusNeedsAttentionAndStartRange_OnlyTheOrdersMatchingAll()
    {
        var provider = new FakePaymentProvider();
        await using var host = await new RuntimeTestHost(provider).StartAsync();
        var t0 = host.Time.GetUtcNow();
        await StartAsync(host, "f-awaiting");
        host.Time.Advance(TimeSpan.FromMinutes(1));
        await AuthorizeAsync(host, await StartAsync(host, "f-authorized"));
        host.Time.Advance(TimeSpan.FromMinutes(1));
        await AuthorizeAsync(host, await StartAsync(host, "f-attention"));
        provider.Refuse(ActionKind.Capture, "6090");
        await host.Client.RaiseAsync(OrderId.Parse("f-attention"), new FulfillmentSignalled("ship-1"), "ship-1", None);
        await host.WaitFor("f-attention", s => s.State.NeedsAttention, "needs attention");

        (await IdsAsync(host, new OrderFilter(Status: PaymentStatus.Authorized))).ShouldBe(["f-attention", "f-authorized"]);
        (await IdsAsync(host, new OrderFilter(NeedsAttention: true))).ShouldBe(["f-attention"]);
        (await IdsAsync(host, new OrderFilter(NeedsAttention: false))).ShouldBe(["f-authorized", "f-awaiting"]);
        (await IdsAsync(host, new OrderFilter(From: t0.AddMinutes(1), To: t0.AddMinutes(2)))).ShouldBe(["f-authorized"]);
        (await IdsAsync(host, new OrderFilter(Status: PaymentStatus.Authorized, NeedsAttention: false, From: t0))).ShouldBe(["f-authorized"]);
        (await Reports(host).TotalsAsync(new OrderFilter(NeedsAttention: true), None)).Orders.ShouldBe(1);
    }

    [Fact]
    public async Task List_SummaryOfAnOrder_HasTheAmountsAndStatusOfItsState()
    {
        await using var host = await new RuntimeTestHost().StartAsync();
        var started = await StartAsync(host, "summary-1", 10_000);
        await AuthorizeAsync(host, started);
        await CaptureAsync(host, "summary-1", "ship-1", 6_000);
        await RefundAsync(host, "summary-1", "refund-1", 1_000);

        var summary = (await Reports(host).ListAsync(OrderFilter.All, null, 10, None)).Items.ShouldHaveSingleItem();

        summary.ShouldBe(new OrderSummary(
            "summary-1", started.State.Reference.Value, "vipps", PaymentStatus.Authorized, false, Currency.NOK, 10_000, 10_000, 6_000, 1_000, RuntimeTestHost.Start));
    }

    [Fact]
    public async Task Totals_OrdersInTwoCurrencies_SumsEveryMatchingOrderPerCurrency()
    {
        await using var host = await new RuntimeTestHost().StartAsync();
        await AuthorizeAsync(host, await StartAsync(host, "t-nok-1", 10_000));
        await CaptureAsync(host, "t-nok-1", "ship-1", 6_000);
        await RefundAsync(host, "t-nok-1", "refund-1", 1_000);
        await AuthorizeAsync(host, await StartAsync(host, "t-nok-2", 5_000));
        await AuthorizeAsync(host, await StartAsync(host, "t-eur-1", 2_000, Currency.EUR));
        await CaptureAsync(host, "t-eur-1", "ship-1", 2_000);
        await StartAsync(host, "t-nok-3", 3_000);

        var all = await Reports(host).TotalsAsync(OrderFilter.All, None);
        var authorized = await Reports(host).TotalsAsync(new OrderFilter(Status: PaymentStatus.Authorized), None);

        all.Orders.ShouldBe(4);
        all.Currencies.ShouldBe([new CurrencyTotals(Currency.NOK, 3, 18_000, 15_000, 6_000, 1_000), new CurrencyTotals(Currency.EUR, 1, 2_000, 2_000, 2_000, 0)]);
        authorized.Orders.ShouldBe(2);
        authorized.Currencies.ShouldBe([new CurrencyTotals(Currency.NOK, 2, 15_000, 15_000, 6_000, 1_000)]);
    }

    [Fact]
    public async Task Hourly_StartsAndCapturesInDifferentHours_EachCountedInItsHour()
    {
        await using var host = await new RuntimeTestHost().StartAsync();
        var ten = RuntimeTestHost.Start;
        await AuthorizeAsync(host, await StartAsync(host, "h-1", 10_000));
        host.Time.Advance(TimeSpan.FromMinutes(80));
        await CaptureAsync(host, "h-1", "ship-1", 4_000);
        await AuthorizeAsync(host, await StartAsync(host, "h-eur", 3_000, Currency.EUR));
        await StartAsync(host, "h-2");
        host.Time.Advance(TimeSpan.FromMinutes(45));
        await CaptureAsync(host, "h-1", "ship-2", 1_000);
        await RefundAsync(host, "h-1", "refund-1", 500);
        await CaptureAsync(host, "h-eur", "ship-1", 3_000);

        var report = await Reports(host).HourlyAsync(ten, 4, None);

        report.From.ShouldBe(ten);
        report.To.ShouldBe(ten.AddHours(4));
        report.Hours.Select(h => (h.Start, h.Orders, string.Join(", ", h.Captured.Select(c => $"{c.Value} {c.Currency}")))).ShouldBe(
        [
            (ten, 1L, ""),
            (ten.AddHours(1), 2L, "4000 NOK"),
            (ten.AddHours(2), 0L, "1000 NOK, 3000 EUR"),
            (ten.AddHours(3), 0L, ""),
        ]);
    }

    [Fact]
    public async Task Open_Version7File_FillsTheReportColumnsAndLogsCapturesAtTheFirstCapture()
    {
        var path = Path.Combine(_folder.FullName, "v7.db");
        var provider = new FakePaymentProvider();
        await using (var writer = await new RuntimeTestHost(provider, databasePath: path).StartAsync())
        {
            await AuthorizeAsync(writer, await StartAsync(writer, "m-captured", 1_000));
            writer.Time.Advance(TimeSpan.FromHours(1));
            await CaptureAsync(writer, "m-captured", "ship-1", 300);
            await AuthorizeAsync(writer, await StartAsync(writer, "m-attention", 2_000));
            provider.Refuse(ActionKind.Capture, "6090");
            await writer.Client.RaiseAsync(OrderId.Parse("m-attention"), new FulfillmentSignalled("ship-1"), "ship-1", None);
            await writer.WaitFor("m-attention", s => s.State.NeedsAttention, "needs attention");
            await StartAsync(writer, "m-unreadable");
        }

        using (var connection = new SqliteConnection($"Data Source={path};Pooling=false"))
        {
            connection.Open();
            using var downgrade = connection.CreateCommand();
            downgrade.CommandText = $"{DowngradeTo7} UPDATE instances SET state = 'not json' WHERE id = 'm-unreadable';";
            downgrade.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
        await using var upgraded = new RuntimeTestHost(dispatcher: false, databasePath: path);

        var listed = (await Reports(upgraded).ListAsync(OrderFilter.All, null, 10, None)).Items;
        listed.Select(o => (o.OrderId, o.Status, o.NeedsAttention, o.Amount, o.Authorized, o.Captured)).ShouldBe(
        [
            ("m-attention", PaymentStatus.Authorized, true, 2_000L, 2_000L, 0L),
            ("m-captured", PaymentStatus.Authorized, false, 1_000L, 1_000L, 300L),
        ]);
        (await IdsAsync(upgraded, new OrderFilter(NeedsAttention: true))).ShouldBe(["m-attention"]);
        var hourly = await Reports(upgraded).HourlyAsync(RuntimeTestHost.Start, 2, None);
        hourly.Hours.Select(h => h.Captured.Sum(c => c.Value)).ShouldBe([0L, 300L]);
    }

    [Fact]
    public async Task ReportQueries_EveryFilter_ReadAnIndexAndNeverSortAListingThatNeedsNoSort()
    {
        await using var host = new RuntimeTestHost(dispatcher: false);
        await host.Client.StartAsync(RuntimeTestHost.Request("plan-1"), None);
        var t0 = RuntimeTestHost.Start;
        var cursor = new OrderCursor(t0, "plan-1");
        OrderFilter[] filters =
        [
            OrderFilter.All,
            new(Status: PaymentStatus.Authorized),
            new(NeedsAttention: true),
            new(NeedsAttention: false),
            new(From: t0, To: t0.AddDays(1)),
            new(Status: PaymentStatus.Captured, From: t0),
            new(Status: PaymentStatus.Authorized, NeedsAttention: true),
            new(Search: "plan"),
            new(Search: "plan", Status: PaymentStatus.Authorized, From: t0),
        ];

        foreach (var filter in filters)
        {
            var list = Plan(host, StoreSession.ListQuery(filter, cursor, 50));
            var totals = Plan(host, StoreSession.TotalsQuery(filter));

            list.ShouldAllBe(step => !step.StartsWith("SCAN instances", StringComparison.Ordinal) || step.Contains(" INDEX ", StringComparison.Ordinal), $"{filter}: {string.Join(" | ", list)}");
            totals.ShouldAllBe(step => !step.StartsWith("SCAN instances", StringComparison.Ordinal) || step.Contains(" INDEX ", StringComparison.Ordinal), $"{filter}: {string.Join(" | ", totals)}");
            if (filter.Search is null)
            {
                list.ShouldNotContain(step => step.Contains("ORDER BY", StringComparison.Ordinal), $"{filter}: {string.Join(" | ", list)}");
            }
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }

    private static IOrderReports Reports(RuntimeTestHost host) => host.Get<IOrderReports>();

    private static async Task<List<string>> IdsAsync(RuntimeTestHost host, OrderFilter filter) =>
        [.. (await Reports(host).ListAsync(filter, null, 100, None)).Items.Select(o => o.OrderId)];

    /// <summary>Every order of the filter, page by page through the cursors; and how many pages it took.</summary>
    private static async Task<(List<string> Ids, int Pages)> ListAllAsync(RuntimeTestHost host, OrderFilter filter, int limit)
    {
        var ids = new List<string>();
        OrderCursor? after = null;
        for (var pages = 1; pages <= 100; pages++)
        {
            var page = await Reports(host).ListAsync(filter, after, limit, None);
            ids.AddRange(page.Items.Select(o => o.OrderId));
            if (page.Next is null)
            {
                return (ids, pages);
            }

            OrderCursor.TryParse(page.Next, out after).ShouldBeTrue();
        }

        throw new InvalidOperationException("The listing did not end within 100 pages.");
    }

    private static async Task<Application.Workflows.OrderPaymentSnapshot> StartAsync(RuntimeTestHost host, string id, long amount = 1_000, Currency currency = Currency.NOK)
    {
        await host.Client.StartAsync(new PaymentRequest(OrderId.Parse(id), new Money(amount, currency), "Two books", UserFlow.WebRedirect, "https://shop.example/return"), None);
        return await host.WaitForStatus(id, PaymentStatus.AwaitingCustomer);
    }

    private static async Task AuthorizeAsync(RuntimeTestHost host, Application.Workflows.OrderPaymentSnapshot created)
    {
        host.Provider.Approve(created.State.Reference);
        await host.Client.RaiseAsync(created.State.OrderId, new ProviderNotified(created.State.Reference, "AUTHORIZED"), $"webhook-{created.State.Reference}", None);
        await host.WaitForStatus(created.State.OrderId.Value, PaymentStatus.Authorized);
    }

    private static async Task CaptureAsync(RuntimeTestHost host, string id, string shipmentId, long amount)
    {
        var order = OrderId.Parse(id);
        var currency = (await host.Client.GetAsync(order, None))!.State.Request.Amount.Currency;
        await host.Client.RaiseAsync(order, new FulfillmentSignalled(shipmentId, new Money(amount, currency)), shipmentId, None);
        await host.WaitFor(id, s => s.PendingSignals == 0 && s.State.Shipments.Exists(x => x.ShipmentId == shipmentId && x.Outcome == OperationOutcome.Succeeded), $"{shipmentId} captured");
    }

    private static async Task RefundAsync(RuntimeTestHost host, string id, string refundId, long amount)
    {
        await host.Client.RaiseAsync(OrderId.Parse(id), new RefundRequested(refundId, new Money(amount, Currency.NOK)), refundId, None);
        await host.WaitFor(id, s => s.PendingSignals == 0 && s.State.Refunds.Exists(x => x.RefundId == refundId && x.Outcome == OperationOutcome.Succeeded), $"{refundId} refunded");
    }

    /// <summary>SQLite's plan for the query (each step's detail), on the host's migrated file.</summary>
    private static List<string> Plan(RuntimeTestHost host, (string Sql, (string Name, object? Value)[] Parameters) query)
    {
        using var connection = host.Get<RuntimeStore>().Open();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + query.Sql;
        foreach (var (name, value) in query.Parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        using var reader = command.ExecuteReader();
        var steps = new List<string>();
        while (reader.Read())
        {
            steps.Add(reader.GetString(3));
        }

        return steps;
    }
}
