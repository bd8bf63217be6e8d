using System.Globalization;

namespace ActorTrading.Simulator;

/// <summary>
/// One simulated contract: a 20-level book around a fixed mid that random level changes move, trades at the touch, and
/// the frames KuCoin Futures sends for them (sequenced level2 deltas consistent with <see cref="SnapshotJson"/>).
/// </summary>
internal sealed class SimulatedContract(string symbol, decimal mid, decimal tick, Random random)
{
    private const int Levels = 20;
    private readonly Lock _gate = new();
    private readonly decimal[] _bidSizes = Enumerable.Range(0, Levels).Select(_ => (decimal)random.Next(1, 500)).ToArray();
    private readonly decimal[] _askSizes = Enumerable.Range(0, Levels).Select(_ => (decimal)random.Next(1, 500)).ToArray();
    private long _sequence = 1_000_000;
    private long _tradeId = 5_000_000;
    private decimal _volume;

    /// <summary>Base units per contract (0.001 BTC for XBTUSDTM).</summary>
    public decimal Multiplier { get; init; } = 1m;

    /// <summary>The contract as <c>GET /api/v1/contracts/active</c> lists it: the fields of the docs' example, with this contract's rules.</summary>
    public string ContractJson() =>
        $$"""{"symbol":"{{symbol}}","rootSymbol":"USDT","type":"FFWCSX","baseCurrency":"{{symbol[..^5]}}","quoteCurrency":"USDT","settleCurrency":"USDT","maxOrderQty":1000000,"maxPrice":1000000,"lotSize":1,"tickSize":{{D(tick)}},"indexPriceTickSize":0.01,"multiplier":{{D(Multiplier)}},"initialMargin":0.008,"maintainMargin":0.004,"maxRiskLimit":100000,"minRiskLimit":100000,"riskStep":50000,"makerFeeRate":0.0002,"takerFeeRate":0.0006,"takerFixFee":0,"makerFixFee":0,"isDeleverage":true,"isQuanto":true,"isInverse":false,"markMethod":"FairPrice","status":"Open","markPrice":{{D(mid)}},"indexPrice":{{D(mid)}},"lastTradePrice":{{D(mid)}}}""";

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
