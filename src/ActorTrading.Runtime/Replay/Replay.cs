using System.Text;
using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Runtime.Books;
using ActorTrading.Runtime.Bus;
using ActorTrading.Runtime.Capture;
using ActorTrading.Runtime.Hosting;
using ActorTrading.Runtime.Venues;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;

namespace ActorTrading.Runtime.Replay;

/// <summary>The replay's clock: the received time of the frame being replayed.</summary>
public sealed class ReplayClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public DateTimeOffset Now
    {
        get => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);
        set => Interlocked.Exchange(ref _ticks, value.UtcTicks);
    }

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>How far a replay is: frames fed, frames in the capture, and the rate since it started.</summary>
public sealed record ReplayProgress(long Frames, long TotalFrames, double FramesPerSecond);

/// <summary>How a replay runs: the capture (a file or a folder of them) and its pace (null: as fast as it can).</summary>
public sealed record ReplaySettings(string Capture, double? Speed)
{
    /// <summary>Told how far the replay is every <see cref="ProgressEvery"/> of wall-clock time, and once at the end.</summary>
    public IProgress<ReplayProgress>? Progress { get; init; }

    public TimeSpan ProgressEvery { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Every dispatcher Akka (and Akka.Persistence) defines; a replay's actors run on no other.</summary>
    private static readonly string[] Dispatchers =
    [
        "akka.actor.default-dispatcher", "akka.actor.internal-dispatcher", "akka.actor.default-blocking-io-dispatcher",
        "akka.actor.default-fork-join-dispatcher", "akka.actor.task-dispatcher", "akka.actor.synchronized-dispatcher",
        "akka.persistence.dispatchers.default-plugin-dispatcher", "akka.persistence.dispatchers.default-replay-dispatcher",
        "akka.persistence.dispatchers.default-stream-dispatcher",
    ];

    /// <summary>
    /// What a replay's actor system needs: mailboxes that count for <see cref="Quiescence"/>, and the
    /// <see cref="ReplayScheduler"/>, moved along with the frames' times so that timers fire where they did.
    /// A counted message is done when its mailbox asks for the next one; a mailbox run that ends on the dispatcher's
    /// throughput does not ask, so the last message of such a run would count forever (a replay then waited 30 s per
    /// frame): every dispatcher runs a mailbox until it is empty.
    /// </summary>
    public static Config Hocon { get; } = ConfigurationFactory.ParseString($$"""
        akka.actor.default-mailbox.mailbox-type = "{{typeof(CountingMailbox).AssemblyQualifiedName}}"
        akka.actor.mailbox.unbounded-deque-based.mailbox-type = "{{typeof(CountingDequeMailbox).AssemblyQualifiedName}}"
        akka.scheduler.implementation = "{{typeof(ReplayScheduler).AssemblyQualifiedName}}"
        {{string.Join("\n", Dispatchers.Select(d => $"{d}.throughput = {int.MaxValue}\n{d}.throughput-deadline-time = 0ms"))}}
        """);

    /// <summary>The first record's time: where the replay clock starts. A capture with no record is an error.</summary>
    public DateTimeOffset StartTime() =>
        CaptureReader.Read(Capture).Select(r => DateTimeOffset.FromUnixTimeMilliseconds(r.ReceivedTs)).FirstOrDefault()
        is { } start && start != default
            ? start
            : throw new ExchangeException(new ConfigurationError($"capture '{Capture}' holds no records"));
}

/// <summary>
/// Answers a feed's REST calls from a capture's REST records, each record once: for the same path, the latest not yet
/// used that was recorded by the replay's time, else the next one recorded after it (the answer the recording run was
/// waiting for when it asked). With none left the call fails as a network error would, and the caller's retry backoff (on
/// virtual time) applies: a capture that lacks a snapshot never makes a replay spin.
/// </summary>
public sealed class ReplayRestExecutor(IReadOnlyList<CaptureRecord> answers, TimeProvider clock) : IRestExecutor
{
    private readonly HashSet<CaptureRecord> _used = new(ReferenceEqualityComparer.Instance);
    private readonly Lock _gate = new();

    public Task<JsonElement> SendAsync(RestRequest request, CancellationToken cancellationToken)
    {
        var path = CaptureWriter.PathOf(request);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        CaptureRecord? answer;
        lock (_gate)
        {
            var unused = answers.Where(a => a.Path == path && !_used.Contains(a)).ToArray();
            answer = unused.LastOrDefault(a => a.ReceivedTs <= now) ?? unused.FirstOrDefault(a => a.ReceivedTs > now);
            if (answer is not null)
            {
                _used.Add(answer);
            }
        }

        return answer is null
            ? Task.FromException<JsonElement>(new ExchangeException(new NetworkError($"the capture has no (more) answers for {path}")))
            : Task.FromResult(JsonDocument.Parse(answer.Payload).RootElement.Clone());
    }
}

public static class ReplayExchangesProtocol
{
    /// <summary>Sent when the capture has been replayed to its end.</summary>
    public sealed record Finished(long Frames, long Messages, long Errors);
}

/// <summary>
/// Stands in for <c>/user/exchanges</c> in a replay: one book actor per configured book, fed from the bus as live, with
/// snapshots from the capture; answers book questions (<see cref="ExchangeSupervisorProtocol.GetBook"/>) and keeps the
/// instrument lists the capture holds (<see cref="InstrumentCatalogProtocol.Subscribe"/>) like a venue's supervisor does.
/// </summary>
public sealed class ReplayExchanges : ReceiveActor
{
    public ReplayExchanges(IReadOnlyList<VenueDefinition> venues, IMarketDataBus bus, IReadOnlyList<CaptureRecord> restAnswers, TimeProvider clock)
    {
        var books = new Dictionary<(VenueId, MarketKind, Symbol), IActorRef>();
        var instruments = new Dictionary<(VenueId, MarketKind), IActorRef>();
        var rest = new ReplayRestExecutor(restAnswers, clock);
        foreach (var venue in venues)
        {
            // The instrument list the recording run loaded, read once: a replay has no later list to refresh to.
            if (ExchangeSupervisor.StartInstruments(Context, venue with { InstrumentSettings = venue.InstrumentSettings with { Refresh = null } }, rest, clock, venue.Name + "-") is { } catalog)
            {
                instruments[(venue.Venue, venue.Market)] = catalog;
            }

            SnapshotSource? snapshots = venue.Feed is IBookSnapshotProvider provider
                ? (symbol, ct) => provider.FetchBookSnapshotAsync(symbol, rest, clock.GetUtcNow().ToUnixTimeMilliseconds(), ct)
                : null;
            foreach (var symbol in venue.Books)
            {
                var source = ExchangeSupervisor.BookSource(venue, symbol);
                books[(venue.Venue, venue.Market, symbol)] = Context.ActorOf(
                    OrderBookActor.Props(venue.Venue, venue.Market, symbol, source, bus, source == DataChannel.BookDelta ? snapshots : null, venue.BookSettings, clock),
                    $"{venue.Name}-book-{ActorNames.Of(symbol.Value)}");
            }
        }

        Receive<ExchangesRootProtocol.ToVenue>(to =>
        {
            if (to.Message is ExchangeSupervisorProtocol.GetBook get)
            {
                if (books.TryGetValue((to.Venue, to.Market, get.Symbol), out var book))
                {
                    book.Forward(new OrderBookProtocol.GetBook(get.Depth));
                }
                else
                {
                    Sender.Tell(new ExchangeSupervisorProtocol.NoBook(get.Symbol));
                }
            }
            else if (to.Message is InstrumentCatalogProtocol.Subscribe && instruments.TryGetValue((to.Venue, to.Market), out var catalog))
            {
                catalog.Forward(to.Message);
            }
            else
            {
                Context.GetLogger().Warning("replay: {Message} for {Venue} {Market} dropped: a replay has no live venue", to.Message.GetType().Name, to.Venue, to.Market.ToWire());
            }
        });
    }

    public static Props Props(IReadOnlyList<VenueDefinition> venues, IMarketDataBus bus, IReadOnlyList<CaptureRecord> restAnswers, TimeProvider clock) =>
        Akka.Actor.Props.Create(typeof(ReplayExchanges), venues, bus, restAnswers, clock);
}

/// <summary>
/// Feeds a capture's frames through the venues' own parsers onto the bus, in received-time order, moving the replay
/// clock and the virtual scheduler to each frame's time and waiting for the system to be quiet before the next frame.
/// </summary>
public sealed class ReplayPump(ActorSystem system, IReadOnlyList<VenueDefinition> venues, IMarketDataBus bus, ReplayClock clock, ReplaySettings settings)
{
    private long _frames;
    private long _messages;
    private long _errors;

    public async Task<ReplayExchangesProtocol.Finished> RunAsync(CancellationToken cancellationToken)
    {
        var log = Logging.GetLogger(system, "replay");
        var quiet = Quiescence.For(system);
        var scheduler = system.Scheduler as ReplayScheduler
            ?? throw new ExchangeException(new ConfigurationError("a replay needs the virtual-time scheduler (ReplaySettings.Hocon)"));
        var adapters = venues.ToDictionary(v => (v.Venue, v.Market), v => v.Feed);
        var parsers = new Dictionary<(VenueId, MarketKind, string, long), IFrameParser>();
        var skipped = new HashSet<(VenueId, MarketKind)>();
        var sink = new Sink(this, bus, log);
        DateTimeOffset? last = null;
        scheduler.StartAt(clock.Now);
        var total = settings.Progress is null ? 0 : CaptureReader.Read(settings.Capture).LongCount(r => r.Kind == CaptureKind.Frame);
        var wall = System.Diagnostics.Stopwatch.StartNew();
        var reported = TimeSpan.Zero;
        void Report() => settings.Progress?.Report(new ReplayProgress(_frames, total, _frames / Math.Max(wall.Elapsed.TotalSeconds, 0.001)));

        // Everything a frame causes should settle in milliseconds; an actor that never goes quiet (a message loop)
        // must not hang the replay: after 30 s it goes on, with a warning (its results may then differ between runs).
        async Task Settle()
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(TimeSpan.FromSeconds(30));
            try
            {
                await quiet.WaitAsync(limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                log.Warning("replay: the system was not quiet after 30 s at {Time} ({Busy}); going on", clock.Now, quiet.Busy);
            }
        }

        await Settle().ConfigureAwait(false);
        foreach (var record in CaptureReader.Read(settings.Capture))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var at = DateTimeOffset.FromUnixTimeMilliseconds(record.ReceivedTs);
            if (last is { } previous && at > previous)
            {
                if (settings.Speed is { } speed)
                {
                    await Task.Delay((at - previous) / speed, cancellationToken).ConfigureAwait(false);
                }

                // Time moves first, so timers due before this frame (staleness, refreshes) fire before it, each at its
                // own time and settled before the next.
                while (scheduler.NextDue(at) is { } due)
                {
                    clock.Now = due;
                    scheduler.AdvanceTo(due);
                    await Settle().ConfigureAwait(false);
                }

                clock.Now = at;
                scheduler.AdvanceTo(at);
                await Settle().ConfigureAwait(false);
                last = at;
            }
            else if (last is null)
            {
                clock.Now = at;
                last = at;
            }
            if (record.Kind != CaptureKind.Frame)
            {
                continue;
            }

            if (!adapters.TryGetValue((record.Venue, record.Market), out var adapter))
            {
                if (skipped.Add((record.Venue, record.Market)))
                {
                    log.Warning("replay: frames of {Venue} {Market} skipped: that venue is not enabled in the settings", record.Venue, record.Market.ToWire());
                }

                continue;
            }

            var key = (record.Venue, record.Market, record.Feed, record.Connection);
            if (!parsers.TryGetValue(key, out var parser))
            {
                // A new connection of a feed that streamed before is a reconnect: tell the books, as the live feed does.
                if (parsers.Keys.Any(k => k.Item1 == record.Venue && k.Item2 == record.Market && k.Item3 == record.Feed))
                {
                    bus.Publish(MarketDataTopic.ForFeed(record.Venue, record.Market, record.Feed),
                        new FeedStreaming(record.Venue, record.Market, record.Feed, record.ReceivedTs, record.Connection));
                    await Settle().ConfigureAwait(false);
                }

                parsers[key] = parser = adapter.CreateParser();
            }

            _frames++;
            parser.Parse(Encoding.UTF8.GetBytes(record.Payload), record.ReceivedTs, sink);
            await Settle().ConfigureAwait(false);
            if (settings.Progress is not null && wall.Elapsed - reported >= settings.ProgressEvery)
            {
                reported = wall.Elapsed;
                Report();
            }
        }

        Report();

        log.Info("replay of {Capture} done: {Frames} frames, {Messages} messages, {Errors} errors", settings.Capture, _frames, _messages, _errors);
        return new ReplayExchangesProtocol.Finished(_frames, _messages, _errors);
    }

    private sealed class Sink(ReplayPump pump, IMarketDataBus bus, ILoggingAdapter log) : IFrameSink
    {
        public void OnData(DataMessage message)
        {
            pump._messages++;
            bus.Publish(message);
        }

        public void OnControl(in ControlEvent control)
        {
        }

        public void OnError(ExchangeError error)
        {
            pump._errors++;
            log.Warning("replay: frame error: {Error}", error);
        }
    }
}
