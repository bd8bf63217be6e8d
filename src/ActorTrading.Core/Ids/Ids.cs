namespace ActorTrading.Core.Ids;

/// <summary>An exchange, by its lower-case short name ("kucoin", "binance").</summary>
public readonly record struct VenueId(string Value)
{
    public static readonly VenueId KuCoin = new("kucoin");

    public override string ToString() => Value;
}

/// <summary>Which product family of a venue a feed or symbol belongs to.</summary>
public enum MarketKind
{
    Futures,
    Spot,
    Margin,

    /// <summary>A unified trading account (KuCoin UTA): one margin pool across spot, margin and futures.</summary>
    Unified,
}

/// <summary>An instrument in the venue's own spelling (KuCoin Futures "XBTUSDTM", KuCoin Spot "BTC-USDT").</summary>
public readonly record struct Symbol(string Value)
{
    public override string ToString() => Value;
}

/// <summary>The client-assigned id that makes order placement idempotent.</summary>
public readonly record struct ClientOrderId(string Value)
{
    public override string ToString() => Value;
}

public static class MarketKindNames
{
    public static string ToWire(this MarketKind market) => market switch
    {
        MarketKind.Futures => "futures",
        MarketKind.Spot => "spot",
        MarketKind.Margin => "margin",
        MarketKind.Unified => "unified",
        _ => throw new ArgumentOutOfRangeException(nameof(market), market, "unknown market kind"),
    };

    public static bool TryParse(string? text, out MarketKind market)
    {
        switch (text?.ToLowerInvariant())
        {
            case "futures": market = MarketKind.Futures; return true;
            case "spot": market = MarketKind.Spot; return true;
            case "margin": market = MarketKind.Margin; return true;
            case "unified": market = MarketKind.Unified; return true;
            default: market = default; return false;
        }
    }
}
