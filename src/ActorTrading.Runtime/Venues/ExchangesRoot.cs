using ActorTrading.Core.Ids;
using ActorTrading.Runtime.Bus;
using ActorTrading.Runtime.Capture;
using Akka.Actor;
using Akka.Event;

namespace ActorTrading.Runtime.Venues;

public static class ExchangesRootProtocol
{
    /// <summary>Delivers <paramref name="Message"/> to the venue's supervisor, keeping the sender (order commands).</summary>
    public sealed record ToVenue(VenueId Venue, MarketKind Market, object Message);
}

/// <summary><c>/user/exchanges</c>: one <see cref="ExchangeSupervisor"/> child per configured venue+market.</summary>
public sealed class ExchangesRoot : ReceiveActor
{
    public ExchangesRoot(IReadOnlyList<VenueDefinition> venues, IMarketDataBus bus, HttpClient http, TimeProvider clock, IFrameCapture? capture)
    {
        var supervisors = new Dictionary<(VenueId, MarketKind), IActorRef>();
        foreach (var venue in venues)
        {
            supervisors[(venue.Venue, venue.Market)] = Context.ActorOf(ExchangeSupervisor.Props(venue, bus, http, clock, capture), venue.Name);
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
            var children = Context.GetChildren().ToArray();
            Task.WhenAll(children.Select(c => c.Ask<ExchangeSupervisorProtocol.VenueStatus>(ExchangeSupervisorProtocol.GetStatus.Instance, TimeSpan.FromSeconds(5))))
                .PipeTo(Sender, success: statuses => (IReadOnlyList<ExchangeSupervisorProtocol.VenueStatus>)statuses);
        });
    }

    public static Props Props(IReadOnlyList<VenueDefinition> venues, IMarketDataBus bus, HttpClient http, TimeProvider? clock = null, IFrameCapture? capture = null) =>
        Akka.Actor.Props.Create(() => new ExchangesRoot(venues, bus, http, clock ?? TimeProvider.System, capture));
}
