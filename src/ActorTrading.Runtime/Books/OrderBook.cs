using System.Collections.Immutable;
using ActorTrading.Core.Market;

namespace ActorTrading.Runtime.Books;

public enum BookEventKind
{
    /// <summary>The update was applied.</summary>
    Applied,
    /// <summary>Waiting for a snapshot: the delta was kept for replay.</summary>
    Buffered,
    /// <summary>The update was older than the book and ignored.</summary>
    Dropped,
    /// <summary>A snapshot was loaded and buffered deltas replayed.</summary>
    Synced,
    /// <summary>A sequence gap: a new snapshot is needed.</summary>
    Gap,
    /// <summary>Best bid ≥ best ask after an update: a new snapshot is needed.</summary>
    Crossed,
    /// <summary>A level no venue sends (price not above zero, size below zero): the book cannot be trusted.</summary>
    Invalid,
    /// <summary>A delta the book already applied came again, the same: ignored.</summary>
    Duplicate,
    /// <summary>A sequence the book already applied came again with other levels: which is right is unknown, resync.</summary>
    Conflict,
    /// <summary>
    /// A delta older than the last one applied since the snapshot (reordered, or the stream went back) and too old
    /// to compare: ignored, and reported.
    /// </summary>
    Backwards,
    /// <summary>The venue's integrity check failed (a checksum): the book was cleared and needs a new snapshot.</summary>
    Invalidated,
}

/// <summary>What one update did. For <see cref="BookEventKind.Gap"/>, <see cref="Expected"/> is the sequence we needed.</summary>
public readonly record struct BookEvent(BookEventKind Kind, long Sequence, long Expected = 0)
{
    public bool NeedsSnapshot => Kind is BookEventKind.Gap or BookEventKind.Crossed or BookEventKind.Invalid or BookEventKind.Conflict or BookEventKind.Invalidated;
}

/// <summary>
/// A local order book kept in sync from a snapshot plus sequenced deltas: deltas arriving before the snapshot are
/// buffered; after it, those at or below the snapshot sequence are dropped and the rest must line up. Two
/// continuity rules, chosen by the delta itself:
/// <list type="bullet">
/// <item>contiguous numbers (KuCoin <c>seq == last+1</c>, Binance Spot <c>U == last u + 1</c>): a delta's first
/// sequence may not pass the book's last + 1;</item>
/// <item>chained deltas (<see cref="OrderBookUpdate.IsChained"/>, Binance USDⓈ-M <c>pu == last u</c>): the first
/// delta after a snapshot must start at or before it (<c>pu ≤ lastUpdateId &lt; u</c>, which covers the docs'
/// <c>U ≤ lastUpdateId ≤ u</c>), every later one must name the last applied delta as its previous.</item>
/// </list>
/// A gap or a crossed book asks for a new snapshot. Plain class, no actors: the book actor, the <c>book</c>
/// command, replay and the benchmarks all apply updates through <see cref="Apply"/>.
/// </summary>
public sealed class OrderBook
{
    // The last deltas applied, by sequence, to tell a repeated delta (same levels) from a conflicting one.
    private const int Remembered = 64;   // a power of two: indexed by the sequence's low bits
    private readonly OrderBookUpdate?[] _recent = new OrderBookUpdate?[Remembered];
    private readonly Queue<OrderBookUpdate> _buffer = new();
    private readonly int _maxBuffered;

    // The sequence the last snapshot was at: deltas up to it are expected to arrive late and are dropped quietly.
    private long _snapshotSequence = -1;

    public OrderBook(int maxBuffered = 50_000)
    {
        _maxBuffered = maxBuffered;
    }

    public BookSide Bids { get; } = new(isBid: true);

    public BookSide Asks { get; } = new(isBid: false);

    /// <summary>Last applied sequence; -1 before the first snapshot.</summary>
    public long Sequence { get; private set; } = -1;

    public bool IsSynced { get; private set; }

    public long ExchangeTs { get; private set; }

    public int BufferedCount => _buffer.Count;

    public bool IsCrossed => Bids.Best is { } bid && Asks.Best is { } ask && bid.Price >= ask.Price;

    /// <summary>
    /// Applies any update the way its source asks: a venue-pushed full book (depth-N topics) replaces the book, a
    /// REST or stream snapshot of a delta book loads it and replays the buffer, a delta is applied or buffered.
    /// The one entry point for every caller, so the node and the CLI cannot disagree on a book.
    /// </summary>
    public BookEvent Apply(OrderBookUpdate update)
    {
        if (update.Kind == BookUpdateKind.Invalidated)
        {
            Invalidate();
            return new BookEvent(BookEventKind.Invalidated, Sequence);
        }

        if (update.Channel != DataChannel.BookDelta)
        {
            var wasSynced = IsSynced;
            var result = Replace(update);
            return !wasSynced && result.Kind == BookEventKind.Applied ? result with { Kind = BookEventKind.Synced } : result;
        }

        return update.Kind == BookUpdateKind.Snapshot ? ApplySnapshot(update) : ApplyDelta(update);
    }

    /// <summary>Applies a delta, or buffers it while waiting for a snapshot.</summary>
    public BookEvent ApplyDelta(OrderBookUpdate delta)
    {
        if (!IsSynced)
        {
            if (_buffer.Count == _maxBuffered)
            {
                _buffer.Dequeue();
            }

            _buffer.Enqueue(delta);
            return new BookEvent(BookEventKind.Buffered, delta.LastSequence);
        }

        var result = delta.LastSequence <= Sequence ? Repeated(delta) : Advance(delta);
        if (result.NeedsSnapshot)
        {
            Invalidate();
            if (result.Kind == BookEventKind.Gap)
            {
                _buffer.Enqueue(delta);
            }
        }

        return result;
    }

    /// <summary>A live delta at or below the book's sequence: late for the snapshot, a repeat, a conflict, or backwards.</summary>
    private BookEvent Repeated(OrderBookUpdate delta)
    {
        if (delta.LastSequence <= _snapshotSequence)
        {
            return new BookEvent(BookEventKind.Dropped, delta.LastSequence);
        }

        if (_recent[(int)(delta.LastSequence & (Remembered - 1))] is { } applied && applied.LastSequence == delta.LastSequence)
        {
            return SameLevels(applied, delta)
                ? new BookEvent(BookEventKind.Duplicate, delta.LastSequence)
                : new BookEvent(BookEventKind.Conflict, delta.LastSequence);
        }

        return new BookEvent(BookEventKind.Backwards, delta.LastSequence, Sequence);
    }

    private static bool SameLevels(OrderBookUpdate a, OrderBookUpdate b) =>
        a.FirstSequence == b.FirstSequence && a.Bids.SequenceEqual(b.Bids) && a.Asks.SequenceEqual(b.Asks)
        && Same(a.BidSequences, b.BidSequences) && Same(a.AskSequences, b.AskSequences);

    /// <summary>Per-level sequences alike: both absent, or equal.</summary>
    private static bool Same(ImmutableArray<long> a, ImmutableArray<long> b) =>
        a.IsDefaultOrEmpty ? b.IsDefaultOrEmpty : !b.IsDefaultOrEmpty && a.SequenceEqual(b);

    /// <summary>
    /// Loads a snapshot and replays the buffered deltas that follow it. Returns <see cref="BookEventKind.Synced"/>,
    /// or <see cref="BookEventKind.Gap"/>/<see cref="BookEventKind.Crossed"/> when the replay did not line up.
    /// </summary>
    public BookEvent ApplySnapshot(OrderBookUpdate snapshot)
    {
        if (!IsValid(snapshot))
        {
            Invalidate();
            return new BookEvent(BookEventKind.Invalid, snapshot.LastSequence);
        }

        Load(snapshot);
        IsSynced = true;
        while (_buffer.Count > 0)
        {
            var delta = _buffer.Dequeue();
            var result = Advance(delta);
            if (result.NeedsSnapshot)
            {
                Invalidate();
                if (result.Kind == BookEventKind.Gap)
                {
                    _buffer.Enqueue(delta);
                }

                return result;
            }
        }

        return IsCrossed ? CrossedAndInvalidate() : new BookEvent(BookEventKind.Synced, Sequence);
    }

    /// <summary>A venue-pushed full snapshot (depth-5/50 topics) replaces the book; older ones are ignored.</summary>
    public BookEvent Replace(OrderBookUpdate snapshot)
    {
        if (IsSynced && snapshot.LastSequence < Sequence)
        {
            return new BookEvent(BookEventKind.Dropped, snapshot.LastSequence);
        }

        if (!IsValid(snapshot))
        {
            Invalidate();
            return new BookEvent(BookEventKind.Invalid, snapshot.LastSequence);
        }

        Load(snapshot);
        IsSynced = true;
        return IsCrossed ? CrossedAndInvalidate() : new BookEvent(BookEventKind.Applied, Sequence);
    }

    /// <summary>Forgets sync state (feed reconnected, gap): the next snapshot starts over. Buffered deltas are kept.</summary>
    public void Invalidate()
    {
        IsSynced = false;
    }

    /// <summary>Drops everything, including buffered deltas (the feed they came from is gone).</summary>
    public void Reset()
    {
        IsSynced = false;
        _buffer.Clear();
        Bids.Clear();
        Asks.Clear();
        Array.Clear(_recent);
        Sequence = -1;
        _snapshotSequence = -1;
    }

    private BookEvent Advance(OrderBookUpdate delta)
    {
        if (delta.LastSequence <= Sequence)
        {
            return new BookEvent(BookEventKind.Dropped, delta.LastSequence);
        }

        if (Breaks(delta))
        {
            return delta.IsChained
                ? new BookEvent(BookEventKind.Gap, delta.PreviousSequence, Sequence)
                : new BookEvent(BookEventKind.Gap, delta.FirstSequence, Sequence + 1);
        }

        if (!IsValid(delta))
        {
            return new BookEvent(BookEventKind.Invalid, delta.LastSequence);
        }

        ApplyLevels(Bids, delta.Bids, delta.BidSequences);
        ApplyLevels(Asks, delta.Asks, delta.AskSequences);
        _recent[(int)(delta.LastSequence & (Remembered - 1))] = delta;
        Sequence = delta.LastSequence;
        ExchangeTs = delta.ExchangeTs;
        return IsCrossed ? new BookEvent(BookEventKind.Crossed, Sequence) : new BookEvent(BookEventKind.Applied, Sequence);
    }

    /// <summary>Whether a delta newer than the book fails to continue it (see the class summary for the two rules).</summary>
    private bool Breaks(OrderBookUpdate delta)
    {
        if (!delta.IsChained)
        {
            return delta.FirstSequence > Sequence + 1;
        }

        var bridgesSnapshot = Sequence == _snapshotSequence;
        return bridgesSnapshot ? delta.PreviousSequence > Sequence : delta.PreviousSequence != Sequence;
    }

    /// <summary>Sets each level; with per-level sequences, levels the book already has (sequence ≤ ours) are skipped.</summary>
    private void ApplyLevels(BookSide side, ImmutableArray<BookLevel> levels, ImmutableArray<long> sequences)
    {
        var sequenced = !sequences.IsDefaultOrEmpty;
        for (var i = 0; i < levels.Length; i++)
        {
            if (!sequenced || sequences[i] > Sequence)
            {
                side.Set(levels[i].Price, levels[i].Size);
            }
        }
    }

    /// <summary>Every price above zero and every size zero (a removal) or more.</summary>
    private static bool IsValid(OrderBookUpdate update) => AllValid(update.Bids) && AllValid(update.Asks);

    private static bool AllValid(ImmutableArray<BookLevel> levels)
    {
        foreach (var level in levels)
        {
            if (level.Price <= 0 || level.Size < 0)
            {
                return false;
            }
        }

        return true;
    }

    private BookEvent CrossedAndInvalidate()
    {
        Invalidate();
        return new BookEvent(BookEventKind.Crossed, Sequence);
    }

    private void Load(OrderBookUpdate snapshot)
    {
        Bids.Load(snapshot.Bids.AsSpan());
        Asks.Load(snapshot.Asks.AsSpan());
        Array.Clear(_recent);
        _snapshotSequence = snapshot.LastSequence;
        Sequence = snapshot.LastSequence;
        ExchangeTs = snapshot.ExchangeTs;
    }
}
