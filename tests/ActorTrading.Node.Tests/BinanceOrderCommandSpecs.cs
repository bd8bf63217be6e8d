using System.Text.Json;
using ActorTrading.Node.Cli;
using ActorTrading.TestExchange;
using Xunit;

namespace ActorTrading.Node.Tests;

/// <summary><c>actortrading order … binance</c>: the gateway, the journal and Binance order entry against the Binance fake.</summary>
public sealed class BinanceOrderCommandSpecs : IAsyncLifetime
{
    private readonly string _journalDir = Directory.CreateTempSubdirectory("actortrading-binance-order-").FullName;
    private readonly List<IReadOnlyDictionary<string, string>> _placed = [];
    private FakeBinanceVenue _venue = null!;

    public async Task InitializeAsync()
    {
        _venue = await FakeBinanceVenue.StartAsync();
        _venue.ServeSigned("/fapi/v1/leverage", "POST", p => (200, $$"""{"leverage":{{p["leverage"]}},"maxNotionalValue":"1000000","symbol":"{{p["symbol"]}}"}"""));
        _venue.ServeSigned("/fapi/v1/order", "POST", p =>
        {
            lock (_placed)
            {
                _placed.Add(p);
                return (200, $$"""{"symbol":"{{p["symbol"]}}","orderId":{{8880 + _placed.Count}},"clientOrderId":"{{p["newClientOrderId"]}}","status":"NEW"}""");
            }
        });
        _venue.ServeSigned("/fapi/v1/order", "DELETE", p => (200, $$"""{"symbol":"{{p["symbol"]}}","orderId":{{p["orderId"]}},"clientOrderId":"desk-b1","status":"CANCELED"}"""));
    }

    public async Task DisposeAsync() => await _venue.DisposeAsync();

    private (int Exit, string Output) Run(params string[] args)
    {
        var credentials = new Dictionary<string, string?> { ["BINANCE_API_KEY"] = FakeBinanceVenue.ApiKey, ["BINANCE_API_SECRET"] = FakeBinanceVenue.Secret };
        var environment = new CliEnvironment(credentials.GetValueOrDefault, new Dictionary<string, string?>
        {
            ["Venues:7:Venue"] = "binance",
            ["Venues:7:Market"] = "futures",
            ["Venues:7:Enabled"] = "false",
            ["Venues:7:RestBaseUrl"] = _venue.RestUri.ToString(),
            ["Venues:7:Symbols:0"] = "BTCUSDT",
            ["Venues:7:Orders:Leverage"] = "3",
        });
        return Cli.Run(environment, [.. args, "--journal", "sqlite:" + Path.Combine(_journalDir, "journal.db")]);
    }

    [Fact]
    public void An_order_is_journaled_placed_signed_once_and_canceled_by_its_venue_id()
    {
        var (exit, output) = Run("order", "place", "binance", "--market", "futures", "--symbol", "BTCUSDT", "--side", "buy", "--size", "0.01",
            "--price", "60000.5", "--post-only", "--strategy", "desk", "--request-id", "b1");
        Assert.Equal(0, exit);
        var state = JsonDocument.Parse(output).RootElement;
        Assert.Equal(("desk-b1", "Acknowledged", "8881"), (state.GetProperty("clientOrderId").GetString(), state.GetProperty("status").GetString(), state.GetProperty("venueOrderId").GetString()));
        var sent = Assert.Single(_placed);
        Assert.Equal(("BTCUSDT", "BUY", "LIMIT", "GTX", "0.01", "60000.5", "desk-b1"),
            (sent["symbol"], sent["side"], sent["type"], sent["timeInForce"], sent["quantity"], sent["price"], sent["newClientOrderId"]));
        Assert.Contains(_venue.SignedQueries, q => q.StartsWith("symbol=BTCUSDT&leverage=3&", StringComparison.Ordinal));   // set before the first order

        // The same request again: the journal knows the order and nothing goes to the venue twice.
        (exit, output) = Run("order", "place", "binance", "--market", "futures", "--symbol", "BTCUSDT", "--side", "buy", "--size", "0.01",
            "--price", "60000.5", "--post-only", "--strategy", "desk", "--request-id", "b1");
        Assert.Equal((0, "Acknowledged"), (exit, JsonDocument.Parse(output).RootElement.GetProperty("status").GetString()));
        Assert.Single(_placed);

        (exit, output) = Run("order", "cancel", "binance", "--market", "futures", "--order", "desk-b1", "--strategy", "desk");
        Assert.Equal(0, exit);
        var cancel = Assert.Single(_venue.SignedQueries, q => q.Contains("orderId=8881", StringComparison.Ordinal));
        Assert.StartsWith("symbol=BTCUSDT&orderId=8881&recvWindow=5000&timestamp=", cancel);

        (exit, output) = Run("audit", "orders", "--format", "csv");
        Assert.Contains("desk-b1,binance,futures,BTCUSDT,desk,buy,limit,0.01,60000.5,", output);
    }

    [Fact]
    public void An_order_below_the_symbols_minimum_notional_is_refused_unsent_by_the_rules_from_exchange_info()
    {
        var (exit, output) = Run("order", "place", "binance", "--market", "futures", "--symbol", "BTCUSDT", "--side", "buy", "--size", "0.001",
            "--price", "60000", "--strategy", "desk", "--request-id", "tiny");
        Assert.Equal(1, exit);
        Assert.Equal("order-check: notional 60.000 is below BTCUSDT's minimum 100", JsonDocument.Parse(output).RootElement.GetProperty("lastReason").GetString());
        Assert.Empty(_placed);
        Assert.Contains(_venue.Rest.LogEntries, e => e.RequestMessage.Path == "/fapi/v1/exchangeInfo");
    }

    [Fact]
    public void A_long_request_id_becomes_a_client_order_id_within_binances_36_characters()
    {
        var (exit, output) = Run("order", "place", "binance", "--market", "futures", "--symbol", "BTCUSDT", "--side", "sell", "--size", "0.02",
            "--type", "market", "--strategy", "desk", "--request-id", new string('x', 40));
        Assert.Equal(0, exit);
        var id = JsonDocument.Parse(output).RootElement.GetProperty("clientOrderId").GetString()!;
        Assert.Equal(id, Assert.Single(_placed)["newClientOrderId"]);
        Assert.Matches("^desk-[0-9a-f]{31}$", id);
        Assert.Equal("MARKET", _placed[0]["type"]);
        Assert.False(_placed[0].ContainsKey("price"));
    }
}
