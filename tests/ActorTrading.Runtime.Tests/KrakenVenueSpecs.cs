using ActorTrading.Core.Adapters;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges;
using ActorTrading.Runtime.Books;
using ActorTrading.Runtime.Bus;
using ActorTrading.Runtime.Feeds;
using ActorTrading.Runtime.Rest;
using ActorTrading.Runtime.Venues;
using ActorTrading.TestExchange;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Xunit;

namespace ActorTrading.Runtime.Tests;

/// <summary>Kraken Spot through the node's own actors, against the fake venue on loopback.</summary>
public sealed class KrakenVenueSpecs : TestKit
{
    private static readonly Symbol Btc = new("BTC/USD");

    private static FeedSettings Fast => new()
    {
        BackoffMin = TimeSpan.FromMilliseconds(100),
        BackoffMax = TimeSpan.FromMilliseconds(500),
        Jitter = 0,
    };

    private static VenueDefinition Definition(FakeKrakenVenue venue, Subscription[] subscriptions, Subscription[]? privateSubscriptions = null)
    {
        var module = (IPrivateVenueModule)ExchangeCatalog.Find("kraken", MarketKind.Spot);
        var endpoints = new VenueEndpoints(venue.RestUri, venue.StreamBase);
        var environment = (string name) => name == "KRAKEN_API_KEY" ? FakeKrakenVenue.ApiKey : name == "KRAKEN_API_SECRET" ? FakeKrakenVenue.Secret : null;
        return new VenueDefinition(module.CreateFeedAdapter(endpoints), module.CreateSignedRestAdapter(endpoints, environment), module.Limits,
            subscriptions, subscriptions.Where(s => s.Channel == DataChannel.BookDelta).Select(s => s.Symbol).Distinct().ToArray(),
            Fast, new OrderBookSettings { ResubscribeWait = TimeSpan.FromSeconds(2) }, new RestClientOptions { BaseDelay = TimeSpan.FromMilliseconds(20) },
            privateSubscriptions is null ? null : module.CreatePrivateFeedAdapter(endpoints, environment), privateSubscriptions);
    }

    private static async Task<OrderBookProtocol.BookView> Book(IActorRef supervisor) =>
        await supervisor.Ask<OrderBookProtocol.BookView>(new ExchangeSupervisorProtocol.GetBook(Btc, 5), TimeSpan.FromSeconds(3));

    [Fact]
    public async Task A_book_syncs_after_the_instrument_channel_follows_checked_updates_and_a_checksum_mismatch_subscribes_again()
    {
        await using var venue = await FakeKrakenVenue.StartAsync();
        venue.SetBook("BTC/USD", [(30000.0m, 1m), (29999.5m, 2m), (29999.0m, 3m)], [(30000.5m, 1.5m), (30001.0m, 2.5m)]);
        using var http = new HttpClient();
        var supervisor = Sys.ActorOf(ExchangeSupervisor.Props(Definition(venue,
            [new Subscription(DataChannel.BookDelta, Btc), new Subscription(DataChannel.Trades, Btc)]), new LocalMarketDataBus(Sys), http), "kraken-spot");

        await AwaitAssertAsync(async () =>
        {
            Assert.Equal(["/v2"], venue.Ws.Paths);
            Assert.Equal([("subscribe", "instrument", null), ("subscribe", "book", "BTC/USD"), ("subscribe", "trade", "BTC/USD")],
                venue.Requests.Select(r => (r.Method, r.Channel, r.Symbol)).ToArray());
            var view = await Book(supervisor);
            Assert.Equal((BookHealth.Synced, 1L), (view.Health, view.Sequence));
            Assert.Equal([new BookLevel(30000.0m, 1m), new BookLevel(29999.5m, 2m), new BookLevel(29999.0m, 3m)], view.Bids);
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));

        await venue.PushBookUpdateAsync("BTC/USD", [(29999.5m, 0m), (30000.1m, 0.7m)], [(30000.5m, 1.2m)]);
        await AwaitAssertAsync(async () =>
        {
            var view = await Book(supervisor);
            Assert.Equal((BookHealth.Synced, 2L), (view.Health, view.Sequence));
            Assert.Equal([new BookLevel(30000.1m, 0.7m), new BookLevel(30000.0m, 1m), new BookLevel(29999.0m, 3m)], view.Bids);
            Assert.Equal([new BookLevel(30000.5m, 1.2m), new BookLevel(30001.0m, 2.5m)], view.Asks);
        }, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100));

        // The venue's checksum disagrees with the book: the book subscribes again and syncs from the new snapshot.
        await venue.PushBookUpdateAsync("BTC/USD", [(29998.0m, 4m)], [], wrongChecksum: true);
        await AwaitAssertAsync(async () =>
        {
            Assert.Equal([("unsubscribe", "book"), ("subscribe", "book")], venue.Requests.Skip(3).Select(r => (r.Method, r.Channel)).ToArray());
            var view = await Book(supervisor);
            Assert.Equal((BookHealth.Synced, 1), (view.Health, view.Resyncs));
            Assert.Equal([new BookLevel(30000.1m, 0.7m), new BookLevel(30000.0m, 1m), new BookLevel(29999.0m, 3m), new BookLevel(29998.0m, 4m)], view.Bids);
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task The_private_stream_takes_a_new_token_from_signed_rest_on_every_connect()
    {
        await using var venue = await FakeKrakenVenue.StartAsync();
        using var http = new HttpClient();
        var orders = new Subscription(DataChannel.Orders, Btc);
        var balances = new Subscription(DataChannel.Balances, new Symbol("*"));
        Sys.ActorOf(ExchangeSupervisor.Props(Definition(venue, [new Subscription(DataChannel.Trades, Btc)], [orders, balances]), new LocalMarketDataBus(Sys), http), "kraken-private");

        await AwaitAssertAsync(() =>
        {
            var token = Assert.Single(venue.Tokens);
            var subscriptions = venue.Requests.Where(r => r.Token is not null).ToArray();
            Assert.Equal(["balances", "executions"], subscriptions.Select(r => r.Channel).Order());
            Assert.All(subscriptions, r => Assert.Equal(token, r.Token));
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));

        venue.Ws.DropAll();

        await AwaitAssertAsync(() =>
        {
            Assert.Equal(2, venue.Tokens.Count);
            var second = venue.Tokens[1];
            Assert.Equal(2, venue.Requests.Count(r => r.Token == second));
            Assert.All(venue.Signed, s => Assert.Equal("/0/private/GetWebSocketsToken", s.Path));
            Assert.True(long.Parse(venue.Signed[1].Form["nonce"]) > long.Parse(venue.Signed[0].Form["nonce"]));
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task A_nonce_the_venue_refuses_syncs_the_clock_and_the_request_goes_again_with_a_higher_one()
    {
        await using var venue = await FakeKrakenVenue.StartAsync();
        var account = new FakeKrakenAccount(venue);
        var now = DateTimeOffset.UtcNow;
        venue.ClockAhead = TimeSpan.FromSeconds(30);
        venue.RaiseNonceFloor((now + TimeSpan.FromSeconds(20)).ToUnixTimeMilliseconds() * 1000);   // another client of the key went ahead
        using var http = new HttpClient();
        var module = (IPrivateVenueModule)ExchangeCatalog.Find("kraken", MarketKind.Spot);
        var adapter = module.CreateSignedRestAdapter(new VenueEndpoints(venue.RestUri), name => KrakenNodeCredentials(name));
        var rest = new RestClient(http, adapter, new RestClientOptions { BaseDelay = TimeSpan.FromMilliseconds(20) }, TimeProvider.System);

        var balances = await rest.SendAsync(Exchanges.Kraken.Rest.KrakenOrderRequests.Balance(), CancellationToken.None);

        Assert.Equal("10000.0000", balances.GetProperty("ZUSD").GetString());
        Assert.InRange(rest.ClockOffset, TimeSpan.FromSeconds(28), TimeSpan.FromSeconds(32));
        var nonce = long.Parse(Assert.Single(venue.Signed).Form["nonce"]);
        Assert.True(nonce > (now + TimeSpan.FromSeconds(20)).ToUnixTimeMilliseconds() * 1000);
        Assert.Equal(0, account.Placements);
    }

    private static string? KrakenNodeCredentials(string name) => name == "KRAKEN_API_KEY" ? FakeKrakenVenue.ApiKey : name == "KRAKEN_API_SECRET" ? FakeKrakenVenue.Secret : null;
}
