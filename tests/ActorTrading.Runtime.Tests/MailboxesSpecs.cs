using ActorTrading.Runtime.Telemetry;
using ActorTrading.TestExchange;
using Akka.Actor;
using Xunit;

namespace ActorTrading.Runtime.Tests;

public sealed class MailboxesSpecs : Akka.TestKit.Xunit2.TestKit
{
    /// <summary>Holds its first message until released, so the rest wait in its mailbox.</summary>
    private sealed class Busy : ReceiveActor
    {
        public Busy(ManualResetEventSlim release)
        {
            Receive<int>(_ => release.Wait(TimeSpan.FromSeconds(10)));
            Receive<string>(_ => Sender.Tell("done"));
        }
    }

    [Fact]
    public void A_watched_actors_waiting_messages_are_its_mailbox_depth_until_it_stops()
    {
        using var release = new ManualResetEventSlim();
        var kind = "busy-" + Guid.NewGuid().ToString("N")[..8];
        using var depth = new MeasuredSum("actortrading.mailbox.depth", ("kind", kind), ("actor", "busy-actor-" + kind));
        var actor = Sys.ActorOf(Props.Create(() => new Busy(release)), "busy-actor-" + kind);
        Mailboxes.Watch(actor, kind);
        for (var i = 0; i < 6; i++)
        {
            actor.Tell(i);
        }

        AwaitAssert(() => Assert.Equal(5, depth.Observe()));   // one being handled, five waiting
        release.Set();
        actor.Tell("flush", TestActor);
        ExpectMsg("done");
        Assert.Equal(0, depth.Observe());

        Mailboxes.Forget(actor);
        Assert.Equal((0.0, 0L), (depth.Observe(), depth.Count));
    }
}
