using ActorTrading.Core.Market;
using ActorTrading.Node.Hosting;
using ActorTrading.TestExchange;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace ActorTrading.Node.Tests;

/// <summary>The node configured for Kraken (its folder and one catalog line), against the Kraken fake and the simulated spot market.</summary>
public sealed class KrakenNodeSpecs
{
    [Fact]
    public async Task A_node_configured_for_kraken_streams_its_private_channels_with_a_token_and_syncs_its_checked_book()
    {
        await using var venue = await FakeKrakenVenue.StartAsync();
        venue.SetBook("BTC/USD", [(60000.0m, 1m), (59999.9m, 0.5m)], [(60001.0m, 2m)]);
        var overrides = KrakenNodeSettings.Overrides(venue, "sqlite:" + Path.Combine(Directory.CreateTempSubdirectory("actortrading-kraken-").FullName, "journal.db"),
            ["book-delta", "trades", "ticker"], ["orders", "balances"]);
        using var host = NodeHost.Build(NodeHost.LoadConfiguration(null, overrides), TextWriter.Null, KrakenNodeSettings.Credentials.GetValueOrDefault);
        var status = host.Services.GetRequiredService<StatusConsole>();
        await host.StartAsync();
        try
        {
            await Until(() => status.Last?.Feeds.Count(f => f.State == "Streaming") >= 2, 20);
            Assert.Equal(["kraken.spot/private", "kraken.spot/public"], status.Last!.Feeds.Where(f => f.State == "Streaming").Select(f => $"{f.Venue}/{f.Feed}").Order());
            Assert.Equal(["/auth/v2", "/v2"], venue.Ws.Paths.Order(StringComparer.Ordinal));
            var token = Assert.Single(venue.Tokens);
            Assert.Equal(["balances", "executions"], venue.Requests.Where(r => r.Token == token).Select(r => r.Channel).Order());

            await venue.PushBookUpdateAsync("BTC/USD", [(60000.5m, 3m)], []);
            await Until(() => status.Last?.Symbols.SingleOrDefault(s => s.Symbol == "BTC/USD") is { Health: BookHealth.Synced, BestBid.Price: 60000.5m }, 20);
            var book = status.Last!.Symbols.Single(s => s.Symbol == "BTC/USD");
            Assert.Equal((60000.5m, 3m, 60001.0m), (book.BestBid!.Value.Price, book.BestBid!.Value.Size, book.BestAsk!.Value.Price));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public void The_shipped_kraken_example_builds_and_names_what_a_kraken_venue_lacks()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "config", "kraken.example.json");
        var overrides = new Dictionary<string, string?>
        {
            ["Venues:0:PrivateChannels:0"] = "orders",
            ["Venues:0:PrivateChannels:1"] = "balances",
            ["Venues:0:Orders:Enabled"] = "true",
        };
        var credentials = new Dictionary<string, string?> { ["KRAKEN_API_KEY"] = "k", ["KRAKEN_API_SECRET"] = "c2VjcmV0" };
        var definition = Assert.Single(NodeHost.Entries<VenueOptions>(NodeHost.LoadConfiguration(path, overrides), "Venues")).ToDefinition(credentials.GetValueOrDefault);
        Assert.Equal("kraken-spot", definition.Name);
        Assert.NotNull(definition.OrderEntry);
        Assert.NotNull(definition.PrivateFeed);

        string Refusal(string key, string value) => Assert.Throws<ActorTrading.Core.Errors.ExchangeException>(() =>
            NodeHost.Entries<VenueOptions>(NodeHost.LoadConfiguration(path, new Dictionary<string, string?>(overrides) { [key] = value }), "Venues")[0]
                .ToDefinition(credentials.GetValueOrDefault)).Error.ToString();
        Assert.Contains("Kraken candle interval '1m'", Refusal("Venues:0:CandleInterval", "1m"));
        Assert.Contains("BASE/QUOTE", Refusal("Venues:0:Symbols:0", "BTCUSD"));
        Assert.Contains("no leverage", Refusal("Venues:0:Orders:Leverage", "3"));
        var noKeys = NodeHost.Entries<VenueOptions>(NodeHost.LoadConfiguration(path, overrides), "Venues")[0];
        Assert.Contains("KRAKEN_API_KEY", Assert.Throws<ActorTrading.Core.Errors.ExchangeException>(() => noKeys.ToDefinition(_ => null)).Error.Message);
        var garbled = new Dictionary<string, string?> { ["KRAKEN_API_KEY"] = "k", ["KRAKEN_API_SECRET"] = "not*base64" };
        Assert.Contains("KRAKEN_API_SECRET is not base64", Assert.Throws<ActorTrading.Core.Errors.ExchangeException>(() => noKeys.ToDefinition(garbled.GetValueOrDefault)).Error.Message);
    }

    [Fact]
    public async Task Run_simulate_kraken_streams_the_simulated_spot_books_checked_and_the_paper_quoter_trades_on_them()
    {
        var config = Path.Combine(AppContext.BaseDirectory, "config", "kraken.example.json");
        var journal = "sqlite:" + Path.Combine(Directory.CreateTempSubdirectory("actortrading-kraken-sim-").FullName, "journal.db");
        var output = new StringWriter();
        Assert.Equal(0, await Program.BuildCommandLine(output, TextWriter.Null)
            .Parse(["run", "--simulate", "kraken", "--config", config, "--duration", "10", "--journal", journal]).InvokeAsync());
        Assert.Matches("(?m) symbol kraken.spot/BTC/USD msg/s=[0-9.]+ bid=[0-9.]+x[0-9.]+ ask=[0-9.]+x[0-9.]+ book=Synced ", output.ToString());
        Assert.Matches("(?m) symbol kraken.spot/ETH/USD msg/s=[0-9.]+ bid=[0-9.]+x[0-9.]+ ask=[0-9.]+x[0-9.]+ book=Synced ", output.ToString());
        StatusLines.BooksStaySyncedOnceSynced(output.ToString(), "kraken.spot", "BTC/USD", "ETH/USD");   // every checksum held

        var fills = new StringWriter();
        Assert.Equal(0, await Program.BuildCommandLine(fills, TextWriter.Null).Parse(["audit", "fills", "--journal", journal, "--format", "csv"]).InvokeAsync());
        var rows = fills.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToArray();
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Contains(",paper-kraken,spot,BTC/USD,kquoter,", r, StringComparison.Ordinal));
    }

    private static async Task Until(Func<bool> done, int seconds)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(seconds);
        while (DateTimeOffset.UtcNow < deadline && !done())
        {
            await Task.Delay(200);
        }
    }
}
