using ActorTrading.Runtime.Replay;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Xunit;
using Xunit.Abstractions;

namespace ActorTrading.Runtime.Tests;

/// <summary>When a replay's actor system counts as quiet: every message handled, however the mailbox ran it.</summary>
[Collection(QuiescenceCollection.Name)]
public sealed class QuiescenceSpecs(ITestOutputHelper output) : TestKit(ReplaySettings.Hocon, output: output)
{
    /// <summary>
    /// A mailbox run ends after the dispatcher's throughput without asking for another message. A burst of one more than
    /// that (31 on the default dispatcher, 6 on the internal one, 2 on the blocking one) left the last message counted
    /// forever, and a replay waited 30 s per frame.
    /// </summary>
    [Theory]
    [InlineData("akka.actor.default-dispatcher", 30)]
    [InlineData("akka.actor.default-dispatcher", 31)]
    [InlineData("akka.actor.default-dispatcher", 32)]
    [InlineData("akka.actor.internal-dispatcher", 5)]
    [InlineData("akka.actor.internal-dispatcher", 6)]
    [InlineData("akka.actor.internal-dispatcher", 7)]
    [InlineData("akka.actor.default-blocking-io-dispatcher", 2)]
    public async Task A_burst_as_long_as_a_mailbox_run_leaves_the_system_quiet(string dispatcher, int burst)
    {
        using var gate = new ManualResetEventSlim();
        var handled = 0;
        var actor = Sys.ActorOf(Props.Create(() => new Gated(gate, () => Interlocked.Increment(ref handled))).WithDispatcher(dispatcher));
        for (var i = 0; i < burst; i++)
        {
            actor.Tell(i);   // the first is in hand, held at the gate, while the rest queue behind it: one run takes them all
        }

        gate.Set();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await Quiescence.For(Sys).WaitAsync(limit.Token);

        Assert.Equal(burst, Volatile.Read(ref handled));
        Assert.True(Quiescence.For(Sys).IsQuiet, Quiescence.For(Sys).Busy);
    }

    private sealed class Gated : ReceiveActor
    {
        public Gated(ManualResetEventSlim gate, Action handled) => Receive<int>(_ =>
        {
            gate.Wait();
            handled();
        });
    }
}
