using System.Diagnostics;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Runtime.Orders;
using ActorTrading.Runtime.Telemetry;
using ActorTrading.Runtime.Venues;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Akka.Persistence.Journal;

namespace ActorTrading.Journal;

public static class OrderActorProtocol
{
    /// <summary>A message for one order actor, routed by its client order id (the entity id of its shard region).</summary>
    public interface IOrderMessage : IOrderWireMessage
    {
        ClientOrderId ClientOrderId { get; }
    }

    /// <summary>Journal the order, then send it to its venue. A second Submit of the same id only reports the state.</summary>
    public sealed record Submit(OrderTicket Ticket, string StrategyId, VenueId Venue, MarketKind Market) : IOrderMessage
    {
        public ClientOrderId ClientOrderId => Ticket.ClientOrderId;
    }

    /// <summary>
    /// Start now for a placement expected next (<see cref="OrderGatewayProtocol.PrepareOrder"/>): the actor recovers and
    /// waits. An order that already exists is unchanged.
    /// </summary>
    public sealed record Prepare(ClientOrderId ClientOrderId) : IOrderMessage;

    /// <summary>Journal an order refused before sending (risk limits, no such venue): submitted, then rejected.</summary>
    public sealed record SubmitRefused(OrderTicket Ticket, string StrategyId, VenueId Venue, MarketKind Market, string Code, string Reason) : IOrderMessage
    {
        public ClientOrderId ClientOrderId => Ticket.ClientOrderId;
    }

    public sealed record Cancel(ClientOrderId ClientOrderId) : IOrderMessage;

    public sealed record Amend(ClientOrderId ClientOrderId, decimal? NewPrice, decimal? NewSize) : IOrderMessage;

    /// <summary>An order update from the venue's private feed.</summary>
    public sealed record VenueUpdate(ClientOrderId ClientOrderId, OrderUpdate Update) : IOrderMessage;

    /// <summary>A fill learned by REST or reconciliation; recorded once whatever path brings it.</summary>
    public sealed record ReportFill(ClientOrderId ClientOrderId, FillInfo Fill, FillSource Source, string? VenueOrderId, long Timestamp) : IOrderMessage;

    /// <summary>
    /// What a query of the venue says about the order (reconciliation, resolving Unknown). When the venue counts more
    /// filled than the journal has fills for, the order asks the venue for its fills.
    /// </summary>
    public sealed record ReportVenueState(ClientOrderId ClientOrderId, OrderLifecycle Status, decimal FilledSize, string? VenueOrderId, long Timestamp) : IOrderMessage;

    /// <summary>
    /// Asked by its client id, the venue does not know the order. Closes it (never arrived, or gone) unless its
    /// placement is still on its way: then the placement's own answer decides.
    /// </summary>
    /// <remarks>
    /// <see cref="StatusWhenAsked"/> and <see cref="VenueOrderIdWhenAsked"/> are the order as the asker knew it: an order
    /// that moved on since (its acknowledgement came meanwhile) makes the absence stale, and it is ignored.
    /// </remarks>
    public sealed record ReportNotAtVenue(ClientOrderId ClientOrderId, long Timestamp, OrderLifecycle StatusWhenAsked, string? VenueOrderIdWhenAsked) : IOrderMessage;

    public sealed record GetState(ClientOrderId ClientOrderId) : IOrderMessage;

    /// <summary>To the gateway after each journaled event, and on a repeated Submit (Event null).</summary>
    public sealed record Changed(OrderState State, IJournalEvent? Event) : IOrderWireMessage;

    /// <summary>To the gateway: a cancel or amend the venue (or we) refused; the order itself is unchanged.</summary>
    public sealed record CommandRefused(ClientOrderId ClientOrderId, string? StrategyId, string Command, ExchangeError Error) : IOrderWireMessage;

    /// <summary>
    /// The passivation's stop message (from the shard, after the order asked to be passivated or sat idle). An ordinary
    /// command (not a PoisonPill), so it waits behind journal writes in progress and behind messages sent before it; an
    /// order with a venue call in flight stops once it is answered.
    /// </summary>
    public sealed class Stop : IOrderWireMessage
    {
        public static readonly Stop Instance = new();

        private Stop()
        {
        }
    }

    /// <summary>Answer to <see cref="GetState"/> for an id the journal does not know.</summary>
    public sealed record NotFound(ClientOrderId ClientOrderId) : IOrderWireMessage;
}

public sealed record OrderActorSettings
{
    public TimeSpan VenueAnswerTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>The node run whose orders these are (journaled with each order; null for command-line orders).</summary>
    public string? RunId { get; init; }
}

/// <summary>
/// Where each venue's order commands go: straight to a door (a paper venue, a test's scripted venue) or through
/// <c>/user/exchanges</c> to the venue's supervisor.
/// </summary>
public sealed class VenueDoors
{
    private readonly Func<VenueId, MarketKind, object, (IActorRef Target, object Message)?> _address;

    private VenueDoors(Func<VenueId, MarketKind, object, (IActorRef, object)?> address) => _address = address;

    public static VenueDoors Direct(IReadOnlyDictionary<(VenueId Venue, MarketKind Market), IActorRef> doors) =>
        new((venue, market, command) => doors.TryGetValue((venue, market), out var door) ? (door, command) : null);

    /// <summary>Through the exchanges root, for the venues whose order entry is enabled.</summary>
    public static VenueDoors Through(IActorRef exchangesRoot, IEnumerable<(VenueId Venue, MarketKind Market)> venuesWithOrderEntry)
    {
        var known = venuesWithOrderEntry.ToHashSet();
        return new((venue, market, command) => known.Contains((venue, market))
            ? (exchangesRoot, new ExchangesRootProtocol.ToVenue(venue, market, command))
            : null);
    }

    /// <summary>The first door that knows the venue: e.g. paper venues in this process, then the live ones.</summary>
    public static VenueDoors Either(VenueDoors first, VenueDoors second) =>
        new((venue, market, command) => first.Address(venue, market, command) ?? second.Address(venue, market, command));

    /// <summary>The actor to ask and the message to send it, or null when the venue has no order entry here.</summary>
    public (IActorRef Target, object Message)? Address(VenueId venue, MarketKind market, object command) => _address(venue, market, command);
}

/// <summary>
/// One order's life, event-sourced (<c>order-{clientOrderId}</c>): journals the order before sending it, then every
/// answer and venue update as it happens. Out-of-order updates are fine (a fill before the acknowledgement, a cancel
/// after the fill): fills are facts recorded once per trade id, and terminal states never change. Tells its gateway
/// each change; asks to be passivated when terminal.
/// </summary>
public sealed class OrderActor : ReceivePersistentActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly ClientOrderId _id;
    private readonly VenueDoors _doors;
    private readonly OrderActorSettings _settings;
    private readonly TimeProvider _clock;
    // As journaled: changed only in persist handlers.
    private OrderState? _state;

    // What the events of the command being handled make of it while they are written (null when none is pending).
    private OrderState? _unwritten;
    private readonly IActorRef _gateway;
    private int _pendingVenueCalls;
    private bool _placementInFlight;
    private bool _stopWhenAnswered;
    private long? _submittedAt;
    private bool _ackObserved;
    private bool _fillObserved;

    // gateway: where every change and refusal goes (the gateway, or the order desk's proxy on a cluster member).
    public OrderActor(ClientOrderId id, VenueDoors doors, OrderActorSettings settings, TimeProvider clock, IActorRef gateway)
    {
        _id = id;
        _doors = doors;
        _settings = settings;
        _clock = clock;
        _gateway = gateway;

        Recover<OrderEvents.Submitted>(s => _state = OrderState.Start(s));
        Recover<IJournalEvent>(e => _state = _state?.Apply(e));

        Command<OrderActorProtocol.Submit>(OnSubmit);
        Command<OrderActorProtocol.SubmitRefused>(OnSubmitRefused);

        // Started and recovered: that was the point. Never placed, it is passivated as any idle entity (the shard's
        // passivate-idle-entity-after), having written nothing.
        Command<OrderActorProtocol.Prepare>(_ => PassivateWhenDone());
        Command<OrderActorProtocol.GetState>(_ =>
        {
            if (_state is null)
            {
                Sender.Tell(new OrderActorProtocol.NotFound(_id));
                Passivate();   // nothing to keep in memory for an id never used
                return;
            }

            Sender.Tell(_state);
            PassivateWhenDone();
        });
        Command<OrderActorProtocol.Cancel>(_ => WhenKnown("cancel", OnCancel));
        Command<OrderActorProtocol.Amend>(a => WhenKnown("amend", state => OnAmend(state, a)));
        Command<OrderActorProtocol.VenueUpdate>(u => WhenKnown("venue update", state => OnVenueUpdate(state, u.Update)));
        Command<OrderActorProtocol.ReportFill>(f => WhenKnown("fill", state => RecordFill(state, f.Fill, f.Source, f.VenueOrderId, f.Timestamp)));
        Command<OrderActorProtocol.ReportVenueState>(r => WhenKnown("venue state", state => OnVenueState(state, r)));
        Command<OrderActorProtocol.ReportNotAtVenue>(r => WhenKnown("venue state", state => OnReportedAbsent(state, r)));
        Command<VenueAnswer>(OnVenueAnswer);
        Command<OrderEntryProtocol.OrderQueryAnswer>(OnOrderQueryAnswer);
        Command<OrderEntryProtocol.OrderFillsAnswer>(OnOrderFillsAnswer);
        Command<OrderActorProtocol.Stop>(_ =>
        {
            // Stopping now would lose a venue answer (a call that came in before the passivation): stop once it is here.
            // Meanwhile the shard holds what arrives for this order and hands it to the next incarnation.
            _stopWhenAnswered = _pendingVenueCalls > 0;
            if (!_stopWhenAnswered)
            {
                Context.Stop(Self);
            }
        });
    }

    public override string PersistenceId => PersistenceIdFor(_id);

    /// <summary>
    /// From the events alone, never a snapshot: almost every order is new when its actor starts, and asking the
    /// snapshot store cost each one a read (~0.16 ms on SQLite) to find nothing, on the path to the venue, while
    /// replaying an order's events costs a few microseconds each. Events are never deleted, so the snapshots an
    /// earlier version wrote are not needed.
    /// </summary>
    public override Recovery Recovery => FromEventsOnly;

    private static readonly Recovery FromEventsOnly = new(SnapshotSelectionCriteria.None);

    public static string PersistenceIdFor(ClientOrderId id) => "order-" + id.Value;

    public static Props Props(ClientOrderId id, VenueDoors doors, OrderActorSettings settings, TimeProvider clock, IActorRef gateway) =>
        // One order, one actor: neither the expression form (a delegate compiled per order) nor the type form (a
        // reflective constructor call per order, a few percent of the node's CPU at 1,500 orders/s) but a plain `new`.
        Akka.Actor.Props.CreateBy(new Producer(id, doors, settings, clock, gateway));

    private long Now => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    private sealed class Producer(ClientOrderId id, VenueDoors doors, OrderActorSettings settings, TimeProvider clock, IActorRef gateway) : IIndirectActorProducer
    {
        public Type ActorType => typeof(OrderActor);

        public ActorBase Produce() => new OrderActor(id, doors, settings, clock, gateway);

        public void Release(ActorBase actor)
        {
        }
    }

    private void OnSubmit(OrderActorProtocol.Submit submit)
    {
        if (AlreadySubmitted())
        {
            return;
        }

        var t = submit.Ticket;
        if (_doors.Address(submit.Venue, submit.Market, new OrderEntryProtocol.Place([t])) is { } door)
        {
            // The order leaves the node only once its submission is durable.
            _submittedAt = Stopwatch.GetTimestamp();
            Record(Submitted(t, submit.StrategyId, submit.Venue, submit.Market), then: () => AskVenue(door, "place"));
        }
        else
        {
            Record(Submitted(t, submit.StrategyId, submit.Venue, submit.Market));
            Record(new OrderEvents.Rejected(_id, "configuration", $"no order entry for {submit.Venue} {submit.Market.ToWire()}", Now));
        }
    }

    private void OnSubmitRefused(OrderActorProtocol.SubmitRefused refused)
    {
        if (AlreadySubmitted())
        {
            return;
        }

        Record(Submitted(refused.Ticket, refused.StrategyId, refused.Venue, refused.Market));
        Record(new OrderEvents.Rejected(_id, refused.Code, refused.Reason, Now));
    }

    /// <summary>
    /// A retried placement: the order exists and is reported; nothing is sent twice. An order whose placement went
    /// unanswered (Unknown), or is journaled as submitted with no answer on its way to this incarnation (the one that
    /// sent it was lost with its node), is asked for at the venue by its id, so the retry resolves it.
    /// </summary>
    private bool AlreadySubmitted()
    {
        if (_state is null)
        {
            return false;
        }

        _gateway.Tell(new OrderActorProtocol.Changed(_state, null));
        if (_state.Status is OrderLifecycle.Unknown or OrderLifecycle.Submitted && _pendingVenueCalls == 0)
        {
            AskVenueQuery(_state, new OrderEntryProtocol.QueryOrder(_id, _state.Symbol));
        }

        return true;
    }

    /// <summary>What this command's decisions go by: the journaled state and the events of this command on their way.</summary>
    private OrderState? Current => _unwritten ?? _state;

    private OrderEvents.Submitted Submitted(OrderTicket t, string strategyId, VenueId venue, MarketKind market) =>
        new(t.ClientOrderId, strategyId, venue, market, t.Symbol, t.Side, t.Type, t.Size, t.Price, t.TimeInForce, t.PostOnly, t.ReduceOnly, Now, _settings.RunId, t.Stop);

    /// <summary>A cancel or amend of a finished order changes nothing: the strategy is told why.</summary>
    private bool RefusedAsFinished(OrderState state, string command)
    {
        if (state.IsTerminal)
        {
            _gateway.Tell(new OrderActorProtocol.CommandRefused(_id, state.StrategyId, command, new ConfigurationError($"order is already {state.Status}")));
        }

        return state.IsTerminal;
    }

    private void OnCancel(OrderState state)
    {
        if (RefusedAsFinished(state, "cancel"))
        {
            return;
        }

        if (Door(state, new OrderEntryProtocol.Cancel([new CancelTicket(_id, state.Symbol, state.VenueOrderId)])) is { } door)
        {
            // The cancel leaves the node only once the request is durable.
            Record(new OrderEvents.CancelRequested(_id, Now), then: () => AskVenue(door, "cancel"));
        }
    }

    private void OnAmend(OrderState state, OrderActorProtocol.Amend amend)
    {
        if (RefusedAsFinished(state, "amend"))
        {
            return;
        }

        if (Door(state, new OrderEntryProtocol.Amend(new AmendTicket(_id, state.Symbol, amend.NewPrice, amend.NewSize, state.VenueOrderId)
        {
            Current = new AmendedOrder(state.Side, state.Price, state.Size),
        })) is { } door)
        {
            AskVenue(door, "amend", amend);
        }
    }

    private void OnVenueUpdate(OrderState state, OrderUpdate update)
    {
        if (update.Fill is { } fill)
        {
            RecordFill(state, fill, FillSource.WebSocket, update.OrderId, update.ExchangeTs);
        }

        switch (update.Status)
        {
            case OrderStatus.Open or OrderStatus.PartiallyFilled or OrderStatus.Filled when Current!.VenueOrderId is null || Current.Status is OrderLifecycle.Submitted or OrderLifecycle.Unknown:
                Record(new OrderEvents.Acknowledged(_id, update.OrderId, Now));
                break;
            case OrderStatus.Canceled when !Current!.IsTerminal:
                Record(new OrderEvents.Canceled(_id, "canceled at the venue", Now));
                break;
            case OrderStatus.Rejected when !Current!.IsTerminal:
                Record(new OrderEvents.Rejected(_id, "venue", "rejected at the venue", Now));
                break;
            case OrderStatus.Expired when !Current!.IsTerminal:
                Record(new OrderEvents.Expired(_id, Now));
                break;
        }

        PassivateWhenDone();
    }

    private void RecordFill(OrderState state, FillInfo fill, FillSource source, string? venueOrderId, long timestamp)
    {
        if (state.HasFill(fill.TradeId))
        {
            return;
        }

        Record(new OrderEvents.FillRecorded(_id, fill.TradeId, fill.Price, fill.Size, fill.Fee, fill.FeeCurrency, fill.Liquidity, source, venueOrderId,
            timestamp > 0 ? timestamp : Now));
        PassivateWhenDone();
    }

    private void OnVenueState(OrderState state, OrderActorProtocol.ReportVenueState report)
    {
        if (state.IsTerminal && report.Status != state.Status)
        {
            // Finished is final: a venue view that disagrees is worth a look, never a rewrite.
            _log.Warning("order {ClientOrderId}: the venue reports it {Reported}, the journal has it {Status}", _id, report.Status, state.Status);
        }

        // Journaled only when it tells something new: a stale view (older than the feed's news) changes nothing, and a
        // finished order takes no view that disagrees with how it finished (the audit's rule; the fills below still come).
        var reconciled = new OrderEvents.Reconciled(_id, report.Status, report.FilledSize, report.VenueOrderId, report.Timestamp > 0 ? report.Timestamp : Now);
        var after = state.Apply(reconciled);
        var disagreesWithItsEnd = state.IsTerminal && report.Status != state.Status;
        if (!disagreesWithItsEnd && (after.Status != state.Status || after.VenueOrderId != state.VenueOrderId || after.VenueFilledSize != state.VenueFilledSize))
        {
            Record(reconciled);
        }

        // Fills the venue counts but the journal lacks (older than its recent-fills window): ask for this order's own.
        var venueOrderId = report.VenueOrderId ?? Current!.VenueOrderId;
        if (report.FilledSize > Current!.FilledSize && venueOrderId is not null)
        {
            AskVenueQuery(state, new OrderEntryProtocol.QueryOrderFills(_id, venueOrderId, state.Symbol));
        }

        PassivateWhenDone();
    }

    /// <summary>An absence someone else asked about: stale when the order moved on since the question.</summary>
    private void OnReportedAbsent(OrderState state, OrderActorProtocol.ReportNotAtVenue report)
    {
        if (state.Status != report.StatusWhenAsked || state.VenueOrderId != report.VenueOrderIdWhenAsked)
        {
            _log.Info("order {ClientOrderId}: {Status} now, {Asked} when the venue was asked: its absence then is stale", _id, state.Status, report.StatusWhenAsked);
            PassivateWhenDone();
            return;
        }

        OnNotAtVenue(state, report.Timestamp);
    }

    private void OnNotAtVenue(OrderState state, long timestamp)
    {
        if (state.IsTerminal)
        {
            return;
        }

        if (_placementInFlight)
        {
            // Not there yet is not never: the placement's own answer (accepted, refused or unknown) settles it.
            _log.Info("order {ClientOrderId}: not at the venue yet; its placement is still on its way", _id);
            return;
        }

        // Never acknowledged and unknown to the venue: it never arrived. Acknowledged once: it is gone (canceled).
        var status = state.VenueOrderId is null && state.Status is OrderLifecycle.Submitted or OrderLifecycle.Unknown ? OrderLifecycle.Rejected : OrderLifecycle.Canceled;
        Record(new OrderEvents.Reconciled(_id, status, state.VenueFilledSize, state.VenueOrderId, timestamp > 0 ? timestamp : Now));
        PassivateWhenDone();
    }

    private void OnOrderQueryAnswer(OrderEntryProtocol.OrderQueryAnswer answer)
    {
        VenueCallAnswered();
        if (answer.Report is { } report)
        {
            OnVenueState(_state!, new OrderActorProtocol.ReportVenueState(_id, report.Status, report.FilledSize, report.VenueOrderId, Now));
        }
        else if (answer.Error is null && _state!.Status == OrderLifecycle.Submitted)
        {
            // Sent by an incarnation before this one, the placement may still be on its way (a venue moving between
            // nodes holds it meanwhile): not there yet is not gone. Unknown now; the next ask settles it.
            Record(new OrderEvents.StatusUnknown(_id, "place: unanswered, and not at the venue when asked", Now));
        }
        else if (answer.Error is null)
        {
            OnNotAtVenue(_state!, Now);   // asked just now, by this actor: the state it knows is the one it asked about
        }
        else
        {
            _log.Warning("order {ClientOrderId}: the venue could not be asked about it: {Error}", _id, answer.Error);
            _gateway.Tell(new OrderActorProtocol.CommandRefused(_id, _state?.StrategyId, "query", answer.Error));
            PassivateWhenDone();
        }
    }

    private void OnOrderFillsAnswer(OrderEntryProtocol.OrderFillsAnswer answer)
    {
        VenueCallAnswered();
        foreach (var fill in answer.Fills)
        {
            RecordFill(Current!, fill.Fill, FillSource.Reconciliation, fill.VenueOrderId, fill.Timestamp);   // once per trade id
        }

        if (answer.Error is not null)
        {
            _log.Warning("order {ClientOrderId}: the venue's fills of this order could not all be read: {Error}", _id, answer.Error);
        }

        PassivateWhenDone();
    }

    private void OnVenueAnswer(VenueAnswer answer)
    {
        VenueCallAnswered();
        _placementInFlight &= answer.Command != "place";
        var result = answer.Results?.Items.FirstOrDefault(r => r.ClientOrderId == _id)
            ?? new OrderStatusUnknown(_id, answer.Failure ?? "no answer for this order");
        if (_state!.IsTerminal)
        {
            // The feed finished the order first; only a venue id we lacked is still worth journaling.
            if (result is OrderAccepted { VenueOrderId: { } late } && _state.VenueOrderId is null)
            {
                Record(new OrderEvents.Acknowledged(_id, late, Now));
            }

            _log.Debug("order {ClientOrderId}: {Command} answer {Result} after {Status}", _id, answer.Command, result.GetType().Name, _state.Status);
            PassivateWhenDone();
            return;
        }

        switch (answer.Command, result)
        {
            case ("place", OrderAccepted accepted):
                Record(new OrderEvents.Acknowledged(_id, accepted.VenueOrderId, Now));
                break;
            case ("place", OrderRejected rejected):
                Record(new OrderEvents.Rejected(_id, CodeOf(rejected.Error), rejected.Error.Message, Now));
                break;
            case ("cancel", OrderAccepted):
                Record(new OrderEvents.Canceled(_id, "canceled on request", Now));
                break;
            case ("amend", OrderAccepted accepted):
                var amend = (OrderActorProtocol.Amend)answer.Request!;
                Record(new OrderEvents.Amended(_id, amend.NewPrice, amend.NewSize, accepted.VenueOrderId, Now));
                break;
            case (_, OrderRejected rejected):
                _log.Warning("order {ClientOrderId}: {Command} refused: {Error}", _id, answer.Command, rejected.Error);
                _gateway.Tell(new OrderActorProtocol.CommandRefused(_id, _state?.StrategyId, answer.Command, rejected.Error));
                break;
            case (_, OrderStatusUnknown unknown):
                Record(new OrderEvents.StatusUnknown(_id, $"{answer.Command}: {unknown.Reason}", Now));
                break;
        }

        PassivateWhenDone();
    }

    /// <summary>
    /// Journals one event, tagged for EventsByTag queries, then (in the persist handler, once it is durable) moves the
    /// state on, tells the gateway and runs <paramref name="then"/>: anything that leaves the node goes there. Events are
    /// persisted in order and the next command waits until they are written. A write that fails or is refused ends
    /// here (<see cref="OnPersistFailure"/>, <see cref="OnPersistRejected"/>): nothing is sent.
    /// </summary>
    private void Record(IJournalEvent e, Action? then = null)
    {
        var tags = OrderEventTags.For(Current, e);
        var after = _unwritten = e is OrderEvents.Submitted s ? OrderState.Start(s) : Current!.Apply(e);
        Persist(new Tagged(e, tags), _ =>
        {
            ObserveRoundTrip(after, e);
            _state = after;
            if (ReferenceEquals(_unwritten, after))
            {
                _unwritten = null;
            }

            _gateway.Tell(new OrderActorProtocol.Changed(after, e));
            then?.Invoke();
            PassivateWhenDone();
        });
    }

    /// <summary>
    /// Submission → acknowledgement and → first fill, once each and durable, for an order this incarnation submitted
    /// (one recovered from the journal has no start to measure from).
    /// </summary>
    private void ObserveRoundTrip(OrderState after, IJournalEvent e)
    {
        var stage = e switch
        {
            OrderEvents.Acknowledged when !_ackObserved => "ack",
            OrderEvents.FillRecorded when !_fillObserved => "first_fill",
            _ => null,
        };
        if (_submittedAt is not { } started || stage is null)
        {
            return;
        }

        _ackObserved |= stage == "ack";
        _fillObserved |= stage == "first_fill";
        NodeTelemetry.OrderRoundTrip.Record(NodeTelemetry.SecondsSince(started), NodeTelemetry.Tag("venue", after.Venue.Value),
            NodeTelemetry.Tag("market", after.Market.ToWire()), NodeTelemetry.Tag("stage", stage));
    }

    /// <summary>The journal failed the write (the actor stops): the owner hears at once, and nothing was sent.</summary>
    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        TellJournalRefused(@event, cause.GetBaseException().Message);
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    /// <summary>The journal refused the event (the actor goes on with what is written): as for a failure.</summary>
    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        TellJournalRefused(@event, cause.GetBaseException().Message);
        base.OnPersistRejected(cause, @event, sequenceNr);
        _unwritten = null;
        if (_state is null)
        {
            Context.Stop(Self);   // its submission is not on record: no order exists
        }
    }

    private void TellJournalRefused(object @event, string reason)
    {
        var e = (IJournalEvent)(@event is Tagged tagged ? tagged.Payload : @event);
        if (e is not (OrderEvents.Submitted or OrderEvents.CancelRequested))
        {
            // A venue's news (a fill, a state): the venue still has it, and reconciliation brings it again.
            _log.Error("order {ClientOrderId}: the journal did not take {Event} ({Reason})", _id, e.GetType().Name, reason);
            return;
        }

        var command = e is OrderEvents.Submitted ? "place" : "cancel";
        var strategy = (e as OrderEvents.Submitted)?.StrategyId ?? Current?.StrategyId;
        _log.Error("order {ClientOrderId}: the journal did not take {Event} ({Reason}); the {Command} was not sent", _id, e.GetType().Name, reason, command);
        _gateway.Tell(new OrderActorProtocol.CommandRefused(_id, strategy, command, new JournalError($"not journaled, so not sent: {reason}")));
    }

    private void AskVenue((IActorRef Target, object Message) door, string name, object? request = null)
    {
        _pendingVenueCalls++;
        _placementInFlight |= name == "place";
        door.Target.Ask<OrderEntryProtocol.Results>(door.Message, _settings.VenueAnswerTimeout).PipeTo(Self,
            success: results => new VenueAnswer(name, request, results, null),
            failure: e => new VenueAnswer(name, request, null, e is AskTimeoutException ? $"no answer within {_settings.VenueAnswerTimeout.TotalSeconds:0} s" : e.GetBaseException().Message));
    }

    /// <summary>Asks the venue a question about this order; the answer (or its failure) comes back as the query's answer.</summary>
    private void AskVenueQuery(OrderState state, OrderEntryProtocol.IQuery query)
    {
        if (_doors.Address(state.Venue, state.Market, query) is not { } door)
        {
            return;
        }

        _pendingVenueCalls++;
        door.Target.Ask<object>(door.Message, _settings.VenueAnswerTimeout).PipeTo(Self,
            failure: e => query.Unanswerable(new NetworkError(e is AskTimeoutException ? $"no answer within {_settings.VenueAnswerTimeout.TotalSeconds:0} s" : e.GetBaseException().Message,
                IsTimeout: e is AskTimeoutException)));
    }

    private (IActorRef Target, object Message)? Door(OrderState state, object command)
    {
        var door = _doors.Address(state.Venue, state.Market, command);
        if (door is null)
        {
            _gateway.Tell(new OrderActorProtocol.CommandRefused(_id, _state?.StrategyId, "venue", new ConfigurationError($"no order entry for {state.Venue} {state.Market.ToWire()}")));
        }

        return door;
    }

    private void WhenKnown(string what, Action<OrderState> handle)
    {
        if (_state is null)
        {
            _log.Warning("order {ClientOrderId}: {What} for an order this node never submitted", _id, what);
            _gateway.Tell(new OrderActorProtocol.CommandRefused(_id, _state?.StrategyId, what, new ConfigurationError("unknown order")));
            Passivate();
            return;
        }

        handle(_state);
    }

    /// <summary>A terminal order with no venue call in flight has nothing left to do in memory.</summary>
    private void PassivateWhenDone()
    {
        if (_state is { IsTerminal: true } && _pendingVenueCalls == 0)
        {
            Passivate();
        }
    }

    /// <summary>
    /// Asks the shard to stop me with <see cref="OrderActorProtocol.Stop"/>; it keeps what arrives meanwhile for the next
    /// incarnation, which recovers from the journal. (Outside a cluster the parent keeps every order: see <see cref="LocalOrders"/>.)
    /// </summary>
    private void Passivate() => Context.Parent.Tell(new Akka.Cluster.Sharding.Passivate(OrderActorProtocol.Stop.Instance));

    /// <summary>A venue call was answered: a stop that waited for it can come now (behind the events being written).</summary>
    private void VenueCallAnswered()
    {
        _pendingVenueCalls--;
        if (_stopWhenAnswered && _pendingVenueCalls == 0)
        {
            Self.Tell(OrderActorProtocol.Stop.Instance);
        }
    }

    private static string CodeOf(ExchangeError error) => error is ApiError api ? api.VenueCode : error.Code;

    private sealed record VenueAnswer(string Command, object? Request, OrderEntryProtocol.Results? Results, string? Failure);
}
