using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Strategies.Paper;
using Xunit;

namespace ActorTrading.Strategies.Tests;

public class PaperMatcherSpecs
{
    private static readonly Symbol Xbt = new("XBTUSDTM");
    private static int _orders;

    // 2 bps maker, 6 bps taker, contract size 0.001 (KuCoin XBTUSDTM).
    private readonly PaperMatcher _matcher = new(new PaperFees(0.0002m, 0.0006m, "USDT"));

    private static PaperOrder Order(Side side, decimal price, decimal size, bool postOnly = false)
    {
        var n = Interlocked.Increment(ref _orders);
        return new PaperOrder(new ClientOrderId($"c-{n}"), $"p-{n}", Xbt, side, price, size, postOnly) { ContractSize = 0.001m };
    }

    [Fact]
    public void A_trade_through_the_price_fills_a_resting_bid_at_its_own_price_as_maker()
    {
        _matcher.OnTop(Xbt, new BookLevel(60000m, 4), new BookLevel(60001m, 3));
        var bid = Order(Side.Buy, 59999.5m, 3);
        Assert.Empty(_matcher.Add(bid));

        Assert.Empty(_matcher.OnTrade(Xbt, 59999.6m, 10));   // above the bid: nothing
        var fills = _matcher.OnTrade(Xbt, 59999m, 2);        // through it: 2 of 3

        var fill = Assert.Single(fills);
        Assert.Equal((59999.5m, 2m, Liquidity.Maker), (fill.Price, fill.Size, fill.Liquidity));
        Assert.Equal(59999.5m * 2 * 0.001m * 0.0002m, fill.Fee);
        Assert.False(fill.Completes);
        Assert.Equal(1m, Assert.Single(_matcher.Open).Remaining);
    }

    [Fact]
    public void At_its_own_price_an_order_waits_behind_the_size_displayed_when_it_joined()
    {
        _matcher.OnTop(Xbt, new BookLevel(60000m, 4), new BookLevel(60001m, 3));
        var bid = Order(Side.Buy, 60000m, 2);   // joins the best bid behind 4
        _matcher.Add(bid);

        Assert.Empty(_matcher.OnTrade(Xbt, 60000m, 3));      // 3 of the 4 ahead
        var fills = _matcher.OnTrade(Xbt, 60000m, 2);        // 1 more ahead, then 1 for us

        var fill = Assert.Single(fills);
        Assert.Equal((60000m, 1m), (fill.Price, fill.Size));
        var rest = Assert.Single(_matcher.OnTrade(Xbt, 60000m, 5));
        Assert.Equal(1m, rest.Size);
        Assert.True(rest.Completes);
        Assert.Empty(_matcher.Open);
    }

    [Fact]
    public void Below_the_best_bid_the_depth_is_unknown_so_only_a_trade_through_fills()
    {
        _matcher.OnTop(Xbt, new BookLevel(60000m, 4), new BookLevel(60001m, 3));
        _matcher.Add(Order(Side.Buy, 59990m, 1));

        Assert.Empty(_matcher.OnTrade(Xbt, 59990m, 100));
        Assert.Equal(59990m, Assert.Single(_matcher.OnTrade(Xbt, 59989.9m, 1)).Price);
    }

    [Fact]
    public void An_order_improving_the_best_price_has_nobody_ahead()
    {
        _matcher.OnTop(Xbt, new BookLevel(60000m, 4), new BookLevel(60001m, 3));
        _matcher.Add(Order(Side.Sell, 60000.5m, 2));

        var fill = Assert.Single(_matcher.OnTrade(Xbt, 60000.5m, 5));
        Assert.Equal((60000.5m, 2m, true), (fill.Price, fill.Size, fill.Completes));
    }

    [Fact]
    public void When_the_opposite_best_price_reaches_a_resting_order_it_fills_up_to_the_size_shown_there()
    {
        _matcher.OnTop(Xbt, new BookLevel(60000m, 4), new BookLevel(60001m, 3));
        _matcher.Add(Order(Side.Buy, 59999m, 5));

        var fills = _matcher.OnTop(Xbt, new BookLevel(59998m, 1), new BookLevel(59998.5m, 2));

        var fill = Assert.Single(fills);
        Assert.Equal((59999m, 2m, Liquidity.Maker), (fill.Price, fill.Size, fill.Liquidity));
        Assert.Equal(3m, Assert.Single(_matcher.Open).Remaining);
    }

    [Fact]
    public void A_marketable_limit_order_takes_the_best_level_as_taker_and_rests_the_remainder()
    {
        _matcher.OnTop(Xbt, new BookLevel(60000m, 4), new BookLevel(60001m, 3));
        var buy = Order(Side.Buy, 60002m, 5);
        Assert.True(_matcher.WouldTake(buy));

        var fill = Assert.Single(_matcher.Add(buy));

        Assert.Equal((60001m, 3m, Liquidity.Taker), (fill.Price, fill.Size, fill.Liquidity));
        Assert.Equal(60001m * 3 * 0.001m * 0.0006m, fill.Fee);
        var resting = Assert.Single(_matcher.Open);
        Assert.Equal((60002m, 2m, 0m), (resting.Price, resting.Remaining, resting.QueueAhead));
    }

    [Fact]
    public void A_market_order_walks_the_levels_and_reports_what_they_could_not_fill()
    {
        var sell = Order(Side.Sell, 0, 7);
        var (fills, unfilled) = _matcher.FillMarket(sell, [new BookLevel(60000m, 2), new BookLevel(59999m, 3), new BookLevel(59990m, 1)]);

        Assert.Equal([(60000m, 2m), (59999m, 3m), (59990m, 1m)], fills.Select(f => (f.Price, f.Size)));
        Assert.All(fills, f => Assert.Equal(Liquidity.Taker, f.Liquidity));
        Assert.Equal(1m, unfilled);
        Assert.Equal(["paper-1", "paper-2", "paper-3"], fills.Select(f => f.TradeId));
    }

    [Fact]
    public void A_trade_is_shared_by_resting_orders_best_price_first_and_used_once()
    {
        _matcher.OnTop(Xbt, new BookLevel(60000m, 4), new BookLevel(60001m, 3));
        var high = Order(Side.Buy, 59999m, 2);
        var low = Order(Side.Buy, 59998m, 2);
        _matcher.Add(low);
        _matcher.Add(high);

        var fills = _matcher.OnTrade(Xbt, 59997m, 3);

        Assert.Equal([(high.ClientOrderId, 59999m, 2m), (low.ClientOrderId, 59998m, 1m)], fills.Select(f => (f.Order.ClientOrderId, f.Price, f.Size)));
    }

    [Fact]
    public void A_removed_order_no_longer_fills()
    {
        _matcher.OnTop(Xbt, new BookLevel(60000m, 4), new BookLevel(60001m, 3));
        var bid = Order(Side.Buy, 59999m, 2);
        _matcher.Add(bid);

        Assert.True(_matcher.Remove(bid.ClientOrderId, out var removed));
        Assert.Equal(bid.ClientOrderId, removed!.ClientOrderId);
        Assert.Empty(_matcher.OnTrade(Xbt, 59000m, 10));
        Assert.False(_matcher.Remove(bid.ClientOrderId, out _));
    }
}
