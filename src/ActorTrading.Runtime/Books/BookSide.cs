using ActorTrading.Core.Market;

namespace ActorTrading.Runtime.Books;

/// <summary>
/// One side of a book: price levels sorted worst to best (bids ascending, asks descending) in parallel arrays, so the
/// best level is the last one and most updates (near the top) move few entries. The levels sit in the middle of the
/// arrays with room at both ends: an insert or removal moves the fewer entries of the two sides, so levels added at
/// the worst end (a deep book filling up, a snapshot given best first) cost O(1) amortized, not a shift of the whole
/// side. Snapshots load in bulk, sorted once.
/// </summary>
public sealed class BookSide
{
    private const int MinCapacity = 64;
    private readonly bool _isBid;
    private decimal[] _prices = new decimal[MinCapacity];
    private decimal[] _sizes = new decimal[MinCapacity];
    private int _start = MinCapacity / 2;   // levels live in [_start, _start + _count)
    private int _count;

    public BookSide(bool isBid)
    {
        _isBid = isBid;
    }

    public int Count => _count;

    public BookLevel? Best => _count == 0 ? null : new BookLevel(_prices[_start + _count - 1], _sizes[_start + _count - 1]);

    public void Clear()
    {
        _count = 0;
        _start = _prices.Length / 2;
    }

    /// <summary>Sets a level's absolute size; zero removes it (removing an absent level is a no-op).</summary>
    public void Set(decimal price, decimal size)
    {
        var index = Find(price, out var found);
        if (size == 0)
        {
            if (found)
            {
                RemoveAt(index);
            }

            return;
        }

        if (found)
        {
            _sizes[_start + index] = size;
            return;
        }

        InsertAt(index, price, size);
    }

    /// <summary>
    /// Replaces the side with a snapshot's levels in any order (zero sizes skipped; of two levels at one price the
    /// later wins, as two <see cref="Set"/> calls would): O(n) when the venue sends them sorted either way, else one
    /// O(n log n) sort.
    /// </summary>
    public void Load(ReadOnlySpan<BookLevel> levels)
    {
        var capacity = Math.Max(MinCapacity, levels.Length * 2);
        if (_prices.Length < capacity)
        {
            _prices = new decimal[capacity];
            _sizes = new decimal[capacity];
        }

        if (IsStrictly(levels, bestFirst: false))
        {
            Place(levels, reversed: false);
        }
        else if (IsStrictly(levels, bestFirst: true))
        {
            Place(levels, reversed: true);
        }
        else
        {
            PlaceSorted(levels);
        }
    }

    /// <summary>The best <paramref name="depth"/> levels, best first.</summary>
    public BookLevel[] Top(int depth)
    {
        var n = Math.Min(depth, _count);
        var levels = new BookLevel[n];
        for (var i = 0; i < n; i++)
        {
            var index = _start + _count - 1 - i;
            levels[i] = new BookLevel(_prices[index], _sizes[index]);
        }

        return levels;
    }

    public decimal SizeAt(decimal price)
    {
        var index = Find(price, out var found);
        return found ? _sizes[_start + index] : 0m;
    }

    private void RemoveAt(int index)
    {
        // Close the hole from the nearer end.
        if (index < _count - index - 1)
        {
            Array.Copy(_prices, _start, _prices, _start + 1, index);
            Array.Copy(_sizes, _start, _sizes, _start + 1, index);
            _start++;
        }
        else
        {
            Array.Copy(_prices, _start + index + 1, _prices, _start + index, _count - index - 1);
            Array.Copy(_sizes, _start + index + 1, _sizes, _start + index, _count - index - 1);
        }

        _count--;
    }

    private void InsertAt(int index, decimal price, decimal size)
    {
        // Open the slot from the end with fewer levels to move; when that end has no room, re-centre (growing when
        // the arrays are more than half full) so each end has slack proportional to the side again.
        var front = index < _count - index;
        if (front ? _start == 0 : _start + _count == _prices.Length)
        {
            Recenter();
        }

        if (front)
        {
            Array.Copy(_prices, _start, _prices, _start - 1, index);
            Array.Copy(_sizes, _start, _sizes, _start - 1, index);
            _start--;
        }
        else
        {
            Array.Copy(_prices, _start + index, _prices, _start + index + 1, _count - index);
            Array.Copy(_sizes, _start + index, _sizes, _start + index + 1, _count - index);
        }

        _prices[_start + index] = price;
        _sizes[_start + index] = size;
        _count++;
    }

    private void Recenter()
    {
        var capacity = _prices.Length;
        while (capacity < (_count + 1) * 2)
        {
            capacity *= 2;
        }

        var start = (capacity - _count) / 2;
        if (capacity == _prices.Length)
        {
            Array.Copy(_prices, _start, _prices, start, _count);
            Array.Copy(_sizes, _start, _sizes, start, _count);
        }
        else
        {
            var prices = new decimal[capacity];
            var sizes = new decimal[capacity];
            Array.Copy(_prices, _start, prices, start, _count);
            Array.Copy(_sizes, _start, sizes, start, _count);
            (_prices, _sizes) = (prices, sizes);
        }

        _start = start;
    }

    /// <summary>Worst to best (<paramref name="bestFirst"/> false) or best to worst, every price distinct.</summary>
    private bool IsStrictly(ReadOnlySpan<BookLevel> levels, bool bestFirst)
    {
        for (var i = 1; i < levels.Length; i++)
        {
            var cmp = Compare(levels[i - 1].Price, levels[i].Price);
            if (bestFirst ? cmp <= 0 : cmp >= 0)
            {
                return false;
            }
        }

        return true;
    }

    private void Place(ReadOnlySpan<BookLevel> levels, bool reversed)
    {
        _start = (_prices.Length - levels.Length) / 2;
        _count = 0;
        for (var i = 0; i < levels.Length; i++)
        {
            var level = levels[reversed ? levels.Length - 1 - i : i];
            if (level.Size != 0)
            {
                _prices[_start + _count] = level.Price;
                _sizes[_start + _count] = level.Size;
                _count++;
            }
        }
    }

    private void PlaceSorted(ReadOnlySpan<BookLevel> levels)
    {
        var input = levels.ToArray();
        var order = new int[input.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        // Worst to best; equal prices in arrival order, so the later one is kept below.
        Array.Sort(order, (a, b) => Compare(input[a].Price, input[b].Price) is var cmp && cmp != 0 ? cmp : a.CompareTo(b));
        _start = (_prices.Length - input.Length) / 2;
        _count = 0;
        for (var i = 0; i < order.Length; i++)
        {
            var level = input[order[i]];
            if (i + 1 < order.Length && input[order[i + 1]].Price == level.Price)
            {
                continue;   // a later level at this price replaces this one
            }

            if (level.Size != 0)
            {
                _prices[_start + _count] = level.Price;
                _sizes[_start + _count] = level.Size;
                _count++;
            }
        }
    }

    /// <summary>Negative when <paramref name="a"/> is the worse price of the two for this side.</summary>
    private int Compare(decimal a, decimal b) => _isBid ? a.CompareTo(b) : b.CompareTo(a);

    /// <summary>
    /// Binary search in "worst to best" order. Returns the price's index relative to the first level, or where it
    /// would be inserted.
    /// </summary>
    private int Find(decimal price, out bool found)
    {
        int lo = 0, hi = _count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var cmp = Compare(_prices[_start + mid], price);
            if (cmp == 0)
            {
                found = true;
                return mid;
            }

            if (cmp < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        found = false;
        return lo;
    }
}
