using System.Globalization;
using System.Text.Json;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Json;
using ActorTrading.Core.Market;

namespace ActorTrading.Exchanges.Binance.Ws;

/// <summary>The events a Binance socket sends, by their <c>e</c>.</summary>
internal enum EventKind
{
    Unknown,
    AggTrade,
    Trade,
    DepthUpdate,
    BookTicker,
    Kline,
    MarkPriceUpdate,
    Ticker24h,
    OrderTradeUpdate,
    AccountUpdate,
    ExecutionReport,
    OutboundAccountPosition,
    ServerShutdown,
    ListenKeyExpired,
    EventStreamTerminated,

    /// <summary>Documented, and deliberately not normalized (see <see cref="BinanceNames.Event"/>).</summary>
    Ignored,
}

/// <summary>What a combined stream's name says: its symbol (upper-case, the REST spelling) and for partial depth the channel.</summary>
internal sealed record BinanceStream(Symbol Symbol, DataChannel? PartialDepth)
{
    public bool IsPartialDepth => PartialDepth is not null;

    public DataChannel Channel => PartialDepth ?? DataChannel.BookDelta;

    public StreamKind Kind { get; init; }
}

internal enum StreamKind
{
    Other,
    BookTicker,
    PartialDepth,
}

/// <summary>
/// Names a connection meets again and again (symbols, stream names, kline intervals), turned into strings once and
/// then found by their bytes: a steady stream allocates none. Bounded: a flood of new names empties a cache.
/// </summary>
internal sealed class BinanceNames
{
    private readonly NameCache<Symbol> _symbols = new(static name => name.Length > 0 ? new Symbol(name) : throw new FrameFormatException("symbol 's' is empty"));
    private readonly NameCache<BinanceStream> _streams = new(ParseStream);
    private readonly NameCache<string> _intervals = new(static name => name);

    public Symbol Symbol(ref Utf8JsonReader r)
    {
        JsonReading.Expect(ref r, JsonTokenType.String, "s");
        return _symbols.Get(r.ValueSpan, r.ValueIsEscaped);
    }

    public string Interval(ref Utf8JsonReader r)
    {
        JsonReading.Expect(ref r, JsonTokenType.String, "k.i");
        return _intervals.Get(r.ValueSpan, r.ValueIsEscaped);
    }

    public BinanceStream Stream(ReadOnlySpan<byte> name) => _streams.Get(name, escaped: false);

    public Symbol Asset(string asset) => asset.Length > 0 ? new Symbol(asset) : throw new FrameFormatException("asset 'a' is empty");

    /// <summary>
    /// <c>btcusdt@depth5@100ms</c> → BTCUSDT, partial depth of five levels; <c>btcusdt@bookTicker</c> → a book ticker;
    /// anything else (trades, klines, <c>!serverShutdown</c>, a listen key) names its symbol in its payload.
    /// </summary>
    private static BinanceStream ParseStream(string name)
    {
        var at = name.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0)
        {
            return new BinanceStream(default, null);
        }

        var symbol = new Symbol(name[..at].ToUpperInvariant());
        var rest = name.AsSpan(at + 1);
        var type = rest.IndexOf('@') is var next and >= 0 ? rest[..next] : rest;
        if (type.SequenceEqual("bookTicker"))
        {
            return new BinanceStream(symbol, null) { Kind = StreamKind.BookTicker };
        }

        if (type.StartsWith("depth") && type.Length > "depth".Length)
        {
            return type.SequenceEqual("depth5")
                ? new BinanceStream(symbol, DataChannel.BookDepth5) { Kind = StreamKind.PartialDepth }
                : throw new FrameFormatException($"stream '{name}': partial depth of {type["depth".Length..].ToString()} levels is not a channel of this node (book-depth5 is)");
        }

        return new BinanceStream(symbol, null);
    }

    public static EventKind Event(ReadOnlySpan<byte> e) => e switch
    {
        _ when e.SequenceEqual("aggTrade"u8) => EventKind.AggTrade,
        _ when e.SequenceEqual("depthUpdate"u8) => EventKind.DepthUpdate,
        _ when e.SequenceEqual("trade"u8) => EventKind.Trade,
        _ when e.SequenceEqual("bookTicker"u8) => EventKind.BookTicker,
        _ when e.SequenceEqual("kline"u8) => EventKind.Kline,
        _ when e.SequenceEqual("markPriceUpdate"u8) => EventKind.MarkPriceUpdate,
        _ when e.SequenceEqual("24hrTicker"u8) => EventKind.Ticker24h,
        _ when e.SequenceEqual("ORDER_TRADE_UPDATE"u8) => EventKind.OrderTradeUpdate,
        _ when e.SequenceEqual("ACCOUNT_UPDATE"u8) => EventKind.AccountUpdate,
        _ when e.SequenceEqual("executionReport"u8) => EventKind.ExecutionReport,
        _ when e.SequenceEqual("outboundAccountPosition"u8) => EventKind.OutboundAccountPosition,
        _ when e.SequenceEqual("serverShutdown"u8) => EventKind.ServerShutdown,
        _ when e.SequenceEqual("listenKeyExpired"u8) => EventKind.ListenKeyExpired,
        _ when e.SequenceEqual("eventStreamTerminated"u8) => EventKind.EventStreamTerminated,

        // Spot balanceUpdate is a delta (the outboundAccountPosition that follows has the totals); then USDⓈ-M account
        // events (settings, margin calls, strategies, the light trade echo of ORDER_TRADE_UPDATE), spot order-list and
        // lock events, and market streams the node never subscribes (mini and window tickers, average and reference
        // prices, block trades).
        _ when e.SequenceEqual("balanceUpdate"u8) || e.SequenceEqual("TRADE_LITE"u8) || e.SequenceEqual("ACCOUNT_CONFIG_UPDATE"u8)
            || e.SequenceEqual("MARGIN_CALL"u8) || e.SequenceEqual("STRATEGY_UPDATE"u8) || e.SequenceEqual("GRID_UPDATE"u8)
            || e.SequenceEqual("CONDITIONAL_ORDER_TRIGGER_REJECT"u8) || e.SequenceEqual("listStatus"u8)
            || e.SequenceEqual("externalLockUpdate"u8) || e.SequenceEqual("24hrMiniTicker"u8) || e.SequenceEqual("1hTicker"u8)
            || e.SequenceEqual("4hTicker"u8) || e.SequenceEqual("1dTicker"u8) || e.SequenceEqual("avgPrice"u8)
            || e.SequenceEqual("referencePrice"u8) || e.SequenceEqual("blockTrade"u8) => EventKind.Ignored,
        _ => EventKind.Unknown,
    };

    public static string EventText(EventKind kind) => kind switch
    {
        EventKind.ListenKeyExpired => "listenKeyExpired",
        EventKind.EventStreamTerminated => "eventStreamTerminated",
        _ => kind.ToString(),
    };

    public static Side Side(ref Utf8JsonReader r, string field) =>
        r.ValueTextEquals("BUY"u8) ? Core.Market.Side.Buy
        : r.ValueTextEquals("SELL"u8) ? Core.Market.Side.Sell
        : throw new FrameFormatException($"field '{field}' must be BUY or SELL");

    /// <summary>
    /// Order status <c>X</c> (spot enums.md "Order status"; USDⓈ-M adds the liquidation states, which are live orders).
    /// </summary>
    public static OrderStatus Status(ref Utf8JsonReader r) => r switch
    {
        _ when r.ValueTextEquals("NEW"u8) || r.ValueTextEquals("PENDING_NEW"u8) || r.ValueTextEquals("PENDING_CANCEL"u8)
            || r.ValueTextEquals("NEW_INSURANCE"u8) || r.ValueTextEquals("NEW_ADL"u8) => OrderStatus.Open,
        _ when r.ValueTextEquals("PARTIALLY_FILLED"u8) => OrderStatus.PartiallyFilled,
        _ when r.ValueTextEquals("FILLED"u8) => OrderStatus.Filled,
        _ when r.ValueTextEquals("CANCELED"u8) => OrderStatus.Canceled,
        _ when r.ValueTextEquals("REJECTED"u8) => OrderStatus.Rejected,
        _ when r.ValueTextEquals("EXPIRED"u8) || r.ValueTextEquals("EXPIRED_IN_MATCH"u8) => OrderStatus.Expired,
        _ => throw new FrameFormatException($"unknown order status '{JsonReading.ReadString(ref r, "X")}'"),
    };

    /// <summary>Codes that refuse the key or its signature (errors.md): the session cannot start with these credentials.</summary>
    public static bool IsSessionRefusal(string code) => code is "-1002" or "-1022" or "-2014" or "-2015" or "-1021";

    public static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
