using ActorTrading.Core.Market;
using ActorTrading.Node.Hosting;
using ActorTrading.TestExchange;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace ActorTrading.Node.Tests;

/// <summary>The node configured for Binance USDⓈ-M only (its folder and one catalog line), against the Binance fake.</summary>
public sealed class BinanceNodeSpecs
{
    [Fact]
    public async Task A_node_configured_for_binance_futures_streams_its_routed_sockets_and_user_data_and_syncs_its_book()
    {
        await using var venue = await FakeBinanceVenue.StartAsync();
        venue.ServeDepth("/fapi/v1/depth", "BTCUSDT", """{"lastUpdateId":1000,"E":1,"T":1,"bids":[["60000.0","1"]],"asks":[["60001.0","2"]]}""");
        var overrides = BinanceNodeSettings.Overrides(venue, "sqlite:" + Path.Combine(Directory.CreateTempSubdirectory("actortrading-binance-").FullName, "journal.db"),
            ["book-delta", "trades", "funding"], ["orders", "positions"]);
        using var host = NodeHost.Build(NodeHost.LoadConfiguration(null, overrides), TextWriter.Null, BinanceNodeSettings.Credentials.GetValueOrDefault);
        var status = host.Services.GetRequiredService<StatusConsole>();
        await host.StartAsync();
        try
        {
            await Until(() => status.Last?.Feeds.Count(f => f.State == "Streaming") >= 3, 20);
            Assert.Equal(["binance.futures/private", "binance.futures/public-market", "binance.futures/public-public"],
                status.Last!.Feeds.Where(f => f.State == "Streaming").Select(f => $"{f.Venue}/{f.Feed}").Order());
            Assert.Contains("/private/ws/" + venue.IssuedListenKeys[0], venue.Ws.Paths);

            await venue.Ws.SendToPathAsync("/public/", """{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":2,"T":2,"s":"BTCUSDT","U":990,"u":1005,"pu":985,"b":[["60000.5","3"]],"a":[]}}""");
            await Until(() => status.Last?.Symbols.SingleOrDefault(s => s.Symbol == "BTCUSDT") is { Health: BookHealth.Synced }, 20);
            var book = status.Last!.Symbols.Single(s => s.Symbol == "BTCUSDT");
            Assert.Equal((60000.5m, 3m), (book.BestBid!.Value.Price, book.BestBid!.Value.Size));
            Assert.Equal(60001.0m, book.BestAsk!.Value.Price);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public void The_shipped_binance_example_builds_every_venue_and_names_what_a_binance_venue_lacks()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "config", "binance.example.json");
        var overrides = new Dictionary<string, string?>
        {
            ["Venues:2:PrivateChannels:0"] = "orders",
            ["Venues:2:PrivateChannels:1"] = "positions",
            ["Venues:2:Orders:Enabled"] = "true",
        };
        var credentials = new Dictionary<string, string?> { ["BINANCE_API_KEY"] = "k", ["BINANCE_API_SECRET"] = "s" };
        var venues = NodeHost.Entries<VenueOptions>(NodeHost.LoadConfiguration(path, overrides), "Venues");
        var definitions = venues.Select(v => v.ToDefinition(credentials.GetValueOrDefault)).ToArray();
        Assert.Equal(["kucoin-futures", "binance-spot", "binance-futures"], definitions.Select(d => d.Name));
        Assert.NotNull(definitions[2].OrderEntry);
        Assert.NotNull(definitions[2].PrivateFeed);

        string Refusal(string key, string value) => Assert.Throws<ActorTrading.Core.Errors.ExchangeException>(() =>
            NodeHost.Entries<VenueOptions>(NodeHost.LoadConfiguration(path, new Dictionary<string, string?> { [key] = value }), "Venues")[1]
                .ToDefinition(credentials.GetValueOrDefault)).Error.ToString();
        Assert.Equal("configuration: venue binance spot: unknown Binance spot kline interval '1min' (one of 1s, 1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 8h, 12h, 1d, 3d, 1w, 1M)",
            Refusal("Venues:1:CandleInterval", "1min"));
        Assert.Contains("write it as the REST API does, upper-case (BTCUSDT)", Refusal("Venues:1:Symbols:0", "btcusdt"));
        Assert.Contains("use book-depth5, or book-delta", Refusal("Venues:1:Channels:2", "book-depth50"));
        // Spot orders may take the WebSocket API; USDⓈ-M's go by REST, and saying otherwise is named at start.
        VenueOptions WsRoute(int venue) => NodeHost.Entries<VenueOptions>(NodeHost.LoadConfiguration(path, new Dictionary<string, string?>
        {
            [$"Venues:{venue}:Orders:Enabled"] = "true",
            [$"Venues:{venue}:Orders:Route"] = "ws",
        }), "Venues")[venue];
        Assert.IsType<ActorTrading.Exchanges.Binance.Ws.BinanceWsApiAdapter>(WsRoute(1).ToDefinition(credentials.GetValueOrDefault).TradingSocket);
        Assert.Equal("configuration: venue binance futures: Binance USDⓈ-M orders go by REST: remove Orders.Route ws",
            Assert.Throws<ActorTrading.Core.Errors.ExchangeException>(() => WsRoute(2).ToDefinition(credentials.GetValueOrDefault)).Error.ToString());
        var noKeys = NodeHost.Entries<VenueOptions>(NodeHost.LoadConfiguration(path, overrides), "Venues")[2];
        Assert.Contains("BINANCE_API_KEY", Assert.Throws<ActorTrading.Core.Errors.ExchangeException>(() => noKeys.ToDefinition(_ => null)).Error.Message);
    }

    [Fact]
    public async Task Run_simulate_binance_streams_the_simulated_usdm_books_and_the_paper_quoter_trades_on_them()
    {
        var config = Path.Combine(AppContext.BaseDirectory, "config", "binance.example.json");
        var journal = "sqlite:" + Path.Combine(Directory.CreateTempSubdirectory("actortrading-binance-sim-").FullName, "journal.db");
        var output = new StringWriter();
        Assert.Equal(0, await Program.BuildCommandLine(output, TextWriter.Null)
            .Parse(["run", "--simulate", "binance", "--config", config, "--duration", "10", "--journal", journal]).InvokeAsync());
        Assert.Matches("(?m) symbol binance.futures/BTCUSDT msg/s=[0-9.]+ bid=[0-9.]+x[0-9.]+ ask=[0-9.]+x[0-9.]+ book=Synced ", output.ToString());
        Assert.Matches("(?m) symbol binance.futures/ETHUSDT msg/s=[0-9.]+ bid=[0-9.]+x[0-9.]+ ask=[0-9.]+x[0-9.]+ book=Synced ", output.ToString());
        Assert.DoesNotContain("kucoin.futures", output.ToString(), StringComparison.Ordinal);   // only the simulated venue runs

        var fills = new StringWriter();
        Assert.Equal(0, await Program.BuildCommandLine(fills, TextWriter.Null).Parse(["audit", "fills", "--journal", journal, "--format", "csv"]).InvokeAsync());
        var rows = fills.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToArray();
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Contains(",paper-binance,futures,BTCUSDT,bquoter,", r, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("binance", "error: configuration: the configuration has no binance futures venue to point at the simulator (config/binance.example.json has it: pass it with --config)")]
    [InlineData("okx", "error: configuration: --simulate okx: the simulated venues are kucoin, binance, bybit, kraken and cryptocom")]
    public async Task Run_simulate_names_what_it_cannot_simulate_in_one_error_line(string venue, string line)
    {
        var failure = await Assert.ThrowsAsync<ActorTrading.Core.Errors.ExchangeException>(() => Program.BuildCommandLine(TextWriter.Null, TextWriter.Null)
            .Parse(["run", "--simulate", venue, "--duration", "1"]).InvokeAsync(new System.CommandLine.InvocationConfiguration { EnableDefaultExceptionHandler = false }));
        Assert.Equal((line, 1), ActorTrading.Node.Cli.CliErrors.Describe(failure));
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
