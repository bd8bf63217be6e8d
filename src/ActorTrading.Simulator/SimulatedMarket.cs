namespace ActorTrading.Simulator;

/// <summary>A level of the simulated book changed to <see cref="Size"/> (0: gone) as update <see cref="Sequence"/>.</summary>
internal sealed record LevelChange(bool Bid, decimal Price, decimal Size, long Sequence);

/// <summary>A trade at the touch: <see cref="Buy"/> is the taker's side; <see cref="Size"/> in whole units of the market.</summary>
internal sealed record TradePrint(bool Buy, decimal Price, int Size, long TradeId);

/// <summary>What moves less often: mark and index price, the predicted funding rate, the minute's candle.</summary>
internal sealed record SlowFacts(decimal Mark, decimal Index, decimal FundingRate, long MinuteStartSeconds, decimal Open, decimal Volume);

/// <summary>One step of a market, venue-neutral: each simulated venue writes it in its own frames.</summary>
internal sealed record MarketStep(
    long Ms, IReadOnlyList<LevelChange> Changes, TradePrint Trade, (decimal Price, decimal Size) BestBid, (decimal Price, decimal Size) BestAsk, long Sequence, SlowFacts? Slow);

/// <summary>The book as a REST snapshot gives it: the update it is at, levels best first.</summary>
internal sealed record MarketSnapshot(long Sequence, IReadOnlyList<(decimal Price, decimal Size)> Bids, IReadOnlyList<(decimal Price, decimal Size)> Asks);

/// <summary>
/// One simulated market: a 20-level book around a fixed mid that random level changes move (each a numbered update,
/// consistent with <see cref="Snapshot"/>), and trades at the touch. Sizes are whole units; a venue scales them.
/// </summary>
internal sealed class SimulatedMarket(string symbol, decimal mid, decimal tick, Random random)
{
    private const int Levels = 20;
    private readonly Lock _gate = new();
    private readonly decimal[] _bidSizes = Enumerable.Range(0, Levels).Select(_ => (decimal)random.Next(1, 500)).ToArray();
    private readonly decimal[] _askSizes = Enumerable.Range(0, Levels).Select(_ => (decimal)random.Next(1, 500)).ToArray();
    private long _sequence = 1_000_000;
    private long _tradeId = 5_000_000;
    private decimal _volume;

    public string Symbol => symbol;

    public decimal Mid => mid;

    public decimal Tick => tick;

    /// <summary>Base units per unit of size (0.001 BTC for XBTUSDTM).</summary>
    public decimal Multiplier { get; init; } = 1m;

    public MarketSnapshot Snapshot()
    {
        lock (_gate)
        {
            return new MarketSnapshot(_sequence, Side(_bidSizes, BidPrice), Side(_askSizes, AskPrice));
        }
    }

    public MarketStep Step(DateTimeOffset now, bool slow)
    {
        lock (_gate)
        {
            var changes = new List<LevelChange>(2);
            for (var i = 0; i < 2; i++)
            {
                var bid = random.Next(2) == 0;
                var level = Math.Min(Levels - 1, (int)Math.Abs(random.NextDouble() * random.NextDouble() * Levels));
                var sizes = bid ? _bidSizes : _askSizes;
                sizes[level] = random.Next(4) == 0 ? 0 : random.Next(1, 500);
                changes.Add(new LevelChange(bid, bid ? BidPrice(level) : AskPrice(level), sizes[level], ++_sequence));
            }

            var bestBid = Best(_bidSizes, BidPrice);
            var bestAsk = Best(_askSizes, AskPrice);
            var buy = random.Next(2) == 0;
            var size = random.Next(1, 50);
            _volume += size;
            var trade = new TradePrint(buy, buy ? bestAsk.Price : bestBid.Price, size, ++_tradeId);
            var ms = now.ToUnixTimeMilliseconds();
            SlowFacts? facts = null;
            if (slow)
            {
                var mark = Math.Round((bestBid.Price + bestAsk.Price) / 2, 2);
                facts = new SlowFacts(mark, mark - tick, random.Next(-50, 100) / 1_000_000m, ms / 60_000 * 60, mid, _volume);
            }

            return new MarketStep(ms, changes, trade, bestBid, bestAsk, _sequence, facts);
        }
    }

    private decimal BidPrice(int level) => mid - (tick * (level + 1));

    private decimal AskPrice(int level) => mid + (tick * (level + 1));

    private static (decimal Price, decimal Size)[] Side(decimal[] sizes, Func<int, decimal> price) =>
        Enumerable.Range(0, Levels).Where(i => sizes[i] > 0).Select(i => (price(i), sizes[i])).ToArray();

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
}
