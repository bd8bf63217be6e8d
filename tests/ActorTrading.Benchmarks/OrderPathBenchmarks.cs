using Akka.Actor;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using static ActorTrading.Benchmarks.OrderPathLatency;

namespace ActorTrading.Benchmarks;

/// <summary>
/// The order path as BenchmarkDotNet measures it: one order at a time, back to back, in a node built as
/// <c>actortrading run</c> builds it (<see cref="OrderPathLatency"/>'s), from a strategy's decision to the venue's
/// acknowledgement reaching the strategy (KuCoin Futures fake on loopback: journal commit, signed request, answer,
/// acknowledgement journaled), and on the paper venue to the paper fill reaching the strategy; on SQLite (full fsync)
/// and PostgreSQL. The rate-based figures (p50/p99/p99.9 at 200 orders/s, the sustained rate, the floors beside them)
/// are <c>-- orders</c>: BenchmarkDotNet times operations back to back, not arrivals at a rate.
/// </summary>
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 10, iterationCount: 15)]
public class OrderPathBenchmarks
{
    private BenchNode _node = null!;
    private IActorRef _live = null!;
    private IActorRef _paper = null!;

    /// <summary>Both journals; PostgreSQL when <c>ACTORTRADING_TEST_POSTGRES</c> names a server (<c>bash .ci/postgres start DIR</c>).</summary>
    public static IEnumerable<string> Journals =>
        Environment.GetEnvironmentVariable(ActorTrading.TestExchange.PostgresJournalDatabase.Variable) is { Length: > 0 } ? ["sqlite", "postgres"] : ["sqlite"];

    [ParamsSource(nameof(Journals))]
    public string Journal { get; set; } = "sqlite";

    [GlobalSetup]
    public void Setup()
    {
        _node = BenchNode.StartAsync(Journal).GetAwaiter().GetResult();
        _live = _node.Probes("one-live", 1, paper: false)[0];
        _paper = _node.Probes("one-paper", 1, paper: true)[0];
        _node.PublishTop(Eth, 2000.5m);
        _node.WarmUpAsync([_live], Xbt, 60000.5m).GetAwaiter().GetResult();
        _node.WarmUpAsync([_paper], Eth, 2001m).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _node.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Description = "decision → acknowledged at the strategy (KuCoin fake)")]
    public Task LiveOrderAcknowledged() => _node.OneAsync(_live, Xbt, 60000.5m, filled: false);

    [Benchmark(Description = "decision → paper fill at the strategy")]
    public Task PaperOrderFilled() => _node.OneAsync(_paper, Eth, 2001m, filled: true);
}
