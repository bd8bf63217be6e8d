using System.Text;
using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges;
using ActorTrading.Runtime.Books;
using ActorTrading.Runtime.Bus;
using ActorTrading.Runtime.Capture;
using ActorTrading.Runtime.Feeds;
using ActorTrading.Runtime.Replay;
using ActorTrading.Runtime.Rest;
using ActorTrading.Runtime.Venues;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using Xunit;
using Xunit.Abstractions;

namespace ActorTrading.Runtime.Tests;

/// <summary>The replay pump on a real actor system with the replay mailboxes and virtual scheduler, books from the capture.</summary>
[Collection(QuiescenceCollection.Name)]
public sealed class ReplaySpecs(ITestOutputHelper output) : TestKit(ReplaySettings.Hocon.WithFallback(ConfigurationFactory.ParseString("akka.loglevel = INFO")), output: output), IDisposable
{
    private static readonly Symbol Xbt = new("XBTUSDTM");
    private readonly string _dir = Directory.CreateTempSubdirectory("actortrading-replay-").FullName;

    [Fact]
    public async Task A_reconnect_in_the_capture_resyncs_the_book_from_the_next_captured_snapshot()
    {
        var snapshot = RestRequest.Get("/api/v1/level2/snapshot", "public", 1, ("symbol", "XBTUSDTM"));
        using (var capture = new CaptureWriter(_dir))
        {
            capture.Rest(VenueId.KuCoin, MarketKind.Futures, 1000, snapshot, Json("""{"sequence":16,"symbol":"XBTUSDTM","bids":[["3988.51",56]],"asks":[["3988.59",3],["3988.61",32]],"ts":1729168101216000000}"""));
            capture.Frame(VenueId.KuCoin, MarketKind.Futures, "public", 1, 1001, Delta(17, "3988.50,buy,44"));
            capture.Frame(VenueId.KuCoin, MarketKind.Futures, "public", 1, 1002, Delta(18, "3988.59,sell,0"));
            capture.Frame(VenueId.KuCoin, MarketKind.Futures, "public", 2, 2000, Delta(41, "3990.70,sell,5"));
            capture.Rest(VenueId.KuCoin, MarketKind.Futures, 2001, snapshot, Json("""{"sequence":40,"symbol":"XBTUSDTM","bids":[["3990.00",1]],"asks":[["3990.50",2]],"ts":1729168102000000000}"""));
            capture.Frame(VenueId.KuCoin, MarketKind.Futures, "public", 2, 2002, Delta(42, "3990.10,buy,7"));
        }

        var venue = Definition();
        var bus = new LocalMarketDataBus(Sys);
        var book = CreateTestProbe();
        bus.Subscribe(book, TopicFilter.Parse("kucoin.futures/book/XBTUSDTM"));
        var clock = new ReplayClock(DateTimeOffset.FromUnixTimeMilliseconds(1000));
        var rest = CaptureReader.Read(_dir).Where(r => r.Kind == CaptureKind.Rest).ToArray();
        Sys.ActorOf(ReplayExchanges.Props([venue], bus, rest, clock), "exchanges");
        // The book runs (and listens to the bus) before the first frame, as the node's replay runner makes sure.
        var starting = book.ExpectMsg<BookHealthChanged>(TimeSpan.FromSeconds(10));
        Assert.Equal((BookHealth.Resyncing, "starting"), (starting.Health, starting.Reason));

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var done = await new ReplayPump(Sys, [venue], bus, clock, new ReplaySettings(_dir, null)).RunAsync(deadline.Token);

        Assert.Equal((4L, 0L), (done.Frames, done.Errors));
        var events = book.ReceiveWhile<object>(TimeSpan.FromMilliseconds(500), m => m);
        var health = events.OfType<BookHealthChanged>().Select(h => (h.Health, h.Reason)).ToArray();
        Assert.Equal([(BookHealth.Synced, "snapshot applied"), (BookHealth.Resyncing, "feed reconnected"), (BookHealth.Synced, "snapshot applied")], health);
        var top = events.OfType<BookTop>().Last();
        Assert.Equal((new BookLevel(3990.10m, 7), new BookLevel(3990.50m, 2), 42L), (top.BestBid!.Value, top.BestAsk!.Value, top.Sequence));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(2002), clock.Now);
    }

    public new void Dispose()
    {
        Directory.Delete(_dir, recursive: true);
        base.Dispose();
    }

    private static byte[] Delta(long sequence, string change) => Encoding.UTF8.GetBytes(
        $$$"""{"topic":"/contractMarket/level2:XBTUSDTM","type":"message","subject":"level2","sn":{{{sequence}}},"data":{"sequence":{{{sequence}}},"change":"{{{change}}}","timestamp":1729168101300}}""");

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    private static VenueDefinition Definition()
    {
        var module = ExchangeCatalog.Find("kucoin", MarketKind.Futures);
        var endpoints = new VenueEndpoints(new Uri("http://127.0.0.1:1/"));
        return new VenueDefinition(module.CreateFeedAdapter(endpoints), module.CreateRestAdapter(endpoints), module.Limits,
            [new Subscription(DataChannel.BookDelta, Xbt)], [Xbt], new FeedSettings(), new OrderBookSettings(), new RestClientOptions());
    }
}
