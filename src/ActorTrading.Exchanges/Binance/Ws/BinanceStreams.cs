using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;

namespace ActorTrading.Exchanges.Binance.Ws;

/// <summary>
/// The node's channels as Binance stream names (symbols lower-case in streams, web-socket-streams.md), and on USDⓈ-M
/// the routed path that serves each: <c>/public</c> the high-frequency book streams, <c>/market</c> the rest.
/// </summary>
public static class BinanceStreams
{
    public const string PublicRoute = "public";
    public const string MarketRoute = "market";

    /// <summary>Kline intervals (enums.md "Kline/Candlestick chart intervals"); <c>1s</c> is spot only.</summary>
    public static readonly IReadOnlyList<string> Intervals = ["1s", "1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d", "3d", "1w", "1M"];

    public static string Name(Subscription subscription, MarketKind market)
    {
        if (subscription.Symbol.Value != subscription.Symbol.Value.ToUpperInvariant())
        {
            // Messages carry the REST spelling; a lower-case symbol in the config would never meet its own data.
            throw new ExchangeException(new ConfigurationError(
                $"Binance symbol '{subscription.Symbol}': write it as the REST API does, upper-case ({subscription.Symbol.Value.ToUpperInvariant()})"));
        }

        var symbol = subscription.Symbol.Value.ToLowerInvariant();
        return subscription.Channel switch
        {
            DataChannel.Trades => symbol + "@aggTrade",
            DataChannel.Ticker => symbol + "@bookTicker",
            DataChannel.BookDelta => symbol + "@depth@100ms",
            DataChannel.BookDepth5 => symbol + "@depth5@100ms",
            DataChannel.Candles => $"{symbol}@kline_{ValidateInterval(subscription.Interval ?? "1m", market)}",
            DataChannel.Funding when market == MarketKind.Futures => symbol + "@markPrice@1s",
            DataChannel.Statistics => symbol + "@ticker",
            DataChannel.BookDepth50 => throw new ExchangeException(new ConfigurationError(
                "Binance partial books have 5, 10 or 20 levels: use book-depth5, or book-delta for the full book")),
            _ => throw new ExchangeException(new ConfigurationError($"Binance {market.ToWire()} public feed has no channel '{subscription.Channel.ToWire()}'")),
        };
    }

    /// <summary>USDⓈ-M: depth and book tickers on <c>/public</c>, trades, klines and mark prices on <c>/market</c>; spot has one path.</summary>
    public static string RouteOf(Subscription subscription, MarketKind market) => market != MarketKind.Futures
        ? string.Empty
        : subscription.Channel is DataChannel.BookDelta or DataChannel.BookDepth5 or DataChannel.Ticker ? PublicRoute : MarketRoute;

    public static string ValidateInterval(string interval, MarketKind market) =>
        Intervals.Contains(interval) && !(interval == "1s" && market == MarketKind.Futures)
            ? interval
            : throw new ExchangeException(new ConfigurationError(
                $"unknown Binance {market.ToWire()} kline interval '{interval}' (one of {string.Join(", ", Intervals.Where(i => market == MarketKind.Spot || i != "1s"))})"));

    /// <summary>The symbol as Binance's REST spells it, from any case.</summary>
    public static Symbol RestSymbol(Symbol symbol) => new(symbol.Value.ToUpperInvariant());
}
