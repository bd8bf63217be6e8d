using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Akka.Actor;

namespace ActorTrading.Runtime.Telemetry;

/// <summary>
/// The hot actors whose mailbox depth the node exports: each registers itself when it starts and leaves when it stops.
/// The depth is read when metrics are scraped, from the mailbox's own count (no message to the actor, which may be the
/// busy one).
/// </summary>
public static class Mailboxes
{
    private static readonly ConcurrentDictionary<IActorRef, KeyValuePair<string, object?>[]> Watched = new();

    /// <summary>Exports <paramref name="actor"/>'s mailbox depth as <c>kind</c> with its path below <c>/user</c>.</summary>
    public static void Watch(IActorRef actor, string kind) =>
        Watched[actor] = [NodeTelemetry.Tag("kind", kind), NodeTelemetry.Tag("actor", string.Join('/', actor.Path.Elements.Skip(1)))];

    public static void Forget(IActorRef actor) => Watched.TryRemove(actor, out _);

    internal static IEnumerable<Measurement<int>> Observe()
    {
        foreach (var (actor, tags) in Watched)
        {
            if (actor is ActorRefWithCell { Underlying: { } cell })
            {
                yield return new Measurement<int>(cell.NumberOfMessages, tags);
            }
        }
    }
}
