using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Runtime.Bus;
using ActorTrading.Runtime.Orders;
using ActorTrading.Runtime.Replay;
using Akka.Actor;
using Akka.Event;

namespace ActorTrading.Journal;

public static class ReconcilerProtocol
{
    /// <summary>Reconcile now (also sent by the reconciler to itself at start and when a private feed reconnects).</summary>
    public sealed class Run
    {
        public static readonly Run Instance = new();

        private Run()
        {
        }
    }

    /// <summary>What one pass found, per venue; to the parent (the gateway) and to whoever asked.</summary>
    public sealed record Report(IReadOnlyList<VenueReport> Venues);

    public sealed record VenueReport(VenueId Venue, MarketKind Market, int OpenAtVenue, int FillsReported, int OrdersResolved, string? Error, string? PositionsError);
}

/// <summary>
/// Brings the journal in line with the venues, on start, whenever a private feed reconnects and every few minutes (a
/// push can be lost on a socket that stays up): for each venue with order entry, asks its open orders, recent fills
/// (matched to the orders open and to those finished lately) and positions; queries each order the journal still has open but
/// the venue does not list; then feeds the order actors (through the gateway) the missing fills (source
/// reconciliation) first and the venue's view of each order after, so Unknown orders resolve and orders the venue no
/// longer has are closed (unless their placement is still on its way). An order whose venue count of fills is more
/// than the window brought asks the venue for its own fills. Positions it could not read are reported unknown, never
/// flat.
/// </summary>
public sealed class Reconciler : ReceiveActor, IWithTimers
{
    /// <summary>How often a pass runs besides the start and the private feeds' reconnects.</summary>
    public static readonly TimeSpan DefaultEvery = TimeSpan.FromMinutes(5);

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IActorRef _gateway;
    private readonly VenueDoors _doors;
    private readonly IReadOnlyList<(VenueId Venue, MarketKind Market)> _venues;
    private readonly Func<CancellationToken, Task<IReadOnlyList<JournalRecord>>> _journal;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _askTimeout;
    private readonly TimeSpan _every;
    private readonly List<IActorRef> _waiting = [];
    private bool _running;
    private bool _journalRead;
    private bool _again;

    public Reconciler(IActorRef gateway, VenueDoors doors, IReadOnlyList<(VenueId, MarketKind)> venues, Func<CancellationToken, Task<IReadOnlyList<JournalRecord>>> journal,
        IMarketDataBus? bus, TimeProvider clock, TimeSpan askTimeout, TimeSpan every)
    {
        _every = every;
        _gateway = gateway;
        _doors = doors;
        _venues = venues;
        _journal = journal;
        _clock = clock;
        _askTimeout = askTimeout;
        bus?.Subscribe(Self, new TopicFilter(null, null, DataChannel.Feed, "private"));

        Receive<ReconcilerProtocol.Run>(_ => Start(Sender));
        Receive<Periodic>(_ => Start(ActorRefs.Nobody));
        Receive<FeedStreaming>(f =>
        {
            if (f.Feed == "private")
            {
                _log.Info("private feed {Venue} {Market} (re)connected: reconciling", f.Venue, f.Market.ToWire());
                Start(ActorRefs.Nobody);
            }
        });
        Receive<ReconcilerProtocol.Report>(report =>
        {
            _running = false;
            _journalRead = true;
            foreach (var venue in report.Venues)
            {
                _log.Info("reconciled {Venue} {Market}: {Open} open at the venue, {Fills} fills applied, {Resolved} orders resolved{Error}",
                    venue.Venue, venue.Market.ToWire(), venue.OpenAtVenue, venue.FillsReported, venue.OrdersResolved, venue.Error is null ? string.Empty : "; error: " + venue.Error);
            }

            _gateway.Tell(report);
            foreach (var asker in _waiting)
            {
                asker.Tell(report);
            }

            _waiting.Clear();
            if (_again)
            {
                _again = false;
                Start(ActorRefs.Nobody);
            }
        });
        Receive<Status.Failure>(f =>
        {
            _log.Error(f.Cause, "reconciliation failed");
            Self.Tell(new ReconcilerProtocol.Report(_venues.Select(v => new ReconcilerProtocol.VenueReport(v.Venue, v.Market, 0, 0, 0, f.Cause.Message, f.Cause.Message)).ToArray()));
        });
    }

    public static Props Props(IActorRef gateway, VenueDoors doors, IReadOnlyList<(VenueId, MarketKind)> venues, Func<CancellationToken, Task<IReadOnlyList<JournalRecord>>> journal,
        IMarketDataBus? bus = null, TimeProvider? clock = null, TimeSpan? askTimeout = null, TimeSpan? every = null) =>
        Akka.Actor.Props.Create(() => new Reconciler(gateway, doors, venues, journal, bus, clock ?? TimeProvider.System, askTimeout ?? TimeSpan.FromSeconds(60), every ?? DefaultEvery));

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        Self.Tell(ReconcilerProtocol.Run.Instance);
        Timers.StartPeriodicTimer(nameof(Periodic), Periodic.Instance, _every);
    }

    private sealed class Periodic
    {
        public static readonly Periodic Instance = new();
    }

    private void Start(IActorRef asker)
    {
        if (!asker.IsNobody())
        {
            _waiting.Add(asker);
        }

        if (_running)
        {
            _again = true;   // one more pass after this one: the feed reconnected meanwhile
            return;
        }

        _running = true;
        // Counted as work in flight: a replay feeds no frame while the venue's positions are still being read.
        Quiescence.For(Context.System).Track(() => ReconcileAsync(readJournal: !_journalRead)).PipeTo(Self);
    }

    /// <summary>
    /// The first pass reads the whole journal (what was open when the node stopped); later passes, on reconnects, ask the
    /// gateway for the orders open now, so a long-lived journal is not read again at every reconnect.
    /// </summary>
    private async Task<ReconcilerProtocol.Report> ReconcileAsync(bool readJournal)
    {
        IReadOnlyList<OrderState> orders;
        if (readJournal)
        {
            var records = await _journal(CancellationToken.None).ConfigureAwait(false);
            orders = AuditReport.Orders(records, new AuditFilter()).Select(o => o.State).ToArray();
            _gateway.Tell(new OrderGatewayProtocol.JournalOpenOrders(orders.Where(o => !o.IsTerminal).ToArray()));
        }
        else
        {
            var open = await _gateway.Ask<OrderGatewayProtocol.OpenOrders>(OrderGatewayProtocol.GetOpenOrders.Instance, _askTimeout).ConfigureAwait(false);
            var states = await Task.WhenAll(open.ClientOrderIds.Select(id => _gateway.Ask<object>(new OrderGatewayProtocol.GetOrder(id), _askTimeout))).ConfigureAwait(false);
            // And the orders finished lately: the venue's recent fills may hold one whose push was lost before a cancel ended it.
            var finished = await _gateway.Ask<OrderGatewayProtocol.RecentlyFinished>(OrderGatewayProtocol.GetRecentlyFinished.Instance, _askTimeout).ConfigureAwait(false);
            orders = states.OfType<OrderState>().Concat(finished.Orders).DistinctBy(o => o.ClientOrderId).ToArray();
        }

        var reports = new List<ReconcilerProtocol.VenueReport>();
        foreach (var (venue, market) in _venues)
        {
            reports.Add(await ReconcileVenueAsync(venue, market, orders.Where(o => o.Venue == venue && o.Market == market).ToArray()).ConfigureAwait(false));
        }

        return new ReconcilerProtocol.Report(reports);
    }

    private async Task<ReconcilerProtocol.VenueReport> ReconcileVenueAsync(VenueId venue, MarketKind market, IReadOnlyList<OrderState> ours)
    {
        // The symbols of orders open, and of orders finished within a day (their recent fills are matched too).
        var since = _clock.GetUtcNow().AddDays(-1).ToUnixTimeMilliseconds();
        var symbols = ours.Where(o => !o.IsTerminal || (o.VenueOrderId is not null && o.UpdatedAt >= since)).Select(o => o.Symbol).Distinct().ToArray();
        var snapshot = await Ask<OrderEntryProtocol.VenueSnapshot>(venue, market, new OrderEntryProtocol.Snapshot(symbols)).ConfigureAwait(false);
        _gateway.Tell(snapshot.PositionsError is { } positionsError
            ? new OrderGatewayProtocol.PositionsUnknown(venue, market, positionsError.ToString())
            : new OrderGatewayProtocol.PositionsKnown(venue, market, snapshot.Positions ?? []));
        if (snapshot.Error is { } error)
        {
            return new ReconcilerProtocol.VenueReport(venue, market, 0, 0, 0, error.ToString(), snapshot.PositionsError?.ToString());
        }

        var byId = ours.ToDictionary(o => o.ClientOrderId);
        var venueViews = snapshot.OpenOrders.Where(o => o.ClientOrderId is { } id && byId.ContainsKey(id)).ToList();

        // Orders the journal has open that the venue does not list: ask for each (it may have finished, or never arrived).
        var listed = venueViews.Select(v => v.ClientOrderId!.Value).ToHashSet();
        var vanished = new List<OrderState>();
        foreach (var order in ours.Where(o => !o.IsTerminal && !listed.Contains(o.ClientOrderId)))
        {
            var answer = await Ask<OrderEntryProtocol.OrderQueryAnswer>(venue, market, new OrderEntryProtocol.QueryOrder(order.ClientOrderId, order.Symbol)).ConfigureAwait(false);
            if (answer.Report is { } report)
            {
                venueViews.Add(report with { ClientOrderId = order.ClientOrderId });
            }
            else if (answer.Error is null)
            {
                vanished.Add(order);
            }
            else
            {
                _log.Warning("order {ClientOrderId}: the venue could not be asked: {Error}", order.ClientOrderId, answer.Error);
            }
        }

        // Fills first, so each order's fills are journaled before the venue's view of it.
        var byVenueId = ours.Where(o => o.VenueOrderId is not null).ToDictionary(o => o.VenueOrderId!, o => o.ClientOrderId);
        foreach (var view in venueViews)
        {
            byVenueId[view.VenueOrderId] = view.ClientOrderId!.Value;
        }

        var fills = 0;
        foreach (var fill in snapshot.RecentFills)
        {
            if (byVenueId.TryGetValue(fill.VenueOrderId, out var id))
            {
                _gateway.Tell(new OrderActorProtocol.ReportFill(id, fill.Fill, FillSource.Reconciliation, fill.VenueOrderId, fill.Timestamp));
                fills++;
            }
        }

        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var view in venueViews)
        {
            _gateway.Tell(new OrderActorProtocol.ReportVenueState(view.ClientOrderId!.Value, view.Status, view.FilledSize, view.VenueOrderId, now));
        }

        foreach (var order in vanished)
        {
            // The order decides: it knows whether its placement is still on its way (then its answer settles it).
            _gateway.Tell(new OrderActorProtocol.ReportNotAtVenue(order.ClientOrderId, now, order.Status, order.VenueOrderId));
        }

        return new ReconcilerProtocol.VenueReport(venue, market, snapshot.OpenOrders.Count, fills, venueViews.Count + vanished.Count, null, snapshot.PositionsError?.ToString());
    }

    private async Task<T> Ask<T>(VenueId venue, MarketKind market, OrderEntryProtocol.IQuery query)
    {
        if (_doors.Address(venue, market, query) is not { } door)
        {
            return (T)query.Unanswerable(new Core.Errors.ConfigurationError($"no order entry for {venue} {market.ToWire()}"));
        }

        try
        {
            return await door.Target.Ask<T>(door.Message, _askTimeout).ConfigureAwait(false);
        }
        catch (AskTimeoutException)
        {
            return (T)query.Unanswerable(new Core.Errors.NetworkError($"no answer within {_askTimeout.TotalSeconds:0} s", IsTimeout: true));
        }
    }
}
