using System.Collections.Immutable;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Runtime.Books;
using Xunit;

namespace ActorTrading.Runtime.Tests;

/// <summary>
/// The local-book procedures of Binance's docs ("How to manage a local order book correctly"), spot and USDⓈ-M, through
/// the one <see cref="OrderBook.Apply"/> every caller uses.
/// </summary>
public sealed class BinanceBookRulesSpecs
{
    private static readonly VenueId Binance = new("binance");
    private static readonly Symbol Btc = new("BTCUSDT");

    private static OrderBookUpdate Snapshot(long id, decimal bid = 100m, decimal ask = 101m) =>
        new(Binance, MarketKind.Spot, Btc, 1, 1, DataChannel.BookDelta, BookUpdateKind.Snapshot, id, id, [new BookLevel(bid, 1m)], [new BookLevel(ask, 1m)]);

    private static OrderBookUpdate Spot(long first, long last, decimal bidPrice = 99m, decimal bidSize = 1m) =>
        new(Binance, MarketKind.Spot, Btc, 1, 1, DataChannel.BookDelta, BookUpdateKind.Delta, first, last, [new BookLevel(bidPrice, bidSize)], ImmutableArray<BookLevel>.Empty);

    private static OrderBookUpdate Futures(long first, long last, long previous, decimal bidPrice = 99m, decimal bidSize = 1m) =>
        Spot(first, last, bidPrice, bidSize) with { Market = MarketKind.Futures, PreviousSequence = previous };

    [Fact]
    public void Spot_buffered_events_are_dropped_up_to_the_snapshot_bridged_across_it_and_then_applied_in_order()
    {
        var book = new OrderBook();
        Assert.Equal(BookEventKind.Buffered, book.Apply(Spot(150, 155, 98m, 9m)).Kind);
        book.Apply(Spot(156, 158, 97m, 7m));
        book.Apply(Spot(157, 160, 96m, 6m));   // U ≤ 158 + 1 ≤ u: the first event to apply
        book.Apply(Spot(161, 162, 95m, 5m));

        Assert.Equal(new BookEvent(BookEventKind.Synced, 162), book.Apply(Snapshot(158)));
        Assert.Equal([100m, 96m, 95m], book.Bids.Top(10).Select(l => l.Price));   // 98 and 97 came before the snapshot
        Assert.Equal(new BookEvent(BookEventKind.Applied, 163), book.Apply(Spot(163, 163)));
    }

    [Fact]
    public void Spot_a_snapshot_older_than_the_first_buffered_event_is_a_gap_and_a_skipped_id_later_too()
    {
        var book = new OrderBook();
        book.Apply(Spot(170, 171));
        Assert.Equal(new BookEvent(BookEventKind.Gap, 170, 159), book.Apply(Snapshot(158)));   // "lastUpdateId … strictly less than U": fetch again
        Assert.Equal(BookEventKind.Synced, book.Apply(Snapshot(171)).Kind);
        Assert.Equal(new BookEvent(BookEventKind.Gap, 175, 172), book.Apply(Spot(175, 176)));
        Assert.False(book.IsSynced);
    }

    [Fact]
    public void Futures_the_first_event_straddles_the_snapshot_and_each_next_one_names_the_last_as_pu()
    {
        var book = new OrderBook();
        Assert.Equal(BookEventKind.Synced, book.Apply(Snapshot(1000) with { Market = MarketKind.Futures }).Kind);
        Assert.Equal(BookEventKind.Dropped, book.Apply(Futures(980, 1000, 975)).Kind);   // u ≤ lastUpdateId: in the snapshot already
        Assert.Equal(new BookEvent(BookEventKind.Applied, 1005), book.Apply(Futures(990, 1005, 985, 99.5m, 2m)));   // U ≤ 1000 ≤ u
        Assert.Equal(new BookEvent(BookEventKind.Applied, 1020), book.Apply(Futures(1010, 1020, 1005)));   // ids jump: the chain holds
        Assert.Equal(new BookEvent(BookEventKind.Gap, 1025, 1020), book.Apply(Futures(1030, 1040, 1025)));   // pu ≠ last u
        Assert.False(book.IsSynced);
    }

    [Fact]
    public void Futures_a_first_event_whose_predecessor_ended_after_the_snapshot_is_a_gap_and_one_starting_later_but_chained_is_not()
    {
        var missed = new OrderBook();
        missed.Apply(Snapshot(1000) with { Market = MarketKind.Futures });
        Assert.Equal(new BookEvent(BookEventKind.Gap, 1003, 1000), missed.Apply(Futures(1004, 1010, 1003)));   // the event 1001–1003 was missed

        var chained = new OrderBook();
        chained.Apply(Snapshot(1000) with { Market = MarketKind.Futures });
        Assert.Equal(BookEventKind.Applied, chained.Apply(Futures(1007, 1010, 1000)).Kind);   // ids skip, pu = lastUpdateId: continuous
    }

    [Fact]
    public void A_pushed_partial_book_replaces_the_book_and_reports_synced_once()
    {
        var book = new OrderBook();
        var depth5 = Snapshot(10) with { SourceChannel = DataChannel.BookDepth5 };
        Assert.Equal(new BookEvent(BookEventKind.Synced, 10), book.Apply(depth5));
        Assert.Equal(new BookEvent(BookEventKind.Applied, 11), book.Apply(depth5 with { FirstSequence = 11, LastSequence = 11 }));
        Assert.Equal(BookEventKind.Dropped, book.Apply(depth5 with { FirstSequence = 9, LastSequence = 9 }).Kind);
    }
}
