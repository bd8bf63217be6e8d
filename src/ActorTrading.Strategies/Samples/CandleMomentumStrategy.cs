using ActorTrading.Core;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Journal;
using Akka.Event;

namespace ActorTrading.Strategies.Samples;

/// <summary>
/// Trades momentum on closed candles: after <c>Lookback</c> (3) closes each higher than the one before it targets a
/// long of <c>Size</c> (1), after as many lower closes a short of the same size, and otherwise keeps its position. It
/// moves to the target with one market order, and places nothing while an order of its own is still open.
/// Candles still forming are ignored.
/// </summary>
public sealed class CandleMomentumStrategy : StrategyActor, IChecksParameters
{
    private readonly int _lookback;
    private readonly decimal _size;
    private readonly Dictionary<Symbol, List<(long OpenTs, decimal Close)>> _closes = new();

    public CandleMomentumStrategy(StrategyContext context) : base(context)
    {
        (_lookback, _size) = Read(Settings);
    }

    public static void Validate(StrategySettings settings) => Read(settings);

    private static (int Lookback, decimal Size) Read(StrategySettings s) => (s.AtLeast("Lookback", 3, 2), s.Positive("Size", 1m));

    protected override IReadOnlyCollection<DataChannel> Channels { get; } = [DataChannel.Candles, DataChannel.Trades];

    /// <summary>+1 after <paramref name="lookback"/> rising closes, -1 after as many falling ones, else 0.</summary>
    public static int Direction(IReadOnlyList<decimal> closes, int lookback)
    {
        if (closes.Count < lookback + 1)
        {
            return 0;
        }

        var last = closes.Skip(closes.Count - lookback - 1).ToArray();
        var steps = last.Zip(last.Skip(1), (a, b) => Math.Sign(b - a)).ToArray();
        return steps.All(s => s > 0) ? 1 : steps.All(s => s < 0) ? -1 : 0;
    }

    protected override void OnData(DataMessage message)
    {
        if (message is not Candle { IsClosed: true } candle)
        {
            return;
        }

        var closes = _closes.GetOrNew(candle.Symbol);
        if (closes.Count > 0 && closes[^1].OpenTs >= candle.OpenTs)
        {
            return;   // the same closed candle again
        }

        closes.Add((candle.OpenTs, candle.Close));
        if (closes.Count > _lookback + 1)
        {
            closes.RemoveAt(0);
        }

        var direction = Direction(closes.Select(c => c.Close).ToArray(), _lookback);
        var position = Ledger.Position(candle.Symbol, out _, out _);
        if (direction == 0 || Ledger.OpenOrders.Any(o => o.Symbol == candle.Symbol))
        {
            return;
        }

        var change = (direction * _size) - position;
        if (change != 0)
        {
            Log.Info("{Strategy}: {Symbol} momentum {Direction}: {Side} {Size} at market", Settings.Id, candle.Symbol, direction, change > 0 ? Side.Buy : Side.Sell, Math.Abs(change));
            Place(candle.Symbol, change > 0 ? Side.Buy : Side.Sell, OrderType.Market, Math.Abs(change));
        }
    }

    protected override void OnOrderUpdate(OrderState order, IJournalEvent? e)
    {
        if (e is OrderEvents.FillRecorded fill)
        {
            Log.Info("{Strategy}: {Side} {Size} {Symbol} at {Price}", Settings.Id, order.Side, fill.Size, order.Symbol, fill.Price);
        }
    }

}
