using ActorTrading.Core.Adapters;

namespace ActorTrading.Runtime.Limits;

/// <summary>
/// A venue's REST quota: <c>quota</c> weight per window that starts with the first request (KuCoin: per pool,
/// per 30 s). Adopts the server's view from <c>remaining</c>/<c>reset</c> headers, which wins over our count.
/// Not thread-safe: owned by the rate-limiter actor.
/// </summary>
public sealed class WeightPool(string name, int quota, TimeSpan window)
{
    private int _used;
    private DateTimeOffset _resetAt = DateTimeOffset.MinValue;

    public string Name { get; } = name;

    public int Quota { get; private set; } = quota;

    public int Remaining(DateTimeOffset now)
    {
        Roll(now);
        return Quota - _used;
    }

    public bool TryAcquire(int weight, DateTimeOffset now)
    {
        Roll(now);

        // A request heavier than the whole quota still goes, alone, into a fresh window.
        if (_used > 0 && _used + weight > Quota)
        {
            return false;
        }

        if (_resetAt <= now)
        {
            _resetAt = now + window;
        }

        _used += weight;
        return true;
    }

    public TimeSpan WaitTime(DateTimeOffset now)
    {
        Roll(now);
        return _resetAt > now ? _resetAt - now : TimeSpan.Zero;
    }

    /// <summary>Takes the venue's count: it knows about requests from other processes sharing the key or IP.</summary>
    public void Observe(RateLimitObservation observation, DateTimeOffset now)
    {
        if (observation.Limit is { } limit and > 0)
        {
            Quota = limit;
        }

        if (observation.Remaining is { } remaining)
        {
            _used = Math.Max(0, Quota - remaining);
        }

        if (observation.ResetIn is { } reset)
        {
            _resetAt = now + reset;
        }
    }

    /// <summary>The venue said we are over quota: nothing more until its reset.</summary>
    public void Exhaust(TimeSpan retryAfter, DateTimeOffset now)
    {
        _used = Quota;
        _resetAt = now + retryAfter;
    }

    private void Roll(DateTimeOffset now)
    {
        if (_resetAt <= now)
        {
            _used = 0;
        }
    }
}
