using ActorTrading.Core.Adapters;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges.KuCoin.Auth;
using ActorTrading.Exchanges.KuCoin.Rest;
using ActorTrading.Exchanges.KuCoin.Ws;
using ActorTrading.Runtime.Bus;
using ActorTrading.Runtime.Feeds;
using ActorTrading.Runtime.Rest;
using ActorTrading.TestExchange;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Xunit;
using Xunit.Abstractions;

namespace ActorTrading.Runtime.Tests;

/// <summary>The KuCoin Futures private feed: signed bullet-private on every connect, private topics, token renewal.</summary>
public sealed class PrivateFeedSpecs(ITestOutputHelper output) : TestKit(output: output)
{
    private static readonly Subscription[] AccountStreams =
    [
        new(DataChannel.Orders, KuCoinFeedAdapter.AllSymbols),
        new(DataChannel.Positions, new("XBTUSDTM")),
        new(DataChannel.Balances, KuCoinFeedAdapter.AllSymbols),
    ];

    private sealed class Venue : IAsyncDisposable
    {
        public FakeWebSocketServer Ws { get; private init; } = null!;

        public FakeKuCoinRest Rest { get; private init; } = null!;

        public HttpClient Http { get; } = new();

        public static async Task<Venue> StartAsync()
        {
            var ws = await FakeWebSocketServer.StartAsync();
            return new Venue { Ws = ws, Rest = new FakeKuCoinRest().ServeBullet(ws.Uri, isPrivate: true) };
        }

        public RestClient Client() =>
            new(Http, new KuCoinRestAdapter(Rest.BaseUri, new KuCoinCredentials("key", "secret", "pass")), new RestClientOptions { MaxRetries = 1 });

        public async ValueTask DisposeAsync()
        {
            await Ws.DisposeAsync();
            Rest.Dispose();
            Http.Dispose();
        }
    }

    private (IActorRef Feed, Akka.TestKit.TestProbe Events, IMarketDataBus Bus) Start(Venue venue, FeedSettings settings) =>
        FeedHarness.StartPrivateFeed(this, venue.Client(), settings, AccountStreams);

    private static FeedSettings Fast => new()
    {
        Name = "private",
        BackoffMin = TimeSpan.FromMilliseconds(10),
        BackoffMax = TimeSpan.FromMilliseconds(50),
        StableAfter = TimeSpan.FromMilliseconds(1),
        Jitter = 0,
    };

    private static T Next<T>(Akka.TestKit.TestProbe probe) => probe.FishForMessage<T>(_ => true, TimeSpan.FromSeconds(10));

    [Fact]
    public async Task Signed_token_private_topics_and_account_events_reach_the_bus()
    {
        await using var venue = await Venue.StartAsync();
        var (_, events, bus) = Start(venue, Fast);
        var orders = CreateTestProbe();
        bus.Subscribe(orders, TopicFilter.Parse("kucoin.futures/orders/*"));
        bus.Subscribe(orders, TopicFilter.Parse("kucoin.futures/balances/*"));
        Next<FeedStreaming>(events);

        var bullet = Assert.Single(venue.Rest.Server.LogEntries).RequestMessage;
        Assert.Equal("/api/v1/bullet-private", bullet.Path);
        Assert.Equal("key", bullet.Headers!["KC-API-KEY"][0]);
        Assert.Equal(
            ["/contract/position:XBTUSDTM", "/contractAccount/wallet", "/contractMarket/tradeOrders"],
            venue.Ws.Received.Where(m => m.Type == "subscribe").Select(m => m.Topic).Order());
        Assert.All(venue.Ws.Received.Where(m => m.Type == "subscribe"), m => Assert.Contains("\"privateChannel\":true", m.Text));

        await venue.Ws.SendToAllAsync(Fixtures.KuCoin("futures_ws_contractMarket_tradeOrders"));
        await venue.Ws.SendToAllAsync(Fixtures.KuCoin("futures_ws_contractAccount_wallet"));
        Assert.Equal("247899236673269761", orders.ExpectMsg<OrderUpdate>(TimeSpan.FromSeconds(5)).OrderId);
        Assert.Equal(26.144281178m, orders.ExpectMsg<BalanceUpdate>(TimeSpan.FromSeconds(5)).Available);
    }

    [Fact]
    public async Task An_aging_connection_is_renewed_with_a_fresh_token_before_the_venue_cuts_it()
    {
        await using var venue = await Venue.StartAsync();
        var (_, events, _) = Start(venue, Fast with { MaxConnectionAge = TimeSpan.FromMilliseconds(400) });
        Next<FeedStreaming>(events);
        Assert.Equal("connection age reached 0.4 s: renewing token", Next<FeedBackoff>(events).Reason);
        Next<FeedStreaming>(events);
        Assert.Equal(["token-1", "token-2"], venue.Ws.Tokens.Take(2));
    }

    [Fact]
    public async Task A_hundred_reconnects_in_a_row_leave_one_socket_and_a_streaming_feed()
    {
        await using var venue = await Venue.StartAsync();
        var (feed, events, _) = Start(venue, Fast);
        Next<FeedStreaming>(events);
        for (var i = 0; i < 100; i++)
        {
            if (i % 2 == 0)
            {
                venue.Ws.DropAll();
            }
            else
            {
                await venue.Ws.SendToAllAsync("""{"id":"x","type":"error","code":401,"data":"token is expired"}""");
            }

            Next<FeedBackoff>(events);
            Next<FeedStreaming>(events);
        }

        var status = await feed.Ask<FeedConnectionProtocol.Status>(FeedConnectionProtocol.GetStatus.Instance, TimeSpan.FromSeconds(3));
        Assert.Equal(FeedConnectionProtocol.State.Streaming, status.State);
        Assert.Equal(101, status.Generation);
        Assert.Equal(100, status.Reconnects);
        Assert.Equal(101, venue.Ws.Tokens.Distinct().Count());
        await AwaitAssertAsync(() => Assert.Equal(1, venue.Ws.OpenConnections), TimeSpan.FromSeconds(5));
        Assert.Equal(303, venue.Ws.Received.Count(m => m.Type == "subscribe"));
    }
}
