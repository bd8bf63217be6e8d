using System.Diagnostics;
using Akka.Actor;

namespace ActorTrading.Benchmarks;

/// <summary>
/// The floor under every actor on the order path: one message handed from actor to actor along a chain of
/// <see cref="Hops"/> actors on the node's own dispatcher, sent at the measurement's rate while the node is otherwise
/// idle, and timed from its send to the last actor. At a few hundred a second each hand-off finds the next actor's
/// mailbox idle and its thread asleep, as an order's hand-offs do: what one costs is this machine's thread wake-up.
/// </summary>
internal static class HandOffFloor
{
    public const int Hops = 20;

    /// <summary>Times <paramref name="count"/> messages through the chain at <paramref name="perSecond"/>: the whole chain's latency, and per hand-off.</summary>
    public static async Task<(Percentiles Chain, Percentiles PerHop)> MeasureAsync(ActorSystem system, int perSecond, int count)
    {
        var arrived = new long[count];
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var remaining = count;
        void Counted()
        {
            if (Interlocked.Decrement(ref remaining) == 0)
            {
                done.TrySetResult();
            }
        }

        var counted = (Action)Counted;
        var next = system.ActorOf(Props.Create(() => new Last(arrived, counted)));
        for (var i = 1; i < Hops; i++)
        {
            var to = next;
            next = system.ActorOf(Props.Create(() => new Relay(to)));
        }

        var sent = new long[count];
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            await Pacing.UntilAsync(Pacing.Due(start, i, perSecond));
            sent[i] = Stopwatch.GetTimestamp();
            next.Tell(i);
        }

        await done.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var chain = Enumerable.Range(0, count).Select(i => Pacing.Microseconds(arrived[i] - sent[i])).ToArray();
        return (new Percentiles(chain), new Percentiles(chain.Select(c => c / Hops)));
    }

    private sealed class Relay : UntypedActor
    {
        private readonly IActorRef _next;

        public Relay(IActorRef next) => _next = next;

        protected override void OnReceive(object message) => _next.Tell(message);
    }

    private sealed class Last : UntypedActor
    {
        private readonly long[] _arrived;
        private readonly Action _counted;

        public Last(long[] arrived, Action counted) => (_arrived, _counted) = (arrived, counted);

        protected override void OnReceive(object message)
        {
            _arrived[(int)message] = Stopwatch.GetTimestamp();
            _counted();
        }
    }
}
