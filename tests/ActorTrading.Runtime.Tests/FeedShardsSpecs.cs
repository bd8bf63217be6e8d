using ActorTrading.Core.Adapters;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges.Binance.Ws;
using ActorTrading.Exchanges.KuCoin.Ws;
using ActorTrading.Runtime.Feeds;
using Xunit;

namespace ActorTrading.Runtime.Tests;

public sealed class FeedShardsSpecs
{
    [Fact]
    public void Usdm_streams_go_to_their_routed_socket_and_a_route_past_1024_streams_gets_another()
    {
        var symbols = Enumerable.Range(0, 1100).Select(i => new Symbol($"S{i}USDT")).ToArray();
        var subscriptions = symbols.Select(s => new Subscription(DataChannel.Trades, s))
            .Concat([new Subscription(DataChannel.BookDelta, new Symbol("BTCUSDT")), new Subscription(DataChannel.Ticker, new Symbol("BTCUSDT"))]).ToArray();

        var shards = FeedShards.Plan(new BinanceFeedAdapter(MarketKind.Futures), "public", subscriptions);

        Assert.Equal([("public-market", "market", 1024), ("public-market-2", "market", 76), ("public-public", "public", 2)],
            shards.Select(s => (s.Name, s.Route, s.Subscriptions.Count)).OrderBy(s => s.Name, StringComparer.Ordinal));
        Assert.All(shards, s => Assert.Equal(s.Route, ((BinanceFeedAdapter)s.Adapter).Route));
    }

    [Fact]
    public void A_venue_with_one_route_and_few_streams_keeps_one_socket_named_as_the_feed()
    {
        var subscriptions = new[] { new Subscription(DataChannel.Trades, new Symbol("XBTUSDTM")), new Subscription(DataChannel.BookDelta, new Symbol("XBTUSDTM")) };
        var kucoin = Assert.Single(FeedShards.Plan(new KuCoinFeedAdapter(), "public", subscriptions));
        Assert.Equal(("public", 2), (kucoin.Name, kucoin.Subscriptions.Count));
        var spot = Assert.Single(FeedShards.Plan(new BinanceFeedAdapter(MarketKind.Spot), "public", subscriptions));
        Assert.Equal("public", spot.Name);
        Assert.Equal("public", Assert.Single(FeedShards.Plan(new BinanceFeedAdapter(MarketKind.Spot), "public", [])).Name);
    }

    [Fact]
    public async Task Binance_sockets_are_named_by_route_and_a_listen_key_in_the_path_is_a_secret()
    {
        var market = await new BinanceFeedAdapter(MarketKind.Futures, route: "market").ResolveEndpointAsync(null!, CancellationToken.None);
        Assert.Equal("wss://fstream.binance.com/market/stream", market.Uri.ToString());
        Assert.Equal(TimeSpan.Zero, market.PingInterval);
        var spot = await new BinanceFeedAdapter(MarketKind.Spot, new Uri("ws://127.0.0.1:9000")).ResolveEndpointAsync(null!, CancellationToken.None);
        Assert.Equal("ws://127.0.0.1:9000/stream", spot.Uri.ToString());

        var key = "pqia91ma19a5s61cv6a81va65sdf19v8a65a1a5s61cv6a81va65sdf19v8a65a1";
        var user = new FeedEndpoint(new Uri("wss://fstream.binance.com/private/ws/" + key), "c", TimeSpan.Zero, TimeSpan.Zero, [key]);
        Assert.Equal("wss://fstream.binance.com/private/ws/[redacted]", user.Redacted);
        Assert.Contains(key, user.Secrets);
    }

    [Fact]
    public void Subscribe_frames_name_the_streams_in_batches_the_venue_takes()
    {
        var adapter = new BinanceFeedAdapter(MarketKind.Spot);
        var ids = 0;
        var frames = adapter.SubscriptionFrames(
            Enumerable.Range(0, 250).Select(i => new Subscription(DataChannel.Trades, new Symbol($"S{i}USDT"))).ToArray(), subscribe: true, () => (++ids).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2, frames.Count);
        Assert.StartsWith("""{"method":"SUBSCRIBE","params":["s0usdt@aggTrade","s1usdt@aggTrade",""", frames[0].Text);
        Assert.EndsWith("""],"id":"1"}""", frames[0].Text);
        Assert.Equal((200, 50), (frames[0].Subscriptions.Count, frames[1].Subscriptions.Count));
        var unsubscribe = Assert.Single(adapter.SubscriptionFrames([new Subscription(DataChannel.Candles, new Symbol("BTCUSDT"), "1h")], subscribe: false, () => "9"));
        Assert.Equal("""{"method":"UNSUBSCRIBE","params":["btcusdt@kline_1h"],"id":"9"}""", unsubscribe.Text);
    }
}
