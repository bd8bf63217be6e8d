using ActorTrading.Core;
using ActorTrading.Runtime.Venues;
using Akka.Actor;

namespace ActorTrading.Runtime.Cluster;

public static class NodeStatusProtocol
{
    /// <summary>What the node knows now: answered with <see cref="NodeStatus"/>.</summary>
    public sealed class GetNodeStatus : ICrossNodeMessage
    {
        public static readonly GetNodeStatus Instance = new();

        private GetNodeStatus()
        {
        }
    }

    /// <summary>A cluster member as this node sees it: <c>Up</c>, <c>Joining</c>, <c>Leaving</c>…, reachable or not.</summary>
    public sealed record MemberView(string Address, string Status, bool Reachable, IReadOnlyList<string> Roles);

    /// <summary>
    /// The node (<see cref="Address"/>), the cluster's members, and every venue as its supervisor reports it (through
    /// this node's proxy, wherever the venue runs); a venue that did not answer in time is in <see cref="Unanswered"/>.
    /// </summary>
    public sealed record NodeStatus(string Address, IReadOnlyList<MemberView> Members, IReadOnlyList<ExchangeSupervisorProtocol.VenueStatus> Venues, string? Unanswered)
        : ICrossNodeMessage;
}

/// <summary>
/// <c>/user/node</c>: answers what the node is doing, for the <c>status</c> command (a short-lived remote client) and
/// anything else outside the node. Reads the cluster's state and asks <c>/user/exchanges</c> for the venues.
/// </summary>
public sealed class NodeStatusActor : ReceiveActor
{
    public NodeStatusActor(IActorRef exchanges, TimeSpan venueTimeout)
    {
        var cluster = Akka.Cluster.Cluster.Get(Context.System);
        Receive<NodeStatusProtocol.GetNodeStatus>(_ =>
        {
            var state = cluster.State;
            var members = state.Members
                .Select(m => new NodeStatusProtocol.MemberView(m.Address.ToString(), m.Status.ToString(), !state.Unreachable.Contains(m), m.Roles.Order().ToArray()))
                .ToArray();
            var self = cluster.SelfAddress.ToString();
            exchanges.Ask<IReadOnlyList<ExchangeSupervisorProtocol.VenueStatus>>(ExchangeSupervisorProtocol.GetStatus.Instance, venueTimeout)
                .ContinueWith(
                    t => t.IsCompletedSuccessfully
                        ? new NodeStatusProtocol.NodeStatus(self, members, t.Result, null)
                        : new NodeStatusProtocol.NodeStatus(self, members, [], $"the venues did not answer within {venueTimeout.TotalSeconds:0} s"),
                    TaskScheduler.Default)
                .PipeTo(Sender);
        });
    }

    public static Props Props(IActorRef exchanges, TimeSpan? venueTimeout = null) =>
        // Well inside the status command's 5 s: while a venue moves between nodes the node still answers, about itself.
        Akka.Actor.Props.Create(() => new NodeStatusActor(exchanges, venueTimeout ?? TimeSpan.FromSeconds(3)));
}
