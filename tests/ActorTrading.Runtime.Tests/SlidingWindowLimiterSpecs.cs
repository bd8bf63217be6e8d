using ActorTrading.Core.Adapters;
using ActorTrading.Runtime.Limits;
using ActorTrading.TestExchange;
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
        Assert.Equal(TimeSpan.FromMilliseconds(1500), pool.WaitTime(T0, 1));
        Assert.True(pool.TryAcquire(1, T0.AddMilliseconds(1500)));
        Assert.Equal(1984, pool.Remaining(T0.AddMilliseconds(1500)));
    }

    [Fact]
    public void Weight_pool_counts_over_a_sliding_window()
    {
        var pool = new WeightPool("spot", 10, TimeSpan.FromSeconds(30));
        Assert.True(pool.TryAcquire(6, T0));
        Assert.True(pool.TryAcquire(4, T0.AddSeconds(20)));
        Assert.False(pool.TryAcquire(1, T0.AddSeconds(29)));
        Assert.Equal(TimeSpan.FromSeconds(1), pool.WaitTime(T0.AddSeconds(29), 1));
        Assert.Equal(TimeSpan.FromSeconds(21), pool.WaitTime(T0.AddSeconds(29), 7));
        Assert.True(pool.TryAcquire(6, T0.AddSeconds(30)));
        Assert.False(pool.TryAcquire(1, T0.AddSeconds(49)));
        Assert.True(pool.TryAcquire(4, T0.AddSeconds(50)));
    }
}

public sealed class WeightPoolBurstSpecs
{
    [Fact]
    public void A_burst_gets_exactly_the_quota()
    {
        var pool = new WeightPool("public", 10, TimeSpan.FromMilliseconds(300));
        var now = DateTimeOffset.UtcNow;
        var granted = Enumerable.Range(0, 30).Count(_ => pool.TryAcquire(1, now));
        Assert.Equal(10, granted);
    }
}

public sealed class RateLimiterActorSpecs : Akka.TestKit.Xunit2.TestKit
{
    [Fact]
    public void Grants_exactly_the_quota_then_spreads_the_rest()
    {
        var limiter = Sys.ActorOf(RateLimiter.Props(new Dictionary<string, int> { ["public"] = 10 }, TimeSpan.FromSeconds(1)));
        for (var i = 0; i < 30; i++)
        {
            limiter.Tell(new RateLimiterProtocol.Acquire("public", 1, i), TestActor);
        }

        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), Enumerable.Range(0, 10).Select(_ => ExpectMsg<RateLimiterProtocol.Granted>(TimeSpan.FromSeconds(3)).RequestId));
        ExpectNoMsg(TimeSpan.FromMilliseconds(400));
        Assert.Equal(Enumerable.Range(10, 10).Select(i => (long)i), Enumerable.Range(0, 10).Select(_ => ExpectMsg<RateLimiterProtocol.Granted>(TimeSpan.FromSeconds(2)).RequestId));
        ExpectNoMsg(TimeSpan.FromMilliseconds(400));
        Assert.Equal(20L, ExpectMsg<RateLimiterProtocol.Granted>(TimeSpan.FromSeconds(2)).RequestId);
    }
}

public sealed class MultiWindowRateLimiterSpecs : Akka.TestKit.Xunit2.TestKit
{
    private static RateLimiterProtocol.Acquire Order(long id) => new([new RateCharge("orders", 1), new RateCharge("weight", 1)], id);

    [Fact]
    public void An_order_waits_for_room_in_every_window_of_every_pool_it_spends_from()
    {
        // Orders: 2 per 600 ms and 3 per minute (Binance's per-10-s and per-day limits, shrunk); weight plenty.
        var limiter = Sys.ActorOf(RateLimiter.Props([
            new RateQuota("orders", 2, TimeSpan.FromMilliseconds(600)),
            new RateQuota("orders", 3, TimeSpan.FromMinutes(1)),
            new RateQuota("weight", 100, TimeSpan.FromMinutes(1)),
        ]));
        for (var i = 1; i <= 4; i++)
        {
            limiter.Tell(Order(i), TestActor);
        }

        Assert.Equal([1L, 2L], [ExpectMsg<RateLimiterProtocol.Granted>().RequestId, ExpectMsg<RateLimiterProtocol.Granted>().RequestId]);
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.Equal(3L, ExpectMsg<RateLimiterProtocol.Granted>(TimeSpan.FromSeconds(2)).RequestId);   // the short window refilled
        ExpectNoMsg(TimeSpan.FromSeconds(1));   // the long window is full: the 4th waits a minute, whatever the short one says

        // A read spends weight only: it is not held behind the waiting order.
        limiter.Tell(new RateLimiterProtocol.Acquire("weight", 5, 9), TestActor);
        Assert.Equal(9L, ExpectMsg<RateLimiterProtocol.Granted>().RequestId);
    }

    [Fact]
    public void The_venues_count_of_used_weight_holds_requests_back_for_the_window()
    {
        var limiter = Sys.ActorOf(RateLimiter.Props([new RateQuota("weight", 100, TimeSpan.FromMinutes(1))]));
        limiter.Tell(new RateLimiterProtocol.Observe(new RateLimitObservation("weight", null, null, null, Used: 98, Window: TimeSpan.FromMinutes(1))), TestActor);
        limiter.Tell(new RateLimiterProtocol.Acquire("weight", 5, 1), TestActor);
        limiter.Tell(new RateLimiterProtocol.Acquire("other", 1, 2), TestActor);
        Assert.Equal(2L, ExpectMsg<RateLimiterProtocol.Granted>().RequestId);   // an unknown pool is not limited
        ExpectNoMsg(TimeSpan.FromMilliseconds(500));   // 98 of 100 used elsewhere: 5 more must wait
    }

    [Fact]
    public void The_budget_metric_reads_each_windows_use_and_falls_back_to_zero_as_the_window_passes()
    {
        var venue = "budget-" + Guid.NewGuid().ToString("N")[..8];
        using var orders = new MeasuredSum("actortrading.rate.budget.used", ("venue", venue), ("pool", "orders"), ("window", "0.5s"));
        using var weight = new MeasuredSum("actortrading.rate.budget.used", ("venue", venue), ("pool", "weight"), ("window", "60s"));
        var limiter = Sys.ActorOf(RateLimiter.Props([new RateQuota("orders", 4, TimeSpan.FromMilliseconds(500)), new RateQuota("weight", 100, TimeSpan.FromMinutes(1))],
            metricsName: venue));
        limiter.Tell(Order(1), TestActor);
        limiter.Tell(Order(2), TestActor);
        ExpectMsg<RateLimiterProtocol.Granted>();
        ExpectMsg<RateLimiterProtocol.Granted>();
        AwaitAssert(() => Assert.Equal((0.5, 0.02), (orders.Observe(), weight.Observe())));

        // The venue says 98 of its 100 are used: that is the budget, not our 2. Half a second on, the orders window is empty again.
        limiter.Tell(new RateLimiterProtocol.Observe(new RateLimitObservation("weight", null, null, null, Used: 98, Window: TimeSpan.FromMinutes(1))), TestActor);
        AwaitAssert(() => Assert.Equal(0.98, weight.Observe(), 3));
        AwaitAssert(() => Assert.Equal(0, orders.Observe()), TimeSpan.FromSeconds(3));

        Sys.Stop(limiter);
        AwaitAssert(() => Assert.Equal((0.0, 0L), (weight.Observe(), weight.Count)));   // a stopped limiter's windows leave the metrics
    }
}
