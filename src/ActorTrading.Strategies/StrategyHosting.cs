using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Journal;
using ActorTrading.Runtime.Books;
using ActorTrading.Runtime.Cluster;
using ActorTrading.Runtime.Hosting;
using ActorTrading.Runtime.Venues;
using ActorTrading.Strategies.Paper;
using Akka.Actor;
using Akka.Hosting;

namespace ActorTrading.Strategies;

public static class StrategyHosting
{
    /// <summary>One paper venue per venue+market that a paper strategy trades, fed by that venue's market data and trading rules.</summary>
    public static IReadOnlyList<LocalVenue> PaperVenues(IEnumerable<StrategySettings> strategies, PaperFees fees, TimeSpan latency, RunId run, TimeProvider? clock = null) =>
        strategies.Where(s => s.Paper).Select(s => (s.Venue, s.Market)).Distinct()
            .Select(v => new LocalVenue(PaperVenue.IdFor(v.Venue), v.Market, (bus, registry) =>
                PaperVenue.Props(new PaperVenueSettings(v.Venue, v.Market, fees, latency, run.Value), bus, Depth(registry.Get<ExchangesRoot>(), v.Venue, v.Market), clock,
                    paper => registry.Get<ExchangesRoot>().Tell(new ExchangesRootProtocol.ToVenue(v.Venue, v.Market, InstrumentCatalogProtocol.Subscribe.Instance), paper))))
            .ToArray();

    /// <summary>Each strategy's risk limits for the order gateway (orders of other ids, e.g. the CLI's: none).</summary>
    public static Func<string, RiskLimits> Limits(IEnumerable<StrategySettings> strategies)
    {
        var byId = strategies.ToDictionary(s => s.Id, s => s.Risk, StringComparer.Ordinal);
        return id => byId.GetValueOrDefault(id) ?? RiskLimits.None;
    }

    /// <summary>
    /// <c>/user/strategies</c> with one child per strategy, trading through <c>/user/orders</c>. Call after
    /// <c>WithOrderJournal</c>. Each strategy's ledger counts the orders of <paramref name="run"/>.
    /// </summary>
    public static AkkaConfigurationBuilder WithStrategies(
        this AkkaConfigurationBuilder builder, IReadOnlyList<StrategySettings> strategies, MarketDataBusHolder busHolder, RunId run, TimeProvider? clock = null) =>
        builder.WithActors((system, registry) =>
        {
            var time = clock ?? TimeProvider.System;
            var gateway = registry.Get<OrderGateway>();
            var exchanges = registry.Get<ExchangesRoot>();
            var member = NodeCluster.IsMember(system);
            if (member)
            {
                ClusterRuns.Add(system, run.Value);
            }

            var supervisor = system.ActorOf(StrategiesSupervisor.Props(strategies, settings => new StrategyContext(
                settings, busHolder.Bus!, gateway, time, run,
                ct => AuditQueries.LoadAsync(system, OrderEventTags.Strategy(settings.Id), ct))
            {
                Exchanges = exchanges,
                Runs = member ? ct => ClusterRuns.ReadAsync(system, ct) : null,
            }, singletons: member), "strategies");
            StrategiesSupervisor.CancelOrdersOnShutdown(system, supervisor);
            registry.Register<StrategiesSupervisor>(supervisor);
        });

    /// <summary>The levels a taker walks, from the venue's book actor; null when the book is not synced or not there.</summary>
    private static Func<Symbol, Side, Task<IReadOnlyList<BookLevel>?>> Depth(IActorRef exchanges, VenueId venue, MarketKind market) =>
        async (symbol, side) =>
            await exchanges.Ask<object>(new ExchangesRootProtocol.ToVenue(venue, market, new ExchangeSupervisorProtocol.GetBook(symbol, 50)), TimeSpan.FromSeconds(2)).ConfigureAwait(false)
                is OrderBookProtocol.BookView { Health: BookHealth.Synced } view
                ? side == Side.Buy ? view.Asks : view.Bids
                : null;
}
