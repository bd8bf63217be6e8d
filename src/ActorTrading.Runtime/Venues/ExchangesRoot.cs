using ActorTrading.Runtime.Bus;
using ActorTrading.Runtime.Feeds;
using Akka.Actor;

namespace ActorTrading.Runtime.Venues;

/// <summary><c>/user/exchanges</c>: one <see cref="ExchangeSupervisor"/> child per configured venue+market.</summary>
public sealed class ExchangesRoot : ReceiveActor
{
    public ExchangesRoot(IReadOnlyList<VenueDefinition> venues, IMarketDataBus bus, HttpClient http, TimeProvider clock, FrameRecorder? recorder)
    {
        foreach (var venue in venues)
        {
            Context.ActorOf(ExchangeSupervisor.Props(venue, bus, http, clock, recorder), venue.Name);
        }

        Receive<ExchangeSupervisorProtocol.GetStatus>(_ =>
        {
            var children = Context.GetChildren().ToArray();
            Task.WhenAll(children.Select(c => c.Ask<ExchangeSupervisorProtocol.VenueStatus>(ExchangeSupervisorProtocol.GetStatus.Instance, TimeSpan.FromSeconds(5))))
                .PipeTo(Sender, success: statuses => (IReadOnlyList<ExchangeSupervisorProtocol.VenueStatus>)statuses);
        });
    }

    public static Props Props(IReadOnlyList<VenueDefinition> venues, IMarketDataBus bus, HttpClient http, TimeProvider? clock = null, FrameRecorder? recorder = null) =>
        Akka.Actor.Props.Create(() => new ExchangesRoot(venues, bus, http, clock ?? TimeProvider.System, recorder));
}
