using System.Collections.Immutable;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Runtime.Books;
using BenchmarkDotNet.Attributes;

namespace ActorTrading.Benchmarks;

/// <summary>Applying one KuCoin-style single-level delta to a synced 2×200-level book.</summary>
[MemoryDiagnoser]
public class BookBenchmarks
{
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
                bid ? [level] : [], bid ? [] : [level]);
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
            last = _book.ApplyDelta(delta).Sequence;
        }

        return last;
    }
}
