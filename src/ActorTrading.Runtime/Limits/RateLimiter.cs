using ActorTrading.Core.Adapters;
using Akka.Actor;
using Akka.Event;

namespace ActorTrading.Runtime.Limits;

public static class RateLimiterProtocol
{
    /// <summary>Ask for <paramref name="Weight"/> from a pool; answered with <see cref="Granted"/> when it fits, FIFO per pool.</summary>
    public sealed record Acquire(string Pool, int Weight, long RequestId);

    public sealed record Granted(long RequestId);

    /// <summary>Quota headers of a response.</summary>
    public sealed record Observe(RateLimitObservation Observation);

    /// <summary>The venue answered 429: hold the pool until <paramref name="RetryAfter"/> passes.</summary>
    public sealed record Throttled(string Pool, TimeSpan RetryAfter);

    /// <summary>The venue banned our IP for <paramref name="Duration"/>: every pool is closed until it has passed.</summary>
    public sealed record Banned(TimeSpan Duration);

    /// <summary>Answer to <see cref="Acquire"/> while the venue's ban lasts: the request must not be sent.</summary>
    public sealed record Refused(long RequestId, TimeSpan BanLeft);
}

/// <summary>
/// Guards a venue's REST weight pools: requests wait in line (never dropped, never sent over quota) and are
/// granted as the window refills; the venue's own quota headers correct our count. While the venue bans our IP,
/// nothing is granted: waiting and new requests are refused at once with the time the ban has left.
/// </summary>
public sealed class RateLimiter : ReceiveActor, IWithTimers
{
    private const string WakeTimer = "wake";
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, WeightPool> _pools;
    private readonly Dictionary<string, Queue<(RateLimiterProtocol.Acquire Request, IActorRef ReplyTo)>> _waiting = new();
    private readonly TimeProvider _clock;
    private DateTimeOffset _bannedUntil = DateTimeOffset.MinValue;

    public RateLimiter(IReadOnlyDictionary<string, int> quotas, TimeSpan window, TimeProvider clock)
    {
        _clock = clock;
        _pools = quotas.ToDictionary(q => q.Key, q => new WeightPool(q.Key, q.Value, window));
        Receive<RateLimiterProtocol.Acquire>(OnAcquire);
        Receive<RateLimiterProtocol.Observe>(o =>
        {
            if (_pools.TryGetValue(o.Observation.Pool, out var pool))
            {
                pool.Observe(o.Observation, _clock.GetUtcNow());
                Drain(pool);
            }
        });
        Receive<RateLimiterProtocol.Throttled>(t =>
        {
            if (_pools.TryGetValue(t.Pool, out var pool))
            {
                _log.Warning("Pool {Pool} throttled by the venue for {RetryAfter}", t.Pool, t.RetryAfter);
                pool.Exhaust(t.RetryAfter, _clock.GetUtcNow());
                Drain(pool);
            }
        });
        Receive<RateLimiterProtocol.Banned>(b =>
        {
            var until = _clock.GetUtcNow() + b.Duration;
            if (until > _bannedUntil)
            {
                _log.Warning("The venue banned this IP for {Duration}: no requests until {Until:O}", b.Duration, until);
                _bannedUntil = until;
            }

            foreach (var queue in _waiting.Values)
            {
                while (queue.TryDequeue(out var waiting))
                {
                    Refuse(waiting.Request, waiting.ReplyTo);
                }
            }
        });
        Receive<Wake>(w => Drain(_pools[w.Pool]));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IReadOnlyDictionary<string, int> quotas, TimeSpan window, TimeProvider? clock = null) =>
        Akka.Actor.Props.Create(() => new RateLimiter(quotas, window, clock ?? TimeProvider.System));

    private void OnAcquire(RateLimiterProtocol.Acquire request)
    {
        if (_bannedUntil > _clock.GetUtcNow())
        {
            Refuse(request, Sender);
            return;
        }

        if (!_pools.TryGetValue(request.Pool, out var pool))
        {
            _log.Warning("Unknown rate-limit pool {Pool}: granted without limiting", request.Pool);
            Sender.Tell(new RateLimiterProtocol.Granted(request.RequestId));
            return;
        }

        if (!_waiting.TryGetValue(pool.Name, out var queue))
        {
            _waiting[pool.Name] = queue = new Queue<(RateLimiterProtocol.Acquire, IActorRef)>();
        }

        queue.Enqueue((request, Sender));
        Drain(pool);
    }

    private void Drain(WeightPool pool)
    {
        if (!_waiting.TryGetValue(pool.Name, out var queue))
        {
            return;
        }

        var now = _clock.GetUtcNow();
        while (queue.Count > 0 && pool.TryAcquire(queue.Peek().Request.Weight, now))
        {
            var (request, replyTo) = queue.Dequeue();
            replyTo.Tell(new RateLimiterProtocol.Granted(request.RequestId));
        }

        if (queue.Count > 0)
        {
            var wait = pool.WaitTime(now, queue.Peek().Request.Weight);
            Timers.StartSingleTimer(WakeTimer + pool.Name, new Wake(pool.Name), wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(10));
        }
    }

    private void Refuse(RateLimiterProtocol.Acquire request, IActorRef replyTo) =>
        replyTo.Tell(new RateLimiterProtocol.Refused(request.RequestId, _bannedUntil - _clock.GetUtcNow()));

    private sealed record Wake(string Pool);
}
