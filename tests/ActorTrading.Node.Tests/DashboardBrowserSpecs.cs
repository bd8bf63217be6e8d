using ActorTrading.Node.Hosting;
using ActorTrading.Node.Http;
using ActorTrading.Simulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Playwright;
using Xunit;

namespace ActorTrading.Node.Tests;

/// <summary>
/// The dashboard in a real browser: Playwright driving Debian's Chromium (<c>ACTORTRADING_TEST_CHROMIUM</c>, or
/// <c>/usr/bin/chromium</c>; <c>.ci/chromium</c> installs it) on a node running the simulated Crypto.com market with its
/// paper quoter.
/// </summary>
public sealed class DashboardBrowserSpecs
{
    private static string Chromium() => Environment.GetEnvironmentVariable("ACTORTRADING_TEST_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    [Fact]
    public async Task The_dashboard_shows_books_updating_and_a_paper_fill_arriving_without_a_reload_and_saves_a_screenshot()
    {
        Assert.True(File.Exists(Chromium()), $"no Chromium at {Chromium()}: run .ci/chromium (apt-get install chromium) or set ACTORTRADING_TEST_CHROMIUM");
        await using var simulated = await SimulatedVenue.StartAsync("cryptocom");
        var example = Path.Combine(AppContext.BaseDirectory, "config", "cryptocom.example.json");
        var overrides = NodeHost.PointVenueAt(NodeHost.LoadConfiguration(example), simulated.Venue, simulated.Market, simulated.RestBaseUri, simulated.StreamBase);
        overrides["Journal:Store"] = "sqlite:" + Path.Combine(Directory.CreateTempSubdirectory("actortrading-dashboard-").FullName, "journal.db");
        overrides["Http:Port"] = "0";
        var environment = new Dictionary<string, string?> { [HttpOptions.TokenVariable] = "dash-token" };
        using var host = NodeHost.Build(NodeHost.LoadConfiguration(example, overrides), TextWriter.Null, environment.GetValueOrDefault);
        await host.StartAsync();
        try
        {
            var address = host.Services.GetServices<IHostedService>().OfType<NodeHttpServer>().Single().Address!;
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium(), Headless = true, Args = ["--no-sandbox"] });
            var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1400, Height = 900 } });
            await page.GotoAsync(address + "?access_token=dash-token");
            await page.EvaluateAsync("() => window.loadedOnce = 42");   // gone if the page reloads

            // The book arrives Synced, then its sequence moves on the page while it stays the same page.
            const string Book = "[data-book='cryptocom.spot/BTC_USDT']";
            await page.WaitForSelectorAsync(Book + " .health.ok", new() { Timeout = 30_000 });
            var first = long.Parse((await page.TextContentAsync(Book + " .seq"))!, System.Globalization.CultureInfo.InvariantCulture);
            await page.WaitForFunctionAsync($"s => Number(document.querySelector(\"{Book} .seq\").textContent) > s", first, new() { Timeout = 10_000 });
            var bid = decimal.Parse((await page.TextContentAsync(Book + " .bid"))!.Split(' ')[0].Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
            var ask = decimal.Parse((await page.TextContentAsync(Book + " .ask"))!.Split(' ')[0].Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(bid < ask, $"bid {bid} ask {ask}");
            Assert.Equal(2, await page.Locator(Book + " svg path").CountAsync());   // the depth chart's two sides

            // The paper quoter's first fill shows up in the fills table, and the strategy's count with it.
            var fill = page.Locator("#fills tr.fill").First;
            await fill.WaitForAsync(new() { Timeout = 30_000 });
            Assert.Contains("paper-cryptocom", await fill.TextContentAsync(), StringComparison.Ordinal);
            Assert.Matches("^cquoter-", await fill.Locator("td").Nth(6).TextContentAsync());
            Assert.True(int.Parse((await page.TextContentAsync("[data-strategy='cquoter'] .fills"))!, System.Globalization.CultureInfo.InvariantCulture) >= 1);
            // The quoter's resting orders are listed as the desk has them.
            var order = page.Locator("#orders tr.order").First;
            await order.WaitForAsync(new() { Timeout = 10_000 });
            Assert.Matches("^cquoter-", await order.GetAttributeAsync("data-order"));
            // The journal's own audit of this run: verify passes, and the quoter's journaled fills are counted.
            await page.WaitForSelectorAsync("#journal .verdict.ok", new() { Timeout = 30_000 });
            Assert.Equal("audit verify OK", await page.TextContentAsync("#journal .verdict"));
            await page.WaitForFunctionAsync("() => Number(document.querySelector(\"#audit tr[data-audit='cquoter'] .fills\")?.textContent) >= 1", null, new() { Timeout = 30_000 });
            Assert.Equal("paper-cryptocom", await page.Locator("#audit tr[data-audit='cquoter'] td").First.TextContentAsync());
            Assert.Equal("live", await page.TextContentAsync("#link"));
            Assert.Equal(42, await page.EvaluateAsync<int>("() => window.loadedOnce"));
            Assert.True(int.Parse((await page.TextContentAsync("#updates"))!, System.Globalization.CultureInfo.InvariantCulture) >= 2);

            var screenshot = Path.Combine(AppContext.BaseDirectory, "dashboard.png");
            await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
            Assert.True(new FileInfo(screenshot).Length > 20_000);
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
