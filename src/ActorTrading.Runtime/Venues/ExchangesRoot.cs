using ActorTrading.Core.Ids;
using ActorTrading.Runtime.Bus;
using ActorTrading.Runtime.Capture;
using ActorTrading.Runtime.Hosting;
using Akka.Actor;
using Akka.Event;

namespace ActorTrading.Runtime.Venues;

public static class ExchangesRootProtocol
{
    /// <summary>Delivers <paramref name="Message"/> to the venue's supervisor, keeping the sender (order commands).</summary>
    public sealed record ToVenue(VenueId Venue, MarketKind Market, object Message);
}

/// <summary>
/// <c>/user/exchanges</c>: the door to one <see cref="ExchangeSupervisor"/> per configured venue+market. In a cluster
/// each supervisor is a cluster singleton (<c>/user/exchanges/{venue}/singleton</c> on the oldest node), so the cluster
/// has one connection, one order entry and one rate budget per venue+market; every node reaches it through its own
/// proxy (<c>{venue}-proxy</c>), which buffers while the singleton moves. Without a cluster it is a plain child.
/// </summary>
public sealed class ExchangesRoot : ReceiveActor
{
    public ExchangesRoot(IReadOnlyList<VenueDefinition> venues, IMarketDataBus bus, HttpClient http, TimeProvider clock, IFrameCapture? capture)
    {
        var clustered = NodeCluster.IsMember(Context.System);
        var supervisors = new Dictionary<(VenueId, MarketKind), IActorRef>();
        foreach (var venue in venues)
        {
            var props = ExchangeSupervisor.Props(venue, bus, http, clock, capture);
            supervisors[(venue.Venue, venue.Market)] = clustered ? NodeCluster.StartSingleton(Context, Context.System, venue.Name, props) : Context.ActorOf(props, venue.Name);
        }

        Receive<ExchangesRootProtocol.ToVenue>(to =>
        {
            if (supervisors.TryGetValue((to.Venue, to.Market), out var supervisor))
            {
                supervisor.Forward(to.Message);
            }
            else
            {
                Context.GetLogger().Warning("no venue {Venue} {Market}: {Message} dropped", to.Venue, to.Market.ToWire(), to.Message.GetType().Name);
            }
        });

        Receive<ExchangeSupervisorProtocol.GetStatus>(_ =>
        {
            Task.WhenAll(supervisors.Values.Select(s => s.Ask<ExchangeSupervisorProtocol.VenueStatus>(ExchangeSupervisorProtocol.GetStatus.Instance, TimeSpan.FromSeconds(5))))
                .PipeTo(Sender, success: statuses => (IReadOnlyList<ExchangeSupervisorProtocol.VenueStatus>)statuses);
        });
    }

    public static Props Props(IReadOnlyList<VenueDefinition> venues, IMarketDataBus bus, HttpClient http, TimeProvider? clock = null, IFrameCapture? capture = null) =>
        Akka.Actor.Props.Create(() => new ExchangesRoot(venues, bus, http, clock ?? TimeProvider.System, capture));
}
