using ActorTrading.Runtime.Limits;
using Xunit;

namespace ActorTrading.Runtime.Tests;

public sealed class WeightPoolSpecs
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_grant_answered_late_counts_a_whole_window_after_its_answer_and_holds_the_grants_behind_it()
    {
        var pool = new WeightPool("orders", quota: 2, window: TimeSpan.FromSeconds(1));
        var first = pool.Take(1, T0);
        pool.Take(1, T0);
        Assert.False(pool.Fits(1, T0.AddMilliseconds(500)));

        // The first request was answered 800 ms after its grant: the venue may have counted it as late as that.
        WeightPool.Restamp(first, T0.AddMilliseconds(800));

        Assert.False(pool.Fits(1, T0.AddSeconds(1)));
        Assert.Equal(TimeSpan.FromMilliseconds(800), pool.WaitTime(T0.AddSeconds(1), 1));
        Assert.True(pool.Fits(1, T0.AddMilliseconds(1800)));
        Assert.Equal(2, pool.Remaining(T0.AddMilliseconds(1800)));
    }

    [Fact]
    public void A_grant_answered_at_once_leaves_the_window_when_it_always_did()
    {
        var pool = new WeightPool("orders", quota: 1, window: TimeSpan.FromSeconds(1));
        var grant = pool.Take(1, T0);
        WeightPool.Restamp(grant, T0.AddMilliseconds(-5));   // a clock that stepped back never shortens the hold

        Assert.False(pool.Fits(1, T0.AddMilliseconds(999)));
        Assert.True(pool.Fits(1, T0.AddSeconds(1)));
    }
}
