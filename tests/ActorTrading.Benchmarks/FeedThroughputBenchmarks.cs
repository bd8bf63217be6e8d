using System.Text;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges.KuCoin.Ws;
using ActorTrading.Runtime.Bus;
using ActorTrading.Runtime.Feeds;
using ActorTrading.TestExchange;
using Akka.Actor;
using BenchmarkDotNet.Attributes;

namespace ActorTrading.Benchmarks;

/// <summary>
/// End to end on loopback: a Kestrel WebSocket pushes KuCoin trade frames, the feed parses them and the bus
/// delivers each Trade to a subscriber actor. One operation = one message received by the subscriber.
/// </summary>
[MemoryDiagnoser]
public class FeedThroughputBenchmarks
{
    private const int Messages = 100_000;
    private ActorSystem _system = null!;
    private FakeWebSocketServer _ws = null!;
    private FakeKuCoinRest _rest = null!;
    private IActorRef _counter = ActorRefs.Nobody;
    private byte[][] _frames = [];

    [GlobalSetup]
    public void Setup()
    {
        _system = ActorSystem.Create("bench", "akka.loglevel = WARNING");
        _ws = FakeWebSocketServer.StartAsync().GetAwaiter().GetResult();
        _rest = new FakeKuCoinRest().ServeBullet(_ws.Uri);
        var bus = new LocalMarketDataBus(_system);
        _counter = _system.ActorOf(Props.Create(() => new Counter()));
        bus.Subscribe(_counter, TopicFilter.Parse("kucoin.futures/trades/XBTUSDTM"));
        var http = new HttpClient();
        var client = new Runtime.Rest.RestClient(http, new Exchanges.KuCoin.Rest.KuCoinRestAdapter(_rest.BaseUri));
        var feed = _system.ActorOf(FeedConnection.Props(new KuCoinFeedAdapter(), client, bus, new FeedSettings(),
            [new Subscription(DataChannel.Trades, new("XBTUSDTM"))]));
        while (feed.Ask<FeedConnectionProtocol.Status>(FeedConnectionProtocol.GetStatus.Instance).GetAwaiter().GetResult().State != FeedConnectionProtocol.State.Streaming)
        {
            Thread.Sleep(50);
        }

        _frames = Enumerable.Range(0, Messages).Select(i => Encoding.UTF8.GetBytes(
            $$$"""{"topic":"/contractMarket/execution:XBTUSDTM","type":"message","subject":"match","sn":{{{i}}},"data":{"symbol":"XBTUSDTM","sequence":{{{i}}},"side":"buy","size":2,"price":"90503.9","tradeId":"{{{i}}}","ts":1731898619520000000}}""")).ToArray();
    }

    [Benchmark(OperationsPerInvoke = Messages)]
    public async Task WebSocketToBusToActor()
    {
        var done = _counter.Ask<int>(new Counter.Expect(Messages));
        await _ws.SendManyToAllAsync(_frames);
        await done;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _system.Terminate().Wait();
        _ws.DisposeAsync().AsTask().Wait();
        _rest.Dispose();
    }

    private sealed class Counter : ReceiveActor
    {
        private int _remaining;
        private IActorRef _waiter = ActorRefs.Nobody;

        public Counter()
        {
            Receive<Expect>(e =>
            {
                _remaining = e.Count;
                _waiter = Sender;
            });
            Receive<Trade>(_ =>
            {
                if (--_remaining == 0)
                {
                    _waiter.Tell(0);
                }
            });
        }

        public sealed record Expect(int Count);
    }
}
