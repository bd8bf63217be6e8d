using ActorTrading.Core;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Journal;
using ActorTrading.Runtime.Bus;
using ActorTrading.Runtime.Orders;
using ActorTrading.Runtime.Replay;
using ActorTrading.Runtime.Venues;
using Akka.Actor;
using Akka.Event;

namespace ActorTrading.Strategies.Paper;

/// <summary>
/// A simulated venue on another venue's live (or replayed) market data: <see cref="Source"/>'s trades and book tops
/// drive the fills; its orders, fills and positions are its own (<c>paper-{source}</c>). Orders arrive after
/// <see cref="Latency"/>.
/// </summary>
/// <summary>A paper venue mirroring <c>Source</c>'s market data; <c>TradeIdPrefix</c> (the node's run id) starts every trade id, so runs on one journal never share one.</summary>
public sealed record PaperVenueSettings(VenueId Source, MarketKind Market, PaperFees Fees, TimeSpan Latency, string TradeIdPrefix = "")
{
    public VenueId Venue => PaperVenue.IdFor(Source);
}

/// <summary>
/// A paper venue behind the same order gateway as a live one: answers place/cancel/amend like a venue's order entry
/// (<see cref="OrderEntryProtocol"/>), and publishes its order updates and fills on the bus like a private feed, so
/// order actors, the journal and <c>audit</c> see exactly what they see live. Matching rules: <see cref="PaperMatcher"/>.
/// Its state lives in memory: after a restart it has no open orders, and reconciliation closes what the journal had.
/// With an instrument source (the source venue's instrument catalog) it refuses what the venue would (off the tick or
/// lot step, below the minimum size or notional, unknown symbols) and sizes fees by each instrument's contract size;
/// placements wait until the rules are known. Without one (the <c>order</c> command, which has no market data to fill
/// with) orders are taken unchecked at contract size 1.
/// </summary>
public sealed class PaperVenue : ReceiveActor, IWithTimers, IWithUnboundedStash, IOnReplayClock
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly PaperVenueSettings _settings;
    private readonly IMarketDataBus _bus;
    private readonly Func<Symbol, Side, Task<IReadOnlyList<BookLevel>?>>? _depth;
    private readonly TimeProvider _clock;
    private readonly PaperMatcher _matcher;
    private readonly Dictionary<ClientOrderId, (PaperOrder Order, OrderType Type, TimeInForce TimeInForce)> _arriving = new();
    private readonly Dictionary<ClientOrderId, VenueOrderReport> _reports = new();
    private readonly Queue<ClientOrderId> _finished = new();
    private readonly Dictionary<Symbol, FifoPosition> _positions = new();
    private readonly Action<IActorRef>? _subscribeInstruments;
    private readonly InstrumentRules _rules;

    // depth: the source book's levels a taker of a side walks (asks for a buy), best first; null: the best level only.
    // subscribeInstruments: subscribes the venue to its source's instrument catalog; null: no rules known.
    public PaperVenue(PaperVenueSettings settings, IMarketDataBus bus, Func<Symbol, Side, Task<IReadOnlyList<BookLevel>?>>? depth, TimeProvider clock,
        Action<IActorRef>? subscribeInstruments)
    {
        _settings = settings;
        _subscribeInstruments = subscribeInstruments;
        _rules = new InstrumentRules(settings.Source, settings.Market);
        _bus = bus;
        _depth = depth;
        _clock = clock;
        // Trade ids stay unique across runs on one journal (audit verify checks them): the run id starts them.
        _matcher = new PaperMatcher(settings.Fees, settings.TradeIdPrefix.Length == 0 ? string.Empty : settings.TradeIdPrefix + "-");

        Receive<OrderEntryProtocol.Place>(OnPlace);
        Receive<OrderEntryProtocol.Cancel>(c => Sender.Tell(new OrderEntryProtocol.Results(c.Cancels.Select(Cancel).ToArray())));
        Receive<OrderEntryProtocol.Amend>(a => Sender.Tell(new OrderEntryProtocol.Results([Amend(a.Ticket)])));
        Receive<OrderEntryProtocol.Snapshot>(_ => Sender.Tell(new OrderEntryProtocol.VenueSnapshot(
            _reports.Values.Where(r => !r.Status.IsTerminal()).ToArray(), [],
            _positions.Select(p => new VenuePosition(p.Key, p.Value.Size, null)).ToArray(), null, null)));
        Receive<OrderEntryProtocol.QueryOrder>(q => Sender.Tell(new OrderEntryProtocol.OrderQueryAnswer(q.ClientOrderId, _reports.GetValueOrDefault(q.ClientOrderId), null)));
        Receive<Arrive>(a => OnArrive(a.ClientOrderId));
        Receive<MarketDepth>(OnMarketDepth);
        Receive<Trade>(t => Publish(_matcher.OnTrade(t.Symbol, t.Price, t.Size), t.ExchangeTs));
        Receive<BookTop>(t => Publish(_matcher.OnTop(t.Symbol, t.BestBid, t.BestAsk), t.ExchangeTs));
        Receive<BookHealthChanged>(_ => { });
        Receive<InstrumentCatalogProtocol.IAnswer>(answer =>
        {
            _rules.Update(answer);
            Stash.UnstashAll();
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public IStash Stash { get; set; } = null!;

    /// <summary>
    /// How many finished orders the venue remembers (open ones it keeps until they finish): as many as reconciliation
    /// asks about (<see cref="OrderGateway.FinishedKept"/>).
    /// </summary>
    public const int FinishedKept = OrderGateway.FinishedKept;

    public static VenueId IdFor(VenueId source) => new("paper-" + source.Value);

    public static Props Props(PaperVenueSettings settings, IMarketDataBus bus, Func<Symbol, Side, Task<IReadOnlyList<BookLevel>?>>? depth = null, TimeProvider? clock = null,
        Action<IActorRef>? subscribeInstruments = null) =>
        Akka.Actor.Props.Create(typeof(PaperVenue), settings, bus, depth, clock ?? TimeProvider.System, subscribeInstruments);

    protected override void PreStart()
    {
        _subscribeInstruments?.Invoke(Self);
        _bus.Subscribe(Self, new TopicFilter(_settings.Source.Value, _settings.Market, DataChannel.Trades, null));
        _bus.Subscribe(Self, new TopicFilter(_settings.Source.Value, _settings.Market, DataChannel.Book, null));
    }

    protected override void PostStop() => _bus.Unsubscribe(Self);

    private long Now => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    private void OnPlace(OrderEntryProtocol.Place place)
    {
        if (_subscribeInstruments is not null && !_rules.Known)
        {
            Stash.Stash();
            return;
        }

        var results = new List<OrderEntryResult>();
        foreach (var ticket in place.Orders)
        {
            if ((Refusal(ticket) is { } refusal ? new ConfigurationError(refusal) : (ExchangeError?)RuleRefusal(ticket)) is { } error)
            {
                results.Add(new OrderRejected(ticket.ClientOrderId, error));
                continue;
            }

            // The venue id follows from the client id: the same order gets the same id whatever order orders arrive in.
            var order = new PaperOrder(ticket.ClientOrderId, "p-" + ticket.ClientOrderId.Value, ticket.Symbol, ticket.Side, ticket.Price ?? 0, ticket.Size, ticket.PostOnly)
            {
                ContractSize = _rules.Of(ticket.Symbol)?.ContractSize ?? 1m,
            };
            _arriving[ticket.ClientOrderId] = (order, ticket.Type, ticket.TimeInForce);
            Report(order, OrderLifecycle.Acknowledged);
            results.Add(new OrderAccepted(ticket.ClientOrderId, order.VenueOrderId));
            if (_settings.Latency > TimeSpan.Zero)
            {
                Timers.StartSingleTimer(ticket.ClientOrderId, new Arrive(ticket.ClientOrderId), _settings.Latency);
            }
            else
            {
                Self.Tell(new Arrive(ticket.ClientOrderId));
            }
        }

        Sender.Tell(new OrderEntryProtocol.Results(results));
    }

    private string? Refusal(OrderTicket ticket) => ticket switch
    {
        _ when _reports.ContainsKey(ticket.ClientOrderId) => "duplicate client order id",
        { Size: <= 0 } => "size must be positive",
        { Type: OrderType.Limit, Price: null or <= 0 } => "a limit order needs a positive price",
        { Stop: not null } => "paper venues do not simulate stop orders",
        { ReduceOnly: true } when !Reduces(ticket) => "reduce-only order would increase the position",
        _ => null,
    };

    /// <summary>What the source venue's rules say against the order, as its live order entry would say it.</summary>
    private OrderCheckError? RuleRefusal(OrderTicket ticket) => _subscribeInstruments is null ? null : _rules.Check(ticket);

    private bool Reduces(OrderTicket ticket)
    {
        var held = _positions.TryGetValue(ticket.Symbol, out var p) ? p.Size : 0;
        return ticket.Side == Side.Buy ? held < 0 && ticket.Size <= -held : held > 0 && ticket.Size <= held;
    }

    private void OnArrive(ClientOrderId id)
    {
        if (!_arriving.Remove(id, out var arriving))
        {
            return;   // canceled while on its way
        }

        var (order, type, timeInForce) = arriving;
        order = order with { ArrivedAt = Now };
        if (type == OrderType.Market)
        {
            var (bid, ask) = _matcher.Top(order.Symbol);
            var best = order.Side == Side.Buy ? ask : bid;
            if (_depth is null)
            {
                Self.Tell(new MarketDepth(order, best is { } b ? [b] : []));
            }
            else
            {
                var self = Self;
                _depth(order.Symbol, order.Side).ContinueWith(
                    t => self.Tell(new MarketDepth(order, t.IsCompletedSuccessfully && t.Result is { } levels ? levels : best is { } b ? [b] : [])),
                    TaskScheduler.Default);
            }

            return;
        }

        if (order.PostOnly && _matcher.WouldTake(order))
        {
            Finish(order, OrderStatus.Canceled, "post-only order would take liquidity");
            return;
        }

        if (timeInForce == TimeInForce.FillOrKill && !FillsWhole(order))
        {
            Finish(order, OrderStatus.Canceled, "fill-or-kill: the best level cannot fill it all");
            return;
        }

        var fills = _matcher.Add(order);
        Publish(fills, Now);
        if (timeInForce == TimeInForce.ImmediateOrCancel && _matcher.Remove(order.ClientOrderId, out var rest))
        {
            Finish(rest!, OrderStatus.Canceled, "immediate-or-cancel: the rest is canceled");
        }
    }

    /// <summary>Fill-or-kill takes only the opposite best level (the depth known when it arrives) and must fill there.</summary>
    private bool FillsWhole(PaperOrder order)
    {
        var (bid, ask) = _matcher.Top(order.Symbol);
        return _matcher.WouldTake(order) && (order.Side == Side.Buy ? ask : bid) is { } best && best.Size >= order.Size;
    }

    private void OnMarketDepth(MarketDepth depth)
    {
        var (fills, unfilled) = _matcher.FillMarket(depth.Order, depth.Levels);
        Publish(fills, Now);
        if (unfilled > 0)
        {
            var filled = depth.Order with { Filled = depth.Order.Size - unfilled };
            Finish(filled, OrderStatus.Canceled, $"market order: the book had no more to take ({unfilled} left)");
        }
    }

    private OrderEntryResult Cancel(CancelTicket ticket)
    {
        if (_arriving.Remove(ticket.ClientOrderId, out var arriving))
        {
            Timers.Cancel(ticket.ClientOrderId);
            Report(arriving.Order, OrderLifecycle.Canceled);
            return new OrderAccepted(ticket.ClientOrderId, arriving.Order.VenueOrderId);
        }

        if (_matcher.Remove(ticket.ClientOrderId, out var resting))
        {
            Report(resting!, OrderLifecycle.Canceled);
            return new OrderAccepted(ticket.ClientOrderId, resting!.VenueOrderId);
        }

        return new OrderRejected(ticket.ClientOrderId, new ConfigurationError("order is not open"));
    }

    /// <summary>A new price or size re-queues the order (it loses its place), as most venues do.</summary>
    private OrderEntryResult Amend(AmendTicket ticket)
    {
        if (ticket.NewSize is { } size && _reports.TryGetValue(ticket.ClientOrderId, out var report) && size <= report.FilledSize)
        {
            return new OrderRejected(ticket.ClientOrderId, new ConfigurationError("new size is not above the filled size"));
        }

        if (!_matcher.Remove(ticket.ClientOrderId, out var resting))
        {
            return new OrderRejected(ticket.ClientOrderId, new ConfigurationError("order is not open"));
        }

        var amended = resting! with { Price = ticket.NewPrice ?? resting.Price, Size = ticket.NewSize ?? resting.Size };
        Report(amended, OrderLifecycle.Acknowledged);
        Publish(_matcher.Add(amended), Now);
        return new OrderAccepted(ticket.ClientOrderId, amended.VenueOrderId);
    }

    /// <summary>Each fill goes out as the order update a private feed would carry.</summary>
    private void Publish(IReadOnlyList<PaperFill> fills, long exchangeTs)
    {
        foreach (var fill in fills)
        {
            var order = fill.Order;
            _positions.GetOrNew(order.Symbol).Apply(order.Side, fill.Size, fill.Price);
            Report(order, fill.Completes ? OrderLifecycle.Filled : OrderLifecycle.PartiallyFilled);
            _bus.Publish(new OrderUpdate(_settings.Venue, _settings.Market, order.Symbol, exchangeTs, Now, order.VenueOrderId, order.ClientOrderId, order.Side,
                fill.Completes ? OrderStatus.Filled : OrderStatus.PartiallyFilled, order.Price == 0 ? null : order.Price, order.Size, order.Filled,
                new FillInfo(fill.TradeId, fill.Price, fill.Size, fill.Fee, _settings.Fees.Currency, fill.Liquidity)));
        }
    }

    private void Finish(PaperOrder order, OrderStatus status, string reason)
    {
        _log.Info("{Venue}: order {ClientOrderId} {Status}: {Reason}", _settings.Venue, order.ClientOrderId, status, reason);
        Report(order, status == OrderStatus.Canceled ? OrderLifecycle.Canceled : OrderLifecycle.Rejected);
        _bus.Publish(new OrderUpdate(_settings.Venue, _settings.Market, order.Symbol, Now, Now, order.VenueOrderId, order.ClientOrderId, order.Side,
            status, order.Price == 0 ? null : order.Price, order.Size, order.Filled, null));
    }

    /// <summary>
    /// Keeps what the venue would say of the order. Finished orders are kept as a venue keeps its order history: the
    /// latest <see cref="FinishedKept"/> (a node asks about orders that finished lately, never about ones that old).
    /// </summary>
    private void Report(PaperOrder order, OrderLifecycle status)
    {
        var finishedBefore = _reports.TryGetValue(order.ClientOrderId, out var before) && before.Status.IsTerminal();
        _reports[order.ClientOrderId] = new VenueOrderReport(order.ClientOrderId, order.VenueOrderId, order.Symbol, status, order.Size, order.Filled);
        if (!status.IsTerminal() || finishedBefore)
        {
            return;
        }

        _finished.Enqueue(order.ClientOrderId);
        while (_finished.Count > FinishedKept)
        {
            _reports.Remove(_finished.Dequeue());
        }
    }

    private sealed record Arrive(ClientOrderId ClientOrderId);

    private sealed record MarketDepth(PaperOrder Order, IReadOnlyList<BookLevel> Levels);
}
