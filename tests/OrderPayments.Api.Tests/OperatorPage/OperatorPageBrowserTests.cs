using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OrderPayments.Api.Tests.OperatorPage;

/// <summary>
/// The operator page (src/OrderPayments.Api/Page/index.html) in headless Chromium against the API as the one-command run
/// starts it (Development, simulator embedded): what an operator clicks, and what the page then shows without a reload.
/// Each state is saved as a screenshot under <see cref="ScreenshotDirectory"/>.
/// </summary>
public sealed class OperatorPageBrowserTests(Chromium chromium) : IClassFixture<Chromium>, IAsyncLifetime
{
    /// <summary>Longer than the page's own refresh (2 s) plus a webhook's or a signal's way through the runtime.</summary>
    private static readonly float ExpectTimeout = 20_000;

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
        _page = await _context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        await _context.CloseAsync();
        await _api.DisposeAsync();
    }

    [Fact]
    public async Task OperatorPage_CreateApproveShipCancelRefundAndABadAmount_ShowsEachStateWithoutAReload()
    {
        const string OrderId = "browser-order-1";
        var shots = new List<string>();
        await _page.GotoAsync(_api.Address.ToString());

        // A new order: the page starts the payment and links to the payment page.
        await _page.Locator("#orderId").FillAsync(OrderId);
        await _page.Locator("#amount").FillAsync("499.00");
        await _page.GetByRole(AriaRole.Button, new() { Name = "Start payment" }).ClickAsync();
        var payLink = _page.Locator("#createResult a");
        await Expect(payLink).ToHaveTextAsync("Open the payment page (approve or reject as the customer)", new() { Timeout = ExpectTimeout });
        await Expect(Detail("Status")).ToHaveTextAsync("AwaitingCustomer", new() { Timeout = ExpectTimeout });
        await Expect(_page.Locator("#orders tr.selected")).ToContainTextAsync(OrderId);
        shots.Add(await ScreenshotAsync(_page, "01-created"));

        // The customer follows the redirect link to the simulator's landing page and approves; it returns to the page.
        var landing = await _page.RunAndWaitForPopupAsync(() => payLink.ClickAsync());
        await Expect(landing.Locator("#amount")).ToContainTextAsync("499", new() { Timeout = ExpectTimeout });
        shots.Add(await ScreenshotAsync(landing, "02-landing"));
        await landing.Locator("#approve").ClickAsync();
        await Expect(landing).ToHaveURLAsync(new Regex($"^{Regex.Escape(_api.Address.ToString())}$"), new() { Timeout = ExpectTimeout });
        await landing.CloseAsync();

        // The operator's page was not reloaded: its own refresh shows the authorization.
        await Expect(Detail("Status")).ToHaveTextAsync("Authorized", new() { Timeout = ExpectTimeout });
        await Expect(Detail("Authorized / captured")).ToHaveTextAsync("499.00 NOK / 0.00 NOK", new() { Timeout = ExpectTimeout });
        shots.Add(await ScreenshotAsync(_page, "03-authorized"));

        // Part of it ships.
        await _page.Locator("#shipAmount").FillAsync("200.00");
        await _page.GetByRole(AriaRole.Button, new() { Name = "Fulfill" }).ClickAsync();
        await Expect(Detail("Authorized / captured")).ToHaveTextAsync("499.00 NOK / 200.00 NOK", new() { Timeout = ExpectTimeout });
        await Expect(_page.Locator("#detail dt", new() { HasTextRegex = new Regex("^Shipment ") }).Locator("+ dd")).ToHaveTextAsync("200.00 NOK Succeeded", new() { Timeout = ExpectTimeout });
        await Expect(_page.Locator("#actionResult")).ToHaveTextAsync("Fulfillment: accepted");
        await Expect(_page.Locator("#shipAmount")).ToHaveValueAsync("");
        shots.Add(await ScreenshotAsync(_page, "04-shipped"));

        // The rest is cancelled.
        await _page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(Detail("Cancelled / refunded")).ToHaveTextAsync("299.00 NOK / 0.00 NOK", new() { Timeout = ExpectTimeout });
        await Expect(Detail("Status")).ToHaveTextAsync("Captured", new() { Timeout = ExpectTimeout });
        await Expect(Detail("Capturable / refundable")).ToHaveTextAsync("0.00 NOK / 200.00 NOK", new() { Timeout = ExpectTimeout });
        shots.Add(await ScreenshotAsync(_page, "05-cancelled"));

        // Part of what was captured is refunded.
        await _page.Locator("#refundAmount").FillAsync("50.00");
        await _page.GetByRole(AriaRole.Button, new() { Name = "Refund" }).ClickAsync();
        await Expect(Detail("Cancelled / refunded")).ToHaveTextAsync("299.00 NOK / 50.00 NOK", new() { Timeout = ExpectTimeout });
        await Expect(_page.Locator("#detail dt", new() { HasTextRegex = new Regex("^Refund ") }).Locator("+ dd")).ToHaveTextAsync("50.00 NOK Succeeded", new() { Timeout = ExpectTimeout });
        shots.Add(await ScreenshotAsync(_page, "06-refunded"));

        // A refund above what is left: the API refuses it, the page shows the API's problem, nothing changes.
        await _page.Locator("#refundAmount").FillAsync("500.00");
        await _page.GetByRole(AriaRole.Button, new() { Name = "Refund" }).ClickAsync();
        var refused = _page.Locator("#actionResult.error");
        await Expect(refused).ToContainTextAsync("Refund refused: 422", new() { Timeout = ExpectTimeout });
        var problem = await RefundProblemAsync(OrderId, 50_000);
        await Expect(refused).ToContainTextAsync($"Refund refused: 422 {problem["title"]}");
        foreach (var error in problem["errors"]!.AsArray())
        {
            await Expect(refused).ToContainTextAsync($"{error!["field"]}: {error["message"]}");
        }
        await Expect(Detail("Cancelled / refunded")).ToHaveTextAsync("299.00 NOK / 50.00 NOK");
        await Expect(_page.Locator("#refundAmount")).ToHaveValueAsync("500.00");
        shots.Add(await ScreenshotAsync(_page, "07-refused"));

        var order = await _api.GetOrderAsync(OrderId);
        ((long?)order["amounts"]!["captured"], (long?)order["amounts"]!["cancelled"], (long?)order["amounts"]!["refunded"]).ShouldBe((20_000L, 29_900L, 5_000L));
        shots.ShouldAllBe(path => new FileInfo(path).Exists && new FileInfo(path).Length > 0);
    }

    /// <summary>The definition beside a term in the order's detail (the page's <c>dl</c>).</summary>
    private ILocator Detail(string term) => _page.Locator($"#detail dt:text-is('{term}') + dd");

    /// <summary>What the API answers to the same over-refund sent directly (a problem with field errors): what the page must show.</summary>
    private async Task<JsonObject> RefundProblemAsync(string orderId, long amount)
    {
        using var response = await _api.RefundAsync(orderId, "direct-over-refund", amount);
        ((int)response.StatusCode).ShouldBe(422);
        var problem = await ApiHost.ProblemAsync(response);
        problem["errors"]!.AsArray().ShouldNotBeEmpty();
        return problem;
    }

    private static async Task<string> ScreenshotAsync(IPage page, string state)
    {
        var path = Path.Combine(ScreenshotDirectory, $"{nameof(OperatorPageBrowserTests)}-{state}.png");
        Directory.CreateDirectory(ScreenshotDirectory);
        File.Delete(path);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }
}
