using System.Text.Json;
using ActorTrading.Node.Cli;
using ActorTrading.TestExchange;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using Xunit;

namespace ActorTrading.Node.Tests;

/// <summary><c>actortrading order</c>: one order through the gateway, journal and KuCoin order entry (WireMock REST).</summary>
public sealed class OrderCommandSpecs : IDisposable
{
    private readonly FakeKuCoinRest _venue = new();
    private readonly string _journalDir = Directory.CreateTempSubdirectory("actortrading-order-").FullName;

    private (int Exit, string Output) Run(params string[] args)
    {
        var credentials = new Dictionary<string, string?> { ["KC_KEY"] = "key", ["KC_SECRET"] = "secret", ["KC_PASSPHRASE"] = "pass" };
        var environment = new CliEnvironment(credentials.GetValueOrDefault, new Dictionary<string, string?> { ["Venues:0:RestBaseUrl"] = _venue.BaseUri.ToString() });
        return Cli.Run(environment, [.. args, "--journal", "sqlite:" + Path.Combine(_journalDir, "journal.db")]);
    }

    [Fact]
    public void An_order_can_go_to_the_paper_venue_without_credentials_and_is_journaled_there()
    {
        var journal = "sqlite:" + Path.Combine(_journalDir, "paper.db");
        var (exit, stdout) = Cli.Run(new CliEnvironment(_ => null, new Dictionary<string, string?>()),
            "order", "place", "paper-kucoin", "--symbol", "XBTUSDTM", "--side", "sell", "--size", "3", "--price", "91000.5", "--request-id", "p1", "--journal", journal);
        Assert.Equal(0, exit);
        var state = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(("cli-p1", "paper-kucoin", "Acknowledged", "91000.5", "3"),
            (state.GetProperty("clientOrderId").GetString(), state.GetProperty("venue").GetString(), state.GetProperty("status").GetString(), state.GetProperty("price").GetString(), state.GetProperty("size").GetString()));
        Assert.Empty(_venue.Server.LogEntries);   // nothing went to the live venue
    }

    [Fact]
    public void An_order_placed_from_the_command_line_is_journaled_acknowledged_and_found_again()
    {
        _venue.Server.Given(Request.Create().WithPath("/api/v1/orders").UsingPost())
            .RespondWith(Response.Create().WithBody("""{"code":"200000","data":{"orderId":"234125150956625920","clientOid":"desk-r1"}}"""));
        var (exit, output) = Run("order", "place", "kucoin", "--symbol", "XBTUSDTM", "--side", "buy", "--size", "2", "--price", "60000.5", "--leverage", "5",
            "--strategy", "desk", "--request-id", "r1");
        Assert.Equal(0, exit);
        var state = JsonDocument.Parse(output).RootElement;
        Assert.Equal(("desk-r1", "Acknowledged", "234125150956625920"), (state.GetProperty("clientOrderId").GetString(), state.GetProperty("status").GetString(), state.GetProperty("venueOrderId").GetString()));
        var sent = Assert.Single(Sent);
        Assert.Equal("""{"clientOid":"desk-r1","side":"buy","symbol":"XBTUSDTM","leverage":5,"type":"limit","price":"60000.5","size":2,"timeInForce":"GTC"}""", sent.Body);

        // The same request id again: the journal knows the order, nothing is sent twice.
        (exit, output) = Run("order", "place", "kucoin", "--symbol", "XBTUSDTM", "--side", "buy", "--size", "2", "--price", "60000.5", "--strategy", "desk", "--request-id", "r1");
        Assert.Equal((0, "Acknowledged"), (exit, JsonDocument.Parse(output).RootElement.GetProperty("status").GetString()));
        Assert.Single(Sent);

        (exit, output) = Run("order", "status", "kucoin", "--order", "desk-r1");
        Assert.Equal((0, "60000.5"), (exit, JsonDocument.Parse(output).RootElement.GetProperty("price").GetString()));
        (exit, output) = Run("audit", "orders", "--format", "csv");
        Assert.Contains("desk-r1,kucoin,futures,XBTUSDTM,desk,buy,limit,2,60000.5,Acknowledged", output);

        // KuCoin Futures has no amendment: the gateway's refusal comes back, the order is unchanged.
        (exit, output) = Run("order", "amend", "kucoin", "--order", "desk-r1", "--strategy", "desk", "--price", "60001");
        Assert.Equal(1, exit);
        Assert.Contains("KuCoin futures has no order amendment: cancel and place a new order", output);
        (exit, output) = Run("order", "status", "kucoin", "--order", "desk-r1");
        Assert.Equal("60000.5", JsonDocument.Parse(output).RootElement.GetProperty("price").GetString());
        Assert.Single(Sent);
    }

    [Fact]
    public void A_stop_order_from_the_command_line_sends_its_trigger_and_the_journal_keeps_it()
    {
        _venue.Server.Given(Request.Create().WithPath("/api/v1/orders").UsingPost())
            .RespondWith(Response.Create().WithBody("""{"code":"200000","data":{"orderId":"240673378116083712","clientOid":"desk-sl1"}}"""));
        var (exit, output) = Run("order", "place", "kucoin", "--symbol", "XBTUSDTM", "--side", "sell", "--type", "market", "--size", "2", "--reduce-only",
            "--stop", "falls-to", "--stop-price", "58000.5", "--stop-source", "mark", "--strategy", "desk", "--request-id", "sl1");
        Assert.Equal(0, exit);
        Assert.Equal(("desk-sl1", "Acknowledged", "240673378116083712"),
            (JsonDocument.Parse(output).RootElement.GetProperty("clientOrderId").GetString(), JsonDocument.Parse(output).RootElement.GetProperty("status").GetString(),
                JsonDocument.Parse(output).RootElement.GetProperty("venueOrderId").GetString()));
        Assert.Equal("""{"clientOid":"desk-sl1","side":"sell","symbol":"XBTUSDTM","leverage":1,"type":"market","stop":"down","stopPriceType":"MP","stopPrice":"58000.5","reduceOnly":true,"size":2}""",
            Assert.Single(Sent).Body);

        // The paper venue simulates no triggers: it refuses a stop order rather than fill it as a plain one.
        (exit, output) = Run("order", "place", "paper-kucoin", "--symbol", "XBTUSDTM", "--side", "sell", "--size", "1", "--price", "59000",
            "--stop", "falls-to", "--stop-price", "59100", "--request-id", "psl");
        Assert.Equal((1, "Rejected", "configuration: paper venues do not simulate stop orders"),
            (exit, JsonDocument.Parse(output).RootElement.GetProperty("status").GetString(), JsonDocument.Parse(output).RootElement.GetProperty("lastReason").GetString()));

        var submitted = JsonDocument.Parse(Run("audit", "events", "--format", "json").Output).RootElement.EnumerateArray()
            .Single(row => row.GetProperty("persistenceId").GetString() == "order-desk-sl1" && row.GetProperty("manifest").GetString() == "order-submitted.v3");
        var stop = JsonDocument.Parse(submitted.GetProperty("event").GetString()!).RootElement.GetProperty("stop");
        Assert.Equal(("FallsTo", "58000.5", "Mark"), (stop.GetProperty("direction").GetString(), stop.GetProperty("price").GetString(), stop.GetProperty("source").GetString()));
    }

    [Theory]
    [InlineData("60000.55", "2", "order-check: price 60000.55 is not a multiple of XBTUSDTM's tick size 0.1")]
    [InlineData("60000.5", "1.5", "order-check: size 1.5 is not a multiple of XBTUSDTM's lot step 1")]
    [InlineData("60000.5", "2000000", "order-check: size 2000000 is above XBTUSDTM's maximum 1000000")]
    public void An_order_off_the_instruments_rules_is_refused_unsent_with_the_rule_it_breaks(string price, string size, string reason)
    {
        var (exit, output) = Run("order", "place", "kucoin", "--symbol", "XBTUSDTM", "--side", "buy", "--size", size, "--price", price, "--request-id", "off");
        Assert.Equal(1, exit);
        var state = JsonDocument.Parse(output).RootElement;
        Assert.Equal(("Rejected", reason), (state.GetProperty("status").GetString(), state.GetProperty("lastReason").GetString()));
        Assert.Empty(Sent);
        Assert.Contains(_venue.Server.LogEntries, e => e.RequestMessage.Path == "/api/v1/contracts/active");   // the rules came from the venue
    }

    [Fact]
    public void An_order_on_a_symbol_the_venue_does_not_list_is_refused_unsent()
    {
        var (exit, output) = Run("order", "place", "kucoin", "--symbol", "NOPEUSDTM", "--side", "buy", "--size", "1", "--price", "1", "--request-id", "nope");
        Assert.Equal((1, "order-check: NOPEUSDTM is not an instrument of kucoin futures"), (exit, JsonDocument.Parse(output).RootElement.GetProperty("lastReason").GetString()));
        Assert.Empty(Sent);
    }

    [Fact]
    public void A_venue_refusal_exits_1_with_the_rejected_order_journaled()
    {
        _venue.ServeJson("/api/v1/orders", """{"code":"300003","msg":"Balance insufficient"}""");
        var (exit, output) = Run("order", "place", "kucoin", "--symbol", "XBTUSDTM", "--side", "sell", "--size", "1", "--price", "1", "--request-id", "poor");
        Assert.Equal(1, exit);
        var state = JsonDocument.Parse(output).RootElement;
        Assert.Equal(("Rejected", "300003: Balance insufficient"), (state.GetProperty("status").GetString(), state.GetProperty("lastReason").GetString()));
        Assert.Equal(0, Run("audit", "verify").Exit);
        Assert.Equal(1, Run("order", "status", "kucoin", "--order", "never-placed").Exit);
    }

    /// <summary>What reached the venue besides its instrument list.</summary>
    private IEnumerable<WireMock.IRequestMessage> Sent =>
        _venue.Server.LogEntries.Select(e => e.RequestMessage).Where(r => r.Path != "/api/v1/contracts/active");

    public void Dispose()
    {
        _venue.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_journalDir, recursive: true);
    }
}
