using ActorTrading.Core.Adapters;
using ActorTrading.Runtime.Telemetry;
using Akka.Actor;
using Akka.Event;

namespace ActorTrading.Runtime.Limits;

public static class RateLimiterProtocol
{
    /// <summary>
    /// Ask for what a request spends (<paramref name="Charges"/>, one per pool); answered with <see cref="Granted"/>
    /// once every pool has room, first come first served among requests of the same first pool.
    /// </summary>
    public sealed record Acquire(IReadOnlyList<RateCharge> Charges, long RequestId)
    {
        public Acquire(string pool, int weight, long requestId)
            : this([new RateCharge(pool, weight)], requestId)
        {
        }
    }

    public sealed record Granted(long RequestId);

    /// <summary>The granted request <paramref name="RequestId"/> was answered (or failed): its weight counts from now.</summary>
    public sealed record Completed(long RequestId);

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
/// Guards a venue's REST limits: requests wait in line (never dropped, never sent over quota) and are granted when
/// every pool they spend from has room in each of its windows (Binance: an order spends IP weight per minute and the
/// account's orders per 10 s and per day); the venue's own quota headers correct our count. While the venue bans our
/// IP, nothing is granted: waiting and new requests are refused at once with the time the ban has left.
/// </summary>
public sealed class RateLimiter : ReceiveActor, IWithTimers
{
    private const string WakeTimer = "wake";
    private const string BudgetTimer = "budget";
    private static readonly TimeSpan BudgetInterval = TimeSpan.FromSeconds(1);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, WeightPool[]> _pools;
    private readonly Dictionary<string, Queue<(RateLimiterProtocol.Acquire Request, IActorRef ReplyTo)>> _waiting = new();
    private readonly Dictionary<long, WeightPool.Grant[]> _inFlight = new();
    private readonly TimeProvider _clock;
    private readonly string? _metricsName;
    private readonly TimeSpan _budgetInterval;
    private DateTimeOffset _bannedUntil = DateTimeOffset.MinValue;

    // metricsName: the venue the budget metric names (kucoin-futures); null exports none.
    public RateLimiter(IReadOnlyList<RateQuota> quotas, TimeProvider clock, string? metricsName = null)
    {
        _clock = clock;
        _metricsName = metricsName;
        _pools = quotas.GroupBy(q => q.Pool).ToDictionary(g => g.Key, g => g.Select(q => new WeightPool(q.Pool, q.Limit, q.Window)).ToArray());

        // Often enough that the shortest window's use is seen before it empties.
        _budgetInterval = quotas.Count == 0 ? BudgetInterval : TimeSpan.FromTicks(Math.Clamp(quotas.Min(q => q.Window.Ticks) / 5, TimeSpan.TicksPerMillisecond * 10, BudgetInterval.Ticks));
        Receive<RateLimiterProtocol.Acquire>(OnAcquire);
        Receive<RateLimiterProtocol.Observe>(o =>
        {
            if (_pools.TryGetValue(o.Observation.Pool, out var windows))
            {
                foreach (var pool in windows.Where(p => o.Observation.Window is not { } w || p.Window == w))
                {
                    pool.Observe(o.Observation, _clock.GetUtcNow());
                }

                DrainAll();
            }
        });
        Receive<RateLimiterProtocol.Throttled>(t =>
        {
            if (_pools.TryGetValue(t.Pool, out var windows))
            {
                _log.Warning("Pool {Pool} throttled by the venue for {RetryAfter}", t.Pool, t.RetryAfter);
                foreach (var pool in windows)
                {
                    pool.Exhaust(t.RetryAfter, _clock.GetUtcNow());
                }

                DrainAll();
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
        Receive<RateLimiterProtocol.Completed>(c =>
        {
            if (_inFlight.Remove(c.RequestId, out var grants))
            {
                var now = _clock.GetUtcNow();
                foreach (var grant in grants)
                {
                    WeightPool.Restamp(grant, now);
                }
            }
        });
        Receive<Wake>(w => Drain(w.Line));
        Receive<PublishBudget>(_ => ExportBudget());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IReadOnlyList<RateQuota> quotas, TimeProvider? clock = null, string? metricsName = null) =>
        Akka.Actor.Props.Create(() => new RateLimiter(quotas, clock ?? TimeProvider.System, metricsName));

    protected override void PreStart()
    {
        ExportBudget();
        Mailboxes.Watch(Self, "rate-limiter");
    }

    protected override void PostStop()
    {
        RateBudgets.Forget(this);
        Mailboxes.Forget(Self);
    }

    /// <summary>One limit per pool over one window (KuCoin's shape).</summary>
    public static Props Props(IReadOnlyDictionary<string, int> quotas, TimeSpan window, TimeProvider? clock = null) =>
        Props(RateQuota.Uniform(quotas, window), clock);

    private void OnAcquire(RateLimiterProtocol.Acquire request)
    {
        if (_bannedUntil > _clock.GetUtcNow())
        {
            Refuse(request, Sender);
            return;
        }

        var unknown = request.Charges.Where(c => !_pools.ContainsKey(c.Pool)).Select(c => c.Pool).ToArray();
        if (unknown.Length == request.Charges.Count)
        {
            _log.Warning("Unknown rate-limit pool {Pool}: granted without limiting", string.Join(", ", unknown));
            Sender.Tell(new RateLimiterProtocol.Granted(request.RequestId));
            return;
        }

        // Requests wait in the line of their first pool: one heavy order cannot hold back market-data reads.
        var line = request.Charges[0].Pool;
        if (!_waiting.TryGetValue(line, out var queue))
        {
            _waiting[line] = queue = new Queue<(RateLimiterProtocol.Acquire, IActorRef)>();
        }

        queue.Enqueue((request, Sender));
        Drain(line);
    }

    private void DrainAll()
    {
        foreach (var line in _waiting.Keys)
        {
            Drain(line);
        }

        ExportBudgetSoon();
    }

    private void Drain(string line)
    {
        if (!_waiting.TryGetValue(line, out var queue))
        {
            return;
        }

        var now = _clock.GetUtcNow();
        while (queue.Count > 0 && Fits(queue.Peek().Request, now))
        {
            var (request, replyTo) = queue.Dequeue();
            _inFlight[request.RequestId] = Windows(request).Select(w => w.Pool.Take(w.Weight, now)).ToArray();
            replyTo.Tell(new RateLimiterProtocol.Granted(request.RequestId));
        }

        ExportBudgetSoon();
        if (queue.Count > 0)
        {
            var wait = Windows(queue.Peek().Request).Max(w => w.Pool.WaitTime(now, w.Weight));
            Timers.StartSingleTimer(WakeTimer + line, new Wake(line), wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(10));
        }
    }

    /// <summary>
    /// Writes the figures now when they rest, else leaves them to the timer that rewrites them (each second, or a fifth of
    /// the shortest window) while a window is in use: written on every request, they cost as much as the grant itself at a thousand orders a second.
    /// </summary>
    private void ExportBudgetSoon()
    {
        if (!Timers.IsTimerActive(BudgetTimer))
        {
            ExportBudget();
        }
    }

    /// <summary>
    /// Writes each window's use for the metrics; while any is in use, again a moment later, so a window emptying as
    /// time passes is seen without a request.
    /// </summary>
    private void ExportBudget()
    {
        if (_metricsName is null)
        {
            return;
        }

        var now = _clock.GetUtcNow();
        var inUse = false;
        foreach (var pool in _pools.Values.SelectMany(windows => windows))
        {
            var used = pool.Used(now);
            inUse |= used > 0;
            RateBudgets.Set(this, _metricsName, pool.Name, pool.Window, used);
        }

        if (inUse && !Timers.IsTimerActive(BudgetTimer))
        {
            Timers.StartSingleTimer(BudgetTimer, PublishBudget.Instance, _budgetInterval);
        }
    }

    private bool Fits(RateLimiterProtocol.Acquire request, DateTimeOffset now) => Windows(request).All(w => w.Pool.Fits(w.Weight, now));

    /// <summary>Every window of every known pool the request spends from, with what it spends there.</summary>
    private IEnumerable<(WeightPool Pool, int Weight)> Windows(RateLimiterProtocol.Acquire request) =>
        request.Charges.SelectMany(c => _pools.TryGetValue(c.Pool, out var windows) ? windows.Select(w => (w, c.Weight)) : []);

    private void Refuse(RateLimiterProtocol.Acquire request, IActorRef replyTo) =>
        replyTo.Tell(new RateLimiterProtocol.Refused(request.RequestId, _bannedUntil - _clock.GetUtcNow()));

    private sealed record Wake(string Line);

    private sealed class PublishBudget
    {
        public static readonly PublishBudget Instance = new();
    }
}
