using ActorTrading.Core.Ids;
using ActorTrading.Runtime.Hosting;
using ActorTrading.Runtime.Venues;
using Akka.Hosting;

namespace ActorTrading.Journal;

public static class JournalHosting
{
    /// <summary>
    /// The order side of a node: the journal's provider and connection string injected into the HOCON of
    /// <c>hocon.conf</c>, <c>/user/orders</c> (<see cref="OrderGateway"/>) sending order commands to the venues with
    /// order entry through <c>/user/exchanges</c>, and <c>/user/reconciler</c> reconciling them on start and on every
    /// private-feed reconnect (orders wait until a venue's positions are known). Call after <c>WithMarketData</c>.
    /// </summary>
    public static AkkaConfigurationBuilder WithOrderJournal(
        this AkkaConfigurationBuilder builder,
        JournalSettings journal,
        IEnumerable<(VenueId Venue, MarketKind Market)> venuesWithOrderEntry,
        MarketDataBusHolder busHolder,
        Func<string, RiskLimits>? limits = null,
        TimeProvider? clock = null)
    {
        journal.Prepare();
        var venues = venuesWithOrderEntry.ToArray();
        return builder
            .AddHocon(journal.ToHocon(), HoconAddMode.Prepend)
            .WithActors((system, registry) =>
            {
                var doors = VenueDoors.Through(registry.Get<ExchangesRoot>(), venues);
                var gateway = system.ActorOf(OrderGateway.Props(doors, limits, busHolder.Bus, clock: clock, positionsUnknownAtStart: venues), "orders");
                registry.Register<OrderGateway>(gateway);
                registry.Register<Reconciler>(system.ActorOf(
                    Reconciler.Props(gateway, doors, venues, ct => AuditQueries.LoadAsync(system, ct: ct), busHolder.Bus, clock), "reconciler"));
            });
    }
}
