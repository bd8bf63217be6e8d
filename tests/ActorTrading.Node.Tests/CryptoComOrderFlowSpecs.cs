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
/// Orders through a running node on Crypto.com spot (the Crypto.com fake keeps the truth): gateway → journal →
/// <c>private/create-order</c> (signed REST, or on the logged-in user socket) → <c>user.trade</c> → journal exactly once per <c>trade_id</c>; a fill whose push was lost
/// comes by reconciliation when the user stream reconnects, and a fill made while the node was down when it starts again.
/// </summary>
public sealed class CryptoComOrderFlowSpecs : IAsyncLifetime
{
    private static readonly VenueId CryptoCom = new("cryptocom");
    private static readonly Symbol Btc = new("BTC_USDT");
    private readonly string _journal = "sqlite:" + Path.Combine(Directory.CreateTempSubdirectory("actortrading-cryptocom-flow-").FullName, "journal.db");

    private JournalCli Audit => new(_journal);
    private FakeCryptoComVenue _venue = null!;
    private FakeCryptoComAccount _account = null!;
    private string _route = "rest";

    public async Task InitializeAsync()
    {
        _venue = await FakeCryptoComVenue.StartAsync();
        _account = new FakeCryptoComAccount(_venue);
    }

    public async Task DisposeAsync() => await _venue.DisposeAsync();

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
                attempt => new OrderGatewayProtocol.PlaceOrder("desk", "k" + attempt, CryptoCom, MarketKind.Spot, Btc, Side.Buy, OrderType.Limit, 0.01m, 60000.5m));

            Assert.NotNull(acknowledged);
            var id = orderId = acknowledged!.State.ClientOrderId.Value;
            Assert.Equal(1, _account.Placements);
            Assert.Equal("6530219466236720001", acknowledged.State.VenueOrderId);
            var placements = route == "rest" ? _venue.Signed : _venue.SocketCalls;
            var (method, parameters) = Assert.Single(placements, s => s.Method == "private/create-order");
            Assert.DoesNotContain(route == "rest" ? _venue.SocketCalls : _venue.Signed, s => s.Method == "private/create-order");
            Assert.Equal($$"""{"instrument_name":"BTC_USDT","side":"BUY","type":"LIMIT","price":"60000.5","quantity":"0.01","client_oid":"{{id}}","time_in_force":"GOOD_TILL_CANCEL"}""", parameters);

            await OrderFlowSteps.FillPushedTwiceCountsOnceAsync(_account, gateway, inbox, id, 0.004m, "T-5001");

            // A fill the user stream never brought, then the sockets drop: reconciliation after the reconnect brings it.
            await OrderFlowSteps.LostFillComesAfterReconnectAsync(_account, _venue.Ws, gateway, id, 0.003m, "T-5003", 0.007m, 2);
        });

        var fills = Audit.Rows("audit", "fills", "--format", "csv");
        Assert.Equal(2, fills.Length);
        Assert.Contains(fills, f => f.Contains(",T-5001,", StringComparison.Ordinal));
        Assert.Contains(fills, f => f.Contains(",T-5003,", StringComparison.Ordinal));

        // The rest fills while no node runs: only the venue knows.
        await Audit.FillWhileDownComesAtNextStartAsync(Node, () => _account.FillAsync(orderId, 0.003m, 60000.5m, tradeId: "T-5002", pushes: 0), orderId, "T-5002", fillsBefore: 2);
        Assert.Equal(1, _account.Placements);   // nothing was placed again
        Assert.Equal(1, _account.SubmitsOf(orderId));
        Assert.Equal(0, Audit.Run("audit", "verify").Exit);
    }

    private IHost Node()
    {
        var overrides = CryptoComNodeSettings.Overrides(_venue, _journal, ["trades"], ["orders", "balances"]);
        overrides["Venues:1:Orders:Enabled"] = "true";
        overrides["Venues:1:Orders:Route"] = _route;
        overrides["Venues:1:Orders:TradingWsEndpoint"] = _route == "ws" ? _venue.StreamBase.ToString() : null;
        return NodeHost.Build(NodeHost.LoadConfiguration(null, overrides), TextWriter.Null, CryptoComNodeSettings.Credentials.GetValueOrDefault);
    }

}
