using ActorTrading.Core.Adapters;
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

public sealed class ExchangeSupervisorSpecs : TestKit
{
    private static VenueDefinition Definition(Uri restBase)
    {
        var module = ExchangeCatalog.Find("kucoin", Core.Ids.MarketKind.Futures);
        var endpoints = new VenueEndpoints(restBase);
        var symbols = new[] { new Core.Ids.Symbol("XBTUSDTM"), new Core.Ids.Symbol("ETHUSDTM") };
        return new VenueDefinition(module.CreateFeedAdapter(endpoints), module.CreateRestAdapter(endpoints), module.Quotas, module.QuotaWindow,
            symbols.SelectMany(s => new[] { new Subscription(DataChannel.BookDelta, s), new Subscription(DataChannel.Trades, s) }).ToArray(),
            symbols, new FeedSettings(), new OrderBookSettings(), new RestClientOptions());
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
        using var rest = new FakeKuCoinRest();
        rest.ServeJson("/api/v1/bullet-public", """{"code":"400003","msg":"KC-API-KEY not exists."}""", status: 401);
        using var http = new HttpClient();
        var supervisor = Sys.ActorOf(ExchangeSupervisor.Props(Definition(rest.BaseUri), new LocalMarketDataBus(Sys), http), "kucoin-futures");

        await AwaitAssertAsync(async () =>
        {
            var status = await supervisor.Ask<ExchangeSupervisorProtocol.VenueStatus>(ExchangeSupervisorProtocol.GetStatus.Instance, TimeSpan.FromSeconds(5));
            Assert.Equal("authentication: KC-API-KEY not exists.", status.StoppedReason);
            Assert.Empty(status.Feeds);
        }, TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(200));
        await Task.Delay(500);
        Assert.Single(rest.Server.LogEntries, e => e.RequestMessage.Path == "/api/v1/bullet-public");
    }
}
