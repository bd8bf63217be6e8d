using System.Collections.Immutable;
using System.Text.Json;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Runtime.Books;
using ActorTrading.TestExchange;
using Xunit;

namespace ActorTrading.Runtime.Tests;

public sealed class OrderBookSpecs
{
    private static readonly Symbol Sym = new("XBTUSDTM");

    internal static OrderBookUpdate Delta(long seq, decimal price, decimal size, bool bid) =>
        new(VenueId.KuCoin, MarketKind.Futures, Sym, seq, seq, DataChannel.BookDelta, BookUpdateKind.Delta, seq, seq,
            bid ? [new BookLevel(price, size)] : [], bid ? [] : [new BookLevel(price, size)]);

    internal static OrderBookUpdate Snapshot(long seq, (decimal P, decimal S)[] bids, (decimal P, decimal S)[] asks) =>
        new(VenueId.KuCoin, MarketKind.Futures, Sym, seq, seq, DataChannel.BookDelta, BookUpdateKind.Snapshot, seq, seq,
            bids.Select(b => new BookLevel(b.P, b.S)).ToImmutableArray(), asks.Select(a => new BookLevel(a.P, a.S)).ToImmutableArray());

    private static OrderBookUpdate FixtureSnapshot()
    {
        using var doc = JsonDocument.Parse(Fixtures.KuCoin("futures_l2_worked_example.snapshot_seq16"));
        (decimal, decimal)[] Levels(string side) => doc.RootElement.GetProperty(side).EnumerateArray()
            .Select(l => (decimal.Parse(l[0].GetString()!, System.Globalization.CultureInfo.InvariantCulture), l[1].GetDecimal())).ToArray();
        return Snapshot(doc.RootElement.GetProperty("sequence").GetInt64(), Levels("bids"), Levels("asks"));
    }

    private static OrderBookUpdate FixtureDelta(string name)
    {
        using var doc = JsonDocument.Parse(Fixtures.KuCoin(name));
        var (level, isBid) = ActorTrading.Exchanges.KuCoin.Ws.KuCoinFrameParser.ParseChange(System.Text.Encoding.UTF8.GetBytes(doc.RootElement.GetProperty("change").GetString()!));
        return Delta(doc.RootElement.GetProperty("sequence").GetInt64(), level.Price, level.Size, isBid);
    }

    [Theory]
    [InlineData(60000.5, -2)]
    [InlineData(-60000.5, 2)]
    [InlineData(0, 2)]
    public void A_delta_with_a_level_no_venue_sends_is_an_invalid_event_and_the_book_resyncs_without_it(double price, double size)
    {
        var book = new OrderBook();
        Assert.Equal(BookEventKind.Synced, book.ApplySnapshot(Snapshot(10, [(60000m, 1)], [(60001m, 1)])).Kind);

        var result = book.ApplyDelta(Delta(11, (decimal)price, (decimal)size, bid: true));

        Assert.Equal((BookEventKind.Invalid, 11L, true), (result.Kind, result.Sequence, result.NeedsSnapshot));
        Assert.False(book.IsSynced);
        Assert.Equal(0m, book.Bids.SizeAt((decimal)price));
        Assert.Equal(1, book.Bids.Count);
    }

    [Fact]
    public void A_snapshot_with_an_invalid_level_is_refused_and_a_crossed_venue_snapshot_is_never_synced()
    {
        var book = new OrderBook();
        Assert.Equal(BookEventKind.Invalid, book.ApplySnapshot(Snapshot(10, [(60000m, -1)], [(60001m, 1)])).Kind);
        Assert.False(book.IsSynced);

        var crossed = book.Replace(Snapshot(12, [(60002m, 1)], [(60001m, 1)]));
        Assert.Equal((BookEventKind.Crossed, true), (crossed.Kind, crossed.NeedsSnapshot));
        Assert.False(book.IsSynced);

        Assert.Equal(BookEventKind.Invalid, book.Replace(Snapshot(13, [(60000m, 1)], [(0m, 1)])).Kind);
        Assert.Equal(BookEventKind.Applied, book.Replace(Snapshot(14, [(60000m, 1)], [(60001m, 1)])).Kind);
        Assert.True(book.IsSynced);
    }

    [Fact]
    public void Docs_worked_example_gives_the_documented_book()
    {
        var book = new OrderBook();
        Assert.Equal(BookEventKind.Buffered, book.ApplyDelta(FixtureDelta("futures_l2_worked_example.update_seq17")).Kind);
        Assert.Equal(BookEventKind.Buffered, book.ApplyDelta(FixtureDelta("futures_l2_worked_example.update_seq18")).Kind);
        Assert.Equal(new BookEvent(BookEventKind.Synced, 18), book.ApplySnapshot(FixtureSnapshot()));

        using var expected = JsonDocument.Parse(Fixtures.KuCoin("futures_l2_worked_example.expected_result"));
        BookLevel[] Expected(string side) => expected.RootElement.GetProperty(side).EnumerateArray()
            .Select(l => new BookLevel(decimal.Parse(l[0].GetString()!, System.Globalization.CultureInfo.InvariantCulture), l[1].GetDecimal())).ToArray();
        Assert.Equal(Expected("bids"), book.Bids.Top(10));
        Assert.Equal(Expected("asks"), book.Asks.Top(10));
        Assert.Equal(new BookLevel(3988.51m, 56m), book.Bids.Best);
        Assert.Equal(new BookLevel(3988.59m, 3m), book.Asks.Best);
    }

    [Fact]
    public void Deltas_at_or_below_the_snapshot_sequence_are_dropped_on_replay()
    {
        var book = new OrderBook();
        book.ApplyDelta(Delta(10, 99m, 7m, bid: true));
        book.ApplyDelta(Delta(11, 99m, 8m, bid: true));
        Assert.Equal(BookEventKind.Synced, book.ApplySnapshot(Snapshot(11, [(99m, 5m)], [(101m, 1m)])).Kind);
        Assert.Equal(5m, book.Bids.SizeAt(99m));
        Assert.Equal(11, book.Sequence);
        Assert.Equal(BookEventKind.Dropped, book.ApplyDelta(Delta(11, 99m, 9m, bid: true)).Kind);
        Assert.Equal(BookEventKind.Dropped, book.ApplyDelta(Delta(5, 99m, 9m, bid: true)).Kind);
        Assert.Equal(5m, book.Bids.SizeAt(99m));
    }

    [Fact]
    public void A_gap_asks_for_a_new_snapshot_and_keeps_the_delta_for_replay()
    {
        var book = new OrderBook();
        book.ApplySnapshot(Snapshot(20, [(99m, 5m)], [(101m, 1m)]));
        var gap = book.ApplyDelta(Delta(22, 98m, 1m, bid: true));
        Assert.Equal(new BookEvent(BookEventKind.Gap, 22, 21), gap);
        Assert.False(book.IsSynced);
        Assert.Equal(BookEventKind.Buffered, book.ApplyDelta(Delta(23, 97m, 2m, bid: true)).Kind);

        Assert.Equal(BookEventKind.Synced, book.ApplySnapshot(Snapshot(21, [(99m, 5m)], [(101m, 1m)])).Kind);
        Assert.Equal(23, book.Sequence);
        Assert.Equal([new BookLevel(99m, 5m), new BookLevel(98m, 1m), new BookLevel(97m, 2m)], book.Bids.Top(5));
    }

    [Fact]
    public void A_snapshot_older_than_the_buffer_reports_the_gap_again()
    {
        var book = new OrderBook();
        book.ApplyDelta(Delta(30, 98m, 1m, bid: true));
        Assert.Equal(new BookEvent(BookEventKind.Gap, 30, 21), book.ApplySnapshot(Snapshot(20, [(99m, 5m)], [(101m, 1m)])));
        Assert.False(book.IsSynced);
    }

    [Fact]
    public void Size_zero_removes_a_level_and_removing_an_absent_one_is_harmless()
    {
        var book = new OrderBook();
        book.ApplySnapshot(Snapshot(1, [(99m, 5m), (98m, 4m)], [(101m, 1m), (102m, 2m)]));
        book.ApplyDelta(Delta(2, 101m, 0m, bid: false));
        book.ApplyDelta(Delta(3, 150m, 0m, bid: false));
        Assert.Equal([new BookLevel(102m, 2m)], book.Asks.Top(5));
        Assert.Equal(3, book.Sequence);
    }

    [Fact]
    public void A_crossed_book_asks_for_a_resync()
    {
        var book = new OrderBook();
        book.ApplySnapshot(Snapshot(1, [(99m, 5m)], [(101m, 1m)]));
        var crossed = book.ApplyDelta(Delta(2, 101m, 3m, bid: true));
        Assert.Equal(BookEventKind.Crossed, crossed.Kind);
        Assert.True(crossed.NeedsSnapshot);
        Assert.False(book.IsSynced);
    }

    [Fact]
    public void Venue_snapshots_replace_the_book_and_older_ones_are_ignored()
    {
        var book = new OrderBook();
        Assert.Equal(BookEventKind.Applied, book.Replace(Snapshot(5, [(99m, 5m)], [(101m, 1m)])).Kind);
        Assert.Equal(BookEventKind.Applied, book.Replace(Snapshot(6, [(98m, 1m)], [(100m, 2m)])).Kind);
        Assert.Equal(BookEventKind.Dropped, book.Replace(Snapshot(4, [(90m, 1m)], [(110m, 2m)])).Kind);
        Assert.Equal(new BookLevel(98m, 1m), book.Bids.Best);
        Assert.Equal(new BookLevel(100m, 2m), book.Asks.Best);
        Assert.Equal(1, book.Bids.Count);
    }

    [Fact]
    public void Sides_keep_price_order_under_random_updates()
    {
        var random = new Random(7);
        var side = new BookSide(isBid: true);
        var model = new SortedDictionary<decimal, decimal>();
        for (var i = 0; i < 5000; i++)
        {
            var price = 100m + random.Next(0, 200) / 10m;
            var size = random.Next(0, 3) == 0 ? 0m : random.Next(1, 100);
            side.Set(price, size);
            if (size == 0)
            {
                model.Remove(price);
            }
            else
            {
                model[price] = size;
            }
        }

        Assert.Equal(model.Reverse().Select(kv => new BookLevel(kv.Key, kv.Value)).ToArray(), side.Top(1000));
    }

    [Fact]
    public void A_repeated_delta_is_a_duplicate_a_different_one_under_the_same_sequence_a_conflict_and_an_old_one_backwards()
    {
        var book = new OrderBook();
        book.ApplySnapshot(Snapshot(10, [(99m, 5m)], [(101m, 1m)]));
        for (var seq = 11; seq <= 100; seq++)
        {
            Assert.Equal(BookEventKind.Applied, book.ApplyDelta(Delta(seq, 98m, seq, bid: true)).Kind);
        }

        Assert.Equal(new BookEvent(BookEventKind.Dropped, 10), book.ApplyDelta(Delta(10, 99m, 7m, bid: true)));   // late for the snapshot: expected
        Assert.Equal(new BookEvent(BookEventKind.Duplicate, 100), book.ApplyDelta(Delta(100, 98m, 100m, bid: true)));
        Assert.Equal(new BookEvent(BookEventKind.Backwards, 20, 100), book.ApplyDelta(Delta(20, 98m, 20m, bid: true)));   // too old to compare
        Assert.True(book.IsSynced);
        Assert.Equal(100m, book.Bids.SizeAt(98m));

        var conflict = book.ApplyDelta(Delta(99, 98m, 5m, bid: true));
        Assert.Equal(new BookEvent(BookEventKind.Conflict, 99), conflict);
        Assert.True(conflict.NeedsSnapshot);
        Assert.False(book.IsSynced);
    }

    [Fact]
    public void A_snapshot_loads_the_same_book_whatever_order_its_levels_come_in()
    {
        var random = new Random(11);
        foreach (var isBid in new[] { true, false })
        {
            for (var round = 0; round < 50; round++)
            {
                var levels = Enumerable.Range(0, random.Next(0, 300))
                    .Select(_ => new BookLevel(1000m + (random.Next(0, 400) / 4m), random.Next(0, 5) == 0 ? 0m : random.Next(1, 50)))
                    .ToArray();
                var ordered = (round % 3) switch
                {
                    0 => levels,
                    1 => levels.DistinctBy(l => l.Price).OrderBy(l => isBid ? -l.Price : l.Price).ToArray(),   // best first
                    _ => levels.DistinctBy(l => l.Price).OrderBy(l => isBid ? l.Price : -l.Price).ToArray(),   // worst first
                };
                var expected = new BookSide(isBid);
                foreach (var level in ordered)
                {
                    expected.Set(level.Price, level.Size);
                }

                var loaded = new BookSide(isBid);
                loaded.Set(1m, 1m);   // whatever was there goes
                loaded.Load(ordered);
                Assert.Equal(expected.Top(1000), loaded.Top(1000));
                Assert.Equal(expected.Count, loaded.Count);
            }
        }
    }

    [Fact]
    public void Sides_keep_price_order_when_levels_come_and_go_at_both_ends_and_between()
    {
        var random = new Random(5);
        foreach (var isBid in new[] { true, false })
        {
            var side = new BookSide(isBid);
            var model = new SortedDictionary<decimal, decimal>();
            decimal low = 5000m, high = 5000m;
            for (var i = 0; i < 20_000; i++)
            {
                // New levels beyond either end (a deep book filling up, a rally), changes in between, removals anywhere.
                var price = random.Next(4) switch
                {
                    0 => low -= 0.5m,
                    1 => high += 0.5m,
                    _ => model.Count == 0 ? 5000m : model.Keys.ElementAt(random.Next(model.Count)),
                };
                var size = random.Next(5) == 0 ? 0m : random.Next(1, 100);
                side.Set(price, size);
                if (size == 0)
                {
                    model.Remove(price);
                }
                else
                {
                    model[price] = size;
                }
            }

            var best = isBid ? model.Reverse() : model;
            Assert.Equal(best.Select(kv => new BookLevel(kv.Key, kv.Value)).ToArray(), side.Top(100_000));
            Assert.Equal(model.Count, side.Count);
        }
    }
}

public sealed class SpotOrderBookSpecs
{
    private static OrderBookUpdate Delta(long first, long last, (decimal P, decimal S, long Seq)[] bids) =>
        new(VenueId.KuCoin, MarketKind.Spot, new Symbol("BTC-USDT"), 0, 0, DataChannel.BookDelta, BookUpdateKind.Delta, first, last,
            bids.Select(b => new BookLevel(b.P, b.S)).ToImmutableArray(), [], bids.Select(b => b.Seq).ToImmutableArray(), []);

    [Fact]
    public void A_range_straddling_the_snapshot_applies_only_the_newer_levels()
    {
        var book = new OrderBook();
        book.ApplyDelta(Delta(14, 16, [(100m, 1m, 14), (101m, 2m, 15), (102m, 3m, 16)]));
        var synced = book.ApplySnapshot(new OrderBookUpdate(VenueId.KuCoin, MarketKind.Spot, new Symbol("BTC-USDT"), 0, 0, DataChannel.BookDelta,
            BookUpdateKind.Snapshot, 15, 15, [new BookLevel(100m, 9m), new BookLevel(101m, 9m)], [new BookLevel(200m, 1m)]));
        Assert.Equal(new BookEvent(BookEventKind.Synced, 16), synced);
        Assert.Equal([new BookLevel(102m, 3m), new BookLevel(101m, 9m), new BookLevel(100m, 9m)], book.Bids.Top(5));
    }

    [Fact]
    public void Ranges_must_touch_the_book()
    {
        var book = new OrderBook();
        book.ApplySnapshot(new OrderBookUpdate(VenueId.KuCoin, MarketKind.Spot, new Symbol("BTC-USDT"), 0, 0, DataChannel.BookDelta,
            BookUpdateKind.Snapshot, 20, 20, [new BookLevel(100m, 1m)], [new BookLevel(200m, 1m)]));
        Assert.Equal(BookEventKind.Applied, book.ApplyDelta(Delta(21, 23, [(99m, 1m, 21), (98m, 1m, 23)])).Kind);
        Assert.Equal(new BookEvent(BookEventKind.Gap, 25, 24), book.ApplyDelta(Delta(25, 26, [(97m, 1m, 25)])));
    }
}
