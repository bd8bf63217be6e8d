namespace ActorTrading.Journal;

/// <summary>A strategy's order limits; an unset limit does not apply.</summary>
public sealed record RiskLimits
{
    public static readonly RiskLimits None = new();

    /// <summary>Largest size of one order, in the venue's unit.</summary>
    public decimal? MaxOrderSize { get; init; }

    /// <summary>Largest size × price of one order (a market order needs a reference price).</summary>
    public decimal? MaxNotional { get; init; }

    public int? MaxOpenOrders { get; init; }

    public int? MaxOrdersPerSecond { get; init; }

    /// <summary>The first limit a new order would break, as a journaled code and reason; null when it may go.</summary>
    public (string Code, string Reason)? Check(decimal size, decimal? price, int openOrders, int placedLastSecond)
    {
        if (size <= 0)
        {
            return ("risk:invalid-size", $"size {size} must be positive");
        }

        if (MaxOrderSize is { } maxSize && size > maxSize)
        {
            return ("risk:max-order-size", $"size {size} exceeds the limit {maxSize}");
        }

        if (MaxNotional is { } maxNotional)
        {
            if (price is not { } p)
            {
                return ("risk:max-notional", "a market order needs a reference price under a notional limit");
            }

            if (size * p > maxNotional)
            {
                return ("risk:max-notional", $"notional {size * p} exceeds the limit {maxNotional}");
            }
        }

        if (MaxOpenOrders is { } maxOpen && openOrders >= maxOpen)
        {
            return ("risk:max-open-orders", $"{openOrders} orders open, the limit is {maxOpen}");
        }

        if (MaxOrdersPerSecond is { } maxRate && placedLastSecond >= maxRate)
        {
            return ("risk:max-orders-per-second", $"{placedLastSecond} orders in the last second, the limit is {maxRate}");
        }

        return null;
    }
}
