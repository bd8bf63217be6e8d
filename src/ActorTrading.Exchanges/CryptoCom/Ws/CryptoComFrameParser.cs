using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Json;
using ActorTrading.Core.Market;
using static ActorTrading.Core.Json.JsonReading;
using static ActorTrading.Exchanges.JsonItems;

namespace ActorTrading.Exchanges.CryptoCom.Ws;

/// <summary>
/// Parses Crypto.com Exchange v1 frames, market and user. Every frame is <c>{"id","method","code",…}</c>: a push is a
/// <c>subscribe</c> with a <c>result</c> naming its <c>channel</c>; <c>public/heartbeat</c> is the server's ping (answered
/// with the same id); <c>public/auth</c>, <c>subscribe</c> and <c>unsubscribe</c> without a result are answers to our
/// requests (code 0, or the refusal's code and message); an order method's answer is passed on whole. Books: the
/// <c>book</c> channel is a snapshot at its <c>u</c>; each <c>book.update</c> names the update before it (<c>pu</c>),
/// so the book checks the chain (a break subscribes again); an update with no levels still moves the chain. Sides of
/// trades are the taker's.
/// </summary>
public sealed class CryptoComFrameParser(MarketKind market) : WholeFrameParser
{
    private readonly NameCache<Symbol> _symbols = new(static name => name.Length > 0 ? new Symbol(name) : throw new FrameFormatException("instrument_name is empty"));
    private static readonly string[] Channels = ["book.update", "book", "trade", "ticker", "candlestick", "user.order", "user.trade", "user.balance", "user.positions"];
    private static readonly string[] Methods = ["subscribe", "public/heartbeat", "public/auth", "unsubscribe"];
    private readonly List<BookLevel> _levels = new(64);
    private long _tickerSequence;

    public MarketKind Market { get; } = market;

    protected override void Read(ReadOnlySpan<byte> frame, long receivedTs)
    {
        var r = OpenObject(frame);
        string? id = null, method = null, code = null, message = null;
        var result = default(Utf8JsonReader);
        bool hasResult = false, parsed = false;
        while (NextMember(ref r))
        {
            if (r.ValueTextEquals("id"u8))
            {
                Next(ref r);
                id = r.TokenType == JsonTokenType.Number ? ReadInt64(ref r, "id").ToString(CultureInfo.InvariantCulture) : r.TokenType == JsonTokenType.String ? r.GetString() : null;
            }
            else if (r.ValueTextEquals("method"u8))
            {
                Next(ref r);
                method = Known(ref r, Methods, "method");
            }
            else if (r.ValueTextEquals("code"u8))
            {
                Next(ref r);
                code = r.TokenType == JsonTokenType.Number ? ReadInt64(ref r, "code").ToString(CultureInfo.InvariantCulture) : ReadString(ref r, "code");
            }
            else if (r.ValueTextEquals("message"u8))
            {
                Next(ref r);
                message = r.TokenType == JsonTokenType.String ? r.GetString() : null;
            }
            else if (r.ValueTextEquals("result"u8))
            {
                Next(ref r);
                Expect(ref r, JsonTokenType.StartObject, "result");
                hasResult = true;
                if (method == "subscribe" && code is null or "0")
                {
                    // A push, its envelope read first (the venue's order): read it in this same pass.
                    Push(ref r, receivedTs);
                    parsed = true;
                }
                else
                {
                    result = r;
                    r.Skip();
                }
            }
            else
            {
                SkipValue(ref r);
            }
        }

        if (r.Read())
        {
            throw new FrameFormatException("data after the end of the frame");
        }

        switch (method ?? throw Missing("method"))
        {
            case "public/heartbeat":
                Reply(new ControlEvent(ControlKind.Ping, id ?? throw Missing("id")));
                return;
            case "subscribe" when hasResult && code is null or "0":
                if (!parsed)
                {
                    Push(ref result, receivedTs);
                }

                return;
            case "public/auth" or "subscribe" or "unsubscribe" or "public/respond-heartbeat" or "private/set-cancel-on-disconnect":
                Reply(code is null or "0"
                    ? new ControlEvent(ControlKind.Ack, id)
                    : new ControlEvent(code is "40101" or "40103" or "40102" ? ControlKind.TokenRejected : ControlKind.Error, id, $"{method} refused: {code} {message}"));
                return;
            case var other when other.StartsWith("private/", StringComparison.Ordinal):
                Reply(new ControlEvent(ControlKind.Reply, id, Encoding.UTF8.GetString(frame)));
                return;
            default:
                Reply(new ControlEvent(ControlKind.Notice, id, $"method {method}: {code} {message}"));
                return;
        }
    }

    /// <summary><c>{"instrument_name","subscription","channel","depth"|"interval","data":[…]}</c>: data is read once its channel is known.</summary>
    private void Push(ref Utf8JsonReader r, long receivedTs)
    {
        string? channel = null, interval = null;
        Symbol? symbol = null;
        var data = default(Utf8JsonReader);
        bool hasData = false, read = false;
        while (NextMember(ref r))
        {
            if (r.ValueTextEquals("channel"u8))
            {
                Next(ref r);
                channel = Known(ref r, Channels, "channel");
            }
            else if (r.ValueTextEquals("instrument_name"u8))
            {
                Next(ref r);
                Expect(ref r, JsonTokenType.String, "instrument_name");
                symbol = _symbols.Get(r.ValueSpan, r.ValueIsEscaped);
            }
            else if (r.ValueTextEquals("interval"u8))
            {
                Next(ref r);
                interval = ReadString(ref r, "interval");
            }
            else if (r.ValueTextEquals("data"u8))
            {
                Next(ref r);
                Expect(ref r, JsonTokenType.StartArray, "data");
                if (hasData)
                {
                    throw new FrameFormatException("two data members in one frame");
                }

                hasData = true;
                if (channel is not null && (symbol is not null || channel.StartsWith("user.", StringComparison.Ordinal)) && (channel != "candlestick" || interval is not null))
                {
                    // What the data needs came before it (the venue's order): read it in this same pass.
                    Dispatch(ref r, channel, symbol, interval, receivedTs);
                    read = true;
                }
                else
                {
                    data = r;
                    r.Skip();
                }
            }
            else
            {
                SkipValue(ref r);
            }
        }

        if (!hasData)
        {
            throw Missing("data");
        }

        if (!read)
        {
            Dispatch(ref data, channel ?? throw Missing("channel"), symbol, interval, receivedTs);
        }
    }

    private void Dispatch(ref Utf8JsonReader data, string channel, Symbol? symbol, string? interval, long receivedTs)
    {
        switch (channel)
        {
            case "book":
                Books(ref data, symbol ?? throw Missing("instrument_name"), snapshot: true, receivedTs);
                break;
            case "book.update":
                Books(ref data, symbol ?? throw Missing("instrument_name"), snapshot: false, receivedTs);
                break;
            case "trade":
                Trades(ref data, symbol, receivedTs);
                break;
            case "ticker":
                Each(ref data, t => Ticker(t, symbol, receivedTs));
                break;
            case "candlestick":
                Each(ref data, c => Candle(c, symbol ?? throw Missing("instrument_name"), interval ?? throw Missing("interval"), receivedTs));
                break;
            case "user.order":
                Each(ref data, o => Order(o, receivedTs));
                break;
            case "user.trade":
                Each(ref data, t => Fill(t, receivedTs));
                break;
            case "user.balance":
                Each(ref data, b => Balances(b, receivedTs));
                break;
            case "user.positions":
                Each(ref data, p => Position(p, receivedTs));
                break;
            default:
                Reply(new ControlEvent(ControlKind.Notice, null, "unhandled channel " + channel));
                break;
        }
    }

    /// <summary>
    /// A snapshot <c>{"asks","bids","t","u"}</c> or an update <c>{"update":{"asks","bids"},"t","u","pu"}</c>; levels are
    /// <c>[price, quantity, orders]</c>, a quantity of 0 removes.
    /// </summary>
    private void Books(ref Utf8JsonReader r, Symbol symbol, bool snapshot, long receivedTs)
    {
        while (true)
        {
            Next(ref r);
            if (r.TokenType == JsonTokenType.EndArray)
            {
                return;
            }

            Expect(ref r, JsonTokenType.StartObject, "book");
            ImmutableArray<BookLevel>? bids = null, asks = null;
            long? t = null, u = null, pu = null;
            while (NextMember(ref r))
            {
                if (r.ValueTextEquals("update"u8))
                {
                    Next(ref r);
                    Expect(ref r, JsonTokenType.StartObject, "update");
                    while (NextMember(ref r))
                    {
                        ReadSide(ref r, ref bids, ref asks);
                    }
                }
                else if (r.ValueTextEquals("t"u8))
                {
                    Next(ref r);
                    t = ReadInt64(ref r, "t");
                }
                else if (r.ValueTextEquals("u"u8))
                {
                    Next(ref r);
                    u = ReadInt64(ref r, "u");
                }
                else if (r.ValueTextEquals("pu"u8))
                {
                    Next(ref r);
                    pu = ReadInt64(ref r, "pu");
                }
                else
                {
                    ReadSide(ref r, ref bids, ref asks);
                }
            }

            var update = Required(u, "u");
            var ts = Required(t, "t");
            if (snapshot)
            {
                Emit(new OrderBookUpdate(CryptoComVenue.Id, Market, symbol, ts, receivedTs, DataChannel.BookDelta, BookUpdateKind.Snapshot, update, update,
                    bids ?? throw Missing("bids"), asks ?? throw Missing("asks")));
            }
            else
            {
                // An update with nothing changed carries no sides: it still moves the chain.
                Emit(new OrderBookUpdate(CryptoComVenue.Id, Market, symbol, ts, receivedTs, DataChannel.BookDelta, BookUpdateKind.Delta, update, update,
                    bids ?? [], asks ?? [], PreviousSequence: Required(pu, "pu")));
            }
        }
    }

    /// <summary>The member the reader is on, when it is a side (<c>bids</c>/<c>asks</c>); any other member is skipped.</summary>
    private void ReadSide(ref Utf8JsonReader r, ref ImmutableArray<BookLevel>? bids, ref ImmutableArray<BookLevel>? asks)
    {
        if (r.ValueTextEquals("bids"u8))
        {
            Next(ref r);
            bids = ReadLevels(ref r, "bids", _levels);
        }
        else if (r.ValueTextEquals("asks"u8))
        {
            Next(ref r);
            asks = ReadLevels(ref r, "asks", _levels);
        }
        else
        {
            SkipValue(ref r);
        }
    }

    /// <summary><c>[{"d":trade id,"t","p","q","s":BUY|SELL (the taker),"i":instrument}]</c>.</summary>
    private void Trades(ref Utf8JsonReader r, Symbol? channelSymbol, long receivedTs)
    {
        while (true)
        {
            Next(ref r);
            if (r.TokenType == JsonTokenType.EndArray)
            {
                return;
            }

            Expect(ref r, JsonTokenType.StartObject, "trade");
            string? id = null;
            long? t = null;
            decimal? p = null, q = null;
            Side? side = null;
            var symbol = channelSymbol;
            while (NextMember(ref r))
            {
                switch (OneByteName(ref r))
                {
                    case (byte)'d':
                        Next(ref r);
                        id = ReadString(ref r, "d");
                        break;
                    case (byte)'t':
                        Next(ref r);
                        t = ReadInt64(ref r, "t");
                        break;
                    case (byte)'p':
                        Next(ref r);
                        p = ReadDecimal(ref r, "p");
                        break;
                    case (byte)'q':
                        Next(ref r);
                        q = ReadDecimal(ref r, "q");
                        break;
                    case (byte)'s':
                        Next(ref r);
                        side = r.ValueTextEquals("BUY"u8) ? Side.Buy : r.ValueTextEquals("SELL"u8) ? Side.Sell : throw new FrameFormatException("s is BUY or SELL");
                        break;
                    case (byte)'i':
                        Next(ref r);
                        Expect(ref r, JsonTokenType.String, "i");
                        symbol = _symbols.Get(r.ValueSpan, r.ValueIsEscaped);
                        break;
                    default:
                        SkipValue(ref r);
                        break;
                }
            }

            var tradeId = id ?? throw Missing("d");
            Emit(new Trade(CryptoComVenue.Id, Market, symbol ?? throw Missing("i"), Required(t, "t"), receivedTs, tradeId, Required(side, "s"),
                Required(p, "p"), Required(q, "q"), long.TryParse(tradeId, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) ? sequence : 0));
        }
    }

    /// <summary>
    /// <c>{"h","l","a" last,"c" 24 h change,"b","bs","k","ks","i","v","vv","oi","t"}</c>: the best quote and the last 24
    /// hours. Crypto.com numbers no ticker: the sequence is this socket's count.
    /// </summary>
    private void Ticker(JsonElement t, Symbol? channelSymbol, long receivedTs)
    {
        var symbol = t.TryGetProperty("i", out var i) && i.GetNullableString() is { Length: > 0 } name ? new Symbol(name) : channelSymbol ?? throw Missing("i");
        var ts = t.Required("t").GetLong("t");
        var last = Optional(t, "a");
        Emit(new Ticker(CryptoComVenue.Id, Market, symbol, ts, receivedTs, Number(t, "b"), Number(t, "bs"), Number(t, "k"), Number(t, "ks"), last, ++_tickerSequence));
        Emit(new MarketStatistics(CryptoComVenue.Id, Market, symbol, ts, receivedTs, last, Optional(t, "h"), Optional(t, "l"), Optional(t, "v"), Optional(t, "vv"),
            null, Optional(t, "c")));
    }

    /// <summary><c>{"o","h","l","c","v","t" (the interval's start)}</c>: the interval's candle so far.</summary>
    private void Candle(JsonElement c, Symbol symbol, string interval, long receivedTs)
    {
        var start = c.Required("t").GetLong("t");
        Emit(new Candle(CryptoComVenue.Id, Market, symbol, start, receivedTs, interval, start, Number(c, "o"), Number(c, "h"), Number(c, "l"), Number(c, "c"), Number(c, "v"), false));
    }

    /// <summary>An order's state: <c>status</c> NEW/PENDING/ACTIVE, FILLED, CANCELED, REJECTED or EXPIRED, with what it filled so far.</summary>
    private void Order(JsonElement o, long receivedTs)
    {
        var clientId = o.TryGetProperty("client_oid", out var cl) && cl.GetNullableString() is { Length: > 0 } c ? (ClientOrderId?)new ClientOrderId(c) : null;
        var filled = Number(o, "cumulative_quantity");
        Emit(new OrderUpdate(CryptoComVenue.Id, Market, new Symbol(Text(o, "instrument_name")), o.Required("update_time").GetLong("update_time"), receivedTs,
            Text(o, "order_id"), clientId, SideOf(Text(o, "side")), StatusOf(Text(o, "status"), filled), Optional(o, "limit_price") ?? Optional(o, "price"),
            Number(o, "quantity"), filled, null));
    }

    /// <summary>One fill (<c>trade_id</c>): its price, quantity, fee and maker/taker; the order's state comes by <c>user.order</c>.</summary>
    private void Fill(JsonElement t, long receivedTs)
    {
        var clientId = t.TryGetProperty("client_oid", out var cl) && cl.GetNullableString() is { Length: > 0 } c ? (ClientOrderId?)new ClientOrderId(c) : null;
        var fee = Optional(t, "fees");
        var feeCurrency = t.TryGetProperty("fee_instrument_name", out var f) && f.GetNullableString() is { Length: > 0 } currency ? currency
            : t.TryGetProperty("fee_currency", out var fc) ? fc.GetNullableString() : null;
        // "MAKER or TAKER or empty": empty is a fill whose side of the book the venue does not say.
        Liquidity? liquidity = t.TryGetProperty("taker_side", out var taker) ? taker.GetNullableString() switch
        {
            "MAKER" => Liquidity.Maker,
            "TAKER" => Liquidity.Taker,
            null or "" => null,
            var other => throw new FrameFormatException($"taker_side '{other}' is neither MAKER nor TAKER"),
        } : null;
        Emit(new OrderUpdate(CryptoComVenue.Id, Market, new Symbol(Text(t, "instrument_name")), t.Required("create_time").GetLong("create_time"), receivedTs,
            Text(t, "order_id"), clientId, SideOf(Text(t, "side")), OrderStatus.PartiallyFilled, null, null, null,
            new FillInfo(Text(t, "trade_id"), Number(t, "traded_price"), Number(t, "traded_quantity"), fee is { } value ? Math.Abs(value) : null, feeCurrency, liquidity)));
    }

    /// <summary>The account's balances: each currency's quantity, and what open orders reserve of it.</summary>
    private void Balances(JsonElement account, long receivedTs)
    {
        foreach (var balance in account.Required("position_balances").EnumerateArray())
        {
            Emit(new BalanceUpdate(CryptoComVenue.Id, Market, new Symbol(Text(balance, "instrument_name")), receivedTs, receivedTs, Number(balance, "quantity"),
                Optional(balance, "max_withdrawal_balance"), Optional(balance, "reserved_qty")));
        }
    }

    /// <summary>A perpetual's position: its signed quantity, cost, and open and session PnL.</summary>
    private void Position(JsonElement p, long receivedTs)
    {
        var quantity = Number(p, "quantity");
        var cost = Optional(p, "cost");
        Emit(new PositionChange(CryptoComVenue.Id, Market, new Symbol(Text(p, "instrument_name")),
            p.TryGetProperty("update_timestamp_ms", out var ts) ? ts.GetLong("update_timestamp_ms") : receivedTs, receivedTs, quantity,
            quantity != 0 && cost is { } c ? Math.Abs(c / quantity) : null, null, Optional(p, "open_position_pnl"), Optional(p, "session_pnl")));
    }

    /// <summary>The order's <c>status</c>; an ACTIVE order that filled some is partially filled.</summary>
    public static OrderStatus StatusOf(string status, decimal filled) => status switch
    {
        "NEW" or "PENDING" or "ACTIVE" => filled > 0 ? OrderStatus.PartiallyFilled : OrderStatus.Open,
        "FILLED" => OrderStatus.Filled,
        "CANCELED" => OrderStatus.Canceled,
        "REJECTED" => OrderStatus.Rejected,
        "EXPIRED" => OrderStatus.Expired,
        _ => throw new FrameFormatException($"unknown order status '{status}'"),
    };

    private static Side SideOf(string side) => side switch
    {
        "BUY" => Side.Buy,
        "SELL" => Side.Sell,
        _ => throw new FrameFormatException($"side '{side}' is neither BUY nor SELL"),
    };

    /// <summary>A name the venue repeats frame after frame, without allocating when it is one of <paramref name="known"/>.</summary>
    private static string Known(ref Utf8JsonReader r, string[] known, string field)
    {
        Expect(ref r, JsonTokenType.String, field);
        if (!r.ValueIsEscaped && !r.HasValueSequence)
        {
            foreach (var name in known)
            {
                if (r.ValueSpan.Length == name.Length && r.ValueTextEquals(name))
                {
                    return name;
                }
            }
        }

        return r.GetString()!;
    }
}
