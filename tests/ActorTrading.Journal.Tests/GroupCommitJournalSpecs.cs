using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.TestExchange;
using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Journal;
using Akka.TestKit.Xunit2;
using Xunit;
using Xunit.Abstractions;

namespace ActorTrading.Journal.Tests;

/// <summary>
/// The group-commit journal on both providers: many actors writing at once share commits, yet each write's outcome
/// (stored or rejected) reaches exactly the actor that made it, and every actor's events are stored in its order.
/// </summary>
public abstract class GroupCommitJournalSpecs : TestKit
{
    private const int Writers = 60;
    private const int EventsPerWriter = 8;

    /// <summary>The first journal access of a spec waits for the plugin to create its tables.</summary>
    private static readonly TimeSpan FirstUse = TimeSpan.FromSeconds(20);
    private readonly JournalDatabase _database;

    protected GroupCommitJournalSpecs(JournalDatabase database, ITestOutputHelper output)
        : base(database.SystemConfig(), output: output)
    {
        _database = database;
    }

    [Fact]
    public void Concurrent_writers_each_get_their_own_outcome_and_keep_their_order()
    {
        // Writer 7 makes one event the serializer refuses (its 3rd): only that write is rejected; the commit it
        // shared with other writers stores theirs, and writer 7 goes on with its next events.
        for (var w = 0; w < Writers; w++)
        {
            Sys.ActorOf(Props.Create(typeof(Writer), $"gc-{w}", EventsPerWriter, w == 7 ? 3 : 0, TestActor));
        }

        var outcomes = ReceiveN(Writers * EventsPerWriter, TimeSpan.FromSeconds(60)).Cast<Outcome>().ToList();

        var rejected = outcomes.Where(o => !o.Stored).ToList();
        var single = Assert.Single(rejected);
        Assert.Equal(("gc-7", 3L), (single.PersistenceId, single.SequenceNr));
        foreach (var writer in outcomes.GroupBy(o => o.PersistenceId))
        {
            var stored = writer.Where(o => o.Stored).Select(o => o.SequenceNr).ToList();
            var expected = Enumerable.Range(1, EventsPerWriter).Select(i => (long)i).Where(i => writer.Key != "gc-7" || i != 3);
            Assert.Equal(expected, stored);
            var rows = _database.Rows(writer.Key);
            Assert.Equal(stored.Count, rows.Count);
            Assert.All(rows, r => Assert.Equal("fill-recorded.v1", r.Manifest));
            Assert.Equal(stored.Select(s => $"t-{writer.Key}-{s}"), rows.Select(r => TradeId(r.Json)));
        }
    }

    [Fact]
    public void Events_persisted_together_are_stored_in_their_order()
    {
        // Each writer hands the journal 20 events at once: they share commits, and the database must keep each
        // writer's events in sequence (the ordering column is what tag queries and audits read by).
        var writers = Enumerable.Range(0, 5).Select(w => $"all-at-once-{w}").ToArray();
        foreach (var id in writers)
        {
            Sys.ActorOf(Props.Create(typeof(AllAtOnceWriter), id, 20, TestActor));
        }

        var done = ReceiveN(writers.Length, FirstUse).Cast<Outcome>().ToList();
        Assert.All(done, d => Assert.Equal(20L, d.SequenceNr));
        foreach (var id in writers)
        {
            Assert.Equal(Enumerable.Range(1, 20).Select(n => (long)n), _database.SequenceNumbersAsStored(id));
        }
    }

    [Fact]
    public void Recovery_starts_from_the_newest_snapshot_the_criteria_allow_and_replays_only_what_was_not_deleted()
    {
        // Six events, snapshots after the 3rd and the 5th (their state carries that number as its size), events up to
        // the 4th deleted.
        var first = Sys.ActorOf(Props.Create(typeof(Snapshotting), "snap-1", Recovery.Default, TestActor));
        Assert.Equal(new Recovered(null, null, "", 0), ExpectMsg<Recovered>(FirstUse));
        for (var n = 1; n <= 6; n++)
        {
            first.Tell(n);
            ExpectMsg((long)n);
        }

        first.Tell(4L);
        ExpectMsg<DeleteMessagesSuccess>(d => d.ToSequenceNr == 4);
        Sys.Stop(first);

        Assert.Equal(new Recovered(5, 5m, "t-6", 6), Recover(Recovery.Default));
        Assert.Equal(new Recovered(3, 3m, "t-5 t-6", 6), Recover(new Recovery(new SnapshotSelectionCriteria(4))));
        Assert.Equal(new Recovered(null, null, "t-5 t-6", 6), Recover(new Recovery(new SnapshotSelectionCriteria(2))));
        Assert.Equal(new Recovered(null, null, "t-5", 6), Recover(new Recovery(new SnapshotSelectionCriteria(2), 5)));
        Assert.Equal(new Recovered(null, null, "t-5", 6), Recover(new Recovery(new SnapshotSelectionCriteria(2), long.MaxValue, 1)));
        Assert.Equal(new Recovered(null, null, "", 0), Recover(Recovery.Default, "snap-never-written"));
    }

    private Recovered Recover(Recovery recovery, string id = "snap-1")
    {
        Sys.ActorOf(Props.Create(typeof(Snapshotting), id, recovery, TestActor));
        return ExpectMsg<Recovered>();
    }

    [Fact]
    public void A_database_error_fails_the_commits_writes_and_the_journal_goes_on_writing()
    {
        Sys.ActorOf(Props.Create(typeof(Writer), "before", 1, 0, TestActor));
        Assert.Equal(new Outcome("before", 1, true), ExpectMsg<Outcome>(FirstUse));
        _database.RefuseJournalRowsOf("refused");

        Sys.ActorOf(Props.Create(typeof(Writer), "refused", 1, 0, TestActor));
        var failed = ExpectMsg<Failed>(TimeSpan.FromSeconds(20));
        Assert.Equal(("refused", 1L), (failed.PersistenceId, failed.SequenceNr));
        Assert.Contains("refused by the test", failed.Reason);

        Sys.ActorOf(Props.Create(typeof(Writer), "after", 3, 0, TestActor));
        Assert.Equal([1L, 2L, 3L], ReceiveN(3, TimeSpan.FromSeconds(20)).Cast<Outcome>().Select(o => o.SequenceNr));
        Assert.Equal(3, _database.Rows("after").Count);
        Assert.Empty(_database.Rows("refused"));
    }

    private static string TradeId(string json) =>
        System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("tradeId").GetString()!;

    protected override void AfterAll()
    {
        base.AfterAll();
        _database.Dispose();
    }

    private sealed record Outcome(string PersistenceId, long SequenceNr, bool Stored);

    private sealed record Failed(string PersistenceId, long SequenceNr, string Reason);

    private sealed record Recovered(long? SnapshotSequenceNr, decimal? SnapshotSize, string Replayed, long LastSequenceNr);

    /// <summary>Reports what its recovery found; persists event n on command n (a snapshot after the 3rd and 5th), then reports it stored.</summary>
    private sealed class Snapshotting : ReceivePersistentActor
    {
        private readonly Recovery _recovery;

        public Snapshotting(string id, Recovery recovery, IActorRef report)
        {
            PersistenceId = id;
            _recovery = recovery;
            SnapshotOffer? offer = null;
            var replayed = new List<string>();
            Recover<SnapshotOffer>(o => offer = o);
            Recover<OrderEvents.FillRecorded>(e => replayed.Add(e.TradeId));
            Recover<RecoveryCompleted>(_ =>
                report.Tell(new Recovered(offer?.Metadata.SequenceNr, (offer?.Snapshot as OrderState)?.Size, string.Join(' ', replayed), LastSequenceNr)));
            Command<int>(n => Persist(
                new OrderEvents.FillRecorded(new ClientOrderId(id), $"t-{n}", 60000m, 1, 0.01m, "USDT", Liquidity.Maker, FillSource.WebSocket, "v-1", 1729163001780 + n),
                _ =>
                {
                    if (n is 3 or 5)
                    {
                        SaveSnapshot(OrderState.Start(new OrderEvents.Submitted(new ClientOrderId(id), "s", VenueId.KuCoin, MarketKind.Futures, new Symbol("XBTUSDTM"),
                            Side.Buy, OrderType.Limit, n, 60000m, TimeInForce.GoodTillCanceled, false, false, 1729163001000)));
                    }
                    else
                    {
                        report.Tell(LastSequenceNr);
                    }
                }));
            Command<SaveSnapshotSuccess>(saved => report.Tell(saved.Metadata.SequenceNr));
            Command<long>(DeleteMessages);
            Command<DeleteMessagesSuccess>(d => report.Tell(d));
        }

        public override string PersistenceId { get; }

        public override Recovery Recovery => _recovery;
    }

    /// <summary>An event type the journal serializer has no manifest for: the journal rejects it.</summary>
    private sealed record Unjournaled(ClientOrderId ClientOrderId, long Timestamp) : IJournalEvent;

    /// <summary>Persists all its events with one call and reports once the last is stored.</summary>
    private sealed class AllAtOnceWriter : ReceivePersistentActor
    {
        public AllAtOnceWriter(string id, int events, IActorRef report)
        {
            PersistenceId = id;
            Recover<object>(_ => { });
            Command<string>(_ => PersistAll(
                Enumerable.Range(1, events).Select(n => new Tagged(
                    new OrderEvents.FillRecorded(new ClientOrderId(id), $"t-{id}-{n}", 60000m + n, 1, 0.01m, "USDT", Liquidity.Maker, FillSource.WebSocket, "v-1", 1729163001780 + n),
                    [OrderEventTags.All])),
                _ =>
                {
                    if (LastSequenceNr == events)
                    {
                        report.Tell(new Outcome(id, LastSequenceNr, true));
                    }
                }));
        }

        public override string PersistenceId { get; }

        protected override void PreStart() => Self.Tell("go");
    }

    /// <summary>Persists its events one after another, as an order actor does, and reports each outcome.</summary>
    private sealed class Writer : ReceivePersistentActor
    {
        private readonly IActorRef _report;
        private readonly int _events;

        public Writer(string id, int events, int refusedAt, IActorRef report)
        {
            PersistenceId = id;
            _report = report;
            _events = events;
            Recover<object>(_ => { });
            Command<int>(n =>
            {
                IJournalEvent e = n == refusedAt
                    ? new Unjournaled(new ClientOrderId(id), n)
                    : new OrderEvents.FillRecorded(new ClientOrderId(id), $"t-{id}-{n}", 60000m + n, 1, 0.01m, "USDT", Liquidity.Maker, FillSource.WebSocket, "v-1", 1729163001780 + n);
                Persist(new Tagged(e, [OrderEventTags.All]), _ =>
                {
                    report.Tell(new Outcome(id, LastSequenceNr, true));
                    Next(n);
                });
            });
        }

        public override string PersistenceId { get; }

        protected override void PreStart() => Self.Tell(1);

        protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
        {
            _report.Tell(new Failed(PersistenceId, sequenceNr, cause.ToString()));
            base.OnPersistFailure(cause, @event, sequenceNr);
        }

        protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
        {
            _report.Tell(new Outcome(PersistenceId, sequenceNr, false));
            Next((int)sequenceNr);
        }

        private void Next(int n)
        {
            if (n < _events)
            {
                Self.Tell(n + 1);
            }
        }
    }
}

public sealed class SqliteGroupCommitJournalSpecs(ITestOutputHelper output) : GroupCommitJournalSpecs(new SqliteJournalDatabase(), output);

public sealed class PostgresGroupCommitJournalSpecs(ITestOutputHelper output) : GroupCommitJournalSpecs(new PostgresJournalDatabase(), output);
