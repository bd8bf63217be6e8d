using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Journal;
using ActorTrading.Node.Hosting;
using ActorTrading.TestExchange;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace ActorTrading.Node.Tests;

/// <summary>
/// Orders through a running node on Kraken Spot (the Kraken fake keeps the truth): gateway → journal → signed
/// <c>AddOrder</c> → <c>executions</c> trade report → journal exactly once per <c>exec_id</c>; a fill whose push was lost
/// comes when the private stream reconnects (its snapshot and reconciliation), and a fill made while the node was down
/// when it starts again.
/// </summary>
public sealed class KrakenOrderFlowSpecs : IAsyncLifetime
{
    private static readonly VenueId Kraken = new("kraken");
    private static readonly Symbol Btc = new("BTC/USD");
    private readonly string _journal = "sqlite:" + Path.Combine(Directory.CreateTempSubdirectory("actortrading-kraken-flow-").FullName, "journal.db");

    private JournalCli Audit => new(_journal);
    private FakeKrakenVenue _venue = null!;
    private FakeKrakenAccount _account = null!;

    public async Task InitializeAsync()
    {
        _venue = await FakeKrakenVenue.StartAsync();
        _account = new FakeKrakenAccount(_venue);
    }

    public async Task DisposeAsync() => await _venue.DisposeAsync();

    private string _route = "rest";

    [Theory]
    [InlineData("rest")]
    [InlineData("ws")]
    public async Task A_fill_pushed_twice_is_journaled_once_a_lost_one_comes_on_reconnect_and_one_made_while_the_node_was_down_at_its_next_start(string route)
    {
        _route = route;
        var orderId = string.Empty;
        await RunningNode.WithAsync(Node(), async (gateway, inbox) =>
        {
            var acknowledged = await GatewayAnswers.PlaceUntilAcknowledgedAsync(inbox, gateway,
                attempt => new OrderGatewayProtocol.PlaceOrder("desk", "k" + attempt, Kraken, MarketKind.Spot, Btc, Side.Buy, OrderType.Limit, 0.01m, 60000.5m));

            Assert.NotNull(acknowledged);
            var id = orderId = acknowledged!.State.ClientOrderId.Value;
            Assert.Equal(1, _account.Placements);
            Assert.Equal("O00001-FAKE-KRKN", acknowledged.State.VenueOrderId);
            if (route == "rest")
            {
                var placed = Assert.Single(_venue.Signed, s => s.Path == "/0/private/AddOrder").Form;
                Assert.Equal(("XBTUSD", "buy", "limit", "0.01", "60000.5", id), (placed["pair"], placed["type"], placed["ordertype"], placed["volume"], placed["price"], placed["cl_ord_id"]));
                Assert.Empty(_venue.OrderRequestsReceived);
            }
            else
            {
                // Over the account's socket, with its token; no AddOrder by REST.
                var (method, parameters) = Assert.Single(_venue.OrderRequestsReceived);
                Assert.Equal("add_order", method);
                Assert.Contains($"\"cl_ord_id\":\"{id}\"", parameters);
                Assert.Contains("\"symbol\":\"BTC/USD\"", parameters);
                Assert.Contains("\"limit_price\":60000.5", parameters);
                Assert.DoesNotContain(_venue.Signed, s => s.Path == "/0/private/AddOrder");
            }

            await OrderFlowSteps.FillPushedTwiceCountsOnceAsync(_account, gateway, inbox, id, 0.004m, "TK-5001");

            // A fill the private stream never brought, then the sockets drop: the reconnected stream (a new token, its
            // snapshot of the last fills) and reconciliation bring it.
            await OrderFlowSteps.LostFillComesAfterReconnectAsync(_account, _venue.Ws, gateway, id, 0.003m, "TK-5003", 0.007m, 2);
            Assert.True(_venue.Tokens.Count >= 2);
        });

        var fills = Audit.Rows("audit", "fills", "--format", "csv");
        Assert.Equal(2, fills.Length);
        Assert.Contains(fills, f => f.Contains(",TK-5001,", StringComparison.Ordinal));
        Assert.Contains(fills, f => f.Contains(",TK-5003,", StringComparison.Ordinal));

        // The rest fills while no node runs: only the venue knows.
        await Audit.FillWhileDownComesAtNextStartAsync(Node, () => _account.FillAsync(orderId, 0.003m, 60000.5m, execId: "TK-5002", pushes: 0), orderId, "TK-5002", fillsBefore: 2);
        Assert.Equal(1, _account.Placements);   // nothing was placed again
        Assert.Equal(1, _account.SubmitsOf(orderId));
        Assert.Equal(0, Audit.Run("audit", "verify").Exit);
    }

    private IHost Node()
    {
        var overrides = KrakenNodeSettings.Overrides(_venue, _journal, ["trades"], ["orders", "balances"]);
        overrides["Venues:1:Orders:Enabled"] = "true";
        overrides["Venues:1:Orders:Route"] = _route;
        overrides["Venues:1:Orders:TradingWsEndpoint"] = _route == "ws" ? _venue.StreamBase.ToString() : null;
        return NodeHost.Build(NodeHost.LoadConfiguration(null, overrides), TextWriter.Null, KrakenNodeSettings.Credentials.GetValueOrDefault);
    }

}
