using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using ActorTrading.Core;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Runtime.Rest;
using ActorTrading.Runtime.Telemetry;
using ActorTrading.Runtime.Venues;
using Akka.Actor;
using Akka.Event;

namespace ActorTrading.Runtime.Orders;

public static class OrderEntryProtocol
{
    /// <summary>A command about orders; the answer is <see cref="Results"/> with one result per order named here.</summary>
    public interface ICommand : ICrossNodeMessage
    {
        IEnumerable<ClientOrderId> ClientOrderIds { get; }
    }

    /// <summary>Places orders; several go out in as few batch requests as the venue allows.</summary>
    public sealed record Place(IReadOnlyList<OrderTicket> Orders) : ICommand
    {
        [JsonIgnore]
        public IEnumerable<ClientOrderId> ClientOrderIds => Orders.Select(o => o.ClientOrderId);
    }

    public sealed record Cancel(IReadOnlyList<CancelTicket> Cancels) : ICommand
    {
        [JsonIgnore]
        public IEnumerable<ClientOrderId> ClientOrderIds => Cancels.Select(c => c.ClientOrderId);
    }

    public sealed record Amend(AmendTicket Ticket) : ICommand
    {
        [JsonIgnore]
        public IEnumerable<ClientOrderId> ClientOrderIds => [Ticket.ClientOrderId];
    }

    /// <summary>The answer to a command: one result per order, in the command's order.</summary>
    public sealed record Results(IReadOnlyList<OrderEntryResult> Items) : ICrossNodeMessage;

    /// <summary>A question to the venue for reconciliation; answered whatever happens (errors inside the answer).</summary>
    public interface IQuery : ICrossNodeMessage
    {
        /// <summary>The answer when the venue cannot be asked at all.</summary>
        object Unanswerable(ExchangeError error);
    }

    /// <summary>
    /// Open orders, recent fills and positions, asked together. <see cref="Symbols"/>: the symbols to ask about where
    /// the venue lists per symbol (the symbols of the orders still open in the journal).
    /// </summary>
    public sealed record Snapshot(IReadOnlyCollection<Symbol> Symbols) : IQuery
    {
        public object Unanswerable(ExchangeError error) => new VenueSnapshot([], [], null, error, error);
    }

    /// <summary>
    /// What the venue says. <see cref="Error"/> set: orders and fills could not be read. <see cref="PositionsError"/>
    /// set: positions are unknown (never to be taken as flat).
    /// </summary>
    public sealed record VenueSnapshot(
        IReadOnlyList<VenueOrderReport> OpenOrders, IReadOnlyList<VenueFillReport> RecentFills, IReadOnlyList<VenuePosition>? Positions,
        ExchangeError? Error, ExchangeError? PositionsError) : ICrossNodeMessage;

    public sealed record QueryOrder(ClientOrderId ClientOrderId, Symbol Symbol) : IQuery
    {
        public object Unanswerable(ExchangeError error) => new OrderQueryAnswer(ClientOrderId, null, error);
    }

    /// <summary><see cref="Report"/> null and no error: the venue does not know the order.</summary>
    public sealed record OrderQueryAnswer(ClientOrderId ClientOrderId, VenueOrderReport? Report, ExchangeError? Error) : ICrossNodeMessage;

    /// <summary>Every fill of one order, however old (all pages).</summary>
    public sealed record QueryOrderFills(ClientOrderId ClientOrderId, string VenueOrderId, Symbol Symbol) : IQuery
    {
        public object Unanswerable(ExchangeError error) => new OrderFillsAnswer(ClientOrderId, [], error);
    }

    public sealed record OrderFillsAnswer(ClientOrderId ClientOrderId, IReadOnlyList<VenueFillReport> Fills, ExchangeError? Error) : ICrossNodeMessage;
}

public sealed record OrderEntrySettings
{
    public OrderRoute Route { get; init; } = OrderRoute.Rest;

    /// <summary>Longest wait for an answer; past it an order's state is <see cref="OrderStatusUnknown"/>.</summary>
    public TimeSpan AnswerTimeout { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// One venue market's order door. Commands are cut into the venue's batch sizes, built by the
/// <see cref="IOrderEntryAdapter"/> and sent over the configured route: the REST gateway, or the
/// <see cref="WsOrderClient"/> (calls the socket has no op for go by REST). Every order gets exactly one result:
/// accepted, rejected (the venue refused, or the ticket could not be built), or unknown when the command may have
/// reached the venue without an answer (timeout, lost connection, unreadable answer). With an instrument catalog, a
/// placement waits for the venue's trading rules and an order that breaks them is refused unsent.
/// </summary>
public sealed class VenueOrderEntry : ReceiveActor, IWithUnboundedStash
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IOrderEntryAdapter _adapter;
    private readonly GatewayRestExecutor _rest;
    private readonly IActorRef? _tradingSocket;
    private readonly OrderEntrySettings _settings;
    private readonly Dictionary<Symbol, Task<ExchangeError?>> _setups = new();
    private readonly IActorRef? _instruments;
    private readonly InstrumentRules _rules;

    public VenueOrderEntry(IOrderEntryAdapter adapter, IActorRef restGateway, IActorRef? tradingSocket, OrderEntrySettings settings, IActorRef? instruments)
    {
        _instruments = instruments;
        _rules = new InstrumentRules(adapter.Venue, adapter.Market);
        _adapter = adapter;
        _rest = new GatewayRestExecutor(restGateway, settings.AnswerTimeout);
        _tradingSocket = settings.Route == OrderRoute.WebSocket
            ? tradingSocket ?? throw new ExchangeException(new ConfigurationError($"{adapter.Venue} {adapter.Market.ToWire()}: the WebSocket order route needs a trading socket"))
            : null;
        _settings = settings;

        Receive<OrderEntryProtocol.Place>(OnPlace);
        Receive<SymbolsReady>(r => Execute(r.Orders.Where(o => !r.Failed.ContainsKey(o.Symbol)).ToArray(), adapter.MaxPlaceBatch, o => o.ClientOrderId, adapter.Place,
            refusedBefore: [.. r.Refused, .. r.Orders.Where(o => r.Failed.ContainsKey(o.Symbol)).Select(o => (OrderEntryResult)Refuse(o.ClientOrderId, r.Failed[o.Symbol]))],
            order: r.Order));
        Receive<InstrumentCatalogProtocol.IAnswer>(answer =>
        {
            _rules.Update(answer);
            Stash.UnstashAll();
        });
        Receive<OrderEntryProtocol.Cancel>(c => Execute(c.Cancels, adapter.MaxCancelBatch, o => o.ClientOrderId, adapter.Cancel));
        Receive<OrderEntryProtocol.Amend>(a => Execute([a.Ticket], 1, o => o.ClientOrderId, chunk => adapter.Amend(chunk[0])));
        Receive<OrderEntryProtocol.IQuery>(q =>
        {
            if (adapter.Queries is not { } queries)
            {
                Sender.Tell(q.Unanswerable(new ConfigurationError($"{adapter.Venue} {adapter.Market.ToWire()} has no order queries yet")));
                return;
            }

            var answer = q switch
            {
                OrderEntryProtocol.QueryOrder one => QueryOrderAsync(queries, one),
                OrderEntryProtocol.QueryOrderFills fills => OrderFillsAsync(queries, fills),
                OrderEntryProtocol.Snapshot snapshot => SnapshotAsync(queries, snapshot.Symbols),
                _ => Task.FromResult(q.Unanswerable(new ConfigurationError("unknown query " + q.GetType().Name))),
            };
            answer.PipeTo(Sender);
        });
    }

    public IStash Stash { get; set; } = null!;

    public static Props Props(IOrderEntryAdapter adapter, IActorRef restGateway, IActorRef? tradingSocket, OrderEntrySettings? settings = null, IActorRef? instruments = null) =>
        Akka.Actor.Props.Create(() => new VenueOrderEntry(adapter, restGateway, tradingSocket, settings ?? new OrderEntrySettings(), instruments));

    protected override void PreStart()
    {
        Mailboxes.Watch(Self, "order-entry");
        _instruments?.Tell(InstrumentCatalogProtocol.Subscribe.Instance);
    }

    protected override void PostStop() => Mailboxes.Forget(Self);

    /// <summary>
    /// Refuses unsent the orders that break their instrument's rules; places the others at once when every symbol is
    /// set up at the venue, otherwise first runs the setup of the symbols that need it (leverage, margin type) and then
    /// places, refusing unsent the orders of a symbol whose setup failed. Waits for the rules when they are not loaded yet.
    /// </summary>
    private void OnPlace(OrderEntryProtocol.Place place)
    {
        if (_instruments is not null && !_rules.Known)
        {
            Stash.Stash();
            return;
        }

        var order = place.Orders.Select(o => o.ClientOrderId).ToArray();
        if (order.Distinct().Count() != order.Length)
        {
            Execute(place.Orders, _adapter.MaxPlaceBatch, o => o.ClientOrderId, _adapter.Place);   // refuses them all, with why
            return;
        }

        var checks = place.Orders.Select(o => (Order: o, Failure: CheckFailure(o))).ToArray();
        var refused = checks.Where(c => c.Failure is not null).Select(c => (OrderEntryResult)Refuse(c.Order.ClientOrderId, c.Failure!)).ToArray();
        var orders = checks.Where(c => c.Failure is null).Select(c => c.Order).ToArray();
        var setups = orders.Select(o => o.Symbol).Distinct().ToDictionary(symbol => symbol, SetupOf);
        if (setups.Values.All(t => t.IsCompletedSuccessfully && t.Result is null))
        {
            Execute(orders, _adapter.MaxPlaceBatch, o => o.ClientOrderId, _adapter.Place, refused, order);
            return;
        }

        Task.WhenAll(setups.Values).PipeTo(Self, Sender, success: _ => new SymbolsReady(orders, refused, order,
            setups.Where(s => s.Value.Result is not null).ToDictionary(s => s.Key, s => s.Value.Result!)));
    }

    /// <summary>Why the venue's rules refuse <paramref name="order"/>; null when they take it or no rules are kept.</summary>
    private OrderCheckError? CheckFailure(OrderTicket order) => _instruments is null ? null : _rules.Check(order);

    /// <summary>The setup of a symbol: run once, and again after a failure (the next order tries anew).</summary>
    private Task<ExchangeError?> SetupOf(Symbol symbol)
    {
        if (!_setups.TryGetValue(symbol, out var setup) || (setup.IsCompleted && (!setup.IsCompletedSuccessfully || setup.Result is not null)))
        {
            _setups[symbol] = setup = RunSetupAsync(symbol);
        }

        return setup;
    }

    private async Task<ExchangeError?> RunSetupAsync(Symbol symbol)
    {
        foreach (var request in _adapter.SymbolSetup(symbol))
        {
            try
            {
                await _rest.SendAsync(request, CancellationToken.None).ConfigureAwait(false);
            }
            catch (ExchangeException e)
            {
                if (!_adapter.IsSetupInPlace(e.Error))
                {
                    return e.Error with { Message = $"{symbol} setup ({request.Method} {request.Path}) failed: {e.Error.Message}" };
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Cuts the command into the venue's batch sizes, sends every batch, answers once with all results in order
    /// (<paramref name="order"/>, when results refused before this point are to be merged in).
    /// </summary>
    private void Execute<T>(IReadOnlyList<T> items, int batchSize, Func<T, ClientOrderId> idOf, Func<T[], OrderEntryCall> build,
        IReadOnlyList<OrderEntryResult>? refusedBefore = null, IReadOnlyList<ClientOrderId>? order = null)
    {
        if (items.GroupBy(idOf).FirstOrDefault(g => g.Count() > 1) is { } repeated)
        {
            // Answers are matched by client order id: two orders under one id could not be told apart.
            var error = new ConfigurationError($"the command repeats client order id {repeated.Key}");
            Sender.Tell(new OrderEntryProtocol.Results(items.Select(item => (OrderEntryResult)Refuse(idOf(item), error)).ToArray()));
            return;
        }

        // An id the venue would refuse (or cut) is refused here, unsent, with the rule it breaks; the others go.
        var allowed = items.ToLookup(item => _adapter.ClientOrderIds.Allows(idOf(item)));
        var outside = allowed[false]
            .Select(item => (OrderEntryResult)Refuse(idOf(item), new ConfigurationError($"client order id {idOf(item)} breaks {_adapter.Venue}'s rule ({_adapter.ClientOrderIds})")))
            .ToArray();
        var sends = allowed[true].Chunk(Math.Max(1, batchSize)).SelectMany(chunk => Plan(chunk, idOf, build)).ToArray();
        var ids = order ?? items.Select(idOf).ToArray();
        Task.WhenAll(sends).PipeTo(Sender, success: results =>
        {
            // A batch may have been split around refused tickets: put the answers back in the command's order.
            var byId = results.SelectMany(r => r).Concat(outside).Concat(refusedBefore ?? []).ToDictionary(r => r.ClientOrderId);
            return new OrderEntryProtocol.Results(ids.Select(id => byId[id]).ToArray());
        });
    }

    /// <summary>
    /// One call for the chunk. When the adapter refuses the chunk, only the tickets it refuses alone are refused
    /// (before sending: nothing reached the venue) and the others still go out together.
    /// </summary>
    private IEnumerable<Task<IReadOnlyList<OrderEntryResult>>> Plan<T>(T[] chunk, Func<T, ClientOrderId> idOf, Func<T[], OrderEntryCall> build)
    {
        if (TryBuild(build, chunk, out var call, out var error))
        {
            return [SendAsync(call!)];
        }

        // Which tickets are refused on their own? None: the batch itself was refused (e.g. too large), refuse all.
        var alone = chunk.Length == 1
            ? [(Item: chunk[0], Error: error)]
            : chunk.Select(item => (Item: item, Error: TryBuild(build, [item], out _, out var own) ? null : own)).ToArray();
        var refused = alone.Any(a => a.Error is not null) ? alone.Where(a => a.Error is not null).ToArray() : chunk.Select(item => (Item: item, Error: error)).ToArray();
        var rejected = refused.Select(r => (OrderEntryResult)Refuse(idOf(r.Item), r.Error!)).ToArray();
        var rest = chunk.Except(refused.Select(r => r.Item)).ToArray();
        return [.. rest.Length > 0 ? Plan(rest, idOf, build) : [], Task.FromResult<IReadOnlyList<OrderEntryResult>>(rejected)];
    }

    private static bool TryBuild<T>(Func<T[], OrderEntryCall> build, T[] items, out OrderEntryCall? call, out ExchangeError? error)
    {
        try
        {
            (call, error) = (build(items), null);
            return true;
        }
        catch (ExchangeException e)
        {
            (call, error) = (null, e.Error);
            return false;
        }
    }

    private OrderRejected Refuse(ClientOrderId id, ExchangeError error)
    {
        _log.Warning("{Venue} {Market}: order {ClientOrderId} refused before sending: {Error}", _adapter.Venue, _adapter.Market.ToWire(), id, error);
        return new OrderRejected(id, error);
    }

    private async Task<object> SnapshotAsync(IOrderQueryAdapter queries, IReadOnlyCollection<Symbol> symbols)
    {
        IReadOnlyList<VenuePosition>? positions = null;
        ExchangeError? positionsError = null;
        try
        {
            positions = queries.Positions() is { } request ? queries.ReadPositions(await _rest.SendAsync(request, CancellationToken.None).ConfigureAwait(false)) : [];
        }
        catch (ExchangeException e)
        {
            positionsError = e.Error;
        }

        try
        {
            var open = new List<VenueOrderReport>();
            foreach (var request in queries.OpenOrders(symbols))
            {
                open.AddRange(queries.ReadOrders(await _rest.SendAsync(request, CancellationToken.None).ConfigureAwait(false)));
            }

            var fills = new List<VenueFillReport>();
            foreach (var request in queries.RecentFills(symbols))
            {
                fills.AddRange(queries.ReadFills(await _rest.SendAsync(request, CancellationToken.None).ConfigureAwait(false)));
            }

            return new OrderEntryProtocol.VenueSnapshot(open, fills, positions, null, positionsError);
        }
        catch (ExchangeException e)
        {
            return new OrderEntryProtocol.VenueSnapshot([], [], positions, e.Error, positionsError);
        }
    }

    private async Task<object> QueryOrderAsync(IOrderQueryAdapter queries, OrderEntryProtocol.QueryOrder query)
    {
        try
        {
            var data = await _rest.SendAsync(queries.OrderByClientId(query.ClientOrderId, query.Symbol), CancellationToken.None).ConfigureAwait(false);
            var report = queries.ReadOrder(data);
            if (report is null && queries.OrderByClientIdElsewhere(query.ClientOrderId, query.Symbol) is { } elsewhere)
            {
                report = queries.ReadOrder(await _rest.SendAsync(elsewhere, CancellationToken.None).ConfigureAwait(false));
            }

            return new OrderEntryProtocol.OrderQueryAnswer(query.ClientOrderId, report, null);
        }
        catch (ExchangeException e) when (queries.IsUnknownOrder(e.Error))
        {
            return new OrderEntryProtocol.OrderQueryAnswer(query.ClientOrderId, null, null);
        }
        catch (ExchangeException e)
        {
            return new OrderEntryProtocol.OrderQueryAnswer(query.ClientOrderId, null, e.Error);
        }
    }

    private async Task<object> OrderFillsAsync(IOrderQueryAdapter queries, OrderEntryProtocol.QueryOrderFills query)
    {
        const int MaxPages = 100;   // an order with more fills than this is beyond any venue's page sizes: stop, never loop
        var fills = new List<VenueFillReport>();
        try
        {
            JsonElement? page = null;
            for (var i = 0; i < MaxPages && queries.OrderFills(query.VenueOrderId, query.Symbol, page) is { } request; i++)
            {
                page = await _rest.SendAsync(request, CancellationToken.None).ConfigureAwait(false);
                fills.AddRange(queries.ReadOrderFills(page.Value).Where(f => f.VenueOrderId == query.VenueOrderId));
            }

            return new OrderEntryProtocol.OrderFillsAnswer(query.ClientOrderId, fills, null);
        }
        catch (ExchangeException e)
        {
            // The pages read so far are facts too: the order records them, and a later pass asks again for the rest.
            return new OrderEntryProtocol.OrderFillsAnswer(query.ClientOrderId, fills, e.Error);
        }
    }

    private async Task<IReadOnlyList<OrderEntryResult>> SendAsync(OrderEntryCall call)
    {
        var started = Stopwatch.GetTimestamp();
        var results = await SendUntimedAsync(call).ConfigureAwait(false);
        NodeTelemetry.OrderRequestDuration.Record(NodeTelemetry.SecondsSince(started), new TagList
        {
            { "venue", _adapter.Venue.Value },
            { "market", _adapter.Market.ToWire() },
            { "route", _tradingSocket is not null && call.WsOperation is not null ? "ws" : "rest" },
            { "kind", call.Kind.ToString().ToLowerInvariant() },
            { "outcome", results.Count > 0 ? results[0] switch { OrderRejected => "rejected", OrderStatusUnknown => "unknown", _ => "accepted" } : "none" },
        });
        return results;
    }

    private async Task<IReadOnlyList<OrderEntryResult>> SendUntimedAsync(OrderEntryCall call)
    {
        try
        {
            if (_tradingSocket is not null && call.WsOperation is not null)
            {
                // The socket's orders spend the same venue budget as REST's (orders per account, weight per IP).
                await _rest.SpendAsync(call.Rest).ConfigureAwait(false);
                var clientOid = call.Orders.Count == 1 ? call.Orders[0].Value : null;
                var outcome = await _tradingSocket.Ask<WsOrderProtocol.Outcome>(new WsOrderProtocol.Send(call.WsOperation, call.WsArgs!, clientOid), _settings.AnswerTimeout).ConfigureAwait(false);
                return outcome switch
                {
                    WsOrderProtocol.Accepted accepted => _adapter.ReadAnswer(call, accepted.Data),
                    WsOrderProtocol.Rejected rejected => All(call, id => new OrderRejected(id, rejected.Error)),
                    WsOrderProtocol.Unknown unknown => All(call, id => new OrderStatusUnknown(id, unknown.Reason)),
                    _ => All(call, id => new OrderStatusUnknown(id, "unexpected trading socket answer " + outcome.GetType().Name)),
                };
            }

            return _adapter.ReadAnswer(call, await _rest.SendAsync(call.Rest, CancellationToken.None).ConfigureAwait(false));
        }
        catch (ExchangeException e) when (e.Error is NetworkError { NeverSent: true })
        {
            // It never left this machine: the venue has no such order, so it is refused, not unknown.
            return All(call, id => new OrderRejected(id, e.Error));
        }
        catch (ExchangeException e) when (e.Error is NetworkError or ProtocolError)
        {
            // Sent, or maybe sent, with no answer we can read: only a query can tell what the venue did.
            return All(call, id => new OrderStatusUnknown(id, e.Error.ToString()));
        }
        catch (ExchangeException e)
        {
            return All(call, id => new OrderRejected(id, e.Error));
        }
        catch (AskTimeoutException)
        {
            return All(call, id => new OrderStatusUnknown(id, $"no answer within {_settings.AnswerTimeout.TotalSeconds:0} s"));
        }
    }

    private static OrderEntryResult[] All(OrderEntryCall call, Func<ClientOrderId, OrderEntryResult> result) =>
        call.Orders.Select(result).ToArray();

    /// <summary>
    /// The symbols of a placement's <see cref="Orders"/> are set up; those whose setup failed, with why. <see cref="Refused"/>:
    /// its orders refused by the checks; <see cref="Order"/>: every order's id in the command's order.
    /// </summary>
    private sealed record SymbolsReady(
        IReadOnlyList<OrderTicket> Orders, IReadOnlyList<OrderEntryResult> Refused, IReadOnlyList<ClientOrderId> Order, IReadOnlyDictionary<Symbol, ExchangeError> Failed);
}
