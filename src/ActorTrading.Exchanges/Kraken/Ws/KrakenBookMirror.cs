using System.Collections.Immutable;
using System.Runtime.InteropServices;
using ActorTrading.Core.Market;

namespace ActorTrading.Exchanges.Kraken.Ws;

/// <summary>
/// One symbol's book as this socket's stream built it, kept so each message can be checked against Kraken's CRC32
/// before anything leaves the parser: levels applied (<c>qty</c> 0 removes), the book cut back to the subscribed depth
/// (Kraken sends no removal for a level pushed out of it), then the checksum of the top ten each side at the pair's
/// precision. Sides are sorted best first in arrays with binary search: a book is at most 1,000 levels a side.
/// </summary>
internal sealed class KrakenBookMirror(int depth)
{
    private readonly List<BookLevel> _bids = new(depth + 1);
    private readonly List<BookLevel> _asks = new(depth + 1);

    /// <summary>Levels a side the subscription keeps.</summary>
    public int Depth { get; } = depth;

    public ReadOnlySpan<BookLevel> Bids => CollectionsMarshal.AsSpan(_bids);

    public ReadOnlySpan<BookLevel> Asks => CollectionsMarshal.AsSpan(_asks);

    public void Clear()
    {
        _bids.Clear();
        _asks.Clear();
    }

    public void Apply(BookLevel level, bool bid)
    {
        var side = bid ? _bids : _asks;
        var at = Find(side, level.Price, bid);
        if (at >= 0)
        {
            if (level.Size == 0)
            {
                side.RemoveAt(at);
            }
            else
            {
                side[at] = level;
            }
        }
        else if (level.Size > 0)
        {
            side.Insert(~at, level);
        }
    }

    /// <summary>Cuts each side back to <see cref="Depth"/>; the levels cut are added to the removal lists (size 0).</summary>
    public void Truncate(List<BookLevel> removedBids, List<BookLevel> removedAsks)
    {
        Cut(_bids, removedBids);
        Cut(_asks, removedAsks);
    }

    public uint Checksum(int priceDecimals, int qtyDecimals) => KrakenBookChecksum.Compute(Asks, Bids, priceDecimals, qtyDecimals);

    public ImmutableArray<BookLevel> Snapshot(bool bid) => [.. bid ? Bids : Asks];

    private void Cut(List<BookLevel> side, List<BookLevel> removed)
    {
        for (var i = Depth; i < side.Count; i++)
        {
            removed.Add(new BookLevel(side[i].Price, 0));
        }

        if (side.Count > Depth)
        {
            side.RemoveRange(Depth, side.Count - Depth);
        }
    }

    /// <summary>Bids are sorted highest first, asks lowest first: the index of <paramref name="price"/>, or the complement of where it goes.</summary>
    private static int Find(List<BookLevel> side, decimal price, bool bid)
    {
        int lo = 0, hi = side.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var compare = side[mid].Price.CompareTo(price);
            if (compare == 0)
            {
                return mid;
            }

            if (bid ? compare > 0 : compare < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return ~lo;
    }
}
