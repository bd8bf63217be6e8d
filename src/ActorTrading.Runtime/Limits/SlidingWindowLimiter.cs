namespace ActorTrading.Runtime.Limits;

/// <summary>
/// At most <c>limit</c> events in any window of length <c>window</c>, checked against the exact timestamps of
/// the last <c>limit</c> events (a true sliding window, so bursts at window edges cannot double the rate).
/// Not thread-safe: owned by one actor.
/// </summary>
public sealed class SlidingWindowLimiter
{
    private readonly long[] _stamps;
    private readonly long _windowTicks;
    private int _head;
    private int _count;

    public SlidingWindowLimiter(int limit, TimeSpan window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        _stamps = new long[limit];
        _windowTicks = window.Ticks;
    }

    public int Limit => _stamps.Length;

    /// <summary>Takes a slot if fewer than <c>limit - reserve</c> events happened in the window ending at <paramref name="now"/>.</summary>
    public bool TryAcquire(DateTimeOffset now, int reserve = 0)
    {
        Expire(now.UtcTicks);
        if (_count >= _stamps.Length - reserve)
        {
            return false;
        }

        _stamps[(_head + _count) % _stamps.Length] = now.UtcTicks;
        _count++;
        return true;
    }

    /// <summary>How long until <see cref="TryAcquire"/> with the same reserve can succeed.</summary>
    public TimeSpan WaitTime(DateTimeOffset now, int reserve = 0)
    {
        Expire(now.UtcTicks);
        var excess = _count - (_stamps.Length - reserve);
        if (excess < 0)
        {
            return TimeSpan.Zero;
        }

        var oldestThatMustExpire = _stamps[(_head + excess) % _stamps.Length];
        return TimeSpan.FromTicks(Math.Max(0, oldestThatMustExpire + _windowTicks - now.UtcTicks) + 1);
    }

    private void Expire(long nowTicks)
    {
        while (_count > 0 && _stamps[_head] + _windowTicks <= nowTicks)
        {
            _head = (_head + 1) % _stamps.Length;
            _count--;
        }
    }
}
