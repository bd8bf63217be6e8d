using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Runtime.Books;
using ActorTrading.Runtime.Bus;
using ActorTrading.TestExchange;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Xunit;

namespace ActorTrading.Runtime.Tests;

public sealed class OrderBookActorSpecs : TestKit
{
    private static readonly Symbol Sym = new("XBTUSDTM");
    private readonly LocalMarketDataBus _bus;
    private readonly Akka.TestKit.TestProbe _health;
    private int _snapshotCalls;

    public OrderBookActorSpecs()
    {
        _bus = new LocalMarketDataBus(Sys);
        _health = CreateTestProbe();
        _bus.Subscribe(_health, TopicFilter.Parse("kucoin.futures/book/XBTUSDTM"));
    }

    private IActorRef StartBook(Func<int, OrderBookUpdate> snapshotFor, OrderBookSettings? settings = null) =>
        Started(Sys.ActorOf(OrderBookActor.Props(VenueId.KuCoin, MarketKind.Futures, Sym, DataChannel.BookDelta, _bus,
            (_, _) =>
            {
                var call = Interlocked.Increment(ref _snapshotCalls);
                return Task.FromResult(snapshotFor(call));
            }, settings)));

    /// <summary>Waits for the book's first health event: from then on it is subscribed to the bus.</summary>
    private IActorRef Started(IActorRef book)
    {
        var first = NextHealth();
        Assert.Equal((BookHealth.Resyncing, "starting"), (first.Health, first.Reason));
        return book;
    }

    private static Task<OrderBookProtocol.BookView> View(IActorRef book, int depth = 5) =>
        book.Ask<OrderBookProtocol.BookView>(new OrderBookProtocol.GetBook(depth), TimeSpan.FromSeconds(3));

    private BookHealthChanged NextHealth() => _health.FishForMessage<BookHealthChanged>(_ => true, TimeSpan.FromSeconds(5));

    [Fact]
    public async Task Buffers_until_the_snapshot_then_syncs_and_publishes_the_top()
    {
        var book = StartBook(_ => OrderBookSpecs.Snapshot(10, [(99m, 5m)], [(101m, 1m)]));
        _bus.Publish(OrderBookSpecs.Delta(11, 100m, 2m, bid: true));
        var synced = NextHealth();
        Assert.Equal(BookHealth.Synced, synced.Health);
        Assert.Equal(11, synced.Sequence);
        var top = _health.FishForMessage<BookTop>(_ => true);
        Assert.Equal(new BookLevel(100m, 2m), top.BestBid);
        Assert.Equal(new BookLevel(101m, 1m), top.BestAsk);

        var view = await View(book);
        Assert.Equal([new BookLevel(100m, 2m), new BookLevel(99m, 5m)], view.Bids);
        Assert.Equal(11, view.Sequence);
    }

    [Fact]
    public async Task A_gap_resyncs_from_a_new_snapshot()
    {
        using var resyncs = new MeasuredSum("actortrading.book.resyncs", ("venue", "kucoin.futures"), ("symbol", Sym.Value));
        using var recoveries = new MeasuredSum("actortrading.book.recovery.duration", ("venue", "kucoin.futures"), ("symbol", Sym.Value));
        var book = StartBook(call => call == 1
            ? OrderBookSpecs.Snapshot(10, [(99m, 5m)], [(101m, 1m)])
            : OrderBookSpecs.Snapshot(14, [(98m, 7m)], [(101m, 3m)]));
        _bus.Publish(OrderBookSpecs.Delta(11, 100m, 2m, bid: true));
        await AwaitAssertAsync(async () => Assert.Equal(11, (await View(book)).Sequence));
        _bus.Publish(OrderBookSpecs.Delta(13, 100m, 0m, bid: true));

        await AwaitAssertAsync(async () =>
        {
            var view = await View(book);
            Assert.Equal(BookHealth.Synced, view.Health);
            Assert.Equal(14, view.Sequence);
            Assert.Equal([new BookLevel(98m, 7m)], view.Bids);
            Assert.Equal(1, view.Resyncs);
        });
        Assert.Equal(2, _snapshotCalls);
        Assert.True(resyncs.Sum >= 1, "the resync is counted in actortrading.book.resyncs");
        Assert.True(recoveries.Count >= 1, "Synced → Resyncing → Synced is timed in actortrading.book.recovery.duration");
    }

    [Fact]
    public async Task A_crossed_book_is_reported_and_rebuilt()
    {
        var book = StartBook(call => call == 1
            ? OrderBookSpecs.Snapshot(10, [(99m, 5m)], [(101m, 1m)])
            : OrderBookSpecs.Snapshot(12, [(99m, 5m)], [(102m, 1m)]));
        _bus.Publish(OrderBookSpecs.Delta(11, 100m, 1m, bid: true));
        _health.FishForMessage<BookHealthChanged>(h => h.Health == BookHealth.Synced, TimeSpan.FromSeconds(5));
        _bus.Publish(OrderBookSpecs.Delta(12, 101m, 4m, bid: true));
        var crossed = _health.FishForMessage<BookHealthChanged>(h => h.Health == BookHealth.Crossed, TimeSpan.FromSeconds(5));
        Assert.Equal("crossed at 12", crossed.Reason);
        _health.FishForMessage<BookHealthChanged>(h => h.Health == BookHealth.Synced, TimeSpan.FromSeconds(5));
        var view = await View(book, 1);
        Assert.Equal(new BookLevel(102m, 1m), view.Asks.Single());
    }

    [Fact]
    public void A_book_without_updates_goes_stale_and_a_feed_reconnect_resyncs_it()
    {
        StartBook(_ => OrderBookSpecs.Snapshot(10, [(99m, 5m)], [(101m, 1m)]), new OrderBookSettings { StaleAfter = TimeSpan.FromMilliseconds(300) });
        _bus.Publish(OrderBookSpecs.Delta(11, 100m, 2m, bid: true));
        _health.FishForMessage<BookHealthChanged>(h => h.Health == BookHealth.Synced, TimeSpan.FromSeconds(5));
        Assert.Equal("no update for 0.3 s", _health.FishForMessage<BookHealthChanged>(h => h.Health == BookHealth.Stale, TimeSpan.FromSeconds(5)).Reason);

        var feedTopic = MarketDataTopic.ForFeed(VenueId.KuCoin, MarketKind.Futures, "public");
        _bus.Publish(feedTopic, new FeedStreaming(VenueId.KuCoin, MarketKind.Futures, "public", 0, 2));
        Assert.Equal("feed reconnected", _health.FishForMessage<BookHealthChanged>(h => h.Health == BookHealth.Resyncing, TimeSpan.FromSeconds(5)).Reason);
    }

    [Fact]
    public async Task A_failing_snapshot_is_retried()
    {
        var calls = 0;
        var book = Started(Sys.ActorOf(OrderBookActor.Props(VenueId.KuCoin, MarketKind.Futures, Sym, DataChannel.BookDelta, _bus,
            (_, _) => ++calls == 1
                ? Task.FromException<OrderBookUpdate>(new ExchangeException(new NetworkError("down")))
                : Task.FromResult(OrderBookSpecs.Snapshot(10, [(99m, 5m)], [(101m, 1m)])),
            new OrderBookSettings { SnapshotRetryMin = TimeSpan.FromMilliseconds(100) })));
        _bus.Publish(OrderBookSpecs.Delta(11, 100m, 2m, bid: true));
        _health.FishForMessage<BookHealthChanged>(h => h.Health == BookHealth.Synced, TimeSpan.FromSeconds(5));
        Assert.Equal(2, calls);
        Assert.Equal(11, (await View(book, 1)).Sequence);
    }

    [Fact]
    public async Task A_stream_book_breaks_its_chain_subscribes_again_and_again_until_a_snapshot_comes_and_a_reconnect_keeps_it()
    {
        var resubscribed = 0;
        var book = Started(Sys.ActorOf(OrderBookActor.Props(VenueId.KuCoin, MarketKind.Futures, Sym, DataChannel.BookDelta, _bus, null,
            new OrderBookSettings { ResubscribeWait = TimeSpan.FromMilliseconds(300) }, resubscribe: symbol =>
            {
                Assert.Equal(Sym, symbol);
                Interlocked.Increment(ref resubscribed);
            })));
        _bus.Publish(OrderBookSpecs.Snapshot(10, [(99m, 5m)], [(101m, 1m)]));
        _bus.Publish(Chained(11, previous: 10, 100m));
        await AwaitAssertAsync(async () => Assert.Equal((BookHealth.Synced, 11L), ((await View(book)).Health, (await View(book)).Sequence)));

        // The venue's service went on while the feed reconnected: the book waits for the new connection's snapshot, no reset.
        _bus.Publish(MarketDataTopic.ForFeed(VenueId.KuCoin, MarketKind.Futures, "public"), new FeedStreaming(VenueId.KuCoin, MarketKind.Futures, "public", 0, 2));
        _bus.Publish(Chained(13, previous: 12, 100.5m));   // 12 never reached the book
        Assert.Equal("gap: expected 11, got 12", _health.FishForMessage<BookHealthChanged>(h => h.Health == BookHealth.Resyncing, TimeSpan.FromSeconds(5)).Reason);
        await AwaitAssertAsync(() => Assert.True(Volatile.Read(ref resubscribed) >= 2, "no snapshot within the wait: subscribed again"), TimeSpan.FromSeconds(5));

        _bus.Publish(OrderBookSpecs.Snapshot(20, [(98m, 4m)], [(102m, 1m)]));
        await AwaitAssertAsync(async () =>
        {
            var view = await View(book);
            Assert.Equal((BookHealth.Synced, 20L, 1), (view.Health, view.Sequence, view.Resyncs));
            Assert.Equal([new BookLevel(98m, 4m)], view.Bids);
        });
        var settled = Volatile.Read(ref resubscribed);
        await Task.Delay(1000);
        Assert.Equal(settled, Volatile.Read(ref resubscribed));   // synced: the waits stopped
    }

    private static OrderBookUpdate Chained(long sequence, long previous, decimal bid) =>
        new(VenueId.KuCoin, MarketKind.Futures, Sym, sequence, sequence, DataChannel.BookDelta, BookUpdateKind.Delta, sequence, sequence,
            [new BookLevel(bid, 1m)], [], PreviousSequence: previous);
}
