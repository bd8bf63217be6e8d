using ActorTrading.Core.Adapters;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges;
using ActorTrading.Exchanges.CryptoCom.Auth;
using ActorTrading.Exchanges.CryptoCom.Ws;
using ActorTrading.Runtime.Books;
using ActorTrading.Runtime.Bus;
using ActorTrading.Runtime.Feeds;
using ActorTrading.Runtime.Orders;
using ActorTrading.Runtime.Rest;
using ActorTrading.Runtime.Venues;
using ActorTrading.TestExchange;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Xunit;

namespace ActorTrading.Runtime.Tests;

/// <summary>Crypto.com Exchange through the node's own actors, against the fake venue on loopback.</summary>
public sealed class CryptoComVenueSpecs : TestKit
{
    private static readonly Symbol Btc = new("BTC_USDT");

    private static FeedSettings Fast => new()
    {
        BackoffMin = TimeSpan.FromMilliseconds(100),
        BackoffMax = TimeSpan.FromMilliseconds(500),
        Jitter = 0,
    };

    private static VenueDefinition Definition(FakeCryptoComVenue venue, Subscription[] subscriptions, Subscription[]? privateSubscriptions = null)
    {
        var module = (IPrivateVenueModule)ExchangeCatalog.Find("cryptocom", MarketKind.Spot);
        var endpoints = new VenueEndpoints(venue.RestUri, venue.StreamBase);
        var environment = (string name) => name == "CRYPTOCOM_API_KEY" ? FakeCryptoComVenue.ApiKey : name == "CRYPTOCOM_API_SECRET" ? FakeCryptoComVenue.Secret : null;
        return new VenueDefinition(module.CreateFeedAdapter(endpoints), module.CreateSignedRestAdapter(endpoints, environment), module.Limits,
            subscriptions, subscriptions.Where(s => s.Channel == DataChannel.BookDelta).Select(s => s.Symbol).Distinct().ToArray(),
            Fast, new OrderBookSettings { ResubscribeWait = TimeSpan.FromSeconds(3) }, new RestClientOptions { BaseDelay = TimeSpan.FromMilliseconds(20) },
            privateSubscriptions is null ? null : module.CreatePrivateFeedAdapter(endpoints, environment), privateSubscriptions);
    }

    private static string Snapshot(long u, string bids, string asks) =>
        $$$"""{"id":-1,"method":"subscribe","code":0,"result":{"instrument_name":"BTC_USDT","subscription":"book.BTC_USDT.10","channel":"book","depth":10,"data":[{"bids":{{{bids}}},"asks":{{{asks}}},"t":1704484068000,"tt":1704484068000,"u":{{{u}}}}]}}""";

    private static string Update(long u, long pu, string bids, string asks) =>
        $$$"""{"id":-1,"method":"subscribe","code":0,"result":{"instrument_name":"BTC_USDT","subscription":"book.BTC_USDT.10","channel":"book.update","depth":10,"data":[{"update":{"bids":{{{bids}}},"asks":{{{asks}}}},"t":1704484068898,"tt":1704484068892,"u":{{{u}}},"pu":{{{pu}}}}]}}""";

    private static async Task<OrderBookProtocol.BookView> Book(IActorRef supervisor) =>
        await supervisor.Ask<OrderBookProtocol.BookView>(new ExchangeSupervisorProtocol.GetBook(Btc, 5), TimeSpan.FromSeconds(3));

    [Fact]
    public async Task A_book_syncs_after_the_second_the_venue_asks_for_follows_its_chain_and_a_break_subscribes_again()
    {
        await using var venue = await FakeCryptoComVenue.StartAsync();
        var snapshots = 0;
        venue.BookSnapshot = _ => ++snapshots == 1
            ? Snapshot(100, """[["60000.0","1","1"],["59999.5","2","1"]]""", """[["60000.5","1","1"]]""")
            : Snapshot(205, """[["60000.1","4","1"]]""", """[["60000.6","3","1"]]""");
        using var http = new HttpClient();
        var supervisor = Sys.ActorOf(ExchangeSupervisor.Props(Definition(venue,
            [new Subscription(DataChannel.BookDelta, Btc, "10"), new Subscription(DataChannel.Trades, Btc)]), new LocalMarketDataBus(Sys), http), "cryptocom-spot");

        await AwaitAssertAsync(async () =>
        {
            Assert.Equal(["/exchange/v1/market"], venue.Ws.Paths);
            var view = await Book(supervisor);
            Assert.Equal((BookHealth.Synced, 100L), (view.Health, view.Sequence));
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));

        // Nothing was sent within the second after the connection opened.
        Assert.True(venue.Requests[0].At - venue.Opened[0] >= TimeSpan.FromMilliseconds(950), $"first request {(venue.Requests[0].At - venue.Opened[0]).TotalMilliseconds} ms after open");
        Assert.Equal(["book.BTC_USDT.10", "trade.BTC_USDT"], venue.Requests.Where(r => r.Method == "subscribe").SelectMany(r => r.Channels).Order());

        await venue.PushMarketAsync(Update(101, 100, """[["59999.5","0","0"]]""", """[["60001.0","2","1"]]"""));
        await venue.PushMarketAsync(Update(102, 101, "[]", "[]"));   // nothing changed: the chain moves on
        await AwaitAssertAsync(async () =>
        {
            var view = await Book(supervisor);
            Assert.Equal((BookHealth.Synced, 102L), (view.Health, view.Sequence));
            Assert.Equal([new BookLevel(60000.0m, 1m)], view.Bids);
            Assert.Equal([new BookLevel(60000.5m, 1m), new BookLevel(60001.0m, 2m)], view.Asks);
        }, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100));

        // An update that names an update the book never saw: the chain is broken, the book subscribes again.
        await venue.PushMarketAsync(Update(110, 109, """[["59990.0","5","1"]]""", "[]"));
        await AwaitAssertAsync(async () =>
        {
            Assert.Equal(["subscribe", "unsubscribe", "subscribe"], venue.Requests.Where(r => r.Channels.Contains("book.BTC_USDT.10")).Select(r => r.Method));
            var view = await Book(supervisor);
            Assert.Equal((BookHealth.Synced, 205L, 1), (view.Health, view.Sequence, view.Resyncs));
            Assert.Equal([new BookLevel(60000.1m, 4m)], view.Bids);
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task Heartbeats_are_answered_with_their_id_and_a_lost_answer_closes_the_connection_which_comes_back()
    {
        await using var venue = await FakeCryptoComVenue.StartAsync();
        using var http = new HttpClient();
        Sys.ActorOf(ExchangeSupervisor.Props(Definition(venue, [new Subscription(DataChannel.Trades, Btc)]), new LocalMarketDataBus(Sys), http), "cryptocom-heartbeat");
        await AwaitAssertAsync(() => Assert.Contains(venue.Requests, r => r.Method == "subscribe"), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));

        await venue.HeartbeatAsync("/exchange/v1/market", 1587523073344, TimeSpan.FromSeconds(2));
        await AwaitAssertAsync(() => Assert.Contains(1587523073344L, venue.AnsweredHeartbeats), TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(50));

        venue.LoseHeartbeatAnswers = true;
        await venue.HeartbeatAsync("/exchange/v1/market", 1587523073345, TimeSpan.FromMilliseconds(500));
        await AwaitAssertAsync(() =>
        {
            Assert.Equal(2, venue.Ws.Paths.Count);
            Assert.Equal(2, venue.Requests.Count(r => r.Method == "subscribe"));   // the new connection subscribed again
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task The_user_stream_logs_in_before_subscribing_and_a_refused_login_stops_it()
    {
        await using var venue = await FakeCryptoComVenue.StartAsync();
        using var http = new HttpClient();
        var orders = new Subscription(DataChannel.Orders, Btc);
        var balances = new Subscription(DataChannel.Balances, new Symbol("*"));
        Sys.ActorOf(ExchangeSupervisor.Props(Definition(venue, [new Subscription(DataChannel.Trades, Btc)], [orders, balances]), new LocalMarketDataBus(Sys), http), "cryptocom-user");

        await AwaitAssertAsync(() =>
        {
            var user = venue.Requests.Where(r => r.Method == "public/auth" || r.Channels.Any(c => c.StartsWith("user.", StringComparison.Ordinal))).ToArray();
            Assert.Equal("public/auth", user[0].Method);
            Assert.Equal(["user.balance", "user.order.BTC_USDT", "user.trade.BTC_USDT"], user.Skip(1).SelectMany(r => r.Channels).Order());
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));

        venue.AcceptLogins = false;
        venue.Ws.DropAll();
        await Task.Delay(3000);
        var logins = venue.Requests.Count(r => r.Method == "public/auth");
        Assert.Equal(2, logins);   // refused once: the feed stopped instead of trying again and again
    }

    [Fact]
    public async Task The_order_socket_waits_the_venues_second_logs_in_answers_heartbeats_and_carries_orders_and_a_refused_login_stops_it()
    {
        await using var venue = await FakeCryptoComVenue.StartAsync();
        var account = new FakeCryptoComAccount(venue);
        var socket = new CryptoComTradingSocket(MarketKind.Spot, new CryptoComCredentials(FakeCryptoComVenue.ApiKey, FakeCryptoComVenue.Secret), venue.StreamBase);
        var client = Sys.ActorOf(WsOrderClient.Props(socket, new WsOrderSettings { BackoffMin = TimeSpan.FromMilliseconds(50), Jitter = 0 }), "cryptocom-orders");

        var order = """{"instrument_name":"BTC_USDT","side":"BUY","type":"LIMIT","price":"60000.5","quantity":"0.01","client_oid":"c-1","time_in_force":"GOOD_TILL_CANCEL"}""";
        var accepted = Assert.IsType<WsOrderProtocol.Accepted>(await client.Ask<WsOrderProtocol.Outcome>(new WsOrderProtocol.Send("private/create-order", order, "c-1"), TimeSpan.FromSeconds(10)));
        Assert.Equal(("c-1", "6530219466236720001"), (accepted.Data.GetProperty("client_oid").GetString(), accepted.Data.GetProperty("order_id").GetString()));
        Assert.Equal(1, account.Placements);
        Assert.Equal(("private/create-order", order), Assert.Single(venue.SocketCalls));

        // Nothing before the venue's second; the login first, then the order.
        var requests = venue.Requests;
        Assert.Equal(["public/auth", "private/create-order"], requests.Select(r => r.Method));
        Assert.True(requests[0].At - venue.Opened[0] >= TimeSpan.FromMilliseconds(950), $"login {(requests[0].At - venue.Opened[0]).TotalMilliseconds} ms after connecting");

        await venue.HeartbeatAsync("/exchange/v1/user", 1587523073399, TimeSpan.FromSeconds(2));
        await AwaitAssertAsync(() => Assert.Contains(1587523073399L, venue.AnsweredHeartbeats), TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(50));

        // A second placement of the same client_oid is the venue's refusal, with its code.
        var duplicate = Assert.IsType<WsOrderProtocol.Rejected>(await client.Ask<WsOrderProtocol.Outcome>(new WsOrderProtocol.Send("private/create-order", order, "c-1"), TimeSpan.FromSeconds(10)));
        Assert.Equal(new Core.Errors.ApiError("204", "DUPLICATE_CLORDID", 0), duplicate.Error);

        venue.AcceptLogins = false;
        venue.Ws.DropAll();
        await AwaitAssertAsync(async () =>
        {
            var status = await client.Ask<WsOrderProtocol.Status>(WsOrderProtocol.GetStatus.Instance, TimeSpan.FromSeconds(3));
            Assert.Equal(WsOrderProtocol.State.Stopped, status.State);
            Assert.Contains("40101", status.LastError, StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
        var refused = Assert.IsType<WsOrderProtocol.Rejected>(await client.Ask<WsOrderProtocol.Outcome>(new WsOrderProtocol.Send("private/create-order", order, "c-2"), TimeSpan.FromSeconds(10)));
        Assert.IsType<Core.Errors.AuthenticationError>(refused.Error);
        Assert.Equal(2, venue.Requests.Count(r => r.Method == "public/auth"));
    }

    [Fact]
    public async Task An_order_socket_that_hears_nothing_not_even_a_heartbeat_past_the_idle_timeout_is_replaced_by_a_new_session()
    {
        await using var venue = await FakeCryptoComVenue.StartAsync();
        var socket = new CryptoComTradingSocket(MarketKind.Spot, new CryptoComCredentials(FakeCryptoComVenue.ApiKey, FakeCryptoComVenue.Secret), venue.StreamBase);
        Sys.ActorOf(WsOrderClient.Props(socket, new WsOrderSettings { IdleTimeout = TimeSpan.FromSeconds(2), BackoffMin = TimeSpan.FromMilliseconds(50), Jitter = 0 }), "cryptocom-idle");

        await AwaitAssertAsync(() => Assert.Equal(2, venue.Requests.Count(r => r.Method == "public/auth")), TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(100));
        var opened = venue.Opened;
        Assert.True(opened[1] - opened[0] >= TimeSpan.FromSeconds(2), $"reconnected {(opened[1] - opened[0]).TotalMilliseconds} ms after the first connect");
    }
}
