using System.Collections.Concurrent;
using System.Globalization;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ActorTrading.TestExchange;

/// <summary>
/// A self-running KuCoin Futures on loopback for the offline demo and end-to-end tests: bullet-public and a live
/// level2 snapshot over WireMock, and a Kestrel WebSocket that streams trades, tickers, sequenced level2 deltas,
/// mark/index prices and candles for every subscribed topic, consistent with the snapshot.
/// </summary>
public sealed class SimulatedKuCoinFutures : IAsyncDisposable
{
    private readonly FakeWebSocketServer _ws;
    private readonly FakeKuCoinRest _rest;
    private readonly Dictionary<string, SimulatedContract> _contracts;
    private readonly ConcurrentDictionary<string, bool> _topics = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private SimulatedKuCoinFutures(FakeWebSocketServer ws, FakeKuCoinRest rest, IEnumerable<(string Symbol, decimal Mid, decimal Tick)> contracts, TimeSpan tick, int seed)
    {
        _ws = ws;
        _rest = rest;
        var random = new Random(seed);
        _contracts = contracts.ToDictionary(c => c.Symbol, c => new SimulatedContract(c.Symbol, c.Mid, c.Tick, new Random(random.Next())));
        _ws.OnClientMessage = OnClientMessage;
        _rest.ServeBullet(ws.Uri);
        _rest.ServeBullet(ws.Uri, isPrivate: true);
        _rest.Server.Given(Request.Create().WithPath("/api/v1/level2/snapshot").UsingGet())
            .RespondWith(Response.Create().WithCallback(request =>
            {
                var symbol = request.Query?.TryGetValue("symbol", out var values) == true ? values.FirstOrDefault() : null;
                var body = symbol is not null && _contracts.TryGetValue(symbol, out var contract)
                    ? $$"""{"code":"200000","data":{{contract.SnapshotJson()}}}"""
                    : """{"code":"100001","msg":"Unsupported symbol"}""";
                return new WireMock.ResponseMessage
                {
                    StatusCode = 200,
                    BodyData = new WireMock.Util.BodyData { BodyAsString = body, DetectedBodyType = WireMock.Types.BodyType.String },
                };
            }));
        _loop = Task.Run(() => RunAsync(tick));
    }

    public Uri RestBaseUri => _rest.BaseUri;

    public int OpenConnections => _ws.OpenConnections;

    public static async Task<SimulatedKuCoinFutures> StartAsync(TimeSpan? tick = null, int seed = 42)
    {
        var ws = await FakeWebSocketServer.StartAsync().ConfigureAwait(false);
        return new SimulatedKuCoinFutures(ws, new FakeKuCoinRest(), [("XBTUSDTM", 90000m, 0.1m), ("ETHUSDTM", 3000m, 0.01m)], tick ?? TimeSpan.FromMilliseconds(100), seed);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await _ws.DisposeAsync().ConfigureAwait(false);
        _rest.Dispose();
        _stop.Dispose();
    }

    private IEnumerable<string> OnClientMessage(ClientMessage message)
    {
        if (message.Topic is { } topic)
        {
            if (message.Type == "subscribe")
            {
                _topics[topic] = true;
            }
            else if (message.Type == "unsubscribe")
            {
                _topics.TryRemove(topic, out _);
            }
        }

        return [];
    }

    private async Task RunAsync(TimeSpan tick)
    {
        using var timer = new PeriodicTimer(tick);
        var ticks = 0L;
        while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
        {
            ticks++;
            var now = DateTimeOffset.UtcNow;
            foreach (var contract in _contracts.Values)
            {
                foreach (var (topic, frame) in contract.Step(now, slow: ticks % 10 == 0))
                {
                    if (_topics.ContainsKey(topic))
                    {
                        await _ws.SendToAllAsync(frame).ConfigureAwait(false);
                    }
                }
            }
        }
    }

    private sealed class SimulatedContract(string symbol, decimal mid, decimal tick, Random random)
    {
        private const int Levels = 20;
        private readonly object _gate = new();
        private readonly decimal[] _bidSizes = Enumerable.Range(0, Levels).Select(_ => (decimal)random.Next(1, 500)).ToArray();
        private readonly decimal[] _askSizes = Enumerable.Range(0, Levels).Select(_ => (decimal)random.Next(1, 500)).ToArray();
        private long _sequence = 1_000_000;
        private long _tradeId = 5_000_000;
        private decimal _volume;

        private decimal BidPrice(int level) => mid - (tick * (level + 1));

        private decimal AskPrice(int level) => mid + (tick * (level + 1));

        public string SnapshotJson()
        {
            lock (_gate)
            {
                var bids = string.Join(",", Enumerable.Range(0, Levels).Where(i => _bidSizes[i] > 0).Select(i => $"[{D(BidPrice(i))},{D(_bidSizes[i])}]"));
                var asks = string.Join(",", Enumerable.Range(0, Levels).Where(i => _askSizes[i] > 0).Select(i => $"[{D(AskPrice(i))},{D(_askSizes[i])}]"));
                var ns = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
                return $$"""{"sequence":{{_sequence}},"symbol":"{{symbol}}","bids":[{{bids}}],"asks":[{{asks}}],"ts":{{ns}}}""";
            }
        }

        public List<(string Topic, string Frame)> Step(DateTimeOffset now, bool slow)
        {
            lock (_gate)
            {
                var frames = new List<(string, string)>();
                var ms = now.ToUnixTimeMilliseconds();
                for (var i = 0; i < 2; i++)
                {
                    var bid = random.Next(2) == 0;
                    var level = Math.Min(Levels - 1, (int)Math.Abs(random.NextDouble() * random.NextDouble() * Levels));
                    var sizes = bid ? _bidSizes : _askSizes;
                    sizes[level] = random.Next(4) == 0 ? 0 : random.Next(1, 500);
                    var price = bid ? BidPrice(level) : AskPrice(level);
                    _sequence++;
                    frames.Add(($"/contractMarket/level2:{symbol}",
                        $$$"""{"topic":"/contractMarket/level2:{{{symbol}}}","type":"message","subject":"level2","sn":{{{_sequence}}},"data":{"sequence":{{{_sequence}}},"change":"{{{D(price)}}},{{{(bid ? "buy" : "sell")}}},{{{D(sizes[level])}}}","timestamp":{{{ms}}}}}"""));
                }

                var (bestBid, bestBidSize) = Best(_bidSizes, BidPrice);
                var (bestAsk, bestAskSize) = Best(_askSizes, AskPrice);
                var buy = random.Next(2) == 0;
                var size = random.Next(1, 50);
                _volume += size;
                _tradeId++;
                var ns = ms * 1_000_000;
                frames.Add(($"/contractMarket/execution:{symbol}",
                    $$$"""{"topic":"/contractMarket/execution:{{{symbol}}}","type":"message","subject":"match","sn":{{{_sequence}}},"data":{"symbol":"{{{symbol}}}","sequence":{{{_sequence}}},"side":"{{{(buy ? "buy" : "sell")}}}","size":{{{size}}},"price":"{{{D(buy ? bestAsk : bestBid)}}}","takerOrderId":"t{{{_tradeId}}}","makerOrderId":"m{{{_tradeId}}}","tradeId":"{{{_tradeId}}}","ts":{{{ns}}}}}"""));
                frames.Add(($"/contractMarket/tickerV2:{symbol}",
                    $$$"""{"topic":"/contractMarket/tickerV2:{{{symbol}}}","type":"message","subject":"tickerV2","sn":{{{_sequence}}},"data":{"symbol":"{{{symbol}}}","sequence":{{{_sequence}}},"bestBidSize":{{{D(bestBidSize)}}},"bestBidPrice":"{{{D(bestBid)}}}","bestAskPrice":"{{{D(bestAsk)}}}","bestAskSize":{{{D(bestAskSize)}}},"ts":{{{ns}}}}}"""));

                if (slow)
                {
                    var mark = Math.Round((bestBid + bestAsk) / 2, 2);
                    frames.Add(($"/contract/instrument:{symbol}",
                        $$$"""{"topic":"/contract/instrument:{{{symbol}}}","type":"message","subject":"mark.index.price","data":{"markPrice":{{{D(mark)}}},"indexPrice":{{{D(mark - tick)}}},"granularity":1000,"timestamp":{{{ms}}}}}"""));
                    var predicted = (random.Next(-50, 100) / 1_000_000m).ToString(CultureInfo.InvariantCulture);
                    frames.Add(($"/contract/instrument:{symbol}",
                        $$$"""{"topic":"/contract/instrument:{{{symbol}}}","type":"message","subject":"funding.rate","data":{"granularity":60000,"fundingRate":{{{predicted}}},"timestamp":{{{ms}}}}}"""));
                    var minute = ms / 60_000 * 60;
                    frames.Add(($"/contractMarket/limitCandle:{symbol}_1min",
                        $$"""{"topic":"/contractMarket/limitCandle:{{symbol}}_1min","type":"message","data":{"symbol":"{{symbol}}","candles":["{{minute}}","{{D(mid)}}","{{D(mark)}}","{{D(bestAsk)}}","{{D(bestBid)}}","{{D(_volume)}}","{{D(_volume * mid)}}"],"time":{{ms}}},"subject":"candle.stick"}"""));
                }

                return frames;
            }
        }

        private static (decimal Price, decimal Size) Best(decimal[] sizes, Func<int, decimal> price)
        {
            for (var i = 0; i < sizes.Length; i++)
            {
                if (sizes[i] > 0)
                {
                    return (price(i), sizes[i]);
                }
            }

            return (price(sizes.Length - 1), 0m);
        }

        private static string D(decimal value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
