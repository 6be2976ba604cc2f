using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OrderPayments.Api.Tests.OperatorPage;
using static Microsoft.Playwright.Assertions;

namespace OrderPayments.Api.Tests.Issues;

/// <summary>
/// Issue 14: the operator page rebuilt the order's detail, its amount fields and buttons included, on every refresh
/// (every 2 s). A refresh that was in flight when the operator started typing wiped the amount, so Fulfill shipped the
/// whole rest; one that landed between pressing and releasing a button swallowed the click. Now the controls stay while
/// the same order is shown, and only what the order's document says is redrawn. Each test holds one refresh's answer
/// (a Playwright route) and lets it land at the moment that hurt.
/// </summary>
public sealed class Issue14OperatorPageRefreshTests(Chromium chromium) : IClassFixture<Chromium>, IAsyncLifetime
{
    private const string OrderId = "refresh-order";
    private static readonly float ExpectTimeout = 20_000;

    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ApiHost _api = null!;
    private IBrowserContext _context = null!;
    private IPage _page = null!;
    private int _routed;

    public async Task InitializeAsync()
    {
        _api = await ApiHost.StartAsync();
        var reference = (string)(await _api.StartPaymentAsync(OrderId, amount: 1000))["reference"]!;
        await _api.CustomerAsync(reference, "approve");
        await _api.WaitForStatusAsync(OrderId, "Authorized");

        _context = await chromium.Browser.NewContextAsync();
        _page = await _context.NewPageAsync();
        await _page.GotoAsync(_api.Address.ToString());
        await _page.Locator("#orders a", new() { HasTextString = OrderId }).ClickAsync();
        await Expect(Detail("Status")).ToHaveTextAsync("Authorized", new() { Timeout = ExpectTimeout });
    }

    public async Task DisposeAsync()
    {
        _release.TrySetResult();
        await _context.CloseAsync();
        await _api.DisposeAsync();
    }

    [Fact]
    public async Task ShipAmount_TypedWhileARefreshIsInFlight_IsKeptAndShipped()
    {
        await HoldNextRefreshAsync();

        await _page.Locator("#shipAmount").FillAsync("4.00");
        await LandHeldRefreshAsync();
        await Expect(_page.Locator("#shipAmount")).ToHaveValueAsync("4.00");
        await _page.GetByRole(AriaRole.Button, new() { Name = "Capture for shipment" }).ClickAsync();

        await Expect(Detail("Captured")).ToHaveTextAsync("NOK 4.00", new() { Timeout = ExpectTimeout });
    }

    [Fact]
    public async Task FulfillButton_RefreshLandsBetweenPressAndRelease_StillShips()
    {
        await HoldNextRefreshAsync();

        await _page.GetByRole(AriaRole.Button, new() { Name = "Capture for shipment" }).HoverAsync();
        await _page.Mouse.DownAsync();
        await LandHeldRefreshAsync();
        await _page.Mouse.UpAsync();

        await Expect(_page.Locator("#actionResult")).ToHaveTextAsync(new Regex("^Capture for shipment ship-.*: accepted"), new() { Timeout = ExpectTimeout });
        await Expect(Detail("Captured")).ToHaveTextAsync("NOK 10.00", new() { Timeout = ExpectTimeout });
    }

    private ILocator Detail(string term) => _page.Locator($"#facts dt:text-is('{term}') + dd");

    /// <summary>
    /// Holds the answer to the page's next read of the order (its own refresh) until <see cref="LandHeldRefreshAsync"/>.
    /// That answer, and every answer let through after it, has the description HELD, so that the test sees when the page
    /// has drawn it (and a later refresh does not take the mark away).
    /// </summary>
    private async Task HoldNextRefreshAsync()
    {
        await _page.RouteAsync($"**/api/orders/{OrderId}/payment", async route =>
        {
            var first = Interlocked.Exchange(ref _routed, 1) == 0;
            var response = await route.FetchAsync();
            var order = JsonNode.Parse(await response.TextAsync())!;
            if (first)
            {
                _held.SetResult();
                await _release.Task;
            }

            if (_release.Task.IsCompleted)
            {
                order["description"] = "HELD";
            }

            await route.FulfillAsync(new() { Response = response, Body = order.ToJsonString() });
        });
        await _held.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>Lets the held answer through and waits until the page has drawn it.</summary>
    private async Task LandHeldRefreshAsync()
    {
        _release.SetResult();
        await Expect(Detail("Description")).ToHaveTextAsync("HELD", new() { Timeout = ExpectTimeout });
    }
}
