using ActorTrading.Core.Ids;
using ActorTrading.Runtime.Bus;
using ActorTrading.Runtime.Hosting;
using ActorTrading.Runtime.Venues;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Akka.Hosting;

namespace ActorTrading.Journal;

/// <summary>
/// A venue that lives in this process (a paper venue): started as <c>/user/{venue}-{market}</c>, its order commands
/// go straight to it, and reconciliation asks it like any venue.
/// </summary>
public sealed record LocalVenue(VenueId Venue, MarketKind Market, Func<IMarketDataBus, IActorRegistry, Props> Props)
{
    public string ActorName => $"{Venue}-{Market.ToWire()}";
}

/// <summary>
/// The order side of a cluster member, as one cluster singleton: the gateway (<c>gateway</c>), which everything sent
/// here reaches with its sender, and the reconciler beside it (<c>reconciler</c>). The orders themselves are entities
/// of the <c>orders</c> shard region, spread over the nodes.
/// </summary>
public sealed class OrderDesk : ReceiveActor
{
    public OrderDesk(Props gateway, Func<IActorRef, Props> reconciler)
    {
        var orders = Context.ActorOf(gateway, "gateway");
        var reconciling = Context.ActorOf(reconciler(orders), "reconciler");
        Receive<ClusterEvent.MemberRemoved>(removed =>
        {
            // Messages on their way to the orders of a lost node (a fill, an answer) are lost with it: the venues say
            // again what they were.
            Context.GetLogger().Info("member {0} removed: reconciling the orders with the venues", removed.Member.Address);
            reconciling.Tell(ReconcilerProtocol.Run.Instance);
        });
        ReceiveAny(message => orders.Forward(message));
    }

    protected override void PreStart() => Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.MemberRemoved));

    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);

    public static Props Props(Props gateway, Func<IActorRef, Props> reconciler) => Akka.Actor.Props.Create(() => new OrderDesk(gateway, reconciler));
}

public static class JournalHosting
{
    /// <summary>
    /// The order side of a node: the journal's provider and connection string injected into the HOCON of
    /// <c>hocon.conf</c>, <c>/user/orders</c> (<see cref="OrderGateway"/>) sending order commands to the venues with
    /// order entry through <c>/user/exchanges</c>, and <c>/user/reconciler</c> reconciling them on start and on every
    /// private-feed reconnect (orders wait until a venue's positions are known). <paramref name="localVenues"/> (paper
    /// venues) run beside them and take their orders directly. Orders are journaled with <paramref name="run"/>. On a
    /// cluster member the gateway and reconciler are one cluster singleton (<see cref="OrderDesk"/>) reached through
    /// <c>/user/order-desk-proxy</c>, the orders are entities of the <c>orders</c> shard region and paper venues are
    /// singletons. Call after <c>WithMarketData</c>.
    /// </summary>
    public static AkkaConfigurationBuilder WithOrderJournal(
        this AkkaConfigurationBuilder builder,
        JournalSettings journal,
        IEnumerable<(VenueId Venue, MarketKind Market)> venuesWithOrderEntry,
        MarketDataBusHolder busHolder,
        Func<string, RiskLimits>? limits = null,
        TimeProvider? clock = null,
        IReadOnlyList<LocalVenue>? localVenues = null,
        RunId? run = null,
        TimeSpan? venueAnswerTimeout = null)
    {
        journal.Prepare();
        var live = venuesWithOrderEntry.ToArray();
        localVenues ??= [];
        var venues = live.Concat(localVenues.Select(v => (v.Venue, v.Market))).ToArray();
        return builder
            .AddHocon(journal.ToHocon(), HoconAddMode.Prepend)
            .WithActors((system, registry) =>
            {
                var member = NodeCluster.IsMember(system);

                // A paper venue keeps its resting orders in memory: on a cluster member it is a singleton, so every order
                // entity, on whichever node, trades with the same one.
                var local = localVenues.ToDictionary(v => (v.Venue, v.Market), v => member
                    ? NodeCluster.StartSingleton(system, system, v.ActorName, v.Props(busHolder.Bus!, registry))
                    : system.ActorOf(v.Props(busHolder.Bus!, registry), v.ActorName));
                var doors = VenueDoors.Either(VenueDoors.Direct(local), VenueDoors.Through(registry.Get<ExchangesRoot>(), live));
                var settings = new OrderActorSettings { RunId = run?.Value };
                if (venueAnswerTimeout is { } timeout)
                {
                    settings = settings with { VenueAnswerTimeout = timeout };
                }

                var time = clock ?? TimeProvider.System;
                Props GatewayOf(IActorRef? orders) => OrderGateway.Props(doors, limits, busHolder.Bus, settings, time, positionsUnknownAtStart: venues, orders: orders);
                Props ReconcilerOf(IActorRef gateway) => Reconciler.Props(gateway, doors, venues, ct => AuditQueries.LoadAsync(system, ct: ct), busHolder.Bus, clock);
                if (member)
                {
                    // Orders are entities of the orders shard region (one writer per order in the cluster); the gateway and
                    // reconciler are one singleton (one set of risk limits per strategy, one reconciliation), beside the
                    // venues' supervisors on the oldest node. Every node reaches the desk through /user/order-desk-proxy.
                    IActorRef? desk = null;
                    var region = OrderEntities.StartShardRegion(system, doors, settings, time, () => desk!);
                    desk = NodeCluster.StartSingleton(system, system, "order-desk", OrderDesk.Props(GatewayOf(region), ReconcilerOf));
                    registry.Register<OrderGateway>(desk);
                    registry.Register<OrderActor>(region);
                    return;
                }

                var orders = system.ActorOf(GatewayOf(null), "orders");
                registry.Register<OrderGateway>(orders);
                registry.Register<Reconciler>(system.ActorOf(ReconcilerOf(orders), "reconciler"));
            })
            .AddStartup((system, _) => JournalReadyAsync(system, journal, TimeSpan.FromSeconds(30)));
    }

    /// <summary>
    /// The node counts as started once its journal has initialized (tables made, connection open): a stop right after
    /// the start then finds it working, instead of tearing the actor system down under its initialization (which
    /// retried, with errors, until shutdown gave up on it). A journal not ready in time is logged and the start goes on:
    /// orders wait for it as before.
    /// </summary>
    private static async Task JournalReadyAsync(ActorSystem system, JournalSettings journal, TimeSpan within)
    {
        using var inbox = Inbox.Create(system);
        inbox.Send(Akka.Persistence.Persistence.Instance.Apply(system).JournalFor(null),
            new Akka.Persistence.ReplayMessages(0, 0, 0, "actortrading-journal-ready", inbox.Receiver));
        var answer = inbox.ReceiveAsync(within);
        if (await Task.WhenAny(answer, system.WhenTerminated).ConfigureAwait(false) != answer)
        {
            return;   // stopped while starting: nothing left to wait for
        }

        try
        {
            if (await answer.ConfigureAwait(false) is Akka.Persistence.ReplayMessagesFailure failure)
            {
                system.Log.Warning("journal {0} is not ready: {1}", journal.Describe(), failure.Cause.Message);
            }
        }
        catch (TimeoutException)
        {
            system.Log.Warning("journal {0} not ready within {1} s; orders wait for it", journal.Describe(), within.TotalSeconds);
        }
    }
}
