using ActorTrading.Core.Adapters;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges.KuCoin;
using ActorTrading.Exchanges.KuCoin.Rest;
using ActorTrading.Exchanges.KuCoin.Ws;
using ActorTrading.Runtime.Bus;
using ActorTrading.Runtime.Feeds;
using ActorTrading.Runtime.Rest;
using ActorTrading.TestExchange;
using Akka.Actor;
using Akka.TestKit;

namespace ActorTrading.Runtime.Tests;

/// <summary>A real KuCoin-style venue on loopback (Kestrel WS + WireMock REST) and a bus to watch.</summary>
internal sealed class FeedHarness : IAsyncDisposable
{
    private readonly HttpClient _http = new();

    private FeedHarness(FakeWebSocketServer ws, FakeKuCoinRest rest, IMarketDataBus bus)
    {
        Ws = ws;
        Rest = rest;
        Bus = bus;
        RestClient = new RestClient(_http, new KuCoinRestAdapter(rest.BaseUri), new RestClientOptions { BaseDelay = TimeSpan.FromMilliseconds(20), MaxRetries = 1 });
    }

    public FakeWebSocketServer Ws { get; }

    public FakeKuCoinRest Rest { get; }

    public IMarketDataBus Bus { get; }

    public RestClient RestClient { get; }

    public static readonly Symbol Xbt = new("XBTUSDTM");

    public static async Task<FeedHarness> StartAsync(ActorSystem system, int pingIntervalMs = 18000, int pingTimeoutMs = 10000)
    {
        var ws = await FakeWebSocketServer.StartAsync();
        var rest = new FakeKuCoinRest().ServeBullet(ws.Uri, pingIntervalMs, pingTimeoutMs);
        return new FeedHarness(ws, rest, new LocalMarketDataBus(system, "bus-" + Guid.NewGuid().ToString("N")));
    }

    public static FeedSettings FastSettings => new()
    {
        BackoffMin = TimeSpan.FromMilliseconds(100),
        BackoffMax = TimeSpan.FromSeconds(1),
        Jitter = 0,
        ConnectTimeout = TimeSpan.FromSeconds(5),
    };

    public IActorRef StartFeed(ActorSystem system, IEnumerable<Subscription> subscriptions, FeedSettings? settings = null, MarketKind market = MarketKind.Futures) =>
        system.ActorOf(FeedConnection.Props(new KuCoinFeedAdapter(market: market), RestClient, Bus, settings ?? FastSettings, subscriptions));

    public TestProbe WatchFeedEvents(TestKitBase kit)
    {
        var probe = kit.CreateTestProbe();
        Bus.Subscribe(probe, new TopicFilter(KuCoinVenue.Id.Value, MarketKind.Futures, DataChannel.Feed, null));
        return probe;
    }

    /// <summary>A KuCoin Futures private feed (orders of every symbol unless told) on its own bus, and a probe on its feed events.</summary>
    public static (IActorRef Feed, TestProbe Events, IMarketDataBus Bus) StartPrivateFeed(
        TestKitBase kit, IRestExecutor client, FeedSettings settings, IReadOnlyCollection<Subscription>? subscriptions = null)
    {
        var bus = new LocalMarketDataBus(kit.Sys, "bus-" + Guid.NewGuid().ToString("N"));
        var events = kit.CreateTestProbe();
        bus.Subscribe(events, TopicFilter.Parse("kucoin.futures/feed/*"));
        var feed = kit.Sys.ActorOf(FeedConnection.Props(new KuCoinFeedAdapter(isPrivate: true), client, bus, settings with { Name = "private" },
            subscriptions ?? [new Subscription(DataChannel.Orders, KuCoinFeedAdapter.AllSymbols)]));
        return (feed, events, bus);
    }

    public ClientMessage[] ClientMessages(string type) => Ws.Received.Where(m => m.Type == type).OrderBy(m => m.ReceivedAt).ToArray();

    public async ValueTask DisposeAsync()
    {
        await Ws.DisposeAsync();
        Rest.Dispose();
        _http.Dispose();
    }
}
