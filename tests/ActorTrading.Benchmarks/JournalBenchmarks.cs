using System.Data.Common;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Journal;
using ActorTrading.TestExchange;
using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Journal;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace ActorTrading.Benchmarks;

/// <summary>
/// The order journal on SQLite (a file) and PostgreSQL (the server <c>ACTORTRADING_TEST_POSTGRES</c> names; start one
/// with <c>bash .ci/postgres start DIR</c>): order events persisted through Akka.Persistence.Sql by 100 actors in
/// parallel, next to a raw ADO.NET insert of the same rows (one journal row per event, tags in its tags column, one
/// prepared statement, 100 per transaction) in the same run; and recovery of one order with 100 k events.
/// </summary>
// Warmed up for 10 iterations: tiered JIT and dynamic PGO need several seconds of this workload to reach the code a
// long-running node runs (measured: the first five 100×100 rounds run at 60 % of the later ones).
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 10, iterationCount: 10)]
public class JournalBenchmarks
{
    private const int Writers = 100;
    private const int EventsPerWriter = 100;
    private const int RecoveryEvents = 100_000;
    private static readonly byte[] FillRow = JournalSerializer.Serialize(Fill(1));
    private static readonly JournalTags Tags = new(["order-event", "venue:kucoin", "symbol:XBTUSDTM", "strategy:bench", "kind:fill-recorded"]);
    private JournalDatabase _database = null!;
    private ActorSystem _system = null!;
    private int _round;

    /// <summary>Both providers; <c>ACTORTRADING_BENCH_PROVIDERS=sqlite</c> (comma-separated) runs fewer.</summary>
    public static IEnumerable<string> Providers =>
        Environment.GetEnvironmentVariable("ACTORTRADING_BENCH_PROVIDERS")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? ["sqlite", "postgres"];

    [ParamsSource(nameof(Providers))]
    public string Provider { get; set; } = "sqlite";

    [GlobalSetup]
    public void Setup()
    {
        _database = JournalDatabase.Create(Provider);
        _system = JournalSystem.Create("bench", _database.Settings, Path.Combine(AppContext.BaseDirectory, "hocon.conf"));
        Persist(1, 1);   // creates the tables
        using var connection = _database.Open();
        RawInsert(connection, "recovery-100k", RecoveryEvents);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _system.Terminate().Wait();
        _database.Dispose();
    }

    [Benchmark(OperationsPerInvoke = Writers * EventsPerWriter, Description = "persist order events (100 actors)")]
    public void PersistOrderEvents() => Persist(Writers, EventsPerWriter);

    [Benchmark(Baseline = true, OperationsPerInvoke = Writers * EventsPerWriter, Description = "raw insert of the same rows")]
    public void RawInsertSameRows()
    {
        using var connection = _database.Open();
        var round = Interlocked.Increment(ref _round);
        for (var w = 0; w < Writers; w++)
        {
            RawInsert(connection, $"raw-{round}-{w}", EventsPerWriter);
        }
    }

    [Benchmark(OperationsPerInvoke = 1, Description = "recover one order of 100k events")]
    public void Recover100kEvents()
    {
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = _system.ActorOf(Props.Create(() => new Recoverer("recovery-100k", done)));
        var count = done.Task.Result;
        _system.Stop(actor);
        if (count != RecoveryEvents)
        {
            throw new InvalidOperationException($"recovered {count} events, expected {RecoveryEvents}");
        }
    }

    private static OrderEvents.FillRecorded Fill(long i) =>
        new(new ClientOrderId("bench"), "t-" + i, 60000.5m, 1, 0.012m, "USDT", Liquidity.Maker, FillSource.WebSocket, "v-1", 1729163001780 + i);

    private void Persist(int writers, int events)
    {
        var round = Interlocked.Increment(ref _round);
        var remaining = writers;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Action finished = () =>
        {
            if (Interlocked.Decrement(ref remaining) == 0)
            {
                done.SetResult();
            }
        };
        for (var w = 0; w < writers; w++)
        {
            var id = $"bench-{round}-{w}";
            _system.ActorOf(Props.Create(typeof(Writer), id, events, finished));   // as OrderActor.Props: no expression compiled per actor
        }

        done.Task.Wait();
    }

    /// <summary>The row the journal writes for one event (tags in its <c>tags</c> column): one prepared statement, 100 rows per transaction.</summary>
    private static void RawInsert(DbConnection connection, string persistenceId, int events)
    {
        for (var start = 1; start <= events; start += 100)
        {
            using var transaction = connection.BeginTransaction();
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO journal (created, deleted, persistence_id, sequence_number, message, manifest, identifier, writer_uuid, tags) "
                + "VALUES (@created, @deleted, @pid, @seq, @message, 'fill-recorded.v1', 4117, 'raw', @tags)";
            Add(insert, "created", DateTime.UtcNow.Ticks);
            Add(insert, "deleted", false);
            Add(insert, "pid", persistenceId);
            Add(insert, "seq", 0L);
            Add(insert, "message", FillRow);
            Add(insert, "tags", Tags.Column);
            insert.Prepare();
            for (var seq = start; seq < start + 100 && seq <= events; seq++)
            {
                insert.Parameters["@seq"].Value = (long)seq;
                insert.Parameters["@created"].Value = DateTime.UtcNow.Ticks;
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    /// <summary>Persists one tagged order event per command, each after the last is written, as an order actor does.</summary>
    private sealed class Writer : ReceivePersistentActor
    {
        public Writer(string id, int events, Action finished)
        {
            PersistenceId = id;
            Recover<object>(_ => { });
            var written = 0;
            Command<string>(_ => Persist(new Tagged(Fill(written + 1), Tags), _ =>
            {
                if (++written == events)
                {
                    finished();
                    Context.Stop(Self);
                }
                else
                {
                    Self.Tell("next");
                }
            }));
        }

        public override string PersistenceId { get; }

        protected override void PreStart() => Self.Tell("go");
    }

    private sealed class Recoverer : ReceivePersistentActor
    {
        public Recoverer(string id, TaskCompletionSource<long> done)
        {
            PersistenceId = id;
            long count = 0;
            Recover<OrderEvents.FillRecorded>(_ => count++);
            Recover<RecoveryCompleted>(_ => done.SetResult(count));
        }

        public override string PersistenceId { get; }
    }
}
