using ActorTrading.Core.Errors;
using ActorTrading.Node.Hosting;
using Xunit;

namespace ActorTrading.Node.Tests;

/// <summary>The node configured for Crypto.com by its shipped example, and run against the simulated spot market.</summary>
public sealed class CryptoComNodeSpecs
{
    private static readonly string Example = Path.Combine(AppContext.BaseDirectory, "config", "cryptocom.example.json");

    [Fact]
    public void The_shipped_cryptocom_example_builds_and_names_what_a_cryptocom_venue_lacks()
    {
        var overrides = new Dictionary<string, string?>
        {
            ["Venues:0:PrivateChannels:0"] = "orders",
            ["Venues:0:PrivateChannels:1"] = "balances",
            ["Venues:0:Orders:Enabled"] = "true",
            ["Venues:0:Orders:Route"] = "ws",
        };
        var credentials = new Dictionary<string, string?> { ["CRYPTOCOM_API_KEY"] = "k", ["CRYPTOCOM_API_SECRET"] = "s" };
        var definition = Assert.Single(NodeHost.Entries<VenueOptions>(NodeHost.LoadConfiguration(Example, overrides), "Venues")).ToDefinition(credentials.GetValueOrDefault);
        Assert.Equal("cryptocom-spot", definition.Name);
        Assert.NotNull(definition.OrderEntry);
        Assert.NotNull(definition.PrivateFeed);
        Assert.IsType<ActorTrading.Exchanges.CryptoCom.Ws.CryptoComTradingSocket>(definition.TradingSocket);   // Orders.Route ws
        Assert.Equal(["BTC_USDT", "ETH_USDT"], definition.Books.Select(s => s.Value));

        string Refusal(string key, string value) => Assert.Throws<ExchangeException>(() =>
            NodeHost.Entries<VenueOptions>(NodeHost.LoadConfiguration(Example, new Dictionary<string, string?>(overrides) { [key] = value }), "Venues")[0]
                .ToDefinition(credentials.GetValueOrDefault)).Error.ToString();
        Assert.Contains("Crypto.com candle interval '1min'", Refusal("Venues:0:CandleInterval", "1min"));
        Assert.Contains("upper-case with an underscore (BTC_USDT)", Refusal("Venues:0:Symbols:0", "BTCUSDT-PERP"));
        Assert.Contains("leverage is the account's", Refusal("Venues:0:Orders:Leverage", "3"));
        var noKeys = NodeHost.Entries<VenueOptions>(NodeHost.LoadConfiguration(Example, overrides), "Venues")[0];
        Assert.Contains("CRYPTOCOM_API_KEY", Assert.Throws<ExchangeException>(() => noKeys.ToDefinition(_ => null)).Error.Message);
    }

    [Fact]
    public async Task Run_simulate_cryptocom_streams_the_simulated_spot_books_on_their_chain_and_the_paper_quoter_trades_on_them()
    {
        var journal = "sqlite:" + Path.Combine(Directory.CreateTempSubdirectory("actortrading-cryptocom-sim-").FullName, "journal.db");
        var output = new StringWriter();
        Assert.Equal(0, await Program.BuildCommandLine(output, TextWriter.Null)
            .Parse(["run", "--simulate", "cryptocom", "--config", Example, "--duration", "10", "--journal", journal]).InvokeAsync());
        Assert.Matches("(?m) symbol cryptocom.spot/BTC_USDT msg/s=[0-9.]+ bid=[0-9.]+x[0-9.]+ ask=[0-9.]+x[0-9.]+ book=Synced ", output.ToString());
        Assert.Matches("(?m) symbol cryptocom.spot/ETH_USDT msg/s=[0-9.]+ bid=[0-9.]+x[0-9.]+ ask=[0-9.]+x[0-9.]+ book=Synced ", output.ToString());
        StatusLines.BooksStaySyncedOnceSynced(output.ToString(), "cryptocom.spot", "BTC_USDT", "ETH_USDT");   // every update continued the chain

        var fills = new StringWriter();
        Assert.Equal(0, await Program.BuildCommandLine(fills, TextWriter.Null).Parse(["audit", "fills", "--journal", journal, "--format", "csv"]).InvokeAsync());
        var rows = fills.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToArray();
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Contains(",paper-cryptocom,spot,BTC_USDT,cquoter,", r, StringComparison.Ordinal));
    }
}
