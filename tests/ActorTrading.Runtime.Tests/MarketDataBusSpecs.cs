using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Runtime.Bus;
using Akka.TestKit.Xunit2;
using Xunit;

namespace ActorTrading.Runtime.Tests;

public sealed class MarketDataBusSpecs : TestKit
{
    private static Trade TradeOf(string venue, MarketKind market, string symbol, string id) =>
        new(new VenueId(venue), market, new Symbol(symbol), 1, 2, id, Side.Buy, 100m, 1m, 1);

    [Fact]
    public void Subscribers_get_exactly_the_topics_they_match()
    {
        var bus = new LocalMarketDataBus(Sys);
        var exact = CreateTestProbe();
        var allKuCoinTrades = CreateTestProbe();
        var everythingXbt = CreateTestProbe();
        bus.Subscribe(exact, TopicFilter.Parse("kucoin.futures/trades/XBTUSDTM"));
        bus.Subscribe(allKuCoinTrades, TopicFilter.Parse("kucoin.*/trades/*"));
        bus.Subscribe(everythingXbt, TopicFilter.Parse("*/*/XBTUSDTM"));

        bus.Publish(TradeOf("kucoin", MarketKind.Futures, "XBTUSDTM", "1"));
        bus.Publish(TradeOf("kucoin", MarketKind.Spot, "BTC-USDT", "2"));
        bus.Publish(TradeOf("binance", MarketKind.Futures, "XBTUSDTM", "3"));

        Assert.Equal("1", exact.ExpectMsg<Trade>().TradeId);
        exact.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Equal(["1", "2"], [allKuCoinTrades.ExpectMsg<Trade>().TradeId, allKuCoinTrades.ExpectMsg<Trade>().TradeId]);
        allKuCoinTrades.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Equal(["1", "3"], [everythingXbt.ExpectMsg<Trade>().TradeId, everythingXbt.ExpectMsg<Trade>().TradeId]);
    }

    [Fact]
    public void Unsubscribed_and_stopped_subscribers_get_nothing_more()
    {
        var bus = new LocalMarketDataBus(Sys);
        var leaving = CreateTestProbe();
        var dying = CreateTestProbe();
        var staying = CreateTestProbe();
        foreach (var probe in new[] { leaving, dying, staying })
        {
            bus.Subscribe(probe, TopicFilter.All);
        }

        bus.Unsubscribe(leaving);
        Watch(dying);
        Sys.Stop(dying);
        ExpectTerminated(dying);
        AwaitAssert(() =>
        {
            bus.Publish(TradeOf("kucoin", MarketKind.Futures, "X", "n"));
            staying.ExpectMsg<Trade>();
            Assert.False(dying.HasMessages);
        });
        leaving.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Theory]
    [InlineData("kucoin/trades")]
    [InlineData("kucoin.weekly/trades/*")]
    [InlineData("kucoin.futures/nonsense/*")]
    public void Bad_patterns_are_rejected_with_the_reason(string pattern)
    {
        Assert.Throws<FormatException>(() => TopicFilter.Parse(pattern));
    }

    [Fact]
    public void Topics_render_as_venue_market_channel_symbol()
    {
        var topic = MarketDataTopic.Of(TradeOf("kucoin", MarketKind.Futures, "XBTUSDTM", "1"));
        Assert.Equal("kucoin.futures/trades/XBTUSDTM", topic.ToString());
        Assert.Equal("kucoin.futures/trades/XBTUSDTM", TopicFilter.Exact(topic).ToString());
    }
}
