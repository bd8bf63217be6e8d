using System.Text.Json;
using ActorTrading.Node.Cli;
using ActorTrading.TestExchange;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using Xunit;

namespace ActorTrading.Node.Tests;

/// <summary><c>actortrading call kraken</c> against the Kraken fake, and <c>decode</c>/<c>book</c> on Kraken frames (books from the stream, checked).</summary>
public sealed class KrakenCallSpecs : IAsyncLifetime
{
    private FakeKrakenVenue _venue = null!;

    public async Task InitializeAsync() => _venue = await FakeKrakenVenue.StartAsync();

    public async Task DisposeAsync() => await _venue.DisposeAsync();

    private (int Exit, string Output) Call(Dictionary<string, string?>? variables, params string[] args)
    {
        variables ??= new Dictionary<string, string?>(KrakenNodeSettings.Credentials);
        var environment = new CliEnvironment(variables.GetValueOrDefault, new Dictionary<string, string?>
        {
            ["Venues:7:Venue"] = "kraken",
            ["Venues:7:Market"] = "spot",
            ["Venues:7:Enabled"] = "false",
            ["Venues:7:RestBaseUrl"] = _venue.RestUri.ToString(),
        });
        return Cli.Run(environment, ["call", "kraken", .. args]);
    }

    [Fact]
    public void The_orderbook_comes_from_the_configured_host_under_the_rest_name_of_the_pair()
    {
        _venue.Rest.Given(Request.Create().WithPath("/0/public/Depth").WithParam("pair", "XBTUSD").UsingGet())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(Fixtures.Kraken("rest_GET_0_public_Depth.response")));
        var (exit, output) = Call(null, "get-orderbook", "--market", "spot", "--param", "symbol=BTC/USD");

        Assert.Equal(0, exit);
        var book = JsonDocument.Parse(output).RootElement;
        Assert.Equal(("BTC/USD", 1_688_671_674_000L), (book.GetProperty("symbol").GetString(), book.GetProperty("ts").GetInt64()));
        Assert.Equal("30297.00000", book.GetProperty("bids")[0].GetProperty("price").GetString());
        Assert.Equal("2.059", book.GetProperty("asks")[0].GetProperty("size").GetString());
    }

    [Fact]
    public void A_placed_order_reaches_the_venue_signed_with_a_fresh_nonce_and_its_txid_is_printed()
    {
        var account = new FakeKrakenAccount(_venue);
        var (exit, output) = Call(null, "place-order", "--market", "spot", "--param", "symbol=BTC/USD", "--param", "side=sell", "--param", "size=0.01",
            "--param", "price=70000.5", "--param", "clientOrderId=desk-1", "--param", "postOnly=true");

        Assert.Equal(0, exit);
        Assert.Equal("O00001-FAKE-KRKN", JsonDocument.Parse(output).RootElement.GetProperty("orderId").GetString());
        Assert.Equal((1, 1), (account.Placements, account.SubmitsOf("desk-1")));
        var form = Assert.Single(_venue.Signed, s => s.Path == "/0/private/AddOrder").Form;
        Assert.Equal(("XBTUSD", "sell", "limit", "0.01", "70000.5", "desk-1", "post"),
            (form["pair"], form["type"], form["ordertype"], form["volume"], form["price"], form["cl_ord_id"], form["oflags"]));
    }

    [Fact]
    public void A_venue_error_is_one_json_line_with_its_code_and_missing_credentials_are_named()
    {
        new FakeKrakenAccount(_venue);
        var (exit, output) = Call(null, "cancel-order", "--market", "spot", "--param", "clientOrderId=nope");
        Assert.Equal(1, exit);
        var error = JsonDocument.Parse(output).RootElement;
        Assert.Equal(("error", "api", "EOrder:Unknown order"), (error.GetProperty("type").GetString(), error.GetProperty("code").GetString(), error.GetProperty("venueCode").GetString()));

        (exit, output) = Call(new Dictionary<string, string?>(), "get-balances", "--market", "spot");
        Assert.Equal(1, exit);
        Assert.Contains("KRAKEN_API_KEY", JsonDocument.Parse(output).RootElement.GetProperty("message").GetString());

        (exit, output) = Call(null, "get-order", "--market", "spot");
        Assert.Equal(1, exit);
        Assert.Contains("give orderId or clientOrderId", output);
    }

    [Fact]
    public void The_list_shows_the_unified_operations_and_krakens_own()
    {
        var (exit, output) = Call(null, "--list");
        Assert.Equal(0, exit);
        foreach (var name in new[] { "get-balances", "place-order", "cancel-order", "amend-order", "edit-order", "get-order", "get-open-orders", "get-order-history", "cancel-all-orders", "get-fills", "get-ticker", "get-orderbook", "get-klines", "get-trades", "get-instruments", "get-server-time" })
        {
            Assert.Contains(output.Split('\n'), line => line.StartsWith(name + " ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Book_checks_every_message_and_a_checksum_that_does_not_match_waits_for_the_next_snapshot()
    {
        var (exit, output) = Cli.Run(null, ["book", "--venue", "kraken", "--market", "spot", "--symbol", "BTC/USD", "--input", Fixtures.Path("cli", "kraken_spot_book_checksum.jsonl")]);

        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            [
                """{"type":"bookEvent","venue":"kraken","market":"spot","symbol":"BTC/USD","event":"synced","seq":1,"expected":null}""",
                """{"type":"bookEvent","venue":"kraken","market":"spot","symbol":"BTC/USD","event":"invalidated","seq":2,"expected":null}""",
                """{"type":"bookEvent","venue":"kraken","market":"spot","symbol":"BTC/USD","event":"resync","seq":2,"expected":null,"reason":"checksum 924201298 computed, 12345 sent: a new snapshot is needed"}""",
                """{"type":"bookEvent","venue":"kraken","market":"spot","symbol":"BTC/USD","event":"synced","seq":3,"expected":null}""",
                """{"type":"bookState","venue":"kraken","market":"spot","symbol":"BTC/USD","seq":3,"bids":[["100.1","4.0"]],"asks":[["100.6","3.0"]]}""",
            ],
            lines.Where(l => !l.Contains("\"control\"", StringComparison.Ordinal)));

        (exit, output) = Cli.Run(null, ["decode", "--venue", "kraken", "--market", "spot", "--input", Fixtures.Path("cli", "kraken_spot_book_checksum.jsonl")]);
        Assert.Equal(0, exit);
        var decoded = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(["control", "book", "book", "book", "book", "trade"], decoded.Select(d => d.GetProperty("type").GetString()));
        Assert.Equal(["snapshot", "delta", "invalidated", "snapshot"], decoded.Where(d => d.GetProperty("type").GetString() == "book").Select(d => d.GetProperty("kind").GetString()));
        Assert.Equal("""{"type":"trade","venue":"kraken","market":"spot","symbol":"BTC/USD","tradeId":"4665906","side":"buy","price":"100.5","size":"0.25","ts":1695628177708}""",
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
    }
}
