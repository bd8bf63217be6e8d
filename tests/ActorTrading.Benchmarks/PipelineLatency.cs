using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges.KuCoin.Ws;
using ActorTrading.Journal;
using ActorTrading.Runtime.Books;
using ActorTrading.Runtime.Bus;
using ActorTrading.Runtime.Feeds;
using ActorTrading.Strategies;
using ActorTrading.TestExchange;
using Akka.Actor;

namespace ActorTrading.Benchmarks;

/// <summary>
/// <c>pipeline</c>: the whole market-data path on loopback, as a node runs it — a Kestrel WebSocket sends KuCoin level-2
/// deltas, the feed parses them, the book actor applies each and publishes the moved top, the bus delivers it to a
/// <see cref="StrategyActor"/>, whose handler stamps the arrival. Every delta changes the best bid's size, so every one
/// reaches the strategy. Throughput: as many as the path takes (frames sent as fast as the socket goes); latency: a
/// steady rate, each delta timed from just before its frame is written to the strategy's handler.
/// </summary>
/// <remarks>
/// Not a BenchmarkDotNet suite: latency percentiles at a fixed arrival rate are what is asked, and BenchmarkDotNet
/// measures back-to-back operations. <c>dotnet run -c Release --project tests/ActorTrading.Benchmarks -- pipeline
/// [--rate 50000] [--seconds 20] [--throughput 30]</c>.
/// </remarks>
public static class PipelineLatency
{
    private static readonly Symbol Symbol = new("XBTUSDTM");

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var rate = Pacing.Option(args, "--rate", 50_000);
        var seconds = Pacing.Option(args, "--seconds", 20);
        var total = rate * seconds;
        var throughputFrames = 500_000;
        var sent = new long[throughputFrames + total + 8];
        var arrived = new long[sent.Length];

        // The dispatcher's throughput as the node's hocon.conf sets it (30), unless asked otherwise.
        var dispatcherThroughput = Pacing.Option(args, "--throughput", 30);
        using var system = ActorSystem.Create("pipeline", $"akka.loglevel = WARNING, akka.actor.default-dispatcher.throughput = {dispatcherThroughput}");
        await using var ws = await FakeWebSocketServer.StartAsync();
        var rest = new FakeKuCoinRest().ServeBullet(ws.Uri);
        var bus = new LocalMarketDataBus(system);
        var probe = new LatencyProbe.Shared(arrived);
        var context = new StrategyContext(
            new StrategySettings("probe", "probe", VenueId.KuCoin, MarketKind.Futures, [Symbol], true, new Dictionary<string, string>(), RiskLimits.None),
            bus, ActorRefs.Nobody, TimeProvider.System, RunId.New(), _ => Task.FromResult<IReadOnlyList<JournalRecord>>([]));
        system.ActorOf(Props.Create(() => new LatencyProbe(context, probe)), "probe");
        // The venue's snapshot is at the last delta sent: a book that resyncs lines up with the deltas after it.
        var lastSent = 1L;
        system.ActorOf(OrderBookActor.Props(VenueId.KuCoin, MarketKind.Futures, Symbol, DataChannel.BookDelta, bus,
            (_, _) => Task.FromResult(Snapshot(Interlocked.Read(ref lastSent)))), "book");
        using var http = new HttpClient();
        var client = new Runtime.Rest.RestClient(http, new Exchanges.KuCoin.Rest.KuCoinRestAdapter(rest.BaseUri));
        var feed = system.ActorOf(FeedConnection.Props(new KuCoinFeedAdapter(), client, bus, new FeedSettings
        {
            // The reconnect phase measures the reconnect itself: a backoff of a millisecond that never grows (it is subtracted anyway).
            BackoffMin = TimeSpan.FromMilliseconds(1),
            BackoffMax = TimeSpan.FromMilliseconds(1),
            Jitter = 0,
            StableAfter = TimeSpan.FromMilliseconds(100),
        }, [new Subscription(DataChannel.BookDelta, Symbol)]));
        while ((await feed.Ask<FeedConnectionProtocol.Status>(FeedConnectionProtocol.GetStatus.Instance)).State != FeedConnectionProtocol.State.Streaming)
        {
            await Task.Delay(50);
        }

        // The book syncs on its first delta (the snapshot is at sequence 1).
        var sequence = 1L;
        await ws.SendManyToAllAsync([Delta(++sequence)]);
        Interlocked.Exchange(ref lastSent, sequence);
        await probe.WaitForAsync(sequence, TimeSpan.FromSeconds(30));

        // Throughput: half a million deltas as fast as the socket takes them.
        var frames = Enumerable.Range(0, throughputFrames).Select(_ => Delta(++sequence)).ToArray();
        var cpu = Pacing.ProcessCpu();
        var started = Stopwatch.GetTimestamp();
        await ws.SendManyToAllAsync(frames);
        Interlocked.Exchange(ref lastSent, sequence);
        await probe.WaitForAsync(sequence, TimeSpan.FromMinutes(5));
        var throughput = throughputFrames / Stopwatch.GetElapsedTime(started).TotalSeconds;
        Console.WriteLine($"pipeline throughput: {throughput:N0} msg/s ({throughputFrames:N0} deltas, socket → parse → book → bus → strategy, {Environment.ProcessorCount} cores); " +
            $"CPU {(Pacing.ProcessCpu() - cpu).TotalMicroseconds / throughputFrames:0.00} µs per message (sender included)");

        // Latency at a steady rate: a batch every millisecond, each frame stamped just before it is written. Measured
        // once the JIT's background recompiles after the throughput run have ended (they take a core for seconds).
        Console.WriteLine($"idle before the latency run: {await Pacing.IdleCpuAsync(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60)):0.000} cores busy");
        var first = sequence + 1;
        started = Stopwatch.GetTimestamp();
        await SendSteadilyAsync(ws, first, total, rate, sent, last => Interlocked.Exchange(ref lastSent, last));
        sequence = first + total - 1;
        await probe.WaitForAsync(sequence, TimeSpan.FromMinutes(5));
        var achieved = total / Stopwatch.GetElapsedTime(started).TotalSeconds;
        var latencies = new Percentiles(Enumerable.Range(0, total).Select(i => Pacing.Microseconds(arrived[first + i] - sent[first + i])));
        Console.WriteLine($"pipeline latency at {rate:N0} msg/s (achieved {achieved:N0}) over {seconds} s: p50 {latencies.At(0.5):N0} µs, p99 {latencies.At(0.99):N0} µs, " +
            $"p99.9 {latencies.At(0.999):N0} µs, max {latencies.Max:N0} µs");
        // Reconnect: the venue drops the socket; timed from the drop to the book Synced again on the new connection,
        // less the backoff the feed waited (its own FeedBackoff says how long).
        var recorder = system.ActorOf(Props.Create(() => new ReconnectRecorder()), "reconnects");
        bus.Subscribe(recorder, new TopicFilter("kucoin", MarketKind.Futures, DataChannel.Feed, null));
        bus.Subscribe(recorder, new TopicFilter("kucoin", MarketKind.Futures, DataChannel.Book, Symbol.Value));
        var reconnects = new List<double>();
        using var stopTicking = new CancellationTokenSource();
        var next = sequence;
        var ticking = Task.Run(async () =>
        {
            // The venue keeps moving: a delta a millisecond, as the book needs deltas after its snapshot to sync.
            while (!stopTicking.IsCancellationRequested)
            {
                await ws.SendManyToAllAsync([Delta(next + 1)]);
                Interlocked.Exchange(ref lastSent, ++next);
                await Task.Delay(1);
            }
        });
        for (var trial = 0; trial < 20; trial++)
        {
            await Task.Delay(300);
            await recorder.Ask<ReconnectRecorder.Armed>(ReconnectRecorder.Arm.Instance);
            var dropped = Stopwatch.GetTimestamp();
            ws.DropAll();
            var back = await recorder.Ask<ReconnectRecorder.Back>(ReconnectRecorder.WhenBack.Instance, TimeSpan.FromSeconds(30));
            reconnects.Add((back.SyncedAt - dropped) * 1000.0 / Stopwatch.Frequency - back.Backoff.TotalMilliseconds);
        }

        await stopTicking.CancelAsync();
        await ticking;
        reconnects.Sort();
        Console.WriteLine($"reconnect (socket dropped → resubscribed → book Synced, backoff excluded), 20 drops: p50 {reconnects[9]:N1} ms, " +
            $"p99 {reconnects[^1]:N1} ms, max {reconnects[^1]:N1} ms");

        // The floor: the same frames at the same rate from the same sender to a bare socket reader (no parser, no actor),
        // each timed to its receipt. What the machine itself gives before the node does anything.
        system.Stop(feed);
        while (ws.OpenConnections > 0)
        {
            await Task.Delay(10);
        }

        var (floor, floorThroughput, floorCpu) = await FloorAsync(ws, rate, total, throughputFrames);
        Console.WriteLine($"floor: the same {throughputFrames:N0} frames as fast as the socket goes to a bare socket reader (no parse, no actor): {floorThroughput:N0} msg/s, " +
            $"CPU {floorCpu:0.00} µs per message");
        Console.WriteLine($"floor: the same frames at {rate:N0} msg/s to a bare socket reader: p50 {floor.At(0.5):N0} µs, " +
            $"p99 {floor.At(0.99):N0} µs, p99.9 {floor.At(0.999):N0} µs, max {floor.Max:N0} µs");
        await system.Terminate();
        return 0;
    }

    /// <summary>Sends deltas <paramref name="first"/>… at <paramref name="rate"/>, a batch a millisecond, stamping each in <paramref name="sent"/> (by sequence) just before it is written.</summary>
    private static async Task SendSteadilyAsync(FakeWebSocketServer ws, long first, int total, int rate, long[] sent, Action<long> sentUpTo)
    {
        var batch = Math.Max(1, rate / 1000);
        var frames = Enumerable.Range(0, total).Select(i => Delta(first + i)).ToArray();
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < total; i += batch)
        {
            await Pacing.UntilAsync(Pacing.Due(started, i, rate));
            var count = Math.Min(batch, total - i);
            var now = Stopwatch.GetTimestamp();
            for (var j = 0; j < count; j++)
            {
                sent[first + i + j] = now;
            }

            await ws.SendManyToAllAsync(frames.AsSpan(i, count).ToArray());
            sentUpTo(first + i + count - 1);
        }
    }

    /// <summary>
    /// The same sender to a plain <see cref="ClientWebSocket"/> that only reads each frame's <c>sn</c> and stamps it: first
    /// <paramref name="burst"/> deltas as fast as the socket goes (its throughput and CPU per message), then
    /// <paramref name="total"/> at <paramref name="rate"/> (each one's latency).
    /// </summary>
    private static async Task<(Percentiles Latency, double Throughput, double CpuPerMessage)> FloorAsync(FakeWebSocketServer ws, int rate, int total, int burst)
    {
        var sent = new long[burst + total + 1];
        var received = new long[sent.Length];
        var seen = 0;
        using var client = new ClientWebSocket();
        await client.ConnectAsync(ws.Uri, CancellationToken.None);
        while (ws.OpenConnections == 0)
        {
            await Task.Delay(10);
        }

        var reading = Task.Run(async () =>
        {
            var buffer = new byte[64 * 1024];
            while (Volatile.Read(ref seen) < burst + total)
            {
                var result = await client.ReceiveAsync(buffer, CancellationToken.None);
                var at = Stopwatch.GetTimestamp();
                if (result.MessageType != WebSocketMessageType.Text)
                {
                    continue;   // the server's welcome and pings are not deltas
                }

                var text = buffer.AsSpan(0, result.Count);
                var sn = text.IndexOf("\"sn\":"u8);
                if (sn < 0)
                {
                    continue;
                }

                System.Buffers.Text.Utf8Parser.TryParse(text[(sn + 5)..], out long sequence, out _);
                received[sequence] = at;
                Interlocked.Increment(ref seen);
            }
        });

        var cpu = Pacing.ProcessCpu();
        var started = Stopwatch.GetTimestamp();
        await ws.SendManyToAllAsync(Enumerable.Range(1, burst).Select(i => Delta(i)).ToArray());
        while (Volatile.Read(ref seen) < burst)
        {
            await Task.Delay(1);
        }

        var throughput = burst / Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpuPerMessage = (Pacing.ProcessCpu() - cpu).TotalMicroseconds / burst;
        await Pacing.IdleCpuAsync(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        await SendSteadilyAsync(ws, burst + 1, total, rate, sent, _ => { });
        await reading.WaitAsync(TimeSpan.FromMinutes(2));
        return (new Percentiles(Enumerable.Range(burst + 1, total).Select(i => Pacing.Microseconds(received[i] - sent[i]))), throughput, cpuPerMessage);
    }

    /// <summary>Watches one feed and one book: after <see cref="Arm"/>, the backoff the feed took and when the book was Synced again.</summary>
    private sealed class ReconnectRecorder : ReceiveActor
    {
        private TimeSpan _backoff;
        private bool _armed;
        private bool _left;
        private long? _syncedAt;
        private IActorRef? _waiting;

        public ReconnectRecorder()
        {
            Receive<Arm>(_ =>
            {
                (_armed, _left, _syncedAt, _backoff) = (true, false, null, TimeSpan.Zero);
                Sender.Tell(new Armed());
            });
            Receive<FeedBackoff>(b => _backoff += _armed ? b.Delay : TimeSpan.Zero);
            Receive<BookHealthChanged>(OnHealth);
            void OnHealth(BookHealthChanged h)
            {
                _left |= _armed && h.Health != BookHealth.Synced;
                if (_armed && _left && h.Health == BookHealth.Synced)
                {
                    _syncedAt = Stopwatch.GetTimestamp();
                    Answer();
                }
            }

            Receive<WhenBack>(_ =>
            {
                _waiting = Sender;
                Answer();
            });
            ReceiveAny(_ => { });
        }

        private void Answer()
        {
            if (_syncedAt is { } at && _waiting is { } waiting)
            {
                waiting.Tell(new Back(at, _backoff));
                (_armed, _waiting) = (false, null);
            }
        }

        public sealed record Arm
        {
            public static readonly Arm Instance = new();
        }

        public sealed record Armed;

        public sealed record WhenBack
        {
            public static readonly WhenBack Instance = new();
        }

        public sealed record Back(long SyncedAt, TimeSpan Backoff);
    }

    private static OrderBookUpdate Snapshot(long sequence) =>
        new(VenueId.KuCoin, MarketKind.Futures, Symbol, 0, 0, DataChannel.BookDelta, BookUpdateKind.Snapshot, sequence, sequence,
            [new BookLevel(89999.9m, 1 + (sequence % 100)), new BookLevel(89999.8m, 20m)], [new BookLevel(90000.1m, 10m), new BookLevel(90000.2m, 20m)]);

    /// <summary>Delta <paramref name="sequence"/>: the best bid's size changes (1 to 100), so the top moves every time.</summary>
    private static byte[] Delta(long sequence) => Encoding.UTF8.GetBytes(
        $$$"""{"topic":"/contractMarket/level2:XBTUSDTM","type":"message","subject":"level2","sn":{{{sequence}}},"data":{"sequence":{{{sequence}}},"change":"89999.9,buy,{{{1 + (sequence % 100)}}}","timestamp":1731897467182}}""");

    /// <summary>The strategy at the end of the path: stamps each book top's arrival by its sequence.</summary>
    private sealed class LatencyProbe(StrategyContext context, LatencyProbe.Shared shared) : StrategyActor(context)
    {
        protected override IReadOnlyCollection<DataChannel> Channels { get; } = [DataChannel.Book];

        protected override void OnBookTop(BookTop top)
        {
            if (top.Sequence < shared.Arrived.Length)
            {
                shared.Arrived[top.Sequence] = Stopwatch.GetTimestamp();
            }

            shared.Reached(top.Sequence);
        }

        /// <summary>What the probe shares with the harness: arrival stamps, and the highest sequence seen.</summary>
        public sealed class Shared(long[] arrived)
        {
            private long _highest;

            public long[] Arrived { get; } = arrived;

            public void Reached(long sequence) => Volatile.Write(ref _highest, Math.Max(Volatile.Read(ref _highest), sequence));

            public async Task WaitForAsync(long sequence, TimeSpan limit)
            {
                var until = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
                while (Volatile.Read(ref _highest) < sequence)
                {
                    if (Stopwatch.GetTimestamp() > until)
                    {
                        throw new TimeoutException($"the strategy saw sequence {Volatile.Read(ref _highest)}, not {sequence}, within {limit}");
                    }

                    await Task.Delay(1);
                }
            }
        }
    }
}
