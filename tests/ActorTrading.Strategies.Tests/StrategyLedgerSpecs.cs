using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Journal;
using Xunit;

namespace ActorTrading.Strategies.Tests;

/// <summary>The ledger of a strategy that trades for weeks: what it keeps stays bounded, what it counts covers the run.</summary>
public sealed class StrategyLedgerSpecs
{
    private static readonly Symbol Xbt = new("XBTUSDTM");

    [Fact]
    public void Finished_orders_beyond_the_latest_thousand_are_let_go_while_counts_positions_and_pnl_cover_every_order()
    {
        var ledger = new StrategyLedger();
        const int orders = 2500;
        for (var n = 1; n <= orders; n++)
        {
            // Each order buys 2 at 100 + n; every fifth asked for 3, so it stays open.
            var submitted = new OrderEvents.Submitted(Id(n), "s", VenueId.KuCoin, MarketKind.Futures, Xbt, Side.Buy, OrderType.Limit, n % 5 == 0 ? 3 : 2, 100 + n,
                TimeInForce.GoodTillCanceled, false, false, n);
            var state = OrderState.Start(submitted);
            Assert.True(ledger.Apply(state, submitted));
            IJournalEvent acknowledged = new OrderEvents.Acknowledged(Id(n), "v-" + n, n);
            Assert.True(ledger.Apply(state = state.Apply(acknowledged), acknowledged));
            IJournalEvent fill = new OrderEvents.FillRecorded(Id(n), "t-" + n, 100 + n, 2, 0.01m, "USDT", Liquidity.Maker, FillSource.WebSocket, "v-" + n, n);
            Assert.True(ledger.Apply(state = state.Apply(fill), fill));
            Assert.False(ledger.Apply(state, fill));   // the same fill again (the journal read at start, then live) counts once
        }

        var open = orders / 5;
        Assert.Equal((orders, orders, orders * 0.01m), (ledger.OrderCount, ledger.Fills, ledger.Fees));
        Assert.Equal(orders * 2m, ledger.Position(Xbt, out var realized, out _));
        Assert.Equal(0m, realized);
        Assert.Equal(open, ledger.OpenOrders.Count());
        Assert.Equal(open + StrategyLedger.FinishedKept, ledger.Orders.Count);
        Assert.True(ledger.Orders.ContainsKey(Id(orders - 1)));   // the latest finished are kept
        Assert.False(ledger.Orders.ContainsKey(Id(1)));            // the oldest are let go
        Assert.True(ledger.Orders.ContainsKey(Id(5)));             // an open order is kept however old
    }

    private static ClientOrderId Id(int n) => new("s-" + n);
}
