using ActorTrading.Core.Market;

namespace ActorTrading.Runtime.Books;

/// <summary>
/// One side of a book as parallel sorted arrays, stored so the best level is the last element: updates near
/// the top of the book (where nearly all of them happen) shift few elements, and the best level is O(1).
/// </summary>
public sealed class BookSide
{
    private readonly bool _isBid;
    private decimal[] _prices = new decimal[64];
    private decimal[] _sizes = new decimal[64];
    private int _count;

    public BookSide(bool isBid)
    {
        _isBid = isBid;
    }

    public int Count => _count;

    public BookLevel? Best => _count == 0 ? null : new BookLevel(_prices[_count - 1], _sizes[_count - 1]);

    public void Clear() => _count = 0;

    /// <summary>Sets a level's absolute size; zero removes it (removing an absent level is a no-op).</summary>
    public void Set(decimal price, decimal size)
    {
        var index = Find(price, out var found);
        if (size == 0)
        {
            if (found)
            {
                Array.Copy(_prices, index + 1, _prices, index, _count - index - 1);
                Array.Copy(_sizes, index + 1, _sizes, index, _count - index - 1);
                _count--;
            }

            return;
        }

        if (found)
        {
            _sizes[index] = size;
            return;
        }

        if (_count == _prices.Length)
        {
            Array.Resize(ref _prices, _count * 2);
            Array.Resize(ref _sizes, _count * 2);
        }

        Array.Copy(_prices, index, _prices, index + 1, _count - index);
        Array.Copy(_sizes, index, _sizes, index + 1, _count - index);
        _prices[index] = price;
        _sizes[index] = size;
        _count++;
    }

    /// <summary>The best <paramref name="depth"/> levels, best first.</summary>
    public BookLevel[] Top(int depth)
    {
        var n = Math.Min(depth, _count);
        var levels = new BookLevel[n];
        for (var i = 0; i < n; i++)
        {
            var index = _count - 1 - i;
            levels[i] = new BookLevel(_prices[index], _sizes[index]);
        }

        return levels;
    }

    public decimal SizeAt(decimal price)
    {
        var index = Find(price, out var found);
        return found ? _sizes[index] : 0m;
    }

    /// <summary>
    /// Binary search in "worst to best" order: bids ascending, asks descending. Returns the index of the price,
    /// or where it would be inserted.
    /// </summary>
    private int Find(decimal price, out bool found)
    {
        int lo = 0, hi = _count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var cmp = _prices[mid].CompareTo(price);
            if (!_isBid)
            {
                cmp = -cmp;
            }

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
