using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Runtime.Bus;
using ActorTrading.Runtime.Telemetry;
using Akka.Actor;
using Akka.Event;

namespace ActorTrading.Journal;

public static class OrderGatewayProtocol
{
    /// <summary>
    /// Places an order. <see cref="RequestId"/> is the strategy's own idempotency key: the same strategy and request id
    /// always name the same order, so a retry never places twice. For a market order under a notional limit,
    /// <see cref="ReferencePrice"/> stands in for the price.
    /// </summary>
    public sealed record PlaceOrder(string StrategyId, string RequestId, VenueId Venue, MarketKind Market, Symbol Symbol, Side Side, OrderType Type, decimal Size, decimal? Price = null)
        : IOrderWireMessage
    {
        public TimeInForce TimeInForce { get; init; } = TimeInForce.GoodTillCanceled;

        public bool PostOnly { get; init; }

        public bool ReduceOnly { get; init; }

        public int? Leverage { get; init; }

        public decimal? ReferencePrice { get; init; }

        /// <summary>Makes the order a stop order (<see cref="StopTrigger"/>); null places it at once.</summary>
        public StopTrigger? Stop { get; init; }

        [System.Text.Json.Serialization.JsonIgnore]
        public ClientOrderId ClientOrderId => ClientOrderIds.For(StrategyId, RequestId, Venue);
    }

    /// <summary>
    /// The strategy's next placement will carry <see cref="RequestId"/>: its order's actor is started (and recovers,
    /// finding nothing) now, so neither is on that decision's way to the venue. Nothing is journaled or sent; an order
    /// never placed is passivated once idle.
    /// </summary>
    public sealed record PrepareOrder(string StrategyId, string RequestId, VenueId Venue) : IOrderWireMessage
    {
        [System.Text.Json.Serialization.JsonIgnore]
        public ClientOrderId ClientOrderId => ClientOrderIds.For(StrategyId, RequestId, Venue);
    }

    public sealed record CancelOrder(string StrategyId, ClientOrderId ClientOrderId) : IOrderWireMessage;

    public sealed record AmendOrder(string StrategyId, ClientOrderId ClientOrderId, decimal? NewPrice, decimal? NewSize) : IOrderWireMessage;

    /// <summary>The order's current state (an <see cref="OrderState"/>), or <see cref="OrderActorProtocol.NotFound"/>.</summary>
    public sealed record GetOrder(ClientOrderId ClientOrderId) : IOrderWireMessage;

    /// <summary>To the strategy that owns the order: its state after every change (Event null: a repeated placement).</summary>
    public sealed record OrderStatus(OrderState State, IJournalEvent? Event) : IOrderWireMessage;

    /// <summary>To the strategy: a cancel or amend that was refused; the order is unchanged.</summary>
    public sealed record CommandRefused(ClientOrderId ClientOrderId, string Command, ExchangeError Error) : IOrderWireMessage;

    /// <summary>
    /// From reconciliation, and to every strategy: the venue's positions could not be read. Until they are, new orders
    /// for that venue are refused (<c>risk:position-unknown</c>).
    /// </summary>
    public sealed record PositionsUnknown(VenueId Venue, MarketKind Market, string Reason) : IOrderWireMessage;

    /// <summary>The client ids of the orders open now; answered with <see cref="OpenOrders"/>.</summary>
    public sealed class GetOpenOrders : IOrderWireMessage
    {
        public static readonly GetOpenOrders Instance = new();

        private GetOpenOrders()
        {
        }
    }

    public sealed record OpenOrders(IReadOnlyList<ClientOrderId> ClientOrderIds) : IOrderWireMessage;

    /// <summary>To the reconciler (local): the orders that finished lately, answered with <see cref="RecentlyFinished"/>.</summary>
    public sealed class GetRecentlyFinished
    {
        public static readonly GetRecentlyFinished Instance = new();

        private GetRecentlyFinished()
        {
        }
    }

    /// <summary>
    /// The latest orders to finish (at most <see cref="OrderGateway.FinishedKept"/>, each as it last changed): a fill the
    /// venue made before a cancel, whose push was lost, can only reach its order if reconciliation still knows it.
    /// </summary>
    public sealed record RecentlyFinished(IReadOnlyList<OrderState> Orders);

    /// <summary>From reconciliation: the orders the journal has open (after a restart: counted against MaxOpenOrders).</summary>
    public sealed record JournalOpenOrders(IReadOnlyList<OrderState> Orders);

    /// <summary>From reconciliation, and to every strategy: the venue's positions as it reports them.</summary>
    public sealed record PositionsKnown(VenueId Venue, MarketKind Market, IReadOnlyList<VenuePosition> Positions) : IOrderWireMessage;
}

/// <summary>
/// The one door strategies (and the CLI) place, cancel and amend through. Assigns deterministic client order ids,
/// applies each strategy's risk limits (a refused order is journaled as rejected with the limit it broke), and sends
/// each order's messages to its <see cref="OrderActor"/> by client order id: the <c>orders</c> shard region on a
/// cluster member, else its own <see cref="LocalOrders"/>. Private-feed order updates reach the order they belong to;
/// every change comes back here and goes to the owning strategy as <see cref="OrderGatewayProtocol.OrderStatus"/>.
/// </summary>
public sealed class OrderGateway : ReceiveActor
{
    private const string NotReconciledYet = "not reconciled yet";

    /// <summary>How many finished orders the gateway remembers for reconciliation.</summary>
    public const int FinishedKept = 2048;

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Func<string, RiskLimits> _limits;
    private readonly TimeProvider _clock;
    private readonly IActorRef _orders;
    private readonly Dictionary<string, IActorRef> _strategies = new();
    private readonly Dictionary<string, HashSet<ClientOrderId>> _open = new();
    private readonly Dictionary<string, Queue<DateTimeOffset>> _recentPlacements = new();
    private readonly Dictionary<string, ClientOrderId> _byVenueOrderId = new();
    private readonly EarlyVenueUpdates _early = new(capacity: 1024);
    private readonly Dictionary<(VenueId, MarketKind), string> _positionsUnknown = new();
    private readonly Dictionary<ClientOrderId, OrderState> _finished = new();
    private readonly Queue<ClientOrderId> _finishedOrder = new();

    // positionsUnknownAtStart: venues whose positions are unknown until reconciliation reads them, so new orders there
    // wait for it (the node passes every venue with order entry; tools without reconciliation pass none).
    // orders: the shard region of the orders (a cluster member), or null for orders of this gateway's own.
    public OrderGateway(VenueDoors doors, Func<string, RiskLimits> limits, IMarketDataBus? bus, OrderActorSettings settings, TimeProvider clock,
        IEnumerable<(VenueId Venue, MarketKind Market)> positionsUnknownAtStart, IActorRef? orders)
    {
        foreach (var venue in positionsUnknownAtStart)
        {
            _positionsUnknown[venue] = NotReconciledYet;
        }

        _limits = limits;
        _clock = clock;
        _orders = orders ?? Context.ActorOf(LocalOrders.Props(doors, settings, clock, Self), "orders");
        bus?.Subscribe(Self, new TopicFilter(null, null, DataChannel.Orders, null));
        bus?.Subscribe(Self, new TopicFilter(null, null, DataChannel.StopOrders, null));

        Receive<OrderGatewayProtocol.PlaceOrder>(OnPlace);
        Receive<OrderGatewayProtocol.PrepareOrder>(p => Route(new OrderActorProtocol.Prepare(p.ClientOrderId), ActorRefs.Nobody));
        Receive<OrderGatewayProtocol.CancelOrder>(c =>
        {
            Remember(c.StrategyId);
            Route(new OrderActorProtocol.Cancel(c.ClientOrderId), Sender);
        });
        Receive<OrderGatewayProtocol.AmendOrder>(a =>
        {
            Remember(a.StrategyId);
            Route(new OrderActorProtocol.Amend(a.ClientOrderId, a.NewPrice, a.NewSize), Sender);
        });
        Receive<OrderGatewayProtocol.GetOrder>(g => Route(new OrderActorProtocol.GetState(g.ClientOrderId), Sender));
        Receive<OrderActorProtocol.IOrderMessage>(m => Route(m, Sender));
        Receive<OrderUpdate>(OnVenueUpdate);
        Receive<StopOrderUpdate>(stop => OnVenueUpdate(AsOrderUpdate(stop)));
        Receive<OrderActorProtocol.Changed>(OnChanged);
        Receive<OrderActorProtocol.CommandRefused>(r => TellOwner(r.StrategyId, new OrderGatewayProtocol.CommandRefused(r.ClientOrderId, r.Command, r.Error)));
        Receive<OrderGatewayProtocol.PositionsUnknown>(p =>
        {
            _log.Warning("{Venue} {Market}: positions unknown ({Reason}): new orders refused until they are known", p.Venue, p.Market.ToWire(), p.Reason);
            _positionsUnknown[(p.Venue, p.Market)] = p.Reason;
            TellStrategies(p);
        });
        Receive<OrderGatewayProtocol.PositionsKnown>(p =>
        {
            _positionsUnknown.Remove((p.Venue, p.Market));
            TellStrategies(p);
        });
        Receive<ReconcilerProtocol.Report>(_ => { });
        Receive<OrderGatewayProtocol.GetOpenOrders>(_ => Sender.Tell(new OrderGatewayProtocol.OpenOrders(_open.Values.SelectMany(ids => ids).ToArray())));
        Receive<OrderGatewayProtocol.GetRecentlyFinished>(_ => Sender.Tell(new OrderGatewayProtocol.RecentlyFinished(_finished.Values.ToArray())));
        Receive<OrderGatewayProtocol.JournalOpenOrders>(known =>
        {
            foreach (var order in known.Orders.Where(o => !o.IsTerminal))
            {
                Open(order.StrategyId).Add(order.ClientOrderId);
                if (order.VenueOrderId is { } venueOrderId)
                {
                    _byVenueOrderId[venueOrderId] = order.ClientOrderId;
                }
            }
        });
    }

    protected override void PreStart() => Mailboxes.Watch(Self, "order-desk");

    protected override void PostStop() => Mailboxes.Forget(Self);

    public static Props Props(VenueDoors doors, Func<string, RiskLimits>? limits = null, IMarketDataBus? bus = null, OrderActorSettings? settings = null, TimeProvider? clock = null,
        IEnumerable<(VenueId Venue, MarketKind Market)>? positionsUnknownAtStart = null, IActorRef? orders = null) =>
        CreateProps(doors, limits ?? (_ => RiskLimits.None), bus, settings ?? new OrderActorSettings(), clock ?? TimeProvider.System, positionsUnknownAtStart?.ToArray() ?? [], orders);

    private static Props CreateProps(VenueDoors doors, Func<string, RiskLimits> limits, IMarketDataBus? bus, OrderActorSettings settings, TimeProvider clock,
        (VenueId, MarketKind)[] positionsUnknownAtStart, IActorRef? orders) =>
        Akka.Actor.Props.Create(() => new OrderGateway(doors, limits, bus, settings, clock, positionsUnknownAtStart, orders));

    private void OnPlace(OrderGatewayProtocol.PlaceOrder p)
    {
        Remember(p.StrategyId);
        var ticket = new OrderTicket(p.ClientOrderId, p.Symbol, p.Side, p.Type, p.Size, p.Price)
        {
            TimeInForce = p.TimeInForce,
            PostOnly = p.PostOnly,
            ReduceOnly = p.ReduceOnly,
            Leverage = p.Leverage,
            Stop = p.Stop,
        };
        if (Open(p.StrategyId).Contains(ticket.ClientOrderId))
        {
            // A retry of an open order: its order actor reports it, nothing is placed again, no limit is spent. (A retry of
            // a finished one may meet a limit: the refusal reaches the order, which reports what it already is.)
            Route(new OrderActorProtocol.Submit(ticket, p.StrategyId, p.Venue, p.Market), Sender);
            return;
        }

        var open = _open.TryGetValue(p.StrategyId, out var ids) ? ids.Count : 0;
        var breach = _positionsUnknown.TryGetValue((p.Venue, p.Market), out var why)
            ? ("risk:position-unknown", $"positions at {p.Venue} {p.Market.ToWire()} are unknown: {why}")
            : _limits(p.StrategyId).Check(p.Size, p.Price ?? p.ReferencePrice, open, PlacedLastSecond(p.StrategyId));
        if (breach is { } b)
        {
            // Orders a strategy tries before the node's first reconciliation are expected (it tries again): no warning.
            if (why == NotReconciledYet)
            {
                _log.Info("strategy {Strategy}: order {ClientOrderId} refused: {Code} {Reason}", p.StrategyId, ticket.ClientOrderId, b.Code, b.Reason);
            }
            else
            {
                _log.Warning("strategy {Strategy}: order {ClientOrderId} refused: {Code} {Reason}", p.StrategyId, ticket.ClientOrderId, b.Code, b.Reason);
            }
            Route(new OrderActorProtocol.SubmitRefused(ticket, p.StrategyId, p.Venue, p.Market, b.Code, b.Reason), Sender);
            return;
        }

        _recentPlacements[p.StrategyId].Enqueue(_clock.GetUtcNow());
        Route(new OrderActorProtocol.Submit(ticket, p.StrategyId, p.Venue, p.Market), Sender);
    }

    private void OnVenueUpdate(OrderUpdate update)
    {
        var id = update.ClientOrderId is { } cid && cid.Value.Length > 0
            ? cid
            : _byVenueOrderId.TryGetValue(update.OrderId, out var known) ? known : (ClientOrderId?)null;
        if (id is null)
        {
            // No client id and a venue id not (yet) known: a push that overtook its placement's answer (a stop
            // order's pushes carry no client id), or another client's order. Kept a while for the answer to claim.
            _log.Debug("order update for venue order {OrderId} with no client order id of ours: kept until its placement is answered", update.OrderId);
            _early.Keep(update);
            return;
        }

        Route(new OrderActorProtocol.VenueUpdate(id.Value, update), Self);
    }

    /// <summary>
    /// A stop order's life before it triggers, as its order sees it: placed or triggered, it is open at the venue;
    /// canceled, it is done. The push has no client id: it finds its order by the venue id the placement answered.
    /// </summary>
    private static OrderUpdate AsOrderUpdate(StopOrderUpdate stop) =>
        new(stop.Venue, stop.Market, stop.Symbol, stop.ExchangeTs, stop.ReceivedTs, stop.OrderId, null, stop.Side,
            stop.Event == StopOrderEvent.Canceled ? OrderStatus.Canceled : OrderStatus.Open, stop.OrderPrice, stop.Size, null, null);

    private void OnChanged(OrderActorProtocol.Changed changed)
    {
        var state = changed.State;
        var open = Open(state.StrategyId);
        if (state.IsTerminal)
        {
            open.Remove(state.ClientOrderId);
            RememberFinished(state);
        }
        else
        {
            open.Add(state.ClientOrderId);
        }

        // Venue ids are only needed to route feed updates that lack a client id to orders still open; finished ones
        // leave the map so it does not grow for the life of the node.
        if (state.VenueOrderId is { } venueOrderId)
        {
            if (state.IsTerminal)
            {
                _byVenueOrderId.Remove(venueOrderId);
            }
            else
            {
                _byVenueOrderId[venueOrderId] = state.ClientOrderId;
            }

            foreach (var early in _early.Claim(venueOrderId))
            {
                Route(new OrderActorProtocol.VenueUpdate(state.ClientOrderId, early), Self);
            }
        }

        TellOwner(state.StrategyId, new OrderGatewayProtocol.OrderStatus(state, changed.Event));
    }

    private void Route(OrderActorProtocol.IOrderMessage message, IActorRef sender) => _orders.Tell(message, sender);

    /// <summary>The last actor that spoke for a strategy is the one that hears about its orders.</summary>
    private void Remember(string strategyId)
    {
        if (!Sender.IsNobody() && !Sender.Equals(Context.System.DeadLetters))
        {
            _strategies[strategyId] = Sender;
        }
    }

    private void TellOwner(string? strategyId, object message)
    {
        if (strategyId is not null && _strategies.TryGetValue(strategyId, out var strategy))
        {
            strategy.Tell(message);
        }
    }

    private void TellStrategies(object message)
    {
        foreach (var strategy in _strategies.Values.Distinct())
        {
            strategy.Tell(message);
        }
    }

    /// <summary>Keeps a finished order that reached the venue, as it last changed; the oldest are forgotten first.</summary>
    private void RememberFinished(OrderState state)
    {
        if (state.VenueOrderId is null)
        {
            return;   // never reached the venue: nothing of it can come from there
        }

        if (!_finished.ContainsKey(state.ClientOrderId))
        {
            _finishedOrder.Enqueue(state.ClientOrderId);
            if (_finishedOrder.Count > FinishedKept)
            {
                _finished.Remove(_finishedOrder.Dequeue());
            }
        }

        _finished[state.ClientOrderId] = state;
    }

    private HashSet<ClientOrderId> Open(string strategyId) =>
        _open.TryGetValue(strategyId, out var open) ? open : _open[strategyId] = [];

    private int PlacedLastSecond(string strategyId)
    {
        if (!_recentPlacements.TryGetValue(strategyId, out var recent))
        {
            recent = _recentPlacements[strategyId] = new Queue<DateTimeOffset>();
        }

        var cutoff = _clock.GetUtcNow().AddSeconds(-1);
        while (recent.Count > 0 && recent.Peek() <= cutoff)
        {
            recent.Dequeue();
        }

        return recent.Count;
    }

    /// <summary>
    /// Venue updates that came before their order's venue id was known, by venue id, oldest dropped first: bounded, as
    /// other clients' orders on the same account are never claimed.
    /// </summary>
    private sealed class EarlyVenueUpdates(int capacity)
    {
        private readonly Dictionary<string, (List<OrderUpdate> Updates, LinkedListNode<string> Arrival)> _byVenueOrderId = new();
        private readonly LinkedList<string> _arrivals = new();

        public void Keep(OrderUpdate update)
        {
            if (!_byVenueOrderId.TryGetValue(update.OrderId, out var kept))
            {
                if (_arrivals.Count == capacity && _arrivals.First is { } oldest)
                {
                    _byVenueOrderId.Remove(oldest.Value);
                    _arrivals.RemoveFirst();
                }

                kept = ([], _arrivals.AddLast(update.OrderId));
                _byVenueOrderId[update.OrderId] = kept;
            }

            kept.Updates.Add(update);
        }

        /// <summary>The updates kept for <paramref name="venueOrderId"/>, in arrival order; they are not kept any longer.</summary>
        public IReadOnlyList<OrderUpdate> Claim(string venueOrderId)
        {
            if (!_byVenueOrderId.Remove(venueOrderId, out var kept))
            {
                return [];
            }

            _arrivals.Remove(kept.Arrival);
            return kept.Updates;
        }
    }
}
