using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Exchanges;
using ActorTrading.Exchanges.Binance;
using ActorTrading.Exchanges.Binance.Auth;
using ActorTrading.Exchanges.Binance.Rest;
using ActorTrading.Exchanges.Binance.Ws;
using ActorTrading.Runtime.Books;
using ActorTrading.Runtime.Bus;
using ActorTrading.Runtime.Feeds;
using ActorTrading.Runtime.Limits;
using ActorTrading.Runtime.Orders;
using ActorTrading.Runtime.Rest;
using ActorTrading.Runtime.Venues;
using ActorTrading.TestExchange;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Xunit;

namespace ActorTrading.Runtime.Tests;

/// <summary>Binance through the node's own actors, against the fake venue on loopback.</summary>
public sealed class BinanceVenueSpecs : TestKit
{
    private static readonly Symbol Btc = new("BTCUSDT");
    private static readonly BinanceCredentials Credentials = new(FakeBinanceVenue.ApiKey, FakeBinanceVenue.Secret);

    private static FeedSettings Fast => new()
    {
        BackoffMin = TimeSpan.FromMilliseconds(100),
        BackoffMax = TimeSpan.FromMilliseconds(500),
        Jitter = 0,
    };

    private static VenueDefinition Definition(FakeBinanceVenue venue, MarketKind market, params Subscription[] subscriptions)
    {
        var module = ExchangeCatalog.Find("binance", market);
        var endpoints = new VenueEndpoints(venue.RestUri, venue.StreamBase);
        return new VenueDefinition(module.CreateFeedAdapter(endpoints), new BinanceRestAdapter(market, venue.RestUri, Credentials), module.Limits,
            subscriptions, subscriptions.Where(s => s.Channel == DataChannel.BookDelta).Select(s => s.Symbol).Distinct().ToArray(),
            Fast, new OrderBookSettings(), new RestClientOptions { BaseDelay = TimeSpan.FromMilliseconds(20) });
    }

    [Fact]
    public async Task Spot_streams_subscribe_by_name_and_a_delta_book_syncs_from_the_depth_snapshot_by_the_spot_rules()
    {
        await using var venue = await FakeBinanceVenue.StartAsync();
        venue.ServeDepth("/api/v3/depth", "BTCUSDT", """{"lastUpdateId":158,"bids":[["60000.00","1.0"],["59999.00","2.0"]],"asks":[["60001.00","1.5"]]}""");
        using var http = new HttpClient();
        var bus = new LocalMarketDataBus(Sys);
        var watcher = CreateTestProbe();
        bus.Subscribe(watcher, new TopicFilter("binance", MarketKind.Spot, DataChannel.Book, null));
        bus.Subscribe(watcher, new TopicFilter("binance", MarketKind.Spot, DataChannel.Trades, null));

        var supervisor = Sys.ActorOf(ExchangeSupervisor.Props(Definition(venue, MarketKind.Spot,
            new Subscription(DataChannel.BookDelta, Btc), new Subscription(DataChannel.Trades, Btc)), bus, http), "binance-spot");

        await AwaitAssertAsync(() =>
        {
            var subscribe = Assert.Single(venue.Ws.Received, m => m.Method == "SUBSCRIBE");
            Assert.Equal("""{"method":"SUBSCRIBE","params":["btcusdt@depth@100ms","btcusdt@aggTrade"],"id":"1"}""", subscribe.Text);
        }, TimeSpan.FromSeconds(10));
        Assert.Equal(["/stream"], venue.Ws.Paths);

        // Before and across the snapshot: dropped (u ≤ 158), bridging (U ≤ 159 ≤ u), then contiguous.
        await venue.Ws.SendToAllAsync("""{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":150,"u":155,"b":[["59000.00","9"]],"a":[]}}""");
        await venue.Ws.SendToAllAsync("""{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":2,"s":"BTCUSDT","U":157,"u":160,"b":[["60000.00","0.5"]],"a":[]}}""");
        await venue.Ws.SendToAllAsync("""{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":3,"s":"BTCUSDT","U":161,"u":162,"b":[["60000.50","0.7"]],"a":[]}}""");

        await AwaitAssertAsync(async () =>
        {
            var view = await supervisor.Ask<OrderBookProtocol.BookView>(new ExchangeSupervisorProtocol.GetBook(Btc, 5), TimeSpan.FromSeconds(3));
            Assert.Equal(BookHealth.Synced, view.Health);
            Assert.Equal(162L, view.Sequence);
            Assert.Equal([new BookLevel(60000.50m, 0.7m), new BookLevel(60000.00m, 0.5m), new BookLevel(59999.00m, 2.0m)], view.Bids);
            Assert.Equal([new BookLevel(60001.00m, 1.5m)], view.Asks);
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));

        await venue.Ws.SendToAllAsync("""{"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","E":5,"s":"BTCUSDT","a":777,"p":"60000.10","q":"0.25","f":1,"l":2,"T":4,"m":false}}""");
        var trade = await watcher.FishForMessageAsync<Trade>(_ => true, TimeSpan.FromSeconds(5));
        Assert.Equal(("777", Side.Buy, 60000.10m, 0.25m), (trade.TradeId, trade.Side, trade.Price, trade.Size));

        // A gap (U > last + 1) resyncs from a new snapshot.
        var before = await supervisor.Ask<OrderBookProtocol.BookView>(new ExchangeSupervisorProtocol.GetBook(Btc, 5), TimeSpan.FromSeconds(3));
        venue.ServeDepth("/api/v3/depth", "BTCUSDT", """{"lastUpdateId":300,"bids":[["61000.00","1.0"]],"asks":[["61001.00","1.0"]]}""");
        await venue.Ws.SendToAllAsync("""{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":6,"s":"BTCUSDT","U":170,"u":171,"b":[],"a":[]}}""");
        await venue.Ws.SendToAllAsync("""{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":7,"s":"BTCUSDT","U":301,"u":302,"b":[["61000.00","3"]],"a":[]}}""");
        await AwaitAssertAsync(async () =>
        {
            var view = await supervisor.Ask<OrderBookProtocol.BookView>(new ExchangeSupervisorProtocol.GetBook(Btc, 5), TimeSpan.FromSeconds(3));
            Assert.Equal((BookHealth.Synced, 302L, before.Resyncs + 1), (view.Health, view.Sequence, view.Resyncs));
            Assert.Equal([new BookLevel(61000.00m, 3m)], view.Bids);
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task Futures_streams_go_to_their_routed_paths_and_the_book_follows_the_pu_chain()
    {
        await using var venue = await FakeBinanceVenue.StartAsync();
        venue.ServeDepth("/fapi/v1/depth", "BTCUSDT", """{"lastUpdateId":1000,"E":1,"T":1,"bids":[["100.0","1"]],"asks":[["101.0","2"]]}""");
        using var http = new HttpClient();
        var bus = new LocalMarketDataBus(Sys);
        var watcher = CreateTestProbe();
        bus.Subscribe(watcher, new TopicFilter("binance", MarketKind.Futures, DataChannel.Funding, null));

        var supervisor = Sys.ActorOf(ExchangeSupervisor.Props(Definition(venue, MarketKind.Futures,
            new Subscription(DataChannel.BookDelta, Btc), new Subscription(DataChannel.Funding, Btc)), bus, http), "binance-futures");

        await AwaitAssertAsync(() =>
        {
            Assert.Equal(["/market/stream", "/public/stream"], venue.Ws.Paths.Order(StringComparer.Ordinal));
            Assert.Equal(2, venue.Ws.Received.Count(m => m.Method == "SUBSCRIBE"));
        }, TimeSpan.FromSeconds(10));
        var status = await supervisor.Ask<ExchangeSupervisorProtocol.VenueStatus>(ExchangeSupervisorProtocol.GetStatus.Instance, TimeSpan.FromSeconds(5));
        Assert.Equal(["public-market", "public-public"], status.Feeds.Select(f => f.Feed).Order(StringComparer.Ordinal));

        await venue.Ws.SendToPathAsync("/public/", """{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":2,"T":2,"s":"BTCUSDT","U":990,"u":1005,"pu":985,"b":[["100.0","3"]],"a":[]}}""");
        await venue.Ws.SendToPathAsync("/public/", """{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":3,"T":3,"s":"BTCUSDT","U":1010,"u":1020,"pu":1005,"b":[],"a":[["101.0","0"],["102.0","1"]]}}""");
        await venue.Ws.SendToPathAsync("/market/", """{"stream":"btcusdt@markPrice@1s","data":{"e":"markPriceUpdate","E":1562305380000,"s":"BTCUSDT","p":"11794.15000000","i":"11784.62659091","P":"11784.25641265","r":"0.00038167","T":1562306400000}}""");

        var funding = await watcher.FishForMessageAsync<FundingRate>(_ => true, TimeSpan.FromSeconds(5));
        Assert.Equal(0.00038167m, funding.Rate);
        await AwaitAssertAsync(async () =>
        {
            var view = await supervisor.Ask<OrderBookProtocol.BookView>(new ExchangeSupervisorProtocol.GetBook(Btc, 5), TimeSpan.FromSeconds(3));
            Assert.Equal((BookHealth.Synced, 1020L), (view.Health, view.Sequence));
            Assert.Equal([new BookLevel(100.0m, 3m)], view.Bids);
            Assert.Equal([new BookLevel(102.0m, 1m)], view.Asks);
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task Futures_user_data_runs_on_a_listen_key_that_is_kept_alive_and_renewed_when_it_expires()
    {
        await using var venue = await FakeBinanceVenue.StartAsync();
        using var http = new HttpClient();
        var bus = new LocalMarketDataBus(Sys);
        var watcher = CreateTestProbe();
        bus.Subscribe(watcher, new TopicFilter("binance", MarketKind.Futures, DataChannel.Orders, null));
        var rest = new RestClient(http, new BinanceRestAdapter(MarketKind.Futures, venue.RestUri, Credentials));
        var adapter = new BinanceUserDataAdapter(MarketKind.Futures, Credentials, venue.StreamBase, listenKeyRefresh: TimeSpan.FromMilliseconds(300));
        Sys.ActorOf(FeedConnection.Props(adapter, rest, bus, Fast with { Name = "private" }, [new Subscription(DataChannel.Orders, new Symbol("*"))]));

        await AwaitAssertAsync(() => Assert.Equal(["/private/ws/" + venue.IssuedListenKeys[0]], venue.Ws.Paths), TimeSpan.FromSeconds(10));
        await AwaitAssertAsync(() => Assert.True(venue.ListenKeyKeepAlives >= 2), TimeSpan.FromSeconds(10));

        await venue.Ws.SendToAllAsync(Fixtures.Binance("futures_ws_userdata_ORDER_TRADE_UPDATE_combined").ReplaceLineEndings(""));
        var order = await watcher.FishForMessageAsync<OrderUpdate>(_ => true, TimeSpan.FromSeconds(5));
        Assert.Equal("8886774", order.OrderId);

        await venue.ExpireListenKeyAsync();
        await AwaitAssertAsync(() =>
        {
            Assert.Equal(2, venue.IssuedListenKeys.Count);
            Assert.Equal("/private/ws/" + venue.IssuedListenKeys[1], venue.Ws.Paths[^1]);
            Assert.Equal(1, venue.Ws.OpenConnections);
        }, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Spot_user_data_subscribes_with_a_signature_the_venue_accepts_and_a_refused_key_stops_the_feed()
    {
        await using var venue = await FakeBinanceVenue.StartAsync();
        using var http = new HttpClient();
        var bus = new LocalMarketDataBus(Sys);
        var watcher = CreateTestProbe();
        bus.Subscribe(watcher, new TopicFilter("binance", MarketKind.Spot, DataChannel.Balances, null));
        bus.Subscribe(watcher, new TopicFilter("binance", MarketKind.Spot, DataChannel.Feed, null));
        var rest = new RestClient(http, new BinanceRestAdapter(MarketKind.Spot, venue.RestUri, Credentials));
        var subscriptions = new[] { new Subscription(DataChannel.Orders, new Symbol("*")), new Subscription(DataChannel.Balances, new Symbol("*")) };

        Sys.ActorOf(FeedConnection.Props(new BinanceUserDataAdapter(MarketKind.Spot, Credentials, venue.StreamBase), rest, bus, Fast with { Name = "private" }, subscriptions));
        await watcher.FishForMessageAsync<FeedStreaming>(_ => true, TimeSpan.FromSeconds(10));
        Assert.Equal(["/ws-api/v3"], venue.Ws.Paths);
        await venue.Ws.SendToAllAsync(Fixtures.Binance("spot_ws_userdata_outboundAccountPosition").ReplaceLineEndings(""));
        var balance = await watcher.FishForMessageAsync<BalanceUpdate>(_ => true, TimeSpan.FromSeconds(5));
        Assert.Equal(("ETH", 10000m), (balance.Symbol.Value, balance.Total));

        var wrongKey = new BinanceCredentials("not-the-key-of-this-account-0000", FakeBinanceVenue.Secret);
        var refusedFeed = Sys.ActorOf(FeedConnection.Props(new BinanceUserDataAdapter(MarketKind.Spot, wrongKey, venue.StreamBase), rest, bus,
            Fast with { Name = "private-2", MaxTokenRejections = 2 }, subscriptions));
        Watch(refusedFeed);
        var stopped = await watcher.FishForMessageAsync<FeedStopped>(s => s.Feed == "private-2", TimeSpan.FromSeconds(15));
        Assert.IsType<AuthenticationError>(stopped.Error);
        Assert.Contains("-2015", stopped.Error.Message);
        await ExpectTerminatedAsync(refusedFeed, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Signed_rest_reaches_the_venue_with_a_signature_it_verifies_over_the_query_as_received()
    {
        await using var venue = await FakeBinanceVenue.StartAsync();
        venue.ServeSigned("/api/v3/account", "GET", p => (200, $$"""{"echo":"{{p["symbol"]}}","recvWindow":"{{p["recvWindow"]}}"}"""));
        using var http = new HttpClient();
        var rest = new RestClient(http, new BinanceRestAdapter(MarketKind.Spot, venue.RestUri, Credentials));

        var data = await rest.SendAsync(new RestRequest(HttpMethod.Get, "/api/v3/account", RestRequest.BuildQuery([("symbol", "１２３４５６")]), null, "weight", 20, Signed: true), CancellationToken.None);

        Assert.Equal("１２３４５６", data.GetProperty("echo").GetString());
        Assert.Equal("5000", data.GetProperty("recvWindow").GetString());
        Assert.StartsWith("symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&recvWindow=5000&timestamp=", Assert.Single(venue.SignedQueries));

        var wrong = new RestClient(http, new BinanceRestAdapter(MarketKind.Spot, venue.RestUri, new BinanceCredentials(FakeBinanceVenue.ApiKey, "another-secret-entirely-000000")));
        var refused = await Assert.ThrowsAsync<ExchangeException>(() => wrong.SendAsync(new RestRequest(HttpMethod.Get, "/api/v3/account", [], null, "weight", 20, Signed: true), CancellationToken.None));
        Assert.Equal("-1022", Assert.IsType<AuthenticationError>(refused.Error).VenueCode);
    }

    [Fact]
    public async Task Futures_orders_set_up_their_symbol_once_then_go_signed_and_venue_refusals_and_unknown_orders_come_back_typed()
    {
        await using var venue = await FakeBinanceVenue.StartAsync();
        var placed = new List<IReadOnlyDictionary<string, string>>();
        venue.ServeSigned("/fapi/v1/marginType", "POST", _ => (400, """{"code":-4046,"msg":"No need to change margin type."}"""));
        venue.ServeSigned("/fapi/v1/leverage", "POST", p => (200, $$"""{"leverage":{{p["leverage"]}},"maxNotionalValue":"1000000","symbol":"{{p["symbol"]}}"}"""));
        venue.ServeSigned("/fapi/v1/order", "POST", p =>
        {
            lock (placed)
            {
                placed.Add(p);
            }

            // The two orders of one command go out together: ids follow the client id, not the arrival order.
            return p["newClientOrderId"] == "too-much"
                ? (400, """{"code":-2019,"msg":"Margin is insufficient."}""")
                : (200, $$"""{"symbol":"{{p["symbol"]}}","orderId":{{1000 + int.Parse(p["newClientOrderId"][2..], System.Globalization.CultureInfo.InvariantCulture)}},"clientOrderId":"{{p["newClientOrderId"]}}","status":"NEW"}""");
        });
        venue.ServeSigned("/fapi/v1/order", "GET", _ => (400, """{"code":-2013,"msg":"Order does not exist."}"""));
        using var http = new HttpClient();
        var limiter = Sys.ActorOf(RateLimiter.Props(BinanceVenue.FuturesLimits));
        var gateway = Sys.ActorOf(RestGateway.Props(new RestClient(http, new BinanceRestAdapter(MarketKind.Futures, venue.RestUri, Credentials)), limiter));
        var entry = Sys.ActorOf(VenueOrderEntry.Props(new BinanceOrderEntryAdapter(MarketKind.Futures, leverage: 5, marginType: "ISOLATED"), gateway, null));

        var first = await entry.Ask<OrderEntryProtocol.Results>(new OrderEntryProtocol.Place(
            [new OrderTicket(new ClientOrderId("b-1"), Btc, Side.Buy, OrderType.Limit, 0.01m, 60000m), new OrderTicket(new ClientOrderId("too-much"), Btc, Side.Buy, OrderType.Limit, 100m, 60000m)]),
            TimeSpan.FromSeconds(10));
        Assert.Equal(new OrderAccepted(new ClientOrderId("b-1"), "1001"), first.Items[0]);
        var refused = Assert.IsType<OrderRejected>(first.Items[1]);
        Assert.Equal("-2019", Assert.IsType<ApiError>(refused.Error).VenueCode);

        var second = await entry.Ask<OrderEntryProtocol.Results>(new OrderEntryProtocol.Place([new OrderTicket(new ClientOrderId("b-2"), Btc, Side.Sell, OrderType.Market, 0.01m)]), TimeSpan.FromSeconds(10));
        Assert.IsType<OrderAccepted>(Assert.Single(second.Items));

        // The symbol was set up once, before its first order, and every request carried a signature the venue accepted.
        var paths = venue.Rest.LogEntries.Select(e => e.RequestMessage.Path).ToArray();
        Assert.Equal(1, paths.Count(p => p == "/fapi/v1/marginType"));
        Assert.Equal(1, paths.Count(p => p == "/fapi/v1/leverage"));
        Assert.True(Array.IndexOf(paths, "/fapi/v1/leverage") < Array.IndexOf(paths, "/fapi/v1/order"));
        Assert.Equal(["5"], venue.SignedQueries.Where(q => q.Contains("leverage=", StringComparison.Ordinal)).Select(q => q.Split('&').First(p => p.StartsWith("leverage=", StringComparison.Ordinal))[9..]));
        Assert.Equal(["BUY", "BUY", "SELL"], placed.Select(p => p["side"]));
        Assert.Equal("MARKET", placed[2]["type"]);

        var unknown = await entry.Ask<OrderEntryProtocol.OrderQueryAnswer>(new OrderEntryProtocol.QueryOrder(new ClientOrderId("never-sent"), Btc), TimeSpan.FromSeconds(10));
        Assert.Equal((null, null), (unknown.Report, unknown.Error));
    }
}
