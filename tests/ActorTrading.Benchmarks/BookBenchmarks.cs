using System.Collections.Immutable;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Runtime.Books;
using BenchmarkDotNet.Attributes;

namespace ActorTrading.Benchmarks;

/// <summary>
/// Applying one single-level delta to a synced 2×200-level book through <see cref="OrderBook.Apply"/>: KuCoin's
/// contiguous sequences, or (<see cref="Chained"/>) Binance USDⓈ-M deltas chained by <c>pu</c>.
/// </summary>
[MemoryDiagnoser]
public class BookBenchmarks
{
    [Params(false, true)]
    public bool Chained { get; set; }

    private const int Updates = 10_000;
    private OrderBookUpdate[] _deltas = [];
    private OrderBook _book = new();
    private OrderBookUpdate _snapshot = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        var bids = Enumerable.Range(1, 200).Select(i => new BookLevel(90_000m - (i * 0.1m), random.Next(1, 1000))).ToImmutableArray();
        var asks = Enumerable.Range(1, 200).Select(i => new BookLevel(90_000m + (i * 0.1m), random.Next(1, 1000))).ToImmutableArray();
        var symbol = new Symbol("XBTUSDTM");
        _snapshot = new OrderBookUpdate(VenueId.KuCoin, MarketKind.Futures, symbol, 0, 0, DataChannel.BookDelta, BookUpdateKind.Snapshot, 0, 0, bids, asks);
        _book = new OrderBook();

        // Most changes land near the top of the book, as on a real venue; a quarter remove a level.
        _deltas = new OrderBookUpdate[Updates];
        for (var i = 0; i < Updates; i++)
        {
            var depth = (int)(random.NextDouble() * random.NextDouble() * 200) + 1;
            var bid = random.Next(2) == 0;
            var level = new BookLevel(bid ? 90_000m - (depth * 0.1m) : 90_000m + (depth * 0.1m), random.Next(4) == 0 ? 0 : random.Next(1, 1000));
            var seq = i + 1;
            _deltas[i] = new OrderBookUpdate(VenueId.KuCoin, MarketKind.Futures, symbol, seq, seq, DataChannel.BookDelta, BookUpdateKind.Delta, seq, seq,
                bid ? [level] : [], bid ? [] : [level], PreviousSequence: Chained ? seq - 1 : OrderBookUpdate.Unchained);
        }
    }

    [Benchmark(OperationsPerInvoke = Updates)]
    public long ApplyDelta()
    {
        // Start each pass from the snapshot (sequence 0) so every delta lines up; the reload is ~0.1% of the pass.
        _book.ApplySnapshot(_snapshot);
        long last = 0;
        foreach (var delta in _deltas)
        {
            last = _book.Apply(delta).Sequence;
        }

        return last;
    }
}

/// <summary>
/// Deep books: loading a snapshot given best first (as KuCoin's REST snapshot is), and deltas that each add a level
/// worse than every other (a deep book filling up). Both must grow n log n, not n² (issue: 22.7 s at 200 k levels).
/// </summary>
[MemoryDiagnoser]
public class DeepBookBenchmarks
{
    private OrderBookUpdate _snapshot = null!;
    private OrderBookUpdate[] _everWorse = [];

    [Params(50_000, 200_000)]
    public int Levels { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var symbol = new Symbol("XBTUSDTM");
        var bids = Enumerable.Range(1, Levels).Select(i => new BookLevel(90_000m - (i * 0.1m), 1 + (i % 97))).ToImmutableArray();
        var asks = Enumerable.Range(1, Levels).Select(i => new BookLevel(90_000m + (i * 0.1m), 1 + (i % 89))).ToImmutableArray();
        _snapshot = new OrderBookUpdate(VenueId.KuCoin, MarketKind.Futures, symbol, 0, 0, DataChannel.BookDelta, BookUpdateKind.Snapshot, 0, 0, bids, asks);
        _everWorse = Enumerable.Range(1, Levels).Select(i => new OrderBookUpdate(VenueId.KuCoin, MarketKind.Futures, symbol, i, i, DataChannel.BookDelta,
            BookUpdateKind.Delta, i, i, [new BookLevel(80_000m - (i * 0.1m), 1)], [])).ToArray();
    }

    [Benchmark]
    public int LoadSnapshotBestFirst()
    {
        var book = new OrderBook();
        book.ApplySnapshot(_snapshot);
        return book.Bids.Count + book.Asks.Count;
    }

    [Benchmark]
    public int DeltasAtEverWorsePrices()
    {
        var book = new OrderBook();
        book.ApplySnapshot(_snapshot with { Bids = [new BookLevel(90_000m, 1)], Asks = [new BookLevel(90_001m, 1)] });
        foreach (var delta in _everWorse)
        {
            book.ApplyDelta(delta);
        }

        return book.Bids.Count;
    }
}
