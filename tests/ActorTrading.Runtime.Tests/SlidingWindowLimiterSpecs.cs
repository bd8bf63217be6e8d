using ActorTrading.Core.Adapters;
using ActorTrading.Runtime.Limits;
using Xunit;

namespace ActorTrading.Runtime.Tests;

public sealed class SlidingWindowLimiterSpecs
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Allows_limit_events_per_window_and_says_when_the_next_fits()
    {
        var limiter = new SlidingWindowLimiter(3, TimeSpan.FromSeconds(10));
        Assert.True(limiter.TryAcquire(T0));
        Assert.True(limiter.TryAcquire(T0.AddSeconds(1)));
        Assert.True(limiter.TryAcquire(T0.AddSeconds(2)));
        Assert.False(limiter.TryAcquire(T0.AddSeconds(3)));
        Assert.Equal(TimeSpan.FromSeconds(7).Ticks + 1, limiter.WaitTime(T0.AddSeconds(3)).Ticks);
        Assert.False(limiter.TryAcquire(T0.AddSeconds(9.999)));
        Assert.True(limiter.TryAcquire(T0.AddSeconds(10)));
    }

    [Fact]
    public void Reserve_keeps_slots_for_priority_sends()
    {
        var limiter = new SlidingWindowLimiter(3, TimeSpan.FromSeconds(10));
        Assert.True(limiter.TryAcquire(T0, reserve: 1));
        Assert.True(limiter.TryAcquire(T0, reserve: 1));
        Assert.False(limiter.TryAcquire(T0, reserve: 1));
        Assert.True(limiter.TryAcquire(T0));
        Assert.False(limiter.TryAcquire(T0));
    }

    [Fact]
    public void Weight_pool_adopts_the_venue_headers()
    {
        var pool = new WeightPool("public", 2000, TimeSpan.FromSeconds(30));
        Assert.True(pool.TryAcquire(10, T0));
        Assert.Equal(1990, pool.Remaining(T0));
        pool.Observe(new RateLimitObservation("public", 2000, 5, TimeSpan.FromMilliseconds(1500)), T0);
        Assert.True(pool.TryAcquire(5, T0));
        Assert.False(pool.TryAcquire(1, T0));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), pool.WaitTime(T0));
        Assert.True(pool.TryAcquire(1, T0.AddMilliseconds(1500)));
        Assert.Equal(1999, pool.Remaining(T0.AddMilliseconds(1500)));
    }
}
