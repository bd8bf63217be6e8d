using System.Globalization;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges.Bybit.Rest;

namespace ActorTrading.Exchanges.Bybit.Ws;

/// <summary>What a topic carries.</summary>
internal enum TopicKind
{
    Unknown,
    OrderBook,
    PublicTrade,
    Tickers,
    Kline,
    Order,
    Execution,
    Position,
    Wallet,
}

/// <summary>
/// A topic as the parser needs it: its kind, its symbol (public topics) and its depth or interval. One instance per topic
/// and parser (the parser's name cache), so it also carries the book chain of its socket.
/// </summary>
internal sealed record BybitTopic(TopicKind Kind, Symbol? Symbol, int Depth = 0, string? Interval = null)
{
    /// <summary>The last update id of this book topic the socket's parser read whole; null before its first.</summary>
    public long? LastUpdate { get; set; }

    /// <summary>The symbol of a public topic.</summary>
    public Symbol Instrument => Symbol ?? throw new Core.Json.FrameFormatException($"topic {Kind} names no symbol");
}

/// <summary>
/// The node's channels as Bybit topics (websocket/public/*.mdx, websocket/private/*.mdx): trades
/// <c>publicTrade.{symbol}</c>; the book <c>orderbook.{depth}.{symbol}</c> (50 unless the subscription names 200 or
/// 1000); the best quote <c>orderbook.1.{symbol}</c>; linear tickers (best quote, last, mark, index, funding)
/// <c>tickers.{symbol}</c>, spot tickers from <c>orderbook.1</c> (spot's <c>tickers</c> has no quote, only the
/// 24-hour figures: the statistics channel); candles <c>kline.{interval}.{symbol}</c>. Private: orders and their fills
/// <c>order.{category}</c> + <c>execution.{category}</c>, positions <c>position.linear</c>, balances <c>wallet</c>.
/// </summary>
public static class BybitTopics
{
    public static IReadOnlyList<string> Of(Subscription subscription, MarketKind market)
    {
        var category = BybitVenue.Category(market);
        var symbol = subscription.Symbol.Value;
        if (!subscription.Channel.IsAccount() && symbol != symbol.ToUpperInvariant())
        {
            throw new ExchangeException(new ConfigurationError($"Bybit symbol '{symbol}': upper-case, as the venue spells it ({symbol.ToUpperInvariant()})"));
        }

        return subscription.Channel switch
        {
            DataChannel.Trades => ["publicTrade." + symbol],
            DataChannel.BookDelta => [$"orderbook.{BookDepth(subscription.Interval)}.{symbol}"],
            DataChannel.BestQuote => ["orderbook.1." + symbol],
            DataChannel.Ticker => [market == MarketKind.Spot ? "orderbook.1." + symbol : "tickers." + symbol],
            DataChannel.Funding or DataChannel.MarkPrice or DataChannel.IndexPrice when market == MarketKind.Futures => ["tickers." + symbol],
            DataChannel.Statistics => ["tickers." + symbol],
            DataChannel.Candles => [$"kline.{Interval(subscription.Interval ?? "1")}.{symbol}"],
            DataChannel.Orders => ["order." + category, "execution." + category],
            DataChannel.Positions when market == MarketKind.Futures => ["position.linear"],
            DataChannel.Balances => ["wallet"],
            _ => throw new ExchangeException(new ConfigurationError($"Bybit {market.ToWire()} has no channel '{subscription.Channel.ToWire()}'")),
        };
    }

    /// <summary>A book subscription's depth: 50 by default, or 200 / 1000 (level 1 is the best quote, not a book).</summary>
    public static int BookDepth(string? depth) => depth is null
        ? BybitVenue.DefaultBookDepth
        : int.TryParse(depth, NumberStyles.None, CultureInfo.InvariantCulture, out var levels) && levels is 50 or 200 or 1000
            ? levels
            : throw new ExchangeException(new ConfigurationError($"Bybit book depth '{depth}': 50, 200 or 1000 (1 is the best-quote channel)"));

    public static string Interval(string interval) => BybitMarketData.KlineIntervals.Contains(interval)
        ? interval
        : throw new ExchangeException(new ConfigurationError(
            $"Bybit kline interval '{interval}': one of {string.Join(", ", BybitMarketData.KlineIntervals)} (minutes, or D, W, M)"));

    /// <summary>Reads a topic name: <c>orderbook.50.BTCUSDT</c>, <c>publicTrade.BTCUSDT</c>, <c>execution.linear</c>, …</summary>
    internal static BybitTopic Parse(string topic)
    {
        var parts = topic.Split('.');
        return parts switch
        {
            ["orderbook", var depth, var symbol] when int.TryParse(depth, NumberStyles.None, CultureInfo.InvariantCulture, out var d) && symbol.Length > 0 =>
                new BybitTopic(TopicKind.OrderBook, new Symbol(symbol), d),
            ["publicTrade", var symbol] when symbol.Length > 0 => new BybitTopic(TopicKind.PublicTrade, new Symbol(symbol)),
            ["tickers", var symbol] when symbol.Length > 0 => new BybitTopic(TopicKind.Tickers, new Symbol(symbol)),
            ["kline", var interval, var symbol] when symbol.Length > 0 => new BybitTopic(TopicKind.Kline, new Symbol(symbol), Interval: interval),
            ["order", ..] => new BybitTopic(TopicKind.Order, null),
            ["execution", ..] => new BybitTopic(TopicKind.Execution, null),
            ["position", ..] => new BybitTopic(TopicKind.Position, null),
            ["wallet"] => new BybitTopic(TopicKind.Wallet, null),
            _ => new BybitTopic(TopicKind.Unknown, null),
        };
    }
}
