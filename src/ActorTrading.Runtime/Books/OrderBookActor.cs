using ActorTrading.Core;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Runtime.Bus;
using ActorTrading.Runtime.Replay;
using ActorTrading.Runtime.Telemetry;
using Akka.Actor;
using Akka.Event;

namespace ActorTrading.Runtime.Books;

public static class OrderBookProtocol
{
    public sealed record GetBook(int Depth);

    public sealed record BookView(Symbol Symbol, BookHealth Health, long Sequence, IReadOnlyList<BookLevel> Bids, IReadOnlyList<BookLevel> Asks, int Resyncs) : ICrossNodeMessage;
}

/// <summary>Book actor settings.</summary>
public sealed record OrderBookSettings
{
    /// <summary>No update for this long marks a synced book <see cref="BookHealth.Stale"/>.</summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan SnapshotRetryMin { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan SnapshotRetryMax { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a book whose stream brings its snapshot waits for one after subscribing again; doubled each time none comes, up to <see cref="SnapshotRetryMax"/>.</summary>
    public TimeSpan ResubscribeWait { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>Fetches a REST book snapshot for a symbol.</summary>
public delegate Task<OrderBookUpdate> SnapshotSource(Symbol symbol, CancellationToken cancellationToken);

/// <summary>
/// Asks the feed to subscribe a symbol's book stream again: venues whose books start from a snapshot in the stream
/// (Bybit, Kraken) recover that way instead of by REST.
/// </summary>
public delegate void StreamResubscriber(Symbol symbol);

/// <summary>
/// Keeps one symbol's <see cref="OrderBook"/> in sync from the bus: delta feeds get a REST snapshot (again after a
/// gap, a crossed book or a reconnect), or where the stream brings its own snapshot, subscribe again (and again, with
/// a growing wait, until a snapshot comes); snapshot feeds replace the book. Publishes <see cref="BookHealthChanged"/>
/// on every health change and <see cref="BookTop"/> when the best bid or ask moves.
/// </summary>
public sealed class OrderBookActor : ReceiveActor, IWithTimers, IOnReplayClock
{
    private const string StaleTimer = "stale-check";
    private const string RetryTimer = "snapshot-retry";
    private const string ResubscribeTimer = "resubscribe-wait";
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly OrderBook _book = new();
    private readonly VenueId _venue;
    private readonly MarketKind _market;
    private readonly Symbol _symbol;
    private readonly DataChannel _source;
    private readonly IMarketDataBus _bus;
    private readonly SnapshotSource? _snapshots;
    private readonly StreamResubscriber? _resubscribe;
    private readonly OrderBookSettings _settings;
    private readonly TimeProvider _clock;
    private readonly CancellationTokenSource _stopping = new();
    private readonly MarketDataTopic _bookTopic;
    private readonly string? _feed;
    private BookHealth _health = BookHealth.Resyncing;
    private DateTimeOffset? _leftSynced;   // when a Synced book last left Synced: its recovery is timed from there
    private bool _fetching;
    private int _snapshotFailures;
    private int _resyncs;
    private DateTimeOffset _lastUpdate;
    private BookLevel? _lastBid;
    private BookLevel? _lastAsk;
    private bool _streamedBefore;

    public OrderBookActor(VenueId venue, MarketKind market, Symbol symbol, DataChannel source, IMarketDataBus bus,
        SnapshotSource? snapshots, OrderBookSettings settings, TimeProvider clock, string? feed = null, StreamResubscriber? resubscribe = null)
    {
        _feed = feed;
        _resubscribe = resubscribe;
        _venue = venue;
        _market = market;
        _symbol = symbol;
        _source = source;
        _bus = bus;
        _snapshots = snapshots;
        _settings = settings;
        _clock = clock;
        _bookTopic = new MarketDataTopic(venue, market, DataChannel.Book, symbol);
        _lastUpdate = clock.GetUtcNow();

        Receive<OrderBookUpdate>(OnUpdate);
        Receive<SnapshotFetched>(OnSnapshot);
        Receive<SnapshotFailed>(f =>
        {
            _fetching = false;
            var delay = TimeSpan.FromMilliseconds(Math.Min(_settings.SnapshotRetryMax.TotalMilliseconds,
                _settings.SnapshotRetryMin.TotalMilliseconds * Math.Pow(2, Math.Min(_snapshotFailures++, 10))));
            _log.Warning("{Symbol}: snapshot failed ({Error}); retrying in {Delay} ms", _symbol, f.Error, (int)delay.TotalMilliseconds);
            Timers.StartSingleTimer(RetryTimer, RetrySnapshot.Instance, delay);
        });
        Receive<RetrySnapshot>(_ => FetchSnapshot());
        Receive<ResubscribeElapsed>(_ =>
        {
            if (!_book.IsSynced)
            {
                _snapshotFailures++;
                _log.Warning("{Symbol}: no snapshot since subscribing again; subscribing again", _symbol);
                FetchSnapshot();
            }
        });
        Receive<FeedBackoff>(b =>
        {
            if (Carries(b))
            {
                SetHealth(BookHealth.Stale, "feed down: " + b.Reason);
            }
        });
        Receive<FeedStreaming>(f =>
        {
            if (!Carries(f))
            {
                return;
            }

            // Deltas were missed while the feed was down: start over from a fresh snapshot. The feed's first streaming
            // is no reconnect: deltas that raced ahead of it belong to this connection and are kept for the snapshot.
            // A stream that brings its own snapshot starts the new connection with one (its chain check catches the rest).
            var reconnected = _streamedBefore || _book.Sequence >= 0;
            _streamedBefore = true;
            if (_source == DataChannel.BookDelta && reconnected && _resubscribe is null)
            {
                _book.Reset();
                CountResync();
                SetHealth(BookHealth.Resyncing, "feed reconnected");
            }
        });
        Receive<FeedStateChanged>(_ => { });
        Receive<FeedError>(_ => { });
        Receive<CheckStale>(_ =>
        {
            if (_health == BookHealth.Synced && _clock.GetUtcNow() - _lastUpdate > _settings.StaleAfter)
            {
                SetHealth(BookHealth.Stale, $"no update for {_settings.StaleAfter.TotalSeconds} s");
            }
        });
        Receive<OrderBookProtocol.GetBook>(g => Sender.Tell(new OrderBookProtocol.BookView(
            _symbol, _health, _book.Sequence, _book.Bids.Top(g.Depth), _book.Asks.Top(g.Depth), _resyncs)));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>A book actor; <paramref name="feed"/> names the socket that carries its stream (only that socket's state changes concern the book; any socket's when null).</summary>
    public static Props Props(VenueId venue, MarketKind market, Symbol symbol, DataChannel source, IMarketDataBus bus,
        SnapshotSource? snapshots, OrderBookSettings? settings = null, TimeProvider? clock = null, string? feed = null, StreamResubscriber? resubscribe = null) =>
        Akka.Actor.Props.Create(() => new OrderBookActor(venue, market, symbol, source, bus, snapshots, settings ?? new OrderBookSettings(), clock ?? TimeProvider.System, feed,
            resubscribe));

    protected override void PreStart()
    {
        _bus.Subscribe(Self, TopicFilter.Exact(new MarketDataTopic(_venue, _market, _source, _symbol)));
        _bus.Subscribe(Self, new TopicFilter(_venue.Value, _market, DataChannel.Feed, null));
        Timers.StartPeriodicTimer(StaleTimer, CheckStale.Instance, TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond * 100, _settings.StaleAfter.Ticks / 4)));
        PublishHealth("starting");
        Mailboxes.Watch(Self, "book");
    }

    protected override void PostStop()
    {
        Mailboxes.Forget(Self);
        _bus.Unsubscribe(Self);
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private void OnUpdate(OrderBookUpdate update)
    {
        _lastUpdate = _clock.GetUtcNow();
        var result = _book.Apply(update);
        if (result.Kind == BookEventKind.Invalidated)
        {
            Resync(BookHealth.Resyncing, "the venue's integrity check failed: " + (update.Reason ?? "no reason given"));
            return;
        }

        Handle(result);
    }

    private void OnSnapshot(SnapshotFetched fetched)
    {
        _fetching = false;
        _snapshotFailures = 0;
        Handle(_book.ApplySnapshot(fetched.Snapshot));
    }

    private void Handle(BookEvent result)
    {
        switch (result.Kind)
        {
            case BookEventKind.Buffered:
                SetHealth(BookHealth.Resyncing, "waiting for snapshot");
                FetchSnapshot();
                break;
            case BookEventKind.Gap:
                Resync(BookHealth.Resyncing, $"gap: expected {result.Expected}, got {result.Sequence}");
                break;
            case BookEventKind.Crossed:
                Resync(BookHealth.Crossed, $"crossed at {result.Sequence}");
                break;
            case BookEventKind.Invalid:
                Resync(BookHealth.Resyncing, $"invalid level (price not above zero or negative size) at {result.Sequence}");
                break;
            case BookEventKind.Synced:
                Timers.Cancel(ResubscribeTimer);
                _snapshotFailures = 0;
                SetHealth(BookHealth.Synced, "snapshot applied");
                PublishTopIfMoved();
                break;
            case BookEventKind.Applied:
                SetHealth(BookHealth.Synced, "updating");
                PublishTopIfMoved();
                break;
            case BookEventKind.Conflict:
                Resync(BookHealth.Resyncing, $"sequence {result.Sequence} came twice with different levels");
                break;
            case BookEventKind.Backwards:
                _log.Warning("{Symbol}: delta {Sequence} arrived after {Current}: ignored (the book already moved past it)", _symbol, result.Sequence, result.Expected);
                break;
            case BookEventKind.Invalidated:
                Resync(BookHealth.Resyncing, "the venue's integrity check failed");
                break;
            case BookEventKind.Dropped:
            case BookEventKind.Duplicate:
                break;
        }
    }

    /// <summary>Whether a feed event is about the socket that carries this book (the private feed and other routes are not).</summary>
    private bool Carries(FeedStateChanged change) => _feed is null || change.Feed == _feed;

    /// <summary>The book can no longer be trusted: say why, and fetch a new snapshot.</summary>
    private void Resync(BookHealth health, string reason)
    {
        CountResync();
        _log.Warning("{Symbol}: {Reason}; resyncing", _symbol, reason);
        SetHealth(health, reason);
        FetchSnapshot();
    }

    private void CountResync()
    {
        _resyncs++;
        NodeTelemetry.BookResyncs.Add(1, NodeTelemetry.Tag("venue", $"{_venue}.{_market.ToWire()}"), NodeTelemetry.Tag("symbol", _symbol.Value));
    }

    private void FetchSnapshot()
    {
        if (_resubscribe is not null)
        {
            Resubscribe(_resubscribe);
            return;
        }

        if (_fetching || _snapshots is null || Timers.IsTimerActive(RetryTimer))
        {
            return;
        }

        _fetching = true;
        _snapshots(_symbol, _stopping.Token).PipeTo(
            Self,
            success: snapshot => new SnapshotFetched(snapshot),
            failure: ex => new SnapshotFailed(ex is ExchangeException e ? e.Error : new NetworkError(ex.GetBaseException().Message)));
    }

    /// <summary>Subscribes the book's stream again unless that is under way; no snapshot within the wait asks again, waiting longer.</summary>
    private void Resubscribe(StreamResubscriber resubscribe)
    {
        if (Timers.IsTimerActive(ResubscribeTimer))
        {
            return;
        }

        resubscribe(_symbol);
        var wait = TimeSpan.FromMilliseconds(Math.Min(_settings.SnapshotRetryMax.TotalMilliseconds,
            _settings.ResubscribeWait.TotalMilliseconds * Math.Pow(2, Math.Min(_snapshotFailures, 10))));
        Timers.StartSingleTimer(ResubscribeTimer, ResubscribeElapsed.Instance, wait);
    }

    private void SetHealth(BookHealth health, string reason)
    {
        if (health == _health)
        {
            return;
        }

        var now = _clock.GetUtcNow();
        if (_health == BookHealth.Synced)
        {
            _leftSynced = now;
        }
        else if (health == BookHealth.Synced && _leftSynced is { } left)
        {
            NodeTelemetry.BookRecovery.Record((now - left).TotalSeconds, NodeTelemetry.Tag("venue", $"{_venue}.{_market.ToWire()}"), NodeTelemetry.Tag("symbol", _symbol.Value));
            _leftSynced = null;
        }

        _health = health;
        PublishHealth(reason);
    }

    private void PublishHealth(string reason) =>
        _bus.Publish(_bookTopic, new BookHealthChanged(_venue, _market, _symbol, _health, reason, _book.Sequence, _clock.GetUtcNow().ToUnixTimeMilliseconds()));

    private void PublishTopIfMoved()
    {
        var bid = _book.Bids.Best;
        var ask = _book.Asks.Best;
        if (bid == _lastBid && ask == _lastAsk)
        {
            return;
        }

        _lastBid = bid;
        _lastAsk = ask;
        _bus.Publish(_bookTopic, new BookTop(_venue, _market, _symbol, _book.Sequence, bid, ask, _book.ExchangeTs));
    }

    private sealed record SnapshotFetched(OrderBookUpdate Snapshot);

    private sealed record SnapshotFailed(ExchangeError Error);

    private sealed class RetrySnapshot
    {
        public static readonly RetrySnapshot Instance = new();

        private RetrySnapshot()
        {
        }
    }

    private sealed class ResubscribeElapsed
    {
        public static readonly ResubscribeElapsed Instance = new();

        private ResubscribeElapsed()
        {
        }
    }

    private sealed class CheckStale
    {
        public static readonly CheckStale Instance = new();

        private CheckStale()
        {
        }
    }
}
