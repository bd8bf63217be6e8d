using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Journal;
using ActorTrading.Runtime.Books;
using ActorTrading.Runtime.Bus;
using ActorTrading.Runtime.Replay;
using ActorTrading.Runtime.Telemetry;
using ActorTrading.Runtime.Venues;
using Akka.Actor;
using Akka.Event;

namespace ActorTrading.Strategies;

/// <summary>
/// What a strategy actor is given: its settings, the bus, the order gateway, the clock, the node's run (orders of this
/// run are the ones the ledger counts) and a reader of its journal history (the events of its
/// <c>strategy:</c> tag, in journal order). One context serves every incarnation of the strategy, so request numbers go
/// on across restarts and no client order id is used twice. On a cluster, <see cref="Runs"/> adds the runs of the
/// other members: a strategy that moved here after its node was lost counts the orders it placed there.
/// </summary>
public sealed record StrategyContext(
    StrategySettings Settings, IMarketDataBus Bus, IActorRef Gateway, TimeProvider Clock, RunId Run,
    Func<CancellationToken, Task<IReadOnlyList<JournalRecord>>> History)
{
    private long _requests;

    /// <summary><c>/user/exchanges</c>, asked for full books (<see cref="StrategyActor.RequestBook"/>); Nobody when there is none.</summary>
    public IActorRef Exchanges { get; init; } = ActorRefs.Nobody;

    /// <summary>The runs whose orders the ledger counts besides <see cref="Run"/> (the cluster's); null: this run's only.</summary>
    public Func<CancellationToken, Task<IReadOnlyCollection<string>>>? Runs { get; init; }

    /// <summary>The next request id of this strategy in this run: <c>{run}-{n}</c>, never repeated by a restart.</summary>
    public string NextRequestId() => $"{Run}-{Interlocked.Increment(ref _requests)}";

    /// <summary>The id <see cref="NextRequestId"/> will give next (taking none).</summary>
    public string UpcomingRequestId() => $"{Run}-{Interlocked.Read(ref _requests) + 1}";

    /// <summary>The strategy's journal history and the runs whose orders count.</summary>
    internal async Task<(IReadOnlyList<JournalRecord> Records, IReadOnlySet<string> Runs)> LedgerSourceAsync(CancellationToken ct)
    {
        var runs = new HashSet<string>(StringComparer.Ordinal) { Run.Value };
        if (Runs is not null)
        {
            runs.UnionWith(await Runs(ct).ConfigureAwait(false));
        }

        return (await History(ct).ConfigureAwait(false), runs);
    }
}

public static class StrategyProtocol
{
    public sealed class GetStatus
    {
        public static readonly GetStatus Instance = new();

        private GetStatus()
        {
        }
    }

    /// <summary>Cancel every open order and place no more (the node is stopping); answered with <see cref="OrdersClosed"/>.</summary>
    public sealed class CancelAllOrders
    {
        public static readonly CancelAllOrders Instance = new();

        private CancelAllOrders()
        {
        }
    }

    public sealed class OrdersClosed
    {
        public static readonly OrdersClosed Instance = new();

        private OrdersClosed()
        {
        }
    }

    public sealed record PositionRow(Symbol Symbol, decimal Size, decimal RealizedPnl, decimal? UnrealizedPnl);

    /// <summary>A strategy as an operator sees it; <see cref="Halted"/>: symbol → why it may not trade now.</summary>
    public sealed record Status(
        string Id, string Type, VenueId TradingVenue, bool Ready, IReadOnlyDictionary<Symbol, string> Halted, int OpenOrders, int Orders,
        int Fills, decimal Fees, decimal RealizedPnl, decimal UnrealizedPnl, IReadOnlyList<PositionRow> Positions);

    /// <summary>
    /// A strategy's signal, published on the bus (<c>{venue}.{market}/signals/{symbol}</c>) for whoever listens: other
    /// strategies, a recorder, an operator's tool.
    /// </summary>
    public sealed record Signal(string StrategyId, VenueId Venue, MarketKind Market, Symbol Symbol, string Kind, string Message, decimal Value, long Timestamp)
        : IStrategyWireMessage;
}

/// <summary>
/// The base of every strategy. A subclass declares the channels it wants (<see cref="Channels"/>) for the venue and
/// symbols of its settings, and overrides the hooks it needs: market data, book tops and health, its own order
/// updates and fills. It places and cancels through the order gateway with <see cref="Place"/> and
/// <see cref="Cancel"/>, which never block: the outcome comes back as an order update.
/// <para>
/// Trading is halted for a symbol while a book the strategy watches is not Synced, or while the trading venue's
/// positions are unknown; <see cref="Place"/> then refuses and <see cref="OnTradingHalted"/> says why. On (re)start the
/// strategy first reads the orders of its own that this run placed from the journal, so a restarted strategy knows its open
/// orders and position; messages wait until then, and <see cref="OnReady"/> runs.
/// </para>
/// </summary>
public abstract class StrategyActor : ReceiveActor, IWithTimers, IWithUnboundedStash, IOnReplayClock
{
    private readonly StrategyContext _context;
    private readonly Dictionary<Symbol, string> _bookHalts = new();
    private readonly List<IActorRef> _waitingForClose = [];
    private string? _positionsUnknown;
    private string? _historyUnread;
    private int _historyAttempts;
    private bool _ready;
    private bool _closing;

    // The latest placement: once it is answered, the actor of the next order is started (PrepareNextOrder).
    private ClientOrderId? _awaitingAnswer;
    private string? _preparedRequestId;

    protected StrategyActor(StrategyContext context)
    {
        _context = context;
        Log = Context.GetLogger();
        Receive<HistoryLoaded>(OnHistoryLoaded);
        Receive<ReadHistoryAgain>(_ => ReadHistory());
        Receive<StrategyProtocol.GetStatus>(_ => Sender.Tell(Status()));
        Receive<DataMessage>(m => WhenReady(m, () =>
        {
            MarkPrice(m);
            OnData(m);
        }));
        Receive<BookTop>(t => WhenReady(t, () =>
        {
            SetBookHalt(t.Symbol, null);
            if (t is { BestBid: { } bid, BestAsk: { } ask })
            {
                Ledger.Mark(t.Symbol, (bid.Price + ask.Price) / 2);
            }

            OnBookTop(t);
        }));
        Receive<BookHealthChanged>(h => WhenReady(h, () =>
        {
            SetBookHalt(h.Symbol, h.Health == BookHealth.Synced ? null : $"book {h.Health}: {h.Reason}");
            OnBookHealth(h);
        }));
        Receive<OrderGatewayProtocol.OrderStatus>(s => WhenReady(s, () =>
        {
            if (Ledger.Apply(s.State, s.Event))
            {
                OnOrderUpdate(s.State, s.Event);
            }

            if (s.State.ClientOrderId == _awaitingAnswer && s.State.Status != OrderLifecycle.Submitted)
            {
                _awaitingAnswer = null;
                PrepareNextOrder();
            }

            AnswerWhenClosed();
        }));
        Receive<StrategyProtocol.CancelAllOrders>(c => WhenReady(c, () =>
        {
            _closing = true;
            _waitingForClose.Add(Sender);
            foreach (var order in Ledger.OpenOrders.Where(o => !o.CancelRequested))
            {
                Cancel(order.ClientOrderId);
            }

            AnswerWhenClosed();
        }));
        Receive<OrderBookProtocol.BookView>(v => WhenReady(v, () => OnBook(v)));
        Receive<ExchangeSupervisorProtocol.NoBook>(n => Log.Warning("{Strategy}: the node keeps no book of {Symbol}", Settings.Id, n.Symbol));
        Receive<OrderGatewayProtocol.CommandRefused>(r => WhenReady(r, () => OnCommandRefused(r)));
        Receive<OrderGatewayProtocol.PositionsUnknown>(p => WhenReady(p, () =>
        {
            if (p.Venue == Settings.TradingVenue && p.Market == Settings.Market)
            {
                _positionsUnknown = "positions unknown: " + p.Reason;
                foreach (var symbol in Settings.Symbols)
                {
                    OnTradingHalted(symbol, _positionsUnknown);
                }
            }
        }));
        Receive<OrderGatewayProtocol.PositionsKnown>(p => WhenReady(p, () =>
        {
            if (p.Venue == Settings.TradingVenue && p.Market == Settings.Market && _positionsUnknown is not null)
            {
                _positionsUnknown = null;
                foreach (var symbol in Settings.Symbols.Where(s => !_bookHalts.ContainsKey(s)))
                {
                    OnTradingResumed(symbol);
                }
            }
        }));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public IStash Stash { get; set; } = null!;

    protected StrategySettings Settings => _context.Settings;

    protected TimeProvider Clock => _context.Clock;

    protected ILoggingAdapter Log { get; }

    /// <summary>This session's orders, positions and PnL, kept from the strategy's own order updates.</summary>
    protected StrategyLedger Ledger { get; } = new();

    /// <summary>The channels this strategy wants for each of its symbols, e.g. trades and the book.</summary>
    protected abstract IReadOnlyCollection<DataChannel> Channels { get; }

    /// <summary>The bus topics it subscribes to: its channels for each of its symbols, on its venue.</summary>
    protected virtual IEnumerable<MarketDataTopic> Subscriptions =>
        Settings.Symbols.SelectMany(symbol => Channels.Select(channel => new MarketDataTopic(Settings.Venue, Settings.Market, channel, symbol)));

    protected long Now => Clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Why <paramref name="symbol"/> may not be traded now, or null.</summary>
    protected string? HaltReason(Symbol symbol) => _historyUnread ?? _positionsUnknown ?? _bookHalts.GetValueOrDefault(symbol);

    /// <summary>
    /// Sends an order to the gateway and returns its client order id at once; the outcome arrives in
    /// <see cref="OnOrderUpdate"/>. Returns null (and logs) while trading is halted for the symbol. With
    /// <paramref name="stop"/> it is a stop order the venue holds until its trigger price is reached.
    /// </summary>
    protected ClientOrderId? Place(
        Symbol symbol, Side side, OrderType type, decimal size, decimal? price = null, bool postOnly = false, bool reduceOnly = false,
        TimeInForce timeInForce = TimeInForce.GoodTillCanceled, StopTrigger? stop = null)
    {
        if ((_closing ? "the node is stopping" : HaltReason(symbol)) is { } halted)
        {
            Log.Debug("{Strategy}: not placing on {Symbol}: {Reason}", Settings.Id, symbol, halted);
            return null;
        }

        var place = new OrderGatewayProtocol.PlaceOrder(Settings.Id, _context.NextRequestId(), Settings.TradingVenue, Settings.Market, symbol, side, type, size, price)
        {
            PostOnly = postOnly,
            ReduceOnly = reduceOnly,
            TimeInForce = timeInForce,
            ReferencePrice = price ?? stop?.Price ?? Ledger.LastPrice(symbol),
            Stop = stop,
        };
        _context.Gateway.Tell(place, Self);
        _awaitingAnswer = place.ClientOrderId;
        return place.ClientOrderId;
    }

    /// <summary>
    /// Has the desk start the actor of this strategy's next order: its start and recovery (a journal read) then happen
    /// before that decision, not on its way to the venue. Asked once ready and whenever the latest placement is
    /// answered (not at the placement: the next order's recovery would compete with this one's commit and request).
    /// </summary>
    private void PrepareNextOrder()
    {
        var next = _context.UpcomingRequestId();
        if (next != _preparedRequestId)
        {
            _preparedRequestId = next;
            _context.Gateway.Tell(new OrderGatewayProtocol.PrepareOrder(Settings.Id, next, Settings.TradingVenue), Self);
        }
    }

    /// <summary>Asks the node's book of <paramref name="symbol"/> for <paramref name="depth"/> levels a side; the answer arrives in <see cref="OnBook"/>.</summary>
    protected void RequestBook(Symbol symbol, int depth = 20) =>
        _context.Exchanges.Tell(new ExchangesRootProtocol.ToVenue(Settings.Venue, Settings.Market, new ExchangeSupervisorProtocol.GetBook(symbol, depth)), Self);

    protected void Cancel(ClientOrderId id) => _context.Gateway.Tell(new OrderGatewayProtocol.CancelOrder(Settings.Id, id), Self);

    /// <summary>Publishes a signal on the bus and logs it.</summary>
    protected void Signal(Symbol symbol, string kind, string message, decimal value)
    {
        Log.Info("{Strategy} signal {Kind} {Symbol}: {Message}", Settings.Id, kind, symbol, message);
        var signal = new StrategyProtocol.Signal(Settings.Id, Settings.Venue, Settings.Market, symbol, kind, message, value, Now);
        _context.Bus.Publish(new MarketDataTopic(Settings.Venue, Settings.Market, DataChannel.Signals, symbol), signal);
    }

    /// <summary>Runs once the journal history is loaded and subscriptions are live: start timers here.</summary>
    protected virtual void OnReady()
    {
    }

    protected virtual void OnData(DataMessage message)
    {
    }

    protected virtual void OnBookTop(BookTop top)
    {
    }

    protected virtual void OnBookHealth(BookHealthChanged health)
    {
    }

    /// <summary>A full book asked for with <see cref="RequestBook"/>: levels best first, its health and sequence.</summary>
    protected virtual void OnBook(OrderBookProtocol.BookView book)
    {
    }

    /// <summary>Every change of one of its orders; <paramref name="e"/> is the journaled event (a fill: FillRecorded).</summary>
    protected virtual void OnOrderUpdate(OrderState order, IJournalEvent? e)
    {
    }

    protected virtual void OnCommandRefused(OrderGatewayProtocol.CommandRefused refused) =>
        Log.Warning("{Strategy}: {Command} of {ClientOrderId} refused: {Error}", Settings.Id, refused.Command, refused.ClientOrderId, refused.Error);

    protected virtual void OnTradingHalted(Symbol symbol, string reason) =>
        Log.Warning("{Strategy}: trading halted on {Symbol}: {Reason}", Settings.Id, symbol, reason);

    protected virtual void OnTradingResumed(Symbol symbol) =>
        Log.Info("{Strategy}: trading resumed on {Symbol}", Settings.Id, symbol);

    protected override void PreStart()
    {
        Mailboxes.Watch(Self, "strategy");
        foreach (var topic in Subscriptions)
        {
            _context.Bus.Subscribe(Self, TopicFilter.Exact(topic));
        }

        foreach (var symbol in Settings.Symbols.Where(_ => Channels.Contains(DataChannel.Book)))
        {
            _bookHalts[symbol] = "book not synced yet";
        }

        ReadHistory();
    }

    /// <summary>Counted as work in flight: a replay feeds no frame before the strategy has its ledger back.</summary>
    private void ReadHistory() =>
        Quiescence.For(Context.System).Track(() => _context.LedgerSourceAsync(CancellationToken.None))
            .PipeTo(Self, success: source => new HistoryLoaded(source.Records, source.Runs, null), failure: e => new HistoryLoaded([], new HashSet<string>(), e));

    protected override void PostStop()
    {
        Mailboxes.Forget(Self);
        _context.Bus.Unsubscribe(Self);
    }

    private void OnHistoryLoaded(HistoryLoaded loaded)
    {
        if (loaded.Failure is not null)
        {
            // Without its history the strategy knows neither its open orders nor its position: it waits, never trades blind.
            var delay = HistoryRetryDelay(++_historyAttempts);
            _historyUnread = "journal history not read: " + loaded.Failure.GetBaseException().Message;
            Log.Warning(loaded.Failure, "{Strategy}: could not read its journal history (attempt {Attempt}); not trading, trying again in {Delay}",
                Settings.Id, _historyAttempts, delay);
            DropStashedMarketData();
            Timers.StartSingleTimer(ReadHistoryAgain.Instance, ReadHistoryAgain.Instance, delay);
            return;
        }

        if (_historyUnread is not null)
        {
            Log.Info("{Strategy}: journal history read after {Attempts} attempts", Settings.Id, _historyAttempts + 1);
            _historyUnread = null;
        }

        Ledger.Load(loaded.Records, loaded.Runs);
        _ready = true;
        Log.Info("{Strategy} ready: {Orders} orders this run, {Open} open", Settings.Id, Ledger.OrderCount, Ledger.OpenOrders.Count());
        PrepareNextOrder();
        OnReady();
        Stash.UnstashAll();
    }

    private void AnswerWhenClosed()
    {
        if (_closing && !Ledger.OpenOrders.Any())
        {
            _waitingForClose.ForEach(w => w.Tell(StrategyProtocol.OrdersClosed.Instance));
            _waitingForClose.Clear();
        }
    }

    /// <summary>1, 2, 4 … seconds, at most 30.</summary>
    public static TimeSpan HistoryRetryDelay(int attempt) => TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, Math.Min(attempt, 6) - 1)));

    private static bool IsMarketData(object message) => message is DataMessage or BookTop or OrderBookProtocol.BookView;

    private void WhenReady(object message, Action handle)
    {
        if (_ready)
        {
            handle();
        }
        else if (_historyUnread is null || !IsMarketData(message))
        {
            Stash.Stash();
        }

        // While the journal cannot be read, market data is not kept: it would be stale by then and could fill memory;
        // order updates and commands are kept, they change the ledger.
    }

    private void DropStashedMarketData()
    {
        var kept = Stash.ClearStash().Where(envelope => !IsMarketData(envelope.Message)).ToList();
        Stash.Prepend(kept);
    }

    private void SetBookHalt(Symbol symbol, string? reason)
    {
        var wasHalted = _bookHalts.ContainsKey(symbol);
        if (reason is null)
        {
            _bookHalts.Remove(symbol);
            if (wasHalted && _positionsUnknown is null)
            {
                OnTradingResumed(symbol);
            }
        }
        else if (Channels.Contains(DataChannel.Book))
        {
            _bookHalts[symbol] = reason;
            if (!wasHalted)
            {
                OnTradingHalted(symbol, reason);
            }
        }
    }

    private void MarkPrice(DataMessage message)
    {
        switch (message)
        {
            case Trade t:
                Ledger.Mark(t.Symbol, t.Price);
                break;
            case Ticker { LastPrice: { } last } t:
                Ledger.Mark(t.Symbol, last);
                break;
        }
    }

    private StrategyProtocol.Status Status()
    {
        var positions = Ledger.Symbols.Select(s =>
        {
            var size = Ledger.Position(s, out var realized, out var unrealized);
            return new StrategyProtocol.PositionRow(s, size, realized, unrealized);
        }).ToArray();
        var halted = Settings.Symbols.Select(s => (s, HaltReason(s))).Where(h => h.Item2 is not null).ToDictionary(h => h.s, h => h.Item2!);
        return new StrategyProtocol.Status(Settings.Id, Settings.Type, Settings.TradingVenue, _ready, halted, Ledger.OpenOrders.Count(), Ledger.OrderCount,
            Ledger.Fills, Ledger.Fees, Ledger.RealizedPnl, Ledger.UnrealizedPnl, positions);
    }

    private sealed record HistoryLoaded(IReadOnlyList<JournalRecord> Records, IReadOnlySet<string> Runs, Exception? Failure);

    private sealed class ReadHistoryAgain
    {
        public static readonly ReadHistoryAgain Instance = new();

        private ReadHistoryAgain()
        {
        }
    }
}
