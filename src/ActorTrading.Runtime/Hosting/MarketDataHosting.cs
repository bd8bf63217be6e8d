using ActorTrading.Runtime.Bus;
using ActorTrading.Runtime.Feeds;
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
    /// Starts the market-data side of a node: the local bus, <c>/user/exchanges</c> with one supervisor per venue,
    /// and <c>/user/status</c>. Actors are registered as <see cref="ExchangesRoot"/> and <see cref="StatusCollector"/>.
    /// </summary>
    public static AkkaConfigurationBuilder WithMarketData(
        this AkkaConfigurationBuilder builder,
        IReadOnlyList<VenueDefinition> venues,
        HttpClient http,
        MarketDataBusHolder busHolder,
        TimeProvider? clock = null,
        FrameRecorder? recorder = null) =>
        builder.WithActors((system, registry) =>
        {
            var bus = new LocalMarketDataBus(system);
            busHolder.Bus = bus;
            registry.Register<StatusCollector>(system.ActorOf(StatusCollector.Props(bus, clock), "status"));
            registry.Register<ExchangesRoot>(system.ActorOf(ExchangesRoot.Props(venues, bus, http, clock, recorder), "exchanges"));
        });
}
