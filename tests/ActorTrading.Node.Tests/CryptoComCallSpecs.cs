using System.Text.Json;
using ActorTrading.Node.Cli;
using ActorTrading.TestExchange;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using Xunit;

namespace ActorTrading.Node.Tests;

/// <summary><c>actortrading call cryptocom</c> against the Crypto.com fake, and <c>decode</c>/<c>book</c> on Crypto.com frames (books from the stream, chained by u/pu).</summary>
public sealed class CryptoComCallSpecs : IAsyncLifetime
{
    private static readonly Dictionary<string, string?> Credentials = new()
    {
        ["CRYPTOCOM_API_KEY"] = FakeCryptoComVenue.ApiKey,
        ["CRYPTOCOM_API_SECRET"] = FakeCryptoComVenue.Secret,
    };

    private FakeCryptoComVenue _venue = null!;

    public async Task InitializeAsync() => _venue = await FakeCryptoComVenue.StartAsync();

    public async Task DisposeAsync() => await _venue.DisposeAsync();

    private (int Exit, string Output) Call(Dictionary<string, string?>? variables, params string[] args)
    {
        variables ??= new Dictionary<string, string?>(Credentials);
        var environment = new CliEnvironment(variables.GetValueOrDefault, new Dictionary<string, string?>
        {
            ["Venues:7:Venue"] = "cryptocom",
            ["Venues:7:Market"] = "spot",
            ["Venues:7:Enabled"] = "false",
            ["Venues:7:RestBaseUrl"] = _venue.RestUri.ToString(),
            ["Venues:8:Venue"] = "cryptocom",
            ["Venues:8:Market"] = "futures",
            ["Venues:8:Enabled"] = "false",
            ["Venues:8:RestBaseUrl"] = _venue.RestUri.ToString(),
        });
        return Cli.Run(environment, ["call", "cryptocom", .. args]);
    }

    [Fact]
    public void The_orderbook_comes_from_the_configured_host_with_decimal_strings()
    {
        _venue.Rest.Given(Request.Create().WithPath("/exchange/v1/public/get-book").WithParam("instrument_name", "BTCUSD-PERP").WithParam("depth", "10").UsingGet())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(Fixtures.CryptoCom("rest_public_get-book.response")));
        var (exit, output) = Call(null, "get-orderbook", "--market", "futures", "--param", "symbol=BTCUSD-PERP", "--param", "limit=10");

        Assert.Equal(0, exit);
        var book = JsonDocument.Parse(output).RootElement;
        Assert.Equal("BTCUSD-PERP", book.GetProperty("symbol").GetString());
        Assert.Equal("50113.500000", book.GetProperty("bids")[0].GetProperty("price").GetString());
        Assert.Equal("0.400000", book.GetProperty("asks")[0].GetProperty("size").GetString());
    }

    [Fact]
    public void A_placed_order_reaches_the_venue_signed_over_its_sorted_parameters_and_its_ack_is_printed()
    {
        _venue.ServeSigned("private/create-order", p => $$"""{"client_oid":"{{p.GetProperty("client_oid").GetString()}}","order_id":"18342311"}""");
        var (exit, output) = Call(null, "place-order", "--market", "futures", "--param", "symbol=BTCUSD-PERP", "--param", "side=sell", "--param", "size=1",
            "--param", "price=50000.5", "--param", "clientOrderId=desk-1", "--param", "postOnly=true", "--param", "timeInForce=GTC");

        Assert.Equal(0, exit);
        var ack = JsonDocument.Parse(output).RootElement;
        Assert.Equal(("18342311", "desk-1"), (ack.GetProperty("orderId").GetString(), ack.GetProperty("clientOrderId").GetString()));
        var (method, parameters) = Assert.Single(_venue.Signed);
        Assert.Equal("private/create-order", method);
        Assert.Equal("""{"instrument_name":"BTCUSD-PERP","side":"SELL","type":"LIMIT","price":"50000.5","quantity":"1","client_oid":"desk-1","time_in_force":"GOOD_TILL_CANCEL","exec_inst":["POST_ONLY"]}""", parameters);
    }

    [Fact]
    public void A_venue_refusal_is_one_json_line_with_its_code_and_missing_credentials_are_named()
    {
        _venue.ServeSigned("private/cancel-order", _ => """{"code":40401,"message":"NOT_FOUND"}""");
        var (exit, output) = Call(null, "cancel-order", "--market", "spot", "--param", "clientOrderId=nope");
        Assert.Equal(1, exit);
        var error = JsonDocument.Parse(output).RootElement;
        Assert.Equal(("error", "api", "40401", "NOT_FOUND"), (error.GetProperty("type").GetString(), error.GetProperty("code").GetString(),
            error.GetProperty("venueCode").GetString(), error.GetProperty("message").GetString()));

        (exit, output) = Call(new Dictionary<string, string?>(), "get-balances", "--market", "spot");
        Assert.Equal(1, exit);
        Assert.Contains("CRYPTOCOM_API_KEY", JsonDocument.Parse(output).RootElement.GetProperty("message").GetString());

        (exit, output) = Call(null, "get-positions", "--market", "spot");
        Assert.Equal(1, exit);
        Assert.Contains("unknown operation 'get-positions' for cryptocom spot", output);
    }

    [Fact]
    public void Book_follows_the_chain_and_a_break_waits_for_the_next_snapshot()
    {
        var (exit, output) = Cli.Run(null, ["book", "--venue", "cryptocom", "--market", "spot", "--symbol", "BTC_USDT", "--input", Fixtures.Path("cli", "cryptocom_spot_book_chain.jsonl")]);

        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.Contains("\"control\"", StringComparison.Ordinal)).ToArray();
        Assert.Equal("""{"type":"bookEvent","venue":"cryptocom","market":"spot","symbol":"BTC_USDT","event":"synced","seq":10,"expected":null}""", lines[0]);
        Assert.Contains(lines, l => l.Contains("\"event\":\"gap\"", StringComparison.Ordinal));
        Assert.Equal("""{"type":"bookState","venue":"cryptocom","market":"spot","symbol":"BTC_USDT","seq":20,"bids":[["97.0","4"]],"asks":[["97.5","5"]]}""", lines[^1]);

        (exit, output) = Cli.Run(null, ["decode", "--venue", "cryptocom", "--market", "spot", "--input", Fixtures.Path("cli", "cryptocom_spot_book_chain.jsonl")]);
        Assert.Equal(0, exit);
        var decoded = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["book", "book", "book", "book", "control", "trade"], decoded.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("type").GetString()));
        Assert.Contains("\"event\":\"ping\"", decoded[4], StringComparison.Ordinal);
    }
}
