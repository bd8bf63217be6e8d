using System.Globalization;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Orders;

namespace ActorTrading.Core.Market;

/// <summary>
/// One instrument's trading rules as its venue publishes them: prices are multiples of <see cref="TickSize"/>, sizes
/// multiples of <see cref="LotStep"/> (in the venue's unit: contracts for KuCoin Futures, the base asset elsewhere) and
/// at least <see cref="MinSize"/>; one unit of size is <see cref="ContractSize"/> of the base asset. A step of 0 means
/// the venue sets none.
/// </summary>
public sealed record InstrumentSpec(Symbol Symbol, decimal TickSize, decimal LotStep, decimal MinSize, decimal ContractSize)
{
    /// <summary>Largest size of one order; null when the venue sets none.</summary>
    public decimal? MaxSize { get; init; }

    /// <summary>Least notional (price × size × contract size, in the quote currency); null when the venue sets none.</summary>
    public decimal? MinNotional { get; init; }

    /// <summary>False while the venue does not take orders on the instrument (halted, delisted, pre-trading).</summary>
    public bool Trading { get; init; } = true;

    /// <summary>Decimals of the tick size: how many places a price carries.</summary>
    public int PricePrecision => Decimals(TickSize);

    /// <summary>Decimals of the lot step: how many places a size carries.</summary>
    public int SizePrecision => Decimals(LotStep);

    /// <summary>Why the venue would refuse <paramref name="order"/> under these rules; null when it fits them.</summary>
    public string? Refusal(OrderTicket order)
    {
        if (!Trading)
        {
            return $"{Symbol} is not trading at the venue";
        }

        if (order.Size < MinSize)
        {
            return $"size {Text(order.Size)} is below {Symbol}'s minimum {Text(MinSize)}";
        }

        if (MaxSize is { } max && order.Size > max)
        {
            return $"size {Text(order.Size)} is above {Symbol}'s maximum {Text(max)}";
        }

        if (!OnStep(order.Size, LotStep))
        {
            return $"size {Text(order.Size)} is not a multiple of {Symbol}'s lot step {Text(LotStep)}";
        }

        if (order.Price is { } price && !OnStep(price, TickSize))
        {
            return $"price {Text(price)} is not a multiple of {Symbol}'s tick size {Text(TickSize)}";
        }

        if (order.Stop is { } stop && !OnStep(stop.Price, TickSize))
        {
            return $"stop price {Text(stop.Price)} is not a multiple of {Symbol}'s tick size {Text(TickSize)}";
        }

        // A market order's notional is only known once it fills: the venue checks it then.
        if (MinNotional is { } least && order.Price is { } limit && limit * order.Size * ContractSize < least)
        {
            return $"notional {Text(limit * order.Size * ContractSize)} is below {Symbol}'s minimum {Text(least)}";
        }

        return null;
    }

    private static bool OnStep(decimal value, decimal step) => step <= 0 || value % step == 0;

    // Dividing by 1.000…0 drops trailing zeros (0.0100 → 0.01): the scale left is the number of decimals that count.
    private static int Decimals(decimal value) => value <= 0 ? 0 : (value / 1.000000000000000000000000000000000m).Scale;

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
