using System.Reflection;
using ActorTrading.Runtime.Hosting;
using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using Xunit;

namespace ActorTrading.Journal.Tests;

/// <summary>
/// A system on <c>hocon.conf</c> has its scheduler clock running before anything schedules a timer, so a burst of
/// first timers (persistent actors recovering at once) never blocks the thread pool waiting for the clock to start.
/// </summary>
public sealed class SchedulerClockSpecs() : TestKit(ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "hocon.conf"))))
{
    [Fact]
    public void The_scheduler_clock_runs_as_soon_as_the_system_has_started()
    {
        Assert.True(Sys.HasExtension<SchedulerClock.Running>());

        // The clock's start time is only set by its running task: zero until then (Akka's HashedWheelTimerScheduler).
        var startTime = typeof(HashedWheelTimerScheduler).GetField("_startTime", BindingFlags.NonPublic | BindingFlags.Instance)
            ?? throw new InvalidOperationException("HashedWheelTimerScheduler no longer has _startTime: check how this Akka version starts its clock");
        Assert.IsType<HashedWheelTimerScheduler>(Sys.Scheduler);
        Assert.NotEqual(0L, (long)startTime.GetValue(Sys.Scheduler)!);
    }

    [Fact]
    public void Many_actors_arming_their_first_timers_at_once_all_hear_them()
    {
        const int actors = 200;
        for (var i = 0; i < actors; i++)
        {
            Sys.ActorOf(Props.Create(() => new FirstTimer(TestActor)));
        }

        var heard = ReceiveN(actors, TimeSpan.FromSeconds(10));
        Assert.Equal(actors, heard.Count(m => Equals(m, "tick")));
    }

    /// <summary>Arms a timer as it starts (as a persistent actor does when it starts recovery) and forwards it.</summary>
    private sealed class FirstTimer : ReceiveActor, IWithTimers
    {
        public FirstTimer(IActorRef probe) => Receive<string>(tick => probe.Tell(tick));

        public ITimerScheduler Timers { get; set; } = null!;

        protected override void PreStart() => Timers.StartSingleTimer("first", "tick", TimeSpan.FromMilliseconds(1));
    }
}
