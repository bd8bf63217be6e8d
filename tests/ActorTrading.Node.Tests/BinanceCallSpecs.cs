using System.Text.Json;
using ActorTrading.Node.Cli;
using ActorTrading.TestExchange;
using Xunit;

namespace ActorTrading.Node.Tests;

/// <summary><c>actortrading call binance</c> against the Binance fake (WireMock REST that checks keys and signatures).</summary>
public sealed class BinanceCallSpecs : IAsyncLifetime
{
    private FakeBinanceVenue _venue = null!;

    public async Task InitializeAsync() => _venue = await FakeBinanceVenue.StartAsync();

    public async Task DisposeAsync() => await _venue.DisposeAsync();

    private (int Exit, string Output) Call(Dictionary<string, string?>? variables, params string[] args)
    {
        variables ??= new Dictionary<string, string?> { ["BINANCE_API_KEY"] = FakeBinanceVenue.ApiKey, ["BINANCE_API_SECRET"] = FakeBinanceVenue.Secret };
        var environment = new CliEnvironment(variables.GetValueOrDefault, new Dictionary<string, string?>
        {
            ["Venues:7:Venue"] = "binance",
            ["Venues:7:Market"] = "spot",
            ["Venues:7:Enabled"] = "false",
            ["Venues:7:RestBaseUrl"] = _venue.RestUri.ToString(),
            ["Venues:8:Venue"] = "binance",
            ["Venues:8:Market"] = "futures",
            ["Venues:8:Enabled"] = "false",
            ["Venues:8:RestBaseUrl"] = _venue.RestUri.ToString(),
        });
        return Cli.Run(environment, ["call", "binance", .. args]);
    }

    [Fact]
    public void The_orderbook_comes_from_the_configured_host_as_a_snapshot_with_decimal_strings()
    {
        _venue.ServeDepth("/api/v3/depth", "BNBBTC", Fixtures.Binance("spot_rest_GET_api_v3_depth.response"));
        var (exit, output) = Call(null, "get-orderbook", "--market", "spot", "--param", "symbol=BNBBTC");
        Assert.Equal(0, exit);
        var book = JsonDocument.Parse(output).RootElement;
        Assert.Equal(1027024, book.GetProperty("lastUpdateId").GetInt64());
        Assert.Equal("4.00000000", book.GetProperty("bids")[0].GetProperty("price").GetString());
        Assert.Equal("12.00000000", book.GetProperty("asks")[0].GetProperty("size").GetString());
    }

    [Fact]
    public void A_placed_order_reaches_the_venue_signed_and_its_ack_is_printed()
    {
        _venue.ServeSigned("/fapi/v1/order", "POST", p => (200, $$"""{"symbol":"{{p["symbol"]}}","orderId":31,"clientOrderId":"{{p["newClientOrderId"]}}","status":"NEW"}"""));
        var (exit, output) = Call(null, "place-order", "--market", "futures", "--param", "symbol=BTCUSDT", "--param", "side=sell", "--param", "size=0.01",
            "--param", "price=70000.5", "--param", "clientOrderId=desk-1", "--param", "reduceOnly=true");
        Assert.Equal(0, exit);
        var ack = JsonDocument.Parse(output).RootElement;
        Assert.Equal((31L, "desk-1"), (ack.GetProperty("orderId").GetInt64(), ack.GetProperty("clientOrderId").GetString()));
        Assert.StartsWith("symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=GTC&quantity=0.01&price=70000.5&newClientOrderId=desk-1&reduceOnly=true&newOrderRespType=ACK&recvWindow=5000&timestamp=",
            Assert.Single(_venue.SignedQueries));
    }

    [Fact]
    public void A_venue_error_is_one_json_line_with_its_code_and_missing_credentials_are_named()
    {
        _venue.ServeSigned("/api/v3/openOrders", "GET", _ => (400, """{"code":-1121,"msg":"Invalid symbol."}"""));
        var (exit, output) = Call(null, "get-open-orders", "--market", "spot", "--param", "symbol=NOPE");
        Assert.Equal(1, exit);
        var error = JsonDocument.Parse(output).RootElement;
        Assert.Equal(("error", "api", "-1121", "Invalid symbol."), (error.GetProperty("type").GetString(), error.GetProperty("code").GetString(),
            error.GetProperty("venueCode").GetString(), error.GetProperty("message").GetString()));

        (exit, output) = Call(new Dictionary<string, string?>(), "get-balances", "--market", "spot");
        Assert.Equal(1, exit);
        Assert.Contains("BINANCE_API_KEY", JsonDocument.Parse(output).RootElement.GetProperty("message").GetString());
        Assert.DoesNotContain(FakeBinanceVenue.Secret, output);

        (exit, output) = Call(null, "get-funding-rate", "--market", "spot", "--param", "symbol=BTCUSDT");
        Assert.Equal(1, exit);
        Assert.Contains("unknown operation 'get-funding-rate' for binance spot", output);
    }

    [Fact]
    public void The_list_shows_the_unified_operations_on_both_markets()
    {
        var (exit, output) = Call(null, "--list");
        Assert.Equal(0, exit);
        foreach (var name in new[] { "get-balances", "get-positions", "place-order", "cancel-order", "get-order", "get-open-orders", "cancel-all-orders", "get-fills", "get-ticker", "get-orderbook", "get-klines", "get-instruments", "get-funding-rate" })
        {
            Assert.Contains(output.Split('\n'), line => line.StartsWith(name + " ", StringComparison.Ordinal));
        }

        Assert.Contains("place-order                spot", output);
        Assert.Contains("place-order                futures", output);
    }
}
