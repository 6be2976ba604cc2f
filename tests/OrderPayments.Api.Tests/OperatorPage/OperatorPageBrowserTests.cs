using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OrderPayments.Api.Tests.OperatorPage;

/// <summary>
/// The operator console (src/OrderPayments.Api/Page/index.html) in headless Chromium against the API as the one-command run
/// starts it (Development, simulator embedded): what an operator clicks and types, and what the page then shows without
/// a reload. Each state is saved as a screenshot under <see cref="ScreenshotDirectory"/>.
/// </summary>
public sealed class OperatorPageBrowserTests(Chromium chromium) : IClassFixture<Chromium>, IAsyncLifetime
{
    /// <summary>Longer than the page's own refresh (2 s) plus a webhook's or a signal's way through the runtime.</summary>
    private const float ExpectTimeout = 20_000;

    /// <summary>The time the action rules are checked at (they take it as a parameter).</summary>
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 10, 0, 0, TimeSpan.Zero);

    private static readonly int[] BadRequestOnly = [400];

    private ApiHost _api = null!;
    private IBrowserContext _context = null!;
    private IPage _page = null!;

    /// <summary>
    /// Where the screenshots go: <c>screenshots</c> in the test results directory CI passes
    /// (<c>-p:TestResultsDirectory=…</c>, handed to the test process by tests/Directory.Build.props), otherwise
    /// <c>TestResults/screenshots</c> beside the test assembly.
    /// </summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(
        Environment.GetEnvironmentVariable("ORDERPAYMENTS_TEST_RESULTS") is { Length: > 0 } results ? results : Path.Combine(AppContext.BaseDirectory, "TestResults"),
        "screenshots");

    public async Task InitializeAsync()
    {
        _api = await ApiHost.StartAsync();
        _context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } });
        _context.SetDefaultTimeout(ExpectTimeout);
        SetDefaultExpectTimeout(ExpectTimeout);
        _page = await _context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        await _context.CloseAsync();
        await _api.DisposeAsync();
    }

    [Fact]
    public async Task OrderFromStartToRefund_ActionsFollowTheStateAndCancelAndRefundAskFirst()
    {
        const string OrderId = "browser-order-1";
        await _page.GotoAsync(_api.Address.ToString());

        // A new order: the page starts the payment, opens the order and links to the payment page.
        await _page.Locator("#newOrder summary").ClickAsync();
        await _page.Locator("#orderId").FillAsync(OrderId);
        await _page.Locator("#amount").FillAsync("499.00");
        await _page.GetByRole(AriaRole.Button, new() { Name = "Start payment" }).ClickAsync();
        await Expect(_page.Locator("#createResult a")).ToHaveTextAsync("Open the payment page (approve or reject as the customer)");
        await Expect(Fact("Status")).ToHaveTextAsync("Waiting for the customer");
        await Expect(_page.Locator("#orders tr[aria-current=true]")).ToContainTextAsync(OrderId);
        await ExpectActionsAsync(ship: false, cancel: true, refund: false);
        await ScreenshotAsync(_page, "01-created");

        // The customer follows the link (same tab), approves, and comes back to the console with the order open.
        await _page.Locator("#payLink").ClickAsync();
        await Expect(_page.Locator("#amount")).ToContainTextAsync("499");
        await ScreenshotAsync(_page, "02-payment-page");
        await _page.Locator("#approve").ClickAsync();
        await Expect(_page).ToHaveURLAsync(new Regex($"^{Regex.Escape(_api.Address.ToString())}\\?order={OrderId}$"));
        await Expect(_page.Locator("#detailTitle")).ToHaveTextAsync($"Order {OrderId}");
        await Expect(Fact("Status")).ToHaveTextAsync("Authorized");
        await Expect(Fact("Left to ship")).ToHaveTextAsync("NOK 499.00");
        await Expect(Fact("Ship by")).ToBeVisibleAsync();
        await ExpectActionsAsync(ship: true, cancel: true, refund: false);
        await ScreenshotAsync(_page, "03-returned-authorized");

        // Part of it ships, under the warehouse's own shipment id.
        await _page.Locator("#shipId").FillAsync("WH-4711");
        await _page.Locator("#shipAmount").FillAsync("200.00");
        await _page.GetByRole(AriaRole.Button, new() { Name = "Capture for shipment" }).ClickAsync();
        await Expect(_page.Locator("#actionResult")).ToHaveTextAsync(new Regex("^Capture for shipment WH-4711: accepted"));
        await Expect(Fact("Captured")).ToHaveTextAsync("NOK 200.00");
        await Expect(_page.Locator("#recordTable tr", new() { HasText = "Shipment WH-4711" })).ToContainTextAsync("Succeeded");
        await Expect(HistoryLine("Captured NOK 200.00 for shipment WH-4711")).ToBeVisibleAsync();
        await Expect(_page.Locator("#shipAmount")).ToHaveValueAsync("");
        await Expect(_page.Locator("#shipId")).Not.ToHaveValueAsync("WH-4711");
        await ExpectActionsAsync(ship: true, cancel: true, refund: true);
        await ScreenshotAsync(_page, "04-shipped");

        // Cancel asks first: going back changes nothing.
        await _page.GetByRole(AriaRole.Button, new() { Name = "Cancel order…" }).ClickAsync();
        await Expect(_page.Locator("#confirm")).ToBeVisibleAsync();
        await Expect(_page.Locator("#confirmText")).ToContainTextAsync("NOK 200.00 already captured stays captured");
        await ScreenshotAsync(_page, "05-confirm-cancel");
        await _page.GetByRole(AriaRole.Button, new() { Name = "No, go back" }).ClickAsync();
        await Expect(_page.Locator("#confirm")).ToBeHiddenAsync();
        (await _api.GetOrderAsync(OrderId))["history"]!.AsArray().ShouldNotContain(e => ((string)e!["text"]!).StartsWith("Cancel requested", StringComparison.Ordinal));

        // Confirmed: the rest is released; nothing is left to ship, so neither shipping nor its deadline is offered.
        await _page.Locator("#cancelReason").FillAsync("The rest is out of stock");
        await _page.GetByRole(AriaRole.Button, new() { Name = "Cancel order…" }).ClickAsync();
        await _page.GetByRole(AriaRole.Button, new() { Name = "Yes, cancel the order" }).ClickAsync();
        await Expect(Fact("Released")).ToHaveTextAsync("NOK 299.00");
        await Expect(Fact("Status")).ToHaveTextAsync("Captured");
        await Expect(HistoryLine("Released the reservation that was not shipped (NOK 299.00 in all)")).ToBeVisibleAsync();
        await Expect(HistoryLine("Cancellation requested: “The rest is out of stock” (by operator/1)")).ToBeVisibleAsync();
        await Expect(_page.Locator("#facts dt", new() { HasTextString = "Ship by" })).ToHaveCountAsync(0);
        await ExpectActionsAsync(ship: false, cancel: false, refund: true);
        await ScreenshotAsync(_page, "06-cancelled");

        // A refund under the operator's own id, confirmed in the page's dialog.
        await _page.Locator("#refundId").FillAsync("RMA-1");
        await _page.Locator("#refundAmount").FillAsync("50.00");
        await _page.GetByRole(AriaRole.Button, new() { Name = "Refund…" }).ClickAsync();
        await Expect(_page.Locator("#confirmText")).ToContainTextAsync("NOK 50.00 goes back to the customer of order browser-order-1 (refund RMA-1)");
        await ScreenshotAsync(_page, "07-confirm-refund");
        await _page.GetByRole(AriaRole.Button, new() { Name = "Yes, refund" }).ClickAsync();
        await Expect(Fact("Refunded")).ToHaveTextAsync("NOK 50.00");
        await Expect(HistoryLine("Refunded NOK 50.00 to the customer (refund RMA-1)")).ToBeVisibleAsync();
        await ScreenshotAsync(_page, "08-refunded");

        // More than is left: the API refuses it; the page shows the API's problem and keeps the amount to be corrected.
        await _page.Locator("#refundId").FillAsync("RMA-2");
        await _page.Locator("#refundAmount").FillAsync("500.00");
        await _page.GetByRole(AriaRole.Button, new() { Name = "Refund…" }).ClickAsync();
        await _page.GetByRole(AriaRole.Button, new() { Name = "Yes, refund" }).ClickAsync();
        var problem = await RefundProblemAsync(OrderId, 50_000);
        var refused = _page.Locator("#actionResult.error");
        await Expect(refused).ToContainTextAsync($"Refund RMA-2 refused: 422 {problem["title"]}");
        foreach (var error in problem["errors"]!.AsArray())
        {
            await Expect(refused).ToContainTextAsync($"{error!["field"]}: {error["message"]}");
        }

        await Expect(Fact("Refunded")).ToHaveTextAsync("NOK 50.00");
        await Expect(_page.Locator("#refundAmount")).ToHaveValueAsync("500.00");
        await ScreenshotAsync(_page, "09-refused");

        // The history reads as sentences; the keys are in each line's details and in the technical log.
        var captured = HistoryLine("Captured NOK 200.00 for shipment WH-4711");
        await captured.Locator("summary").ClickAsync();
        await Expect(captured.Locator("pre")).ToContainTextAsync($"key {OrderId}-1-capture-1");
        await Expect(_page.Locator("#timeline li > span", new() { HasTextString = " key " })).ToHaveCountAsync(0);
        await _page.Locator("#technicalLog summary").ClickAsync();
        await Expect(_page.Locator("#log")).ToContainTextAsync($"{OrderId}-1-refund-1");
        await ScreenshotAsync(_page, "10-history-details");

        var order = await _api.GetOrderAsync(OrderId);
        ((long?)order["amounts"]!["captured"], (long?)order["amounts"]!["cancelled"], (long?)order["amounts"]!["refunded"]).ShouldBe((20_000L, 29_900L, 5_000L));
        order["shipments"]!.AsArray().Select(s => (string?)s!["shipmentId"]).ShouldBe(["WH-4711"]);
        order["refunds"]!.AsArray().Select(r => (string?)r!["refundId"]).ShouldBe(["RMA-1"]);
    }

    [Fact]
    public async Task OrderList_SearchFiltersTotalsAndChart_CoverEveryMatchingOrder()
    {
        await _api.StartPaymentAsync("list-a1", 10_000);
        await AuthorizeAsync(await _api.StartPaymentAsync("list-a2", 20_000));
        await AuthorizeAsync(await _api.StartPaymentAsync("list-b1", 30_000));
        using (var ship = await _api.FulfillAsync("list-b1", "ship-1", 15_000))
        {
            ((int)ship.StatusCode).ShouldBe(202);
        }

        await _api.WaitForOrderAsync("list-b1", o => (long?)o["amounts"]!["captured"] == 15_000, "captured");
        await _api.StartPaymentAsync("other-1", 5_000);
        await NeedsAttentionOrderAsync("broken-1");

        await _page.GotoAsync(_api.Address.ToString());
        await Expect(_page.Locator("#totalsCaption")).ToHaveTextAsync("Totals of the 5 matching orders");
        await Expect(_page.Locator("#chart rect.bar")).ToHaveCountAsync(24);
        var perHour = await _page.EvaluateAsync<int[]>("() => [...document.querySelectorAll('#chart rect.bar')].map(b => +b.dataset.orders)");
        var capturedPerHour = await _page.EvaluateAsync<int[]>("() => [...document.querySelectorAll('#chart circle.dot')].map(d => +d.dataset.captured)");
        perHour.Sum().ShouldBe(5);
        capturedPerHour.Sum().ShouldBe(15_000);
        await Expect(_page.Locator("#chartCaption")).ToHaveTextAsync("Last 24 hours: 5 orders started (bars), NOK 150.00 captured (line).");
        await ScreenshotAsync(_page, "11-list");

        // Search: the start of an order id (or a payment reference), in any case; the totals follow the search.
        await _page.Locator("#search").FillAsync("LIST-");
        await Expect(OrderIds()).ToHaveTextAsync(["list-b1", "list-a2", "list-a1"]);
        await Expect(TotalsRow("NOK")).ToHaveTextAsync(new Regex(@"^NOK\s*3\s*500\.00\s*150\.00\s*0\.00$"));
        await ScreenshotAsync(_page, "12-search");

        await _page.Locator("#status").SelectOptionAsync("Authorized");
        await Expect(OrderIds()).ToHaveTextAsync(["list-b1", "list-a2"]);
        await Expect(_page.Locator("#totalsCaption")).ToHaveTextAsync("Totals of the 2 matching orders");

        // Needs attention: only the order whose provider call failed.
        await _page.GetByRole(AriaRole.Button, new() { Name = "Clear" }).ClickAsync();
        await _page.Locator("#attention").CheckAsync();
        await Expect(OrderIds()).ToHaveTextAsync(["broken-1"]);
        await Expect(_page.Locator("#orders")).ToContainTextAsync("Needs attention");
        await ScreenshotAsync(_page, "13-needs-attention");

        // Dates: started from tomorrow matches nothing; the wrong way round is said, not sent.
        await _page.GetByRole(AriaRole.Button, new() { Name = "Clear" }).ClickAsync();
        // The browser's own days (the filter is in its local time).
        var days = await _page.EvaluateAsync<string[]>(
            "() => { const d = new Date(), day = t => t.toLocaleDateString('sv-SE'); return [day(d), day(new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1))]; }");
        var (today, tomorrow) = (days[0], days[1]);
        await _page.Locator("#from").FillAsync(tomorrow);
        await Expect(_page.Locator("#ordersEmpty")).ToBeVisibleAsync();
        await Expect(_page.Locator("#totalsCaption")).ToHaveTextAsync("Totals of the 0 matching orders");
        await _page.Locator("#to").FillAsync(today);
        await Expect(_page.Locator("#filterError")).ToHaveTextAsync("The end date is before the start date.");
        await _page.Locator("#from").FillAsync(today);
        await Expect(OrderIds()).ToHaveCountAsync(5);
        await ScreenshotAsync(_page, "14-dates");
    }

    [Fact]
    public async Task ApiKey_MissingWrongOrOfAnotherRole_EachSaidPlainlyAndNothingStaleShown()
    {
        await AuthorizeAsync(await _api.StartPaymentAsync("keys-1", 10_000));
        await _page.GotoAsync($"{_api.Address}?order=keys-1");
        await Expect(OrderIds()).ToHaveTextAsync(["keys-1"]);
        await Expect(_page.Locator("#failedMessage")).ToHaveTextAsync(new Regex("^None"));

        await SetKeyAsync("");
        await Expect(_page.Locator("#banner")).ToHaveTextAsync(new Regex("^No API key entered"));
        await Expect(OrderIds()).ToHaveCountAsync(0);
        await Expect(_page.Locator("#facts")).ToHaveCountAsync(0);
        await Expect(_page.Locator("#failedMessage")).ToHaveTextAsync(new Regex("^Could not load the failed notifications: No API key entered"));
        await ScreenshotAsync(_page, "15-no-key");

        await SetKeyAsync("not-the-key");
        await Expect(_page.Locator("#banner")).ToHaveTextAsync(new Regex(@"^The API key was not accepted \(401\)"));
        await Expect(_page.Locator("#failedMessage")).ToHaveTextAsync(new Regex(@"^Could not load the failed notifications: The API key was not accepted \(401\)"));
        await Expect(_page.Locator("#failedMessage")).Not.ToContainTextAsync("None");
        await Expect(OrderIds()).ToHaveCountAsync(0);
        await Expect(_page.Locator("#detailError")).ToHaveTextAsync(new Regex(@"^The API key was not accepted \(401\)"));
        await Expect(_page.Locator("#facts")).ToHaveCountAsync(0);
        await ScreenshotAsync(_page, "16-wrong-key");

        // A storefront key may read the order, not list orders nor capture: each refusal names the role rule.
        await SetKeyAsync("dev-storefront-key");
        await Expect(_page.Locator("#banner")).ToHaveTextAsync(
            "This API key may not do this (403): A storefront key may not call GET /api/reports/orders; allowed: operator. The operator console needs an operator key.");
        await Expect(Fact("Status")).ToHaveTextAsync("Authorized");
        await _page.Locator("#shipId").FillAsync("WH-1");
        await _page.GetByRole(AriaRole.Button, new() { Name = "Capture for shipment" }).ClickAsync();
        await Expect(_page.Locator("#actionResult")).ToHaveTextAsync(
            "Capture for shipment WH-1 refused: This API key may not do this (403): A storefront key may not call POST /api/orders/keys-1/fulfillments; allowed: fulfillment, operator. The operator console needs an operator key.");
        await ScreenshotAsync(_page, "17-role-not-allowed");
        (await _api.GetOrderAsync("keys-1"))["shipments"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task AtPhoneWidth_ListAndAnOrderWithItsHistory_NoSidewaysScrolling()
    {
        var longId = "phone-" + new string('x', 45) + "-1234";
        await AuthorizeAsync(await _api.StartPaymentAsync(longId, 64_999_999));
        using (var ship = await _api.FulfillAsync(longId, "a-long-warehouse-shipment-id-" + new string('7', 40), 100_000))
        {
            ((int)ship.StatusCode).ShouldBe(202);
        }

        await _api.WaitForOrderAsync(longId, o => (long?)o["amounts"]!["captured"] == 100_000, "captured");
        await _page.SetViewportSizeAsync(375, 812);
        await _page.GotoAsync($"{_api.Address}?order={longId}");
        await Expect(Fact("Captured")).ToHaveTextAsync("NOK 1,000.00");
        await _page.Locator("#timeline details summary").First.ClickAsync();
        await _page.Locator("#technicalLog summary").ClickAsync();
        await _page.Locator("#newOrder summary").ClickAsync();

        var (scroll, client) = await WidthsAsync();
        scroll.ShouldBeLessThanOrEqualTo(client, $"the page scrolls sideways at 375 px; too wide: {await TooWideAsync()}");
        await _page.GetByRole(AriaRole.Button, new() { Name = "Cancel order…" }).ClickAsync();
        await Expect(_page.Locator("#confirm")).ToBeVisibleAsync();
        (scroll, client) = await WidthsAsync();
        scroll.ShouldBeLessThanOrEqualTo(client, $"the page scrolls sideways at 375 px with the dialog open; too wide: {await TooWideAsync()}");
        await ScreenshotAsync(_page, "18-phone-dialog");
        await _page.GetByRole(AriaRole.Button, new() { Name = "No, go back" }).ClickAsync();
        await ScreenshotAsync(_page, "19-phone");
    }

    [Fact]
    public async Task AllowedActionsAndDeadlines_EveryStatus_OnlyWhatTheStateAllows()
    {
        await _page.GotoAsync(_api.Address.ToString());

        // status, capturable, refundable → ship, cancel, refund, new attempt, customer; then whether "Ship by" is shown.
        var cases = new (string Status, long Capturable, long Refundable, string Actions, bool ShipBy)[]
        {
            ("Creating", 0, 0, "cancel", false),
            ("AwaitingCustomer", 0, 0, "cancel customer", false),
            ("Authorized", 1000, 0, "ship cancel", true),
            ("Authorized", 600, 400, "ship cancel refund", true),
            ("Authorized", 0, 1000, "cancel refund", false),
            ("Captured", 0, 1000, "refund", false),
            ("Captured", 0, 0, "", false),
            ("Unpaid", 0, 0, "cancel newAttempt", false),
            ("Failed", 0, 0, "cancel newAttempt", false),
            ("Cancelled", 0, 0, "", false),
            ("Completed", 0, 1000, "", false),
        };
        foreach (var (status, capturable, refundable, actions, shipBy) in cases)
        {
            var completed = status == "Completed";
            var order = new JsonObject
            {
                ["status"] = status,
                ["amounts"] = new JsonObject { ["capturable"] = capturable, ["refundable"] = refundable },
                ["deadlines"] = new JsonObject
                {
                    ["fulfillment"] = Now.AddDays(7).ToString("O"),
                    ["refundWindowCloses"] = Now.AddDays(completed ? -1 : 365).ToString("O"),
                },
            };
            var allowed = await _page.EvaluateAsync<string>(
                "([o, now]) => Object.entries(OperatorConsole.allowedActions(JSON.parse(o), Date.parse(now))).filter(([, on]) => on).map(([name]) => name).join(' ')",
                new[] { order.ToJsonString(), Now.ToString("O") });
            var deadlines = await _page.EvaluateAsync<string>("o => OperatorConsole.relevantDeadlines(JSON.parse(o)).map(([term]) => term).join('|')", order.ToJsonString());

            allowed.ShouldBe(actions, $"{status}, capturable {capturable}, refundable {refundable}: {allowed}");
            deadlines.Contains("Ship by", StringComparison.Ordinal).ShouldBe(shipBy, $"{status}: {deadlines}");
        }

        var late = new JsonObject
        {
            ["status"] = "Authorized",
            ["amounts"] = new JsonObject { ["capturable"] = 1000, ["refundable"] = 0 },
            ["deadlines"] = new JsonObject { ["fulfillment"] = Now.AddMinutes(-1).ToString("O") },
        };
        (await _page.EvaluateAsync<bool>("([o, now]) => OperatorConsole.allowedActions(JSON.parse(o), Date.parse(now)).ship", new[] { late.ToJsonString(), Now.ToString("O") }))
            .ShouldBeFalse("the fulfillment deadline has passed");
    }

    /// <summary>The definition beside a term in the order's facts.</summary>
    private ILocator Fact(string term) => _page.Locator($"#facts dt:text-is('{term}') + dd");

    private ILocator HistoryLine(string text) => _page.Locator("#timeline li", new() { Has = _page.Locator($"span:text-is('{text}')") });

    private ILocator OrderIds() => _page.Locator("#orders tr td:first-child a");

    private ILocator TotalsRow(string currency) => _page.Locator("#totals tbody tr", new() { HasTextString = currency });

    private async Task ExpectActionsAsync(bool ship, bool cancel, bool refund)
    {
        foreach (var (form, shown) in new[] { ("#shipForm", ship), ("#cancelForm", cancel), ("#refundForm", refund) })
        {
            if (shown)
            {
                await Expect(_page.Locator(form)).ToBeVisibleAsync();
            }
            else
            {
                await Expect(_page.Locator(form)).ToBeHiddenAsync();
            }
        }
    }

    private async Task SetKeyAsync(string key)
    {
        await _page.Locator("#apiKey").FillAsync(key);
        await _page.Locator("#apiKey").PressAsync("Enter");
    }

    private async Task<(int Scroll, int Client)> WidthsAsync()
    {
        var widths = await _page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth, document.body.scrollWidth]");
        return (Math.Max(widths[0], widths[2]), widths[1]);
    }

    /// <summary>The innermost elements whose content spills out of them sideways (for a failure message).</summary>
    private Task<string> TooWideAsync() => _page.EvaluateAsync<string>(
        """
        () => [...document.querySelectorAll('body *')]
            .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible' && e.clientWidth > 0)
            .filter(e => ![...e.children].some(c => c.scrollWidth > c.clientWidth + 1 && getComputedStyle(c).overflowX === 'visible' && c.clientWidth > 0))
            .map(e => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className ? '.' + e.className : ''} (${e.clientWidth} px wide, content ${e.scrollWidth} px)`)
            .join(', ')
        """);

    private async Task AuthorizeAsync(JsonObject started)
    {
        await _api.CustomerAsync((string)started["reference"]!, "approve");
        await _api.WaitForStatusAsync((string)started["orderId"]!, "Authorized");
    }

    /// <summary>An order whose payment the provider refused to create (a 400): Failed, and it needs attention.</summary>
    private async Task NeedsAttentionOrderAsync(string orderId)
    {
        await _api.SetFaultsAsync(new { errorRate = 1.0, errorStatuses = BadRequestOnly });
        using (var response = await _api.PutPaymentAsync(orderId, ApiHost.StartBody()))
        {
            response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync());
        }

        await _api.WaitForOrderAsync(orderId, o => (bool?)o["needsAttention"] == true, "needs attention");
        await _api.SetFaultsAsync(new { });
    }

    /// <summary>What the API answers to the same over-refund sent directly (a problem with field errors): what the page must show.</summary>
    private async Task<JsonObject> RefundProblemAsync(string orderId, long amount)
    {
        using var response = await _api.RefundAsync(orderId, "direct-over-refund", amount);
        ((int)response.StatusCode).ShouldBe(422);
        var problem = await ApiHost.ProblemAsync(response);
        problem["errors"]!.AsArray().ShouldNotBeEmpty();
        return problem;
    }

    private static async Task ScreenshotAsync(IPage page, string state)
    {
        var path = Path.Combine(ScreenshotDirectory, $"{nameof(OperatorPageBrowserTests)}-{state}.png");
        Directory.CreateDirectory(ScreenshotDirectory);
        File.Delete(path);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        new FileInfo(path).Length.ShouldBeGreaterThan(0);
    }
}
