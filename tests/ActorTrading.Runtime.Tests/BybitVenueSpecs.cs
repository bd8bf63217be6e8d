using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Exchanges;
using ActorTrading.Exchanges.Bybit;
using ActorTrading.Exchanges.Bybit.Auth;
using ActorTrading.Exchanges.Bybit.Rest;
using ActorTrading.Exchanges.Bybit.Ws;
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
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using Xunit;

namespace ActorTrading.Runtime.Tests;

/// <summary>Bybit v5 through the node's own actors, against the fake venue on loopback.</summary>
public sealed class BybitVenueSpecs : TestKit
{
    private static readonly Symbol Btc = new("BTCUSDT");
    private static readonly BybitCredentials Credentials = new(FakeBybitVenue.ApiKey, FakeBybitVenue.Secret);

    private static FeedSettings Fast => new()
    {
        BackoffMin = TimeSpan.FromMilliseconds(100),
        BackoffMax = TimeSpan.FromMilliseconds(500),
        Jitter = 0,
    };

    private static VenueDefinition Definition(FakeBybitVenue venue, MarketKind market, Subscription[] subscriptions, Subscription[]? privateSubscriptions = null)
    {
        var module = (IPrivateVenueModule)ExchangeCatalog.Find("bybit", market);
        var endpoints = new VenueEndpoints(venue.RestUri, venue.StreamBase);
        var environment = (string name) => name == "BYBIT_API_KEY" ? FakeBybitVenue.ApiKey : name == "BYBIT_API_SECRET" ? FakeBybitVenue.Secret : null;
        return new VenueDefinition(module.CreateFeedAdapter(endpoints), module.CreateSignedRestAdapter(endpoints, environment), module.Limits,
            subscriptions, subscriptions.Where(s => s.Channel == DataChannel.BookDelta).Select(s => s.Symbol).Distinct().ToArray(),
            Fast, new OrderBookSettings(), new RestClientOptions { BaseDelay = TimeSpan.FromMilliseconds(20) },
            privateSubscriptions is null ? null : module.CreatePrivateFeedAdapter(endpoints, environment), privateSubscriptions);
    }

    private static string Snapshot(long u, string bids, string asks) =>
        $$"""{"topic":"orderbook.50.BTCUSDT","type":"snapshot","ts":1687940967466,"data":{"s":"BTCUSDT","b":{{bids}},"a":{{asks}},"u":{{u}},"seq":1},"cts":1687940967464}""";

    private static string Delta(long u, string bids, string asks) =>
        $$"""{"topic":"orderbook.50.BTCUSDT","type":"delta","ts":1687940967466,"data":{"s":"BTCUSDT","b":{{bids}},"a":{{asks}},"u":{{u}},"seq":2},"cts":1687940967464}""";

    private static async Task<OrderBookProtocol.BookView> Book(IActorRef supervisor) =>
        await supervisor.Ask<OrderBookProtocol.BookView>(new ExchangeSupervisorProtocol.GetBook(Btc, 5), TimeSpan.FromSeconds(3));

    [Fact]
    public async Task A_book_syncs_from_the_streams_snapshot_and_a_crossed_book_subscribes_again_for_a_fresh_one()
    {
        await using var venue = await FakeBybitVenue.StartAsync();
        var snapshots = 0;
        venue.BookSnapshot = _ => ++snapshots == 1
            ? Snapshot(100, """[["100.0","1"],["99.5","2"]]""", """[["100.5","1"]]""")
            : Snapshot(205, """[["100.1","4"]]""", """[["100.6","3"]]""");
        using var http = new HttpClient();
        var bus = new LocalMarketDataBus(Sys);
        var supervisor = Sys.ActorOf(ExchangeSupervisor.Props(Definition(venue, MarketKind.Futures,
            [new Subscription(DataChannel.BookDelta, Btc), new Subscription(DataChannel.Trades, Btc)]), bus, http), "bybit-futures");

        await AwaitAssertAsync(async () =>
        {
            Assert.Equal(["/v5/public/linear"], venue.Ws.Paths);
            var subscribe = Assert.Single(venue.Requests);
            Assert.Equal("subscribe", subscribe.Op);
            Assert.Equal(["orderbook.50.BTCUSDT", "publicTrade.BTCUSDT"], subscribe.Topics);
            var view = await Book(supervisor);
            Assert.Equal((BookHealth.Synced, 100L), (view.Health, view.Sequence));
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));

        await venue.Ws.SendToAllAsync(Delta(101, """[["99.5","0"]]""", """[["101.0","2"]]"""));
        await AwaitAssertAsync(async () =>
        {
            var view = await Book(supervisor);
            Assert.Equal(101L, view.Sequence);
            Assert.Equal([new BookLevel(100.0m, 1m)], view.Bids);
            Assert.Equal([new BookLevel(100.5m, 1m), new BookLevel(101.0m, 2m)], view.Asks);
        }, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100));

        // A bid above the best ask: the book cannot be trusted. No REST snapshot syncs a stream book: it subscribes again.
        await venue.Ws.SendToAllAsync(Delta(102, """[["100.7","1"]]""", "[]"));
        await AwaitAssertAsync(async () =>
        {
            Assert.Equal(["subscribe", "unsubscribe", "subscribe"], venue.Requests.Select(r => r.Op));
            Assert.Equal(["orderbook.50.BTCUSDT"], venue.Requests[^1].Topics);
            var view = await Book(supervisor);
            Assert.Equal((BookHealth.Synced, 205L, 1), (view.Health, view.Sequence, view.Resyncs));
            Assert.Equal([new BookLevel(100.1m, 4m)], view.Bids);
            Assert.Equal([new BookLevel(100.6m, 3m)], view.Asks);
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));

        // The venue restarted its service: a delta with u = 1 is its new snapshot.
        await venue.Ws.SendToAllAsync(Delta(1, """[["99.0","7"]]""", """[["99.9","8"]]"""));
        await AwaitAssertAsync(async () =>
        {
            var view = await Book(supervisor);
            Assert.Equal((BookHealth.Synced, 1L), (view.Health, view.Sequence));
            Assert.Equal([new BookLevel(99.0m, 7m)], view.Bids);
            Assert.Equal([new BookLevel(99.9m, 8m)], view.Asks);
        }, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task Spot_subscriptions_go_ten_topics_a_request_and_pings_are_answered()
    {
        await using var venue = await FakeBybitVenue.StartAsync();
        using var http = new HttpClient();
        var bus = new LocalMarketDataBus(Sys);
        var symbols = Enumerable.Range(0, 12).Select(i => new Symbol($"C{i:00}USDT")).ToArray();
        var adapter = new BybitFeedAdapter(MarketKind.Spot, venue.StreamBase);
        var feed = Sys.ActorOf(FeedConnection.Props(adapter, new RestClient(http, new BybitRestAdapter(venue.RestUri)), bus, Fast with { Name = "public" },
            symbols.Select(s => new Subscription(DataChannel.Trades, s)).ToArray()));

        await AwaitAssertAsync(async () =>
        {
            Assert.Equal([10, 2], venue.Requests.Select(r => r.Topics.Length));
            var status = await feed.Ask<FeedConnectionProtocol.Status>(FeedConnectionProtocol.GetStatus.Instance, TimeSpan.FromSeconds(3));
            Assert.Equal(FeedConnectionProtocol.State.Streaming, status.State);
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
        Assert.Equal(["/v5/public/spot"], venue.Ws.Paths);
        Assert.Equal(TimeSpan.FromSeconds(20), (await adapter.ResolveEndpointAsync(null!, CancellationToken.None)).PingInterval);
    }

    [Fact]
    public async Task The_private_stream_logs_in_before_it_subscribes_and_a_refused_login_stops_the_feed_with_its_reason()
    {
        await using var venue = await FakeBybitVenue.StartAsync();
        using var http = new HttpClient();
        var bus = new LocalMarketDataBus(Sys);
        var watcher = CreateTestProbe();
        bus.Subscribe(watcher, new TopicFilter("bybit", MarketKind.Futures, DataChannel.Balances, null));
        bus.Subscribe(watcher, new TopicFilter("bybit", MarketKind.Futures, DataChannel.Feed, null));
        var rest = new RestClient(http, new BybitRestAdapter(venue.RestUri, Credentials));
        var subscriptions = new[] { new Subscription(DataChannel.Orders, new Symbol("*")), new Subscription(DataChannel.Balances, new Symbol("*")) };

        Sys.ActorOf(FeedConnection.Props(new BybitFeedAdapter(MarketKind.Futures, venue.StreamBase, Credentials), rest, bus, Fast with { Name = "private" }, subscriptions));
        await watcher.FishForMessageAsync<FeedStreaming>(_ => true, TimeSpan.FromSeconds(10));
        Assert.Equal(["/v5/private"], venue.Ws.Paths);
        Assert.Equal(["order.linear", "execution.linear", "wallet"], Assert.Single(venue.Requests).Topics);
        Assert.Equal("auth", venue.Ws.Received.First().Field("op"));

        await venue.PushPrivateAsync(Fixtures.Bybit("ws_private_wallet").ReplaceLineEndings(""));
        var balance = await watcher.FishForMessageAsync<BalanceUpdate>(_ => true, TimeSpan.FromSeconds(5));
        Assert.Equal(("BTC", 0.00102964m), (balance.Symbol.Value, balance.Total));

        var wrongSecret = new BybitCredentials(FakeBybitVenue.ApiKey, "not-the-secret-of-this-key");
        var refused = Sys.ActorOf(FeedConnection.Props(new BybitFeedAdapter(MarketKind.Futures, venue.StreamBase, wrongSecret), rest, bus, Fast with { Name = "private-2" }, subscriptions));
        Watch(refused);
        var stopped = await watcher.FishForMessageAsync<FeedStopped>(s => s.Feed == "private-2", TimeSpan.FromSeconds(15));
        Assert.Equal("authentication: login refused: auth refused: Params Error", stopped.Error.ToString());
        await ExpectTerminatedAsync(refused, TimeSpan.FromSeconds(5));
        Assert.Single(venue.Requests);   // the refused session never subscribed
    }

    [Fact]
    public async Task Linear_orders_set_their_symbols_leverage_once_go_signed_and_refusals_and_unknown_orders_come_back_typed()
    {
        await using var venue = await FakeBybitVenue.StartAsync();
        var account = new FakeBybitAccount(venue, "linear");
        using var http = new HttpClient();
        var limiter = Sys.ActorOf(RateLimiter.Props(BybitVenue.Limits(MarketKind.Futures)));
        var gateway = Sys.ActorOf(RestGateway.Props(new RestClient(http, new BybitRestAdapter(venue.RestUri, Credentials)), limiter));
        var entry = Sys.ActorOf(VenueOrderEntry.Props(new BybitOrderEntryAdapter(MarketKind.Futures, leverage: 3), gateway, null));

        var ticket = new OrderTicket(new ClientOrderId("b-1"), Btc, Side.Buy, OrderType.Limit, 0.01m, 60000m);
        var first = await entry.Ask<OrderEntryProtocol.Results>(new OrderEntryProtocol.Place([ticket]), TimeSpan.FromSeconds(10));
        var accepted = Assert.IsType<OrderAccepted>(Assert.Single(first.Items));
        var again = await entry.Ask<OrderEntryProtocol.Results>(new OrderEntryProtocol.Place([ticket]), TimeSpan.FromSeconds(10));
        Assert.Equal("110072", Assert.IsType<ApiError>(Assert.IsType<OrderRejected>(Assert.Single(again.Items)).Error).VenueCode);
        var second = await entry.Ask<OrderEntryProtocol.Results>(new OrderEntryProtocol.Place([new OrderTicket(new ClientOrderId("b-2"), Btc, Side.Sell, OrderType.Market, 0.01m)]), TimeSpan.FromSeconds(10));
        Assert.IsType<OrderAccepted>(Assert.Single(second.Items));

        Assert.Equal((2, 1), (account.Placements, account.LeverageChanges));
        var paths = venue.Rest.LogEntries.Select(e => e.RequestMessage.Path).ToArray();
        Assert.Equal(1, paths.Count(p => p == "/v5/position/set-leverage"));
        Assert.True(Array.IndexOf(paths, "/v5/position/set-leverage") < Array.IndexOf(paths, "/v5/order/create"));
        Assert.Contains("""{"category":"linear","symbol":"BTCUSDT","buyLeverage":"3","sellLeverage":"3"}""", venue.SignedPayloads);

        var order = await entry.Ask<OrderEntryProtocol.OrderQueryAnswer>(new OrderEntryProtocol.QueryOrder(new ClientOrderId("b-1"), Btc), TimeSpan.FromSeconds(10));
        Assert.Equal(new VenueOrderReport(new ClientOrderId("b-1"), accepted.VenueOrderId!, Btc, OrderLifecycle.Acknowledged, 0.01m, 0m), order.Report);
        var unknown = await entry.Ask<OrderEntryProtocol.OrderQueryAnswer>(new OrderEntryProtocol.QueryOrder(new ClientOrderId("never-sent"), Btc), TimeSpan.FromSeconds(10));
        Assert.Equal((null, null), (unknown.Report, unknown.Error));

        var cancelUnknown = await entry.Ask<OrderEntryProtocol.Results>(new OrderEntryProtocol.Cancel([new CancelTicket(new ClientOrderId("never-sent"), Btc)]), TimeSpan.FromSeconds(10));
        Assert.Equal("110001", Assert.IsType<ApiError>(Assert.IsType<OrderRejected>(Assert.Single(cancelUnknown.Items)).Error).VenueCode);
    }

    [Fact]
    public async Task Too_many_visits_waits_for_the_windows_reset_and_an_ip_over_its_limit_sends_nothing_for_ten_minutes()
    {
        await using var venue = await FakeBybitVenue.StartAsync();
        var reset = () => (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 800).ToString(System.Globalization.CultureInfo.InvariantCulture);
        venue.Rest.Given(Request.Create().WithPath("/v5/market/tickers").UsingGet()).InScenario("throttle").WillSetStateTo("open")
            .RespondWith(Response.Create().WithCallback(_ => new WireMock.ResponseMessage
            {
                StatusCode = 200,
                Headers = new Dictionary<string, WireMock.Types.WireMockList<string>>
                {
                    ["Content-Type"] = new("application/json"),
                    ["X-Bapi-Limit"] = new("10"),
                    ["X-Bapi-Limit-Status"] = new("0"),
                    ["X-Bapi-Limit-Reset-Timestamp"] = new(reset()),
                },
                BodyData = new WireMock.Util.BodyData { BodyAsString = FakeBybitVenue.Envelope("{}", 10006, "Too many visits!"), DetectedBodyType = WireMock.Types.BodyType.String },
            }));
        venue.Rest.Given(Request.Create().WithPath("/v5/market/tickers").UsingGet()).InScenario("throttle").WhenStateIs("open")
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json")
                .WithBody(FakeBybitVenue.Envelope("""{"category":"linear","list":[{"symbol":"BTCUSDT","lastPrice":"60000.5","bid1Price":"60000.4","bid1Size":"1","ask1Price":"60000.6","ask1Size":"2"}]}""")));
        venue.Rest.Given(Request.Create().WithPath("/v5/market/orderbook").UsingGet()).RespondWith(Response.Create().WithStatusCode(403).WithBody("403 Forbidden"));
        using var http = new HttpClient();
        var limiter = Sys.ActorOf(RateLimiter.Props(BybitVenue.Limits(MarketKind.Futures)));
        var gateway = Sys.ActorOf(RestGateway.Props(new RestClient(http, new BybitRestAdapter(venue.RestUri)), limiter));
        var market = new BybitMarketData(new GatewayRestExecutor(gateway, TimeSpan.FromSeconds(20)), MarketKind.Futures);

        var started = DateTimeOffset.UtcNow;
        var ticker = Assert.Single(await market.GetTickersAsync("BTCUSDT"));
        Assert.Equal((60000.4m, 60000.6m), (ticker.Bid1Price!.Value, ticker.Ask1Price!.Value));
        Assert.True(DateTimeOffset.UtcNow - started >= TimeSpan.FromMilliseconds(600), "the retry waited for the window's reset");

        var banned = await Assert.ThrowsAsync<ExchangeException>(() => market.GetOrderBookAsync("BTCUSDT"));
        Assert.True(Assert.IsType<IpBannedError>(banned.Error).RetryAfter >= TimeSpan.FromMinutes(10));
        var refused = await Assert.ThrowsAsync<ExchangeException>(() => market.GetTickersAsync("BTCUSDT"));
        Assert.IsType<IpBannedError>(refused.Error);
        Assert.Single(venue.Rest.LogEntries, e => e.RequestMessage.Path == "/v5/market/orderbook");   // never retried into the pause
        Assert.Equal(2, venue.Rest.LogEntries.Count(e => e.RequestMessage.Path == "/v5/market/tickers"));   // nothing sent during it
    }
}
