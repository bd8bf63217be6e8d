using System.Diagnostics;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Runtime.Bus;
using Akka.Actor;
using Akka.Configuration;
using BenchmarkDotNet.Attributes;

namespace ActorTrading.Benchmarks;

/// <summary>
/// Market data to a strategy on another node: two actor systems in one process, one Akka.Cluster over loopback
/// remoting, trades published on node A's <see cref="ClusterMarketDataBus"/> and counted by a subscriber on node B
/// (serialized by the wire serializer, through DistributedPubSub). <c>local</c> is the same publish to a subscriber on
/// node A while A is a cluster of its own: the single-node figure. Throughput: one operation = one trade received. Latency: one trade at a
/// time, from publish to the subscriber's receipt (p50/p99 printed at the end of the run).
/// </summary>
[MemoryDiagnoser]
public class ClusterBusBenchmarks
{
    private const int Messages = 20_000;
    private static readonly VenueId KuCoin = VenueId.KuCoin;
    private static readonly Symbol Xbt = new("XBTUSDTM");
    private readonly List<double> _latencies = [];
    private ActorSystem _a = null!;
    private ActorSystem? _b;
    private IMarketDataBus _publisher = null!;
    private IActorRef _counter = ActorRefs.Nobody;
    private long _sequence;

    [Params("local", "cross-node")]
    public string Route { get; set; } = "cross-node";

    [GlobalSetup]
    public void Setup()
    {
        var config = ConfigurationFactory.ParseString("""
            akka.loglevel = WARNING
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
            """).WithFallback(ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "hocon.conf"))));
        _a = ActorSystem.Create("actortrading", config);
        var a = Akka.Cluster.Cluster.Get(_a);
        a.Join(a.SelfAddress);
        var members = 1;
        if (Route != "local")
        {
            _b = ActorSystem.Create("actortrading", config);
            Akka.Cluster.Cluster.Get(_b).Join(a.SelfAddress);
            members = 2;
        }

        Until(() => a.State.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up) == members, $"{members} members Up");
        IReadOnlyCollection<MarketDataTopic> universe = ClusterMarketDataBus.Universe([(KuCoin, MarketKind.Futures, Xbt)]);
        _publisher = new ClusterMarketDataBus(_a, universe);
        var subscriberSide = _b ?? _a;
        var subscriberBus = _b is null ? _publisher : new ClusterMarketDataBus(_b, universe);
        _counter = subscriberSide.ActorOf(Props.Create(() => new Counter()));
        subscriberBus.Subscribe(_counter, TopicFilter.Parse("kucoin.futures/trades/XBTUSDTM"));

        // The mediator's registry travels by gossip: publish until the subscriber hears one.
        Until(() =>
        {
            var heard = _counter.Ask<bool>(new Counter.Expect(1));
            _publisher.Publish(NextTrade());
            return heard.Wait(TimeSpan.FromMilliseconds(500));
        }, "the subscriber hearing the publisher");
    }

    [Benchmark(OperationsPerInvoke = Messages)]
    public async Task Throughput()
    {
        var done = _counter.Ask<bool>(new Counter.Expect(Messages));
        for (var i = 0; i < Messages; i++)
        {
            _publisher.Publish(NextTrade());
        }

        await done;
    }

    [Benchmark]
    public async Task OneTradeLatency()
    {
        var done = _counter.Ask<bool>(new Counter.Expect(1));
        var started = Stopwatch.GetTimestamp();
        _publisher.Publish(NextTrade());
        await done;
        _latencies.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_latencies.Count > 0)
        {
            var sorted = _latencies.Order().ToArray();
            Console.WriteLine($"// {Route}: one-trade latency over {sorted.Length} trades: p50 {sorted[sorted.Length / 2]:0} µs, p99 {sorted[(int)(sorted.Length * 0.99)]:0} µs");
        }

        _b?.Terminate().Wait();
        _a.Terminate().Wait();
    }

    private Trade NextTrade()
    {
        var n = ++_sequence;
        return new Trade(KuCoin, MarketKind.Futures, Xbt, n, n, n.ToString(System.Globalization.CultureInfo.InvariantCulture), Side.Buy, 90_000.1m, 2m, n);
    }

    private static void Until(Func<bool> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!done())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("not within 30 s: " + what);
            }

            Thread.Sleep(50);
        }
    }

    /// <summary>Counts trades; answers the expectation's sender once that many have arrived.</summary>
    private sealed class Counter : ReceiveActor
    {
        private int _remaining;
        private IActorRef _waiter = ActorRefs.Nobody;

        public Counter()
        {
            Receive<Expect>(e => (_remaining, _waiter) = (e.Count, Sender));
            Receive<Trade>(_ =>
            {
                if (--_remaining == 0)
                {
                    _waiter.Tell(true);
                }
            });
        }

        public sealed record Expect(int Count);
    }
}
