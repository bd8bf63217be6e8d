using Akka.Actor;

namespace ActorTrading.Runtime.Hosting;

/// <summary>
/// Starts the actor system's scheduler clock while the system starts (listed in <c>akka.extensions</c> of
/// <c>hocon.conf</c>), before any actor of ours runs.
/// </summary>
/// <remarks>
/// Akka's <c>HashedWheelTimerScheduler</c> starts its clock on the first timer anyone schedules, as a thread-pool task,
/// and blocks the scheduling thread until that task has run. When many actors schedule their first timers at once
/// (persistent actors starting recovery each arm a recovery timeout: a gateway recovering its orders, sixty writers in
/// a spec) every pool thread of a small machine blocks there, the clock's task waits in the queue behind them, and the
/// whole system stalls until the pool has grown past the queue: 30-40 s on two cores. A clock already running leaves
/// no first timer to block on.
/// </remarks>
public sealed class SchedulerClock : ExtensionIdProvider<SchedulerClock.Running>
{
    public override Running CreateExtension(ExtendedActorSystem system)
    {
        // Scheduling anything starts the clock and returns once it runs; the action itself does nothing.
        system.Scheduler.Advanced.ScheduleOnce(TimeSpan.Zero, static () => { });
        return new Running();
    }

    /// <summary>The extension's value: the clock runs.</summary>
    public sealed class Running : IExtension;
}
