using Microsoft.Playwright;
using OrderPayments.Api.Tests.OperatorPage;
using static Microsoft.Playwright.Assertions;

namespace OrderPayments.Api.Tests.Issues;

/// <summary>
/// Issue 25: the interactive API reference at <c>/reference</c> renders the API's own OpenAPI document in a browser,
/// with nothing loaded from elsewhere (its scripts come from the API). Its screenshot is saved beside the operator page's.
/// </summary>
public sealed class Issue25ApiReferenceBrowserTests(Chromium chromium) : IClassFixture<Chromium>, IAsyncLifetime
{
    private ApiHost _api = null!;
    private IBrowserContext _context = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiHost.StartAsync();
        _context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } });
    }

    public async Task DisposeAsync()
    {
        await _context.CloseAsync();
        await _api.DisposeAsync();
    }

    [Fact]
    public async Task Reference_InABrowser_ShowsTheDocumentsOperationsFromThisServerOnly()
    {
        var page = await _context.NewPageAsync();
        var elsewhere = new List<string>();
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(_api.Address.ToString(), StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                elsewhere.Add(request.Url);
            }
        };

        await page.GotoAsync(new Uri(_api.Address, "reference").ToString());

        await Expect(page.GetByText("Start the order's payment (idempotent for the same body).").First).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Expect(page.GetByText("OrderPayments API").First).ToBeVisibleAsync();
        Directory.CreateDirectory(OperatorPageBrowserTests.ScreenshotDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(OperatorPageBrowserTests.ScreenshotDirectory, "ApiReference.png") });
        elsewhere.ShouldBeEmpty("the reference needs nothing but this server");
    }
}
