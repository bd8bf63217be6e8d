using ActorTrading.Core.Market;

namespace ActorTrading.Journal;

/// <summary>
/// A position built from fills, first-in first-out: a fill first closes the oldest open lots of the other side, the
/// rest opens a lot. Realized and unrealized PnL are in price × size units (multiply by a contract's multiplier).
/// </summary>
public sealed class FifoPosition
{
    private readonly LinkedList<(decimal Size, decimal Price)> _lots = new();   // signed: long > 0, short < 0

    /// <summary>Signed: long above zero, short below.</summary>
    public decimal Size { get; private set; }

    public decimal RealizedPnl { get; private set; }

    /// <summary>Applies one fill; returns the PnL it realized.</summary>
    public decimal Apply(Side side, decimal size, decimal price)
    {
        var signed = side == Side.Buy ? size : -size;
        var realized = 0m;
        while (signed != 0 && _lots.First is { } oldest && Math.Sign(oldest.Value.Size) != Math.Sign(signed))
        {
            var closing = Math.Min(Math.Abs(signed), Math.Abs(oldest.Value.Size));
            realized += closing * (oldest.Value.Size > 0 ? price - oldest.Value.Price : oldest.Value.Price - price);
            var left = oldest.Value.Size - (Math.Sign(oldest.Value.Size) * closing);
            signed -= Math.Sign(signed) * closing;
            if (left == 0)
            {
                _lots.RemoveFirst();
            }
            else
            {
                oldest.Value = (left, oldest.Value.Price);
            }
        }

        if (signed != 0)
        {
            _lots.AddLast((signed, price));
        }

        Size = _lots.Sum(l => l.Size);
        RealizedPnl += realized;
        return realized;
    }

    /// <summary>What the open lots would realize at <paramref name="mark"/>.</summary>
    public decimal UnrealizedPnl(decimal mark) => _lots.Sum(l => l.Size * (mark - l.Price));
}
