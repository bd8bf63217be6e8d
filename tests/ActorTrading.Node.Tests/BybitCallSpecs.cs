using System.Text.Json;
using ActorTrading.Node.Cli;
using ActorTrading.TestExchange;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using Xunit;

namespace ActorTrading.Node.Tests;

/// <summary><c>actortrading call bybit</c> against the Bybit fake, and <c>decode</c>/<c>book</c> on Bybit frames (books from the stream, no snapshot file).</summary>
public sealed class BybitCallSpecs : IAsyncLifetime
{
    private FakeBybitVenue _venue = null!;

    public async Task InitializeAsync() => _venue = await FakeBybitVenue.StartAsync();

    public async Task DisposeAsync() => await _venue.DisposeAsync();

    private (int Exit, string Output) Call(Dictionary<string, string?>? variables, params string[] args)
    {
        variables ??= new Dictionary<string, string?>(BybitNodeSettings.Credentials);
        var environment = new CliEnvironment(variables.GetValueOrDefault, new Dictionary<string, string?>
        {
            ["Venues:7:Venue"] = "bybit",
            ["Venues:7:Market"] = "spot",
            ["Venues:7:Enabled"] = "false",
            ["Venues:7:RestBaseUrl"] = _venue.RestUri.ToString(),
            ["Venues:8:Venue"] = "bybit",
            ["Venues:8:Market"] = "futures",
            ["Venues:8:Enabled"] = "false",
            ["Venues:8:RestBaseUrl"] = _venue.RestUri.ToString(),
        });
        return Cli.Run(environment, ["call", "bybit", .. args]);
    }

    [Fact]
    public void The_orderbook_comes_from_the_configured_host_with_its_update_id_and_decimal_strings()
    {
        _venue.Rest.Given(Request.Create().WithPath("/v5/market/orderbook").WithParam("category", "spot").WithParam("symbol", "BTCUSDT").UsingGet())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(Fixtures.Bybit("rest_GET_v5_market_orderbook.response")));
        var (exit, output) = Call(null, "get-orderbook", "--market", "spot", "--param", "symbol=BTCUSDT");

        Assert.Equal(0, exit);
        var book = JsonDocument.Parse(output).RootElement;
        Assert.Equal(230704, book.GetProperty("updateId").GetInt64());
        Assert.Equal("65485.47", book.GetProperty("bids")[0].GetProperty("price").GetString());
        Assert.Equal("16.606555", book.GetProperty("asks")[0].GetProperty("size").GetString());
    }

    [Fact]
    public void A_placed_order_reaches_the_venue_signed_and_its_ack_is_printed()
    {
        var account = new FakeBybitAccount(_venue, "linear");
        var (exit, output) = Call(null, "place-order", "--market", "futures", "--param", "symbol=BTCUSDT", "--param", "side=sell", "--param", "size=0.01",
            "--param", "price=70000.5", "--param", "clientOrderId=desk-1", "--param", "reduceOnly=true");

        Assert.Equal(0, exit);
        var ack = JsonDocument.Parse(output).RootElement;
        Assert.Equal("desk-1", ack.GetProperty("orderLinkId").GetString());
        Assert.Equal((1, 1), (account.Placements, account.SubmitsOf("desk-1")));
        Assert.Equal("""{"category":"linear","symbol":"BTCUSDT","side":"Sell","orderType":"Limit","qty":"0.01","price":"70000.5","timeInForce":"GTC","orderLinkId":"desk-1","reduceOnly":true}""",
            Assert.Single(_venue.SignedPayloads));
    }

    [Fact]
    public void A_venue_error_is_one_json_line_with_its_code_and_missing_credentials_are_named()
    {
        new FakeBybitAccount(_venue, "linear");
        var (exit, output) = Call(null, "cancel-order", "--market", "futures", "--param", "symbol=BTCUSDT", "--param", "clientOrderId=nope");
        Assert.Equal(1, exit);
        var error = JsonDocument.Parse(output).RootElement;
        Assert.Equal(("error", "api", "110001", "Order does not exist."), (error.GetProperty("type").GetString(), error.GetProperty("code").GetString(),
            error.GetProperty("venueCode").GetString(), error.GetProperty("message").GetString()));

        (exit, output) = Call(new Dictionary<string, string?>(), "get-balances", "--market", "spot");
        Assert.Equal(1, exit);
        Assert.Contains("BYBIT_API_KEY", JsonDocument.Parse(output).RootElement.GetProperty("message").GetString());

        (exit, output) = Call(null, "get-funding-rate", "--market", "spot", "--param", "symbol=BTCUSDT");
        Assert.Equal(1, exit);
        Assert.Contains("unknown operation 'get-funding-rate' for bybit spot", output);
    }

    [Fact]
    public void The_list_shows_the_unified_operations_on_both_markets_and_bybits_own()
    {
        var (exit, output) = Call(null, "--list");
        Assert.Equal(0, exit);
        foreach (var name in new[] { "get-balances", "get-positions", "place-order", "cancel-order", "get-order", "get-open-orders", "cancel-all-orders", "get-fills", "get-ticker", "get-orderbook", "get-klines", "get-instruments", "get-funding-rate", "amend-order", "set-leverage", "get-open-interest" })
        {
            Assert.Contains(output.Split('\n'), line => line.StartsWith(name + " ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Decode_reads_bybit_frames_and_book_follows_the_streams_snapshots_with_no_snapshot_file()
    {
        var (exit, output) = Cli.Run(null, ["decode", "--venue", "bybit", "--market", "futures", "--input", Fixtures.Path("cli", "bybit_linear_frames.jsonl")]);
        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["book", "trade", "ticker", "funding", "statistics", "candle"], lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("type").GetString()));
        Assert.Equal("""{"type":"trade","venue":"bybit","market":"futures","symbol":"BTCUSDT","tradeId":"20f43950-d8dd-5b31-9112-a178eb6023af","side":"buy","price":"16578.50","size":"0.001","ts":1672304486865}""", lines[1]);

        (exit, output) = Cli.Run(null, ["book", "--venue", "bybit", "--market", "futures", "--symbol", "BTCUSDT", "--input", Fixtures.Path("cli", "bybit_linear_book_restart.jsonl")]);
        Assert.Equal(0, exit);
        Assert.Equal(
            [
                """{"type":"bookEvent","venue":"bybit","market":"futures","symbol":"BTCUSDT","event":"synced","seq":10,"expected":null}""",
                """{"type":"bookEvent","venue":"bybit","market":"futures","symbol":"BTCUSDT","event":"synced","seq":1,"expected":null}""",
                """{"type":"bookState","venue":"bybit","market":"futures","symbol":"BTCUSDT","seq":1,"bids":[["98.0","3"]],"asks":[]}""",
            ],
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
