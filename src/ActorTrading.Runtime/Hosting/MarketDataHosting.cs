using ActorTrading.Runtime.Bus;
using ActorTrading.Runtime.Capture;
using ActorTrading.Runtime.Status;
using ActorTrading.Runtime.Venues;
using Akka.Hosting;

namespace ActorTrading.Runtime.Hosting;

/// <summary>Registry key of the process-wide market-data bus holder.</summary>
public sealed class MarketDataBusHolder
{
    public IMarketDataBus? Bus { get; internal set; }
}

public static class MarketDataHosting
{
    /// <summary>
    /// Starts the market-data side of a node: the bus (across the cluster when the node is a member), <c>/user/exchanges</c> with one supervisor per venue,
    /// <c>/user/status</c>, and on a cluster member <c>/user/node</c> (what the <c>status</c> command asks). Actors are
    /// registered as <see cref="ExchangesRoot"/>, <see cref="StatusCollector"/> and <see cref="Cluster.NodeStatusActor"/>.
    /// </summary>
    public static AkkaConfigurationBuilder WithMarketData(
        this AkkaConfigurationBuilder builder,
        IReadOnlyList<VenueDefinition> venues,
        HttpClient http,
        MarketDataBusHolder busHolder,
        TimeProvider? clock = null,
        IFrameCapture? capture = null) =>
        builder.WithActors((system, registry) =>
        {
            IMarketDataBus bus = NodeCluster.IsMember(system)
                ? new ClusterMarketDataBus(system, ClusterMarketDataBus.Universe(venues.SelectMany(v =>
                    v.Subscriptions.Select(s => s.Symbol).Concat(v.Books).Select(symbol => (v.Venue, v.Market, symbol)))))
                : new LocalMarketDataBus(system);
            busHolder.Bus = bus;
            registry.Register<StatusCollector>(system.ActorOf(StatusCollector.Props(bus, clock), "status"));
            var exchanges = system.ActorOf(ExchangesRoot.Props(venues, bus, http, clock, capture), "exchanges");
            registry.Register<ExchangesRoot>(exchanges);
            if (bus is ClusterMarketDataBus)
            {
                registry.Register<Cluster.NodeStatusActor>(system.ActorOf(Cluster.NodeStatusActor.Props(exchanges), "node"));
            }
        });

    /// <summary>
    /// The market-data side of a replay: the bus, <c>/user/status</c>, and the books of the configured venues under a
    /// stand-in for <c>/user/exchanges</c> (registered as <see cref="ExchangesRoot"/>), with book snapshots from the
    /// capture. Frames come from a <see cref="Replay.ReplayPump"/>. The actor system needs <see cref="Replay.ReplaySettings.Hocon"/>.
    /// </summary>
    public static AkkaConfigurationBuilder WithReplay(
        this AkkaConfigurationBuilder builder,
        IReadOnlyList<VenueDefinition> venues,
        MarketDataBusHolder busHolder,
        Replay.ReplaySettings replay,
        TimeProvider clock) =>
        builder.WithActors((system, registry) =>
        {
            var bus = new LocalMarketDataBus(system);
            busHolder.Bus = bus;
            var restAnswers = Capture.CaptureReader.Read(replay.Capture).Where(r => r.Kind == Capture.CaptureKind.Rest).ToArray();
            registry.Register<StatusCollector>(system.ActorOf(StatusCollector.Props(bus, clock), "status"));
            registry.Register<ExchangesRoot>(system.ActorOf(Replay.ReplayExchanges.Props(venues, bus, restAnswers, clock), "exchanges"));
        });
}
