using ActorTrading.Core.Adapters;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Exchanges;
using ActorTrading.Exchanges.KuCoin.Rest;
using ActorTrading.Runtime.Books;
using ActorTrading.Runtime.Bus;
using ActorTrading.Runtime.Feeds;
using ActorTrading.Runtime.Orders;
using ActorTrading.Runtime.Rest;
using ActorTrading.Runtime.Venues;
using ActorTrading.Simulator;
using ActorTrading.TestExchange;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Xunit;

namespace ActorTrading.Runtime.Tests;

public sealed class ExchangeSupervisorSpecs : TestKit
{
    private static VenueDefinition Definition(Uri restBase, bool orders = false)
    {
        var module = ExchangeCatalog.Find("kucoin", Core.Ids.MarketKind.Futures);
        var endpoints = new VenueEndpoints(restBase);
        var symbols = new[] { new Core.Ids.Symbol("XBTUSDTM"), new Core.Ids.Symbol("ETHUSDTM") };
        var rest = orders ? new KuCoinRestAdapter(restBase, TradingSocketVenue.Credentials) : module.CreateRestAdapter(endpoints);
        return new VenueDefinition(module.CreateFeedAdapter(endpoints), rest, module.Limits,
            symbols.SelectMany(s => new[] { new Subscription(DataChannel.BookDelta, s), new Subscription(DataChannel.Trades, s) }).ToArray(),
            symbols, new FeedSettings(), new OrderBookSettings(), new RestClientOptions(),
            OrderEntry: orders ? ((IOrderEntryModule)module).CreateOrderEntry(new OrderEntryOptions(Leverage: 2)) : null);
    }

    [Fact]
    public async Task Order_commands_sent_to_the_venue_reach_its_order_entry_or_are_refused_when_it_is_off()
    {
        // Market data is not the point here: the feeds may fail against this REST-only venue.
        using var orders = new FakeKuCoinRest();
        using var http = new HttpClient();
        var ticket = new OrderTicket(new Core.Ids.ClientOrderId("sup-1"), new Core.Ids.Symbol("XBTUSDTM"), Side.Sell, OrderType.Limit, 3, 70000m);

        var bus = new LocalMarketDataBus(Sys);
        var off = Sys.ActorOf(ExchangeSupervisor.Props(Definition(orders.BaseUri), bus, http), "kucoin-futures-off");
        var refused = await off.Ask<OrderEntryProtocol.Results>(new OrderEntryProtocol.Place([ticket]), TimeSpan.FromSeconds(5));
        Assert.Equal("configuration: kucoin-futures: order entry is not enabled (Orders.Enabled in the venue's config)",
            Assert.IsType<OrderRejected>(Assert.Single(refused.Items)).Error.ToString());

        orders.ServeJson("/api/v1/orders", """{"code":"200000","data":{"orderId":"234125150956625920","clientOid":"sup-1"}}""");
        var on = Sys.ActorOf(ExchangeSupervisor.Props(Definition(orders.BaseUri, orders: true), bus, http), "kucoin-futures-on");
        var placed = await on.Ask<OrderEntryProtocol.Results>(new OrderEntryProtocol.Place([ticket]), TimeSpan.FromSeconds(10));
        Assert.Equal(new OrderAccepted(new Core.Ids.ClientOrderId("sup-1"), "234125150956625920"), Assert.Single(placed.Items));
        var sent = Assert.Single(orders.Server.LogEntries, e => e.RequestMessage.Path == "/api/v1/orders");
        Assert.Equal("""{"clientOid":"sup-1","side":"sell","symbol":"XBTUSDTM","leverage":2,"type":"limit","price":"70000","size":3,"timeInForce":"GTC"}""", sent.RequestMessage.Body);
    }

    [Fact]
    public async Task Runs_the_feed_and_keeps_every_configured_book_synced()
    {
        await using var venue = await SimulatedKuCoinFutures.StartAsync(TimeSpan.FromMilliseconds(20));
        using var http = new HttpClient();
        var bus = new LocalMarketDataBus(Sys);
        var supervisor = Sys.ActorOf(ExchangeSupervisor.Props(Definition(venue.RestBaseUri), bus, http), "kucoin-futures");

        await AwaitAssertAsync(async () =>
        {
            var status = await supervisor.Ask<ExchangeSupervisorProtocol.VenueStatus>(ExchangeSupervisorProtocol.GetStatus.Instance, TimeSpan.FromSeconds(5));
            var feed = Assert.Single(status.Feeds);
            Assert.Equal(FeedConnectionProtocol.State.Streaming, feed.State);
            Assert.Equal(4, feed.Subscriptions);
            Assert.Equal(2, status.Books.Count);
            Assert.All(status.Books, b =>
            {
                Assert.Equal(BookHealth.Synced, b.Health);
                Assert.True(b.Bids[0].Price < b.Asks[0].Price);
                Assert.True(b.Sequence > 1_000_000);
            });
        }, TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task A_feed_that_stops_for_authentication_is_reported_not_restarted()
    {
        // A feed on the account's keys: a refused key is final (a public feed would only wait and ask again).
        using var rest = new FakeKuCoinRest();
        rest.ServeJson("/api/v1/bullet-private", """{"code":"400003","msg":"KC-API-KEY not exists."}""", status: 401);
        using var http = new HttpClient();
        var definition = Definition(rest.BaseUri) with
        {
            Feed = new Exchanges.KuCoin.Ws.KuCoinFeedAdapter(isPrivate: true),
            Rest = new KuCoinRestAdapter(rest.BaseUri, TradingSocketVenue.Credentials),
        };
        var supervisor = Sys.ActorOf(ExchangeSupervisor.Props(definition, new LocalMarketDataBus(Sys), http), "kucoin-futures");

        await AwaitAssertAsync(async () =>
        {
            var status = await supervisor.Ask<ExchangeSupervisorProtocol.VenueStatus>(ExchangeSupervisorProtocol.GetStatus.Instance, TimeSpan.FromSeconds(5));
            Assert.Equal("authentication: KC-API-KEY not exists.", status.StoppedReason);
            Assert.Empty(status.Feeds);
        }, TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(200));
        await Task.Delay(500);
        Assert.Single(rest.Server.LogEntries, e => e.RequestMessage.Path == "/api/v1/bullet-private");
    }
}
