using ActorTrading.Core.Market;
using ActorTrading.Node.Hosting;
using ActorTrading.TestExchange;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace ActorTrading.Node.Tests;

/// <summary>The node configured for Bybit (its folder and one catalog line), against the Bybit fake and the simulated linear market.</summary>
public sealed class BybitNodeSpecs
{
    [Fact]
    public async Task A_node_configured_for_bybit_linear_logs_in_its_private_stream_and_syncs_its_book_from_the_streams_snapshot()
    {
        await using var venue = await FakeBybitVenue.StartAsync();
        venue.BookSnapshot = topic => $$"""{"topic":"{{topic}}","type":"snapshot","ts":1,"data":{"s":"BTCUSDT","b":[["60000.0","1"]],"a":[["60001.0","2"]],"u":1000,"seq":1},"cts":1}""";
        var overrides = BybitNodeSettings.Overrides(venue, "sqlite:" + Path.Combine(Directory.CreateTempSubdirectory("actortrading-bybit-").FullName, "journal.db"),
            ["book-delta", "trades", "funding"], ["orders", "positions"]);
        using var host = NodeHost.Build(NodeHost.LoadConfiguration(null, overrides), TextWriter.Null, BybitNodeSettings.Credentials.GetValueOrDefault);
        var status = host.Services.GetRequiredService<StatusConsole>();
        await host.StartAsync();
        try
        {
            await Until(() => status.Last?.Feeds.Count(f => f.State == "Streaming") >= 2, 20);
            Assert.Equal(["bybit.futures/private", "bybit.futures/public"], status.Last!.Feeds.Where(f => f.State == "Streaming").Select(f => $"{f.Venue}/{f.Feed}").Order());
            Assert.Equal(["/v5/private", "/v5/public/linear"], venue.Ws.Paths.Order(StringComparer.Ordinal));
            Assert.Contains(venue.Requests, r => r.Topics.SequenceEqual(["order.linear", "execution.linear", "position.linear"]));

            await venue.Ws.SendToPathAsync("/v5/public/", """{"topic":"orderbook.50.BTCUSDT","type":"delta","ts":2,"data":{"s":"BTCUSDT","b":[["60000.5","3"]],"a":[],"u":1001,"seq":2},"cts":2}""");
            await Until(() => status.Last?.Symbols.SingleOrDefault(s => s.Symbol == "BTCUSDT") is { Health: BookHealth.Synced, BestBid.Price: 60000.5m }, 20);
            var book = status.Last!.Symbols.Single(s => s.Symbol == "BTCUSDT");
            Assert.Equal((60000.5m, 3m, 60001.0m), (book.BestBid!.Value.Price, book.BestBid!.Value.Size, book.BestAsk!.Value.Price));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public void The_shipped_bybit_example_builds_both_markets_and_names_what_a_bybit_venue_lacks()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "config", "bybit.example.json");
        var overrides = new Dictionary<string, string?>
        {
            ["Venues:0:PrivateChannels:0"] = "orders",
            ["Venues:0:PrivateChannels:1"] = "positions",
            ["Venues:0:Orders:Enabled"] = "true",
            ["Venues:0:Orders:Leverage"] = "3",
        };
        var credentials = new Dictionary<string, string?> { ["BYBIT_API_KEY"] = "k", ["BYBIT_API_SECRET"] = "s" };
        var venues = NodeHost.Entries<VenueOptions>(NodeHost.LoadConfiguration(path, overrides), "Venues");
        var definitions = venues.Select(v => v.ToDefinition(credentials.GetValueOrDefault)).ToArray();
        Assert.Equal(["bybit-futures", "bybit-spot"], definitions.Select(d => d.Name));
        Assert.NotNull(definitions[0].OrderEntry);
        Assert.NotNull(definitions[0].PrivateFeed);
        Assert.Null(definitions[1].PrivateFeed);

        string Refusal(string key, string value) => Assert.Throws<ActorTrading.Core.Errors.ExchangeException>(() =>
            NodeHost.Entries<VenueOptions>(NodeHost.LoadConfiguration(path, new Dictionary<string, string?>(overrides) { [key] = value }), "Venues")[0]
                .ToDefinition(credentials.GetValueOrDefault)).Error.ToString();
        Assert.Contains("Bybit kline interval '1m'", Refusal("Venues:0:CandleInterval", "1m"));
        Assert.Contains("upper-case, as the venue spells it (BTCUSDT)", Refusal("Venues:0:Symbols:0", "btcusdt"));
        Assert.Contains("remove Orders.MarginMode", Refusal("Venues:0:Orders:MarginMode", "isolated"));
        var noKeys = NodeHost.Entries<VenueOptions>(NodeHost.LoadConfiguration(path, overrides), "Venues")[0];
        Assert.Contains("BYBIT_API_KEY", Assert.Throws<ActorTrading.Core.Errors.ExchangeException>(() => noKeys.ToDefinition(_ => null)).Error.Message);
    }

    [Fact]
    public async Task Run_simulate_bybit_streams_the_simulated_linear_books_and_the_paper_quoter_trades_on_them()
    {
        var config = Path.Combine(AppContext.BaseDirectory, "config", "bybit.example.json");
        var journal = "sqlite:" + Path.Combine(Directory.CreateTempSubdirectory("actortrading-bybit-sim-").FullName, "journal.db");
        var output = new StringWriter();
        Assert.Equal(0, await Program.BuildCommandLine(output, TextWriter.Null)
            .Parse(["run", "--simulate", "bybit", "--config", config, "--duration", "10", "--journal", journal]).InvokeAsync());
        Assert.Matches("(?m) symbol bybit.futures/BTCUSDT msg/s=[0-9.]+ bid=[0-9.]+x[0-9.]+ ask=[0-9.]+x[0-9.]+ book=Synced ", output.ToString());
        Assert.Matches("(?m) symbol bybit.futures/ETHUSDT msg/s=[0-9.]+ bid=[0-9.]+x[0-9.]+ ask=[0-9.]+x[0-9.]+ book=Synced ", output.ToString());
        Assert.DoesNotContain("bybit.spot", output.ToString(), StringComparison.Ordinal);   // only the simulated market runs

        var fills = new StringWriter();
        Assert.Equal(0, await Program.BuildCommandLine(fills, TextWriter.Null).Parse(["audit", "fills", "--journal", journal, "--format", "csv"]).InvokeAsync());
        var rows = fills.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToArray();
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Contains(",paper-bybit,futures,BTCUSDT,yquoter,", r, StringComparison.Ordinal));
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
