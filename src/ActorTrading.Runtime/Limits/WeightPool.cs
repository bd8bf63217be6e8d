using ActorTrading.Core.Adapters;

namespace ActorTrading.Runtime.Limits;

/// <summary>
/// A venue's REST quota: at most <c>quota</c> weight in any window of <c>window</c> (KuCoin: per pool, per 30 s).
/// Counting over a sliding window is stricter than the venue's fixed windows, so we can never exceed them whatever
/// their alignment. The venue's own <c>remaining</c>/<c>reset</c> headers are honoured on top: they know about requests
/// from other processes sharing the key or IP. Not thread-safe: owned by the rate-limiter actor.
/// </summary>
public sealed class WeightPool(string name, int quota, TimeSpan window)
{
    private readonly Queue<(DateTimeOffset At, int Weight)> _granted = new();
    private int _used;
    private int? _venueRemaining;
    private DateTimeOffset _venueResetAt = DateTimeOffset.MinValue;

    public string Name { get; } = name;

    public int Quota { get; private set; } = quota;

    public int Remaining(DateTimeOffset now)
    {
        Expire(now);
        var local = Quota - _used;
        return VenueLimits(now) ? Math.Min(local, _venueRemaining!.Value) : local;
    }

    public bool TryAcquire(int weight, DateTimeOffset now)
    {
        Expire(now);

        // A request heavier than the whole quota still goes, alone.
        if (_used > 0 && _used + weight > Quota)
        {
            return false;
        }

        if (VenueLimits(now) && _venueRemaining < weight)
        {
            return false;
        }

        _granted.Enqueue((now, weight));
        _used += weight;
        if (VenueLimits(now))
        {
            _venueRemaining -= weight;
        }

        return true;
    }

    /// <summary>How long until a request of <paramref name="weight"/> can be granted.</summary>
    public TimeSpan WaitTime(DateTimeOffset now, int weight)
    {
        Expire(now);
        var wait = TimeSpan.Zero;
        if (_used > 0 && _used + weight > Quota)
        {
            // Walk the oldest grants until enough weight has left the window.
            var freed = 0;
            foreach (var (at, granted) in _granted)
            {
                freed += granted;
                if (_used - freed + weight <= Quota || _used - freed == 0)
                {
                    wait = at + window - now;
                    break;
                }
            }
        }

        if (VenueLimits(now) && _venueRemaining < weight && _venueResetAt - now > wait)
        {
            wait = _venueResetAt - now;
        }

        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    /// <summary>Takes the venue's view of the pool from response headers.</summary>
    public void Observe(RateLimitObservation observation, DateTimeOffset now)
    {
        if (observation.Limit is { } limit and > 0)
        {
            Quota = limit;
        }

        if (observation.Remaining is { } remaining && observation.ResetIn is { } reset)
        {
            _venueRemaining = remaining;
            _venueResetAt = now + reset;
        }
    }

    /// <summary>The venue said we are over quota: nothing more until its reset.</summary>
    public void Exhaust(TimeSpan retryAfter, DateTimeOffset now)
    {
        _venueRemaining = 0;
        _venueResetAt = now + retryAfter;
    }

    private bool VenueLimits(DateTimeOffset now) => _venueRemaining is not null && now < _venueResetAt;

    private void Expire(DateTimeOffset now)
    {
        while (_granted.Count > 0 && _granted.Peek().At + window <= now)
        {
            _used -= _granted.Dequeue().Weight;
        }
    }
}
