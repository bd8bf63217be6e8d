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
/// Orders through a running node on Binance spot and USDⓈ-M (the Binance fake keeps the truth): gateway → journal → signed
/// placement → user-data fill → journal exactly once; fills made while the node was down come back by reconciliation
/// when it starts again.
/// </summary>
public sealed class BinanceOrderFlowSpecs : IAsyncLifetime
{
    private readonly string _journal = "sqlite:" + Path.Combine(Directory.CreateTempSubdirectory("actortrading-binance-flow-").FullName, "journal.db");

    private JournalCli Audit => new(_journal);
    private FakeBinanceVenue _venue = null!;
    private FakeBinanceAccount _account = null!;
    private MarketKind _market;
    private string _route = "rest";

    public async Task InitializeAsync() => _venue = await FakeBinanceVenue.StartAsync();

    public async Task DisposeAsync() => await _venue.DisposeAsync();

    [Theory]
    [InlineData(MarketKind.Futures, "rest")]
    [InlineData(MarketKind.Spot, "rest")]
    [InlineData(MarketKind.Spot, "ws")]
    public async Task A_fill_pushed_twice_is_journaled_once_and_a_fill_made_while_the_node_was_down_is_reconciled_at_its_next_start(MarketKind market, string route)
    {
        (_market, _route) = (market, route);
        _account = new FakeBinanceAccount(_venue, futures: market == MarketKind.Futures);
        var orderId = string.Empty;
        await RunningNode.WithAsync(Node(), async (gateway, inbox) =>
        {
            var acknowledged = await GatewayAnswers.PlaceUntilAcknowledgedAsync(inbox, gateway,
                attempt => new OrderGatewayProtocol.PlaceOrder("desk", "f" + attempt, BinanceId, market, Btc, Side.Buy, OrderType.Limit, 0.01m, 60000.5m));

            Assert.NotNull(acknowledged);
            var id = orderId = acknowledged!.State.ClientOrderId.Value;
            Assert.Equal((1, "7001"), (_account.Placements, acknowledged.State.VenueOrderId));
            Assert.Equal(route == "ws" ? 1 : 0, _venue.Ws.Received.Count(m => m.Method == "order.place"));   // the route it was told

            await OrderFlowSteps.FillPushedTwiceCountsOnceAsync(_account, gateway, inbox, id, 0.004m, "5001");
        });

        var fills = Audit.Rows("audit", "fills", "--format", "csv");
        Assert.Contains(",5001,", Assert.Single(fills), StringComparison.Ordinal);

        // The rest fills while no node runs: only the venue knows.
        await _account.FillAsync(orderId, 0.006m, 60000.5m, tradeId: 5002, pushes: 0);
        await RunningNode.WithAsync(Node(), async (_, _) =>
        {
            await Eventually.Until(() => Audit.Rows("audit", "fills", "--format", "csv").Length == 2, 30);
        });

        fills = Audit.Rows("audit", "fills", "--format", "csv");
        Assert.Equal(2, fills.Length);
        Assert.Contains(fills, f => f.Contains(",5002,", StringComparison.Ordinal) && f.Contains("reconciliation", StringComparison.Ordinal));
        Assert.Contains(",Filled", Assert.Single(Audit.Rows("audit", "orders", "--format", "csv"), r => r.StartsWith(orderId + ",", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Equal(1, _account.Placements);   // nothing was placed again
        Assert.Equal(0, Audit.Run("audit", "verify").Exit);
    }

    private static readonly VenueId BinanceId = new("binance");
    private static readonly Core.Ids.Symbol Btc = new("BTCUSDT");

    private IHost Node()
    {
        var overrides = _market == MarketKind.Futures
            ? BinanceNodeSettings.Overrides(_venue, _journal, ["trades"], ["orders", "positions"])
            : BinanceNodeSettings.Overrides(_venue, _journal, ["trades"], ["orders", "balances"], "spot");
        overrides["Venues:1:Orders:Enabled"] = "true";
        overrides["Venues:1:Orders:Route"] = _route;
        overrides["Venues:1:Orders:TradingWsEndpoint"] = _route == "ws" ? new Uri(_venue.StreamBase, "/ws-api/v3").ToString() : null;
        return NodeHost.Build(NodeHost.LoadConfiguration(null, overrides), TextWriter.Null, BinanceNodeSettings.Credentials.GetValueOrDefault);
    }

}
