using ActorTrading.Core.Adapters;

namespace ActorTrading.Runtime.Limits;

/// <summary>
/// A venue's REST quota: at most <c>quota</c> weight in any window of <c>window</c> (KuCoin: per pool, per 30 s;
/// Binance: IP weight per minute, orders per 10 s and per day).
/// Counting over a sliding window is stricter than the venue's fixed windows, so we can never exceed them whatever
/// their alignment. A grant counts from when it was given until its request is answered (<see cref="Restamp"/>): the
/// venue counts a request when it arrives, which may be well after the grant when many go at once. The venue's own <c>remaining</c>/<c>reset</c> (or <c>used</c>) headers are honoured on top: they know about requests
/// from other processes sharing the key or IP. Not thread-safe: owned by the rate-limiter actor.
/// </summary>
public sealed class WeightPool(string name, int quota, TimeSpan window)
{
    private readonly Queue<Grant> _granted = new();
    private int _used;
    private int? _venueRemaining;
    private DateTimeOffset _venueResetAt = DateTimeOffset.MinValue;

    public string Name { get; } = name;

    public TimeSpan Window { get; } = window;

    public int Quota { get; private set; } = quota;

    public int Remaining(DateTimeOffset now)
    {
        Expire(now);
        var local = Quota - _used;
        return VenueLimits(now) ? Math.Min(local, _venueRemaining!.Value) : local;
    }

    /// <summary>The part of the window in use (0–1): ours, or the venue's count when it says less is left.</summary>
    public double Used(DateTimeOffset now) => Quota <= 0 ? 0 : Math.Clamp((double)(Quota - Remaining(now)) / Quota, 0, 1);

    public bool TryAcquire(int weight, DateTimeOffset now)
    {
        if (!Fits(weight, now))
        {
            return false;
        }

        Take(weight, now);
        return true;
    }

    /// <summary>Whether <paramref name="weight"/> may be spent now (a request heavier than the whole quota still goes, alone).</summary>
    public bool Fits(int weight, DateTimeOffset now)
    {
        Expire(now);
        return !(_used > 0 && _used + weight > Quota) && !(VenueLimits(now) && _venueRemaining < weight);
    }

    /// <summary>Spends <paramref name="weight"/>; call after <see cref="Fits"/> said yes for every pool of the request.</summary>
    public Grant Take(int weight, DateTimeOffset now)
    {
        var grant = new Grant(now, weight);
        _granted.Enqueue(grant);
        _used += weight;
        if (VenueLimits(now))
        {
            _venueRemaining -= weight;
        }

        return grant;
    }

    /// <summary>
    /// The request of <paramref name="grant"/> was answered at <paramref name="now"/>: it reached the venue no later, so
    /// its weight stays in the window until a whole window after that.
    /// </summary>
    public static void Restamp(Grant grant, DateTimeOffset now)
    {
        if (now > grant.At)
        {
            grant.At = now;
        }
    }

    /// <summary>How long until a request of <paramref name="weight"/> can be granted.</summary>
    public TimeSpan WaitTime(DateTimeOffset now, int weight)
    {
        Expire(now);
        var wait = TimeSpan.Zero;
        if (_used > 0 && _used + weight > Quota)
        {
            // Walk the oldest grants until enough weight has left the window; a grant leaves no earlier than those before it.
            var freed = 0;
            var leaves = DateTimeOffset.MinValue;
            foreach (var grant in _granted)
            {
                freed += grant.Weight;
                leaves = grant.At > leaves ? grant.At : leaves;
                if (_used - freed + weight <= Quota || _used - freed == 0)
                {
                    wait = leaves + Window - now;
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
        else if (observation.Used is { } used)
        {
            // The venue counts in fixed windows whose edge we do not see: what it says is left holds for a whole window at most.
            _venueRemaining = Math.Max(0, Quota - used);
            _venueResetAt = now + (observation.ResetIn ?? Window);
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
        // Oldest first; a grant answered late holds the ones behind it too (stricter, never looser, than the venue).
        while (_granted.Count > 0 && _granted.Peek().At + Window <= now)
        {
            _used -= _granted.Dequeue().Weight;
        }
    }

    /// <summary>Weight spent at <see cref="At"/>: when it was granted, then when its request was answered.</summary>
    public sealed class Grant(DateTimeOffset at, int weight)
    {
        public DateTimeOffset At { get; internal set; } = at;

        public int Weight { get; } = weight;
    }
}
