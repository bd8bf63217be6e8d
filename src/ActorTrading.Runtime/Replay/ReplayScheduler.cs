using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Event;

namespace ActorTrading.Runtime.Replay;

/// <summary>
/// Marks an actor whose timers follow the replay's clock: in a replay they fire as the captured frames' times pass,
/// not on the wall clock (strategies, books, the paper venue). Live, the mark does nothing.
/// </summary>
public interface IOnReplayClock
{
}

/// <summary>
/// The scheduler of a replay's actor system (<c>akka.scheduler.implementation</c>). Timers of actors marked
/// <see cref="IOnReplayClock"/> wait on virtual time, moved by the replay with <see cref="AdvanceTo"/>; everything else
/// (journal and query internals, stream stages, ask timeouts) keeps the wall clock, so a replay can never wait forever
/// on a timeout that virtual time would not reach.
/// </summary>
public sealed class ReplayScheduler : SchedulerBase, IDateTimeOffsetNowTimeProvider, IDisposable
{
    private static readonly ConcurrentDictionary<Type, bool> Marked = new();
    private readonly HashedWheelTimerScheduler _wallClock;
    private readonly PriorityQueue<Timer, (long Due, long Order)> _timers = new();
    private readonly Lock _gate = new();
    private long _now;
    private long _order;

    public ReplayScheduler(Config config, ILoggingAdapter log)
        : base(config, log)
    {
        _wallClock = new HashedWheelTimerScheduler(config, log);
        _now = DateTimeOffset.UtcNow.UtcTicks;
    }

    /// <summary>Virtual now: the time of the frame being replayed.</summary>
    protected override DateTimeOffset TimeNow => new(Interlocked.Read(ref _now), TimeSpan.Zero);

    public override TimeSpan MonotonicClock => _wallClock.MonotonicClock;

    public override TimeSpan HighResMonotonicClock => _wallClock.HighResMonotonicClock;

    /// <summary>
    /// Sets virtual time to the replay's start (the scheduler was made before the capture was known). Timers already
    /// waiting keep the delay they had left.
    /// </summary>
    public void StartAt(DateTimeOffset start)
    {
        lock (_gate)
        {
            var shift = start.UtcTicks - Interlocked.Exchange(ref _now, start.UtcTicks);
            var waiting = _timers.UnorderedItems.ToArray();
            _timers.Clear();
            foreach (var (timer, key) in waiting)
            {
                _timers.Enqueue(timer, (key.Due + shift, key.Order));
            }
        }
    }

    /// <summary>The earliest virtual timer due at or before <paramref name="until"/>, if any.</summary>
    public DateTimeOffset? NextDue(DateTimeOffset until)
    {
        lock (_gate)
        {
            while (_timers.TryPeek(out var timer, out var key))
            {
                if (timer.Cancelable?.IsCancellationRequested == true)
                {
                    _timers.Dequeue();
                    continue;
                }

                return key.Due <= until.UtcTicks ? new DateTimeOffset(key.Due, TimeSpan.Zero) : null;
            }

            return null;
        }
    }

    /// <summary>
    /// Moves virtual time to <paramref name="time"/> and delivers every timer due by then, in due order; a repeating
    /// timer is delivered once per interval passed. Time never goes back.
    /// </summary>
    public void AdvanceTo(DateTimeOffset time)
    {
        var target = time.UtcTicks;
        while (true)
        {
            Timer timer;
            lock (_gate)
            {
                if (!_timers.TryPeek(out timer!, out var key) || key.Due > target)
                {
                    break;
                }

                _timers.Dequeue();
                Interlocked.Exchange(ref _now, Math.Max(Interlocked.Read(ref _now), key.Due));
                if (timer.Cancelable?.IsCancellationRequested == true)
                {
                    continue;
                }

                if (timer.Interval is { } interval)
                {
                    _timers.Enqueue(timer, (key.Due + interval.Ticks, _order++));
                }
            }

            timer.Receiver.Tell(timer.Message, timer.Sender);
        }

        Interlocked.Exchange(ref _now, Math.Max(Interlocked.Read(ref _now), target));
    }

    protected override void InternalScheduleTellOnce(TimeSpan delay, ICanTell receiver, object message, IActorRef sender, ICancelable cancelable)
    {
        if (FollowsReplayClock(receiver))
        {
            Add(new Timer(receiver, message, sender, cancelable, null), delay);
        }
        else
        {
            ((ITellScheduler)_wallClock).ScheduleTellOnce(delay, receiver, message, sender, cancelable);
        }
    }

    protected override void InternalScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, ICanTell receiver, object message, IActorRef sender, ICancelable cancelable)
    {
        if (FollowsReplayClock(receiver))
        {
            Add(new Timer(receiver, message, sender, cancelable, interval), initialDelay);
        }
        else
        {
            ((ITellScheduler)_wallClock).ScheduleTellRepeatedly(initialDelay, interval, receiver, message, sender, cancelable);
        }
    }

    protected override void InternalScheduleOnce(TimeSpan delay, Action action, ICancelable cancelable) =>
        ((IActionScheduler)_wallClock).ScheduleOnce(delay, action, cancelable);

    protected override void InternalScheduleOnce(TimeSpan delay, IRunnable action, ICancelable cancelable) =>
        ((IRunnableScheduler)_wallClock).ScheduleOnce(delay, action, cancelable);

    protected override void InternalScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, Action action, ICancelable cancelable) =>
        ((IActionScheduler)_wallClock).ScheduleRepeatedly(initialDelay, interval, action, cancelable);

    protected override void InternalScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, IRunnable action, ICancelable cancelable) =>
        ((IRunnableScheduler)_wallClock).ScheduleRepeatedly(initialDelay, interval, action, cancelable);

    public void Dispose() => _wallClock.Dispose();

    private static bool FollowsReplayClock(ICanTell receiver) =>
        receiver is ActorRefWithCell { Underlying: { } cell } && Marked.GetOrAdd(cell.Props.Type, t => typeof(IOnReplayClock).IsAssignableFrom(t));

    private void Add(Timer timer, TimeSpan delay)
    {
        lock (_gate)
        {
            _timers.Enqueue(timer, (Interlocked.Read(ref _now) + delay.Ticks, _order++));
        }
    }

    private sealed record Timer(ICanTell Receiver, object Message, IActorRef Sender, ICancelable? Cancelable, TimeSpan? Interval);
}
