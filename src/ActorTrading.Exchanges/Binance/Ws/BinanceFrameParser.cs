using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Json;
using ActorTrading.Core.Market;
using static ActorTrading.Core.Json.JsonReading;

namespace ActorTrading.Exchanges.Binance.Ws;

/// <summary>
/// Parses Binance Spot and USDⓈ-M frames, raw (<c>{"e":…}</c>) or combined (<c>{"stream":…,"data":…}</c>), market
/// data and user data alike, with one <see cref="Utf8JsonReader"/> pass. Events are told by <c>e</c>, which Binance
/// sends first; payloads without it are told by their fields (spot <c>bookTicker</c>, spot partial depth). Symbols
/// and stream names are cached per connection, so a steady-state frame allocates only the records it emits.
/// Sides are the taker's: <c>m</c> (the buyer is the maker) means the taker sold.
/// </summary>
public sealed class BinanceFrameParser(MarketKind market) : WholeFrameParser
{
    private readonly BinanceNames _names = new();
    private readonly List<BookLevel> _levels = new(64);   // scratch: each side becomes an array of exactly its levels

    public MarketKind Market { get; } = market is MarketKind.Spot or MarketKind.Futures
        ? market
        : throw new ExchangeException(new ConfigurationError($"Binance frames are spot or futures, not {market.ToWire()}"));

    protected override void Read(ReadOnlySpan<byte> frame, long receivedTs)
    {
        var reader = OpenObject(frame);
        Next(ref reader);
        if (reader.TokenType == JsonTokenType.EndObject)
        {
            throw new FrameFormatException("empty object");
        }

        Expect(ref reader, JsonTokenType.PropertyName, "frame member");
        if (reader.ValueTextEquals("e"u8))
        {
            ParseEvent(ref reader, receivedTs, stream: null);
        }
        else if (reader.ValueTextEquals("stream"u8) || reader.ValueTextEquals("data"u8)
            || reader.ValueTextEquals("subscriptionId"u8) || reader.ValueTextEquals("event"u8))
        {
            ParseEnvelope(ref reader, receivedTs);
        }
        else if (reader.ValueTextEquals("result"u8) || reader.ValueTextEquals("id"u8) || reader.ValueTextEquals("code"u8) || reader.ValueTextEquals("status"u8))
        {
            ParseReply(ref reader);
        }
        else
        {
            ParseUntyped(ref reader, receivedTs, stream: null);
        }

        if (reader.Read())
        {
            throw new FrameFormatException("data after the end of the frame");
        }
    }

    /// <summary>
    /// <c>{"stream":"btcusdt@depth@100ms","data":{…}}</c> (combined streams) or <c>{"subscriptionId":0,"event":{…}}</c>
    /// (user data on the WebSocket API). The stream name comes first; a payload before it is read once it is known.
    /// </summary>
    private void ParseEnvelope(ref Utf8JsonReader reader, long receivedTs)
    {
        BinanceStream? stream = null;
        var deferred = default(Utf8JsonReader);
        var hasPayload = false;
        var parsed = false;
        do
        {
            if (reader.ValueTextEquals("stream"u8))
            {
                Next(ref reader);
                Expect(ref reader, JsonTokenType.String, "stream");
                stream = _names.Stream(reader.ValueSpan);
            }
            else if (reader.ValueTextEquals("data"u8) || reader.ValueTextEquals("event"u8))
            {
                var isEvent = reader.ValueTextEquals("event"u8);
                Next(ref reader);
                Expect(ref reader, JsonTokenType.StartObject, "data");
                if (hasPayload)
                {
                    throw new FrameFormatException("two payloads in one frame");
                }

                hasPayload = true;
                if (stream is not null || isEvent)
                {
                    // Binance sends the stream name first: read the payload in this same pass.
                    ParsePayload(ref reader, receivedTs, stream);
                    parsed = true;
                }
                else
                {
                    deferred = reader;
                    reader.Skip();
                }
            }
            else
            {
                SkipValue(ref reader);
            }
        }
        while (NextMember(ref reader));

        if (!hasPayload)
        {
            throw new FrameFormatException("frame has no data");
        }

        if (!parsed)
        {
            ParsePayload(ref deferred, receivedTs, stream);
        }
    }

    /// <summary>The reader is on the payload's opening brace; it ends on the closing one.</summary>
    private void ParsePayload(ref Utf8JsonReader reader, long receivedTs, BinanceStream? stream)
    {
        Next(ref reader);
        if (reader.TokenType == JsonTokenType.EndObject)
        {
            throw new FrameFormatException("empty data");
        }

        Expect(ref reader, JsonTokenType.PropertyName, "data member");
        if (reader.ValueTextEquals("e"u8))
        {
            ParseEvent(ref reader, receivedTs, stream);
        }
        else
        {
            ParseUntyped(ref reader, receivedTs, stream);
        }
    }

    /// <summary>
    /// Market streams: <c>{"result":null,"id":1}</c> acknowledges a request, <c>{"code":2,"msg":"…","id":1}</c> refuses
    /// one (web-socket-streams.md "Error Messages"), another result answers a query. The WebSocket API:
    /// <c>{"id":…,"status":200,"result":{…}}</c> or <c>{"id":…,"status":400,"error":{"code":-2015,"msg":"…"}}</c>; a
    /// refused key or signature is a refused session.
    /// </summary>
    private void ParseReply(ref Utf8JsonReader reader)
    {
        string? id = null, code = null, message = null;
        int? status = null;
        var hasResult = false;
        var resultIsNull = false;
        do
        {
            if (reader.ValueTextEquals("id"u8))
            {
                Next(ref reader);
                id = reader.TokenType == JsonTokenType.Null ? null : ReadString(ref reader, "id");
            }
            else if (reader.ValueTextEquals("result"u8))
            {
                Next(ref reader);
                hasResult = true;
                resultIsNull = reader.TokenType == JsonTokenType.Null;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("status"u8))
            {
                Next(ref reader);
                status = (int)ReadInt64(ref reader, "status");
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                Next(ref reader);
                Expect(ref reader, JsonTokenType.StartObject, "error");
                while (NextMember(ref reader))
                {
                    if (reader.ValueTextEquals("code"u8)) { Next(ref reader); code = ReadString(ref reader, "error.code"); }
                    else if (reader.ValueTextEquals("msg"u8)) { Next(ref reader); message = ReadString(ref reader, "error.msg"); }
                    else { SkipValue(ref reader); }
                }
            }
            else if (reader.ValueTextEquals("code"u8))
            {
                Next(ref reader);
                code = ReadString(ref reader, "code");
            }
            else if (reader.ValueTextEquals("msg"u8))
            {
                Next(ref reader);
                message = ReadString(ref reader, "msg");
            }
            else
            {
                SkipValue(ref reader);
            }
        }
        while (NextMember(ref reader));

        if (status is { } s && s != 200 || code is not null)
        {
            var detail = $"{code ?? status?.ToString(System.Globalization.CultureInfo.InvariantCulture)} {message}".Trim();
            Reply(new ControlEvent(code is not null && BinanceNames.IsSessionRefusal(code) ? ControlKind.TokenRejected : ControlKind.Error, id, detail));
        }
        else if (hasResult || status == 200)
        {
            // Subscribing answers null on the market streams and an object on the WebSocket API: both accept it.
            Reply(new ControlEvent(resultIsNull || status == 200 ? ControlKind.Ack : ControlKind.Reply, id));
        }
        else
        {
            throw new FrameFormatException("reply has neither result nor code");
        }
    }

    /// <summary>The reader is on the <c>e</c> member, first in the payload.</summary>
    private void ParseEvent(ref Utf8JsonReader r, long receivedTs, BinanceStream? stream)
    {
        Next(ref r);
        Expect(ref r, JsonTokenType.String, "e");
        var kind = BinanceNames.Event(r.ValueSpan);
        switch (kind)
        {
            case EventKind.AggTrade:
            case EventKind.Trade:
                Emit(ParseTrade(ref r, receivedTs, kind));
                break;
            case EventKind.DepthUpdate:
                Emit(ParseDepthUpdate(ref r, receivedTs, stream));
                break;
            case EventKind.BookTicker:
                Emit(ParseBookTicker(ref r, receivedTs));
                break;
            case EventKind.Kline:
                Emit(ParseKline(ref r, receivedTs));
                break;
            case EventKind.MarkPriceUpdate:
                Emit(ParseMarkPrice(ref r, receivedTs));
                break;
            case EventKind.Ticker24h:
                Emit(ParseTicker24h(ref r, receivedTs));
                break;
            case EventKind.OrderTradeUpdate:
                ParseOrderTradeUpdate(ref r, receivedTs);
                break;
            case EventKind.AccountUpdate:
                ParseAccountUpdate(ref r, receivedTs);
                break;
            case EventKind.ExecutionReport:
                Emit(ParseOrder(ref r, receivedTs));
                break;
            case EventKind.OutboundAccountPosition:
                ParseAccountPosition(ref r, receivedTs);
                break;
            case EventKind.ServerShutdown:
                SkipRest(ref r);
                Reply(new ControlEvent(ControlKind.Shutdown, null, "serverShutdown"));
                break;
            case EventKind.ListenKeyExpired:
            case EventKind.EventStreamTerminated:
                // The user-data session is over: connect again with a new key (or subscription).
                SkipRest(ref r);
                Reply(new ControlEvent(ControlKind.TokenRejected, null, BinanceNames.EventText(kind)));
                break;
            case EventKind.Ignored:
                // Documented events the node does not normalize (balance deltas that outboundAccountPosition sums up,
                // futures account settings, margin calls): named, not treated as damage.
                var name = Encoding.UTF8.GetString(r.ValueSpan);
                SkipRest(ref r);
                Reply(new ControlEvent(ControlKind.Notice, null, name));
                break;
            default:
                throw new FrameFormatException($"unknown event '{Encoding.UTF8.GetString(r.ValueSpan)}'");
        }
    }

    /// <summary>Payloads without <c>e</c>: spot <c>bookTicker</c> (<c>u,s,b,B,a,A</c>) and spot partial depth (<c>lastUpdateId,bids,asks</c>).</summary>
    private void ParseUntyped(ref Utf8JsonReader r, long receivedTs, BinanceStream? stream)
    {
        if (r.ValueTextEquals("lastUpdateId"u8) || stream is { IsPartialDepth: true })
        {
            Emit(ParsePartialDepth(ref r, receivedTs, stream));
            return;
        }

        if (r.ValueTextEquals("u"u8) || stream is { Kind: StreamKind.BookTicker })
        {
            Emit(ParseBookTicker(ref r, receivedTs, onMember: true));
            return;
        }

        // Not first: look for e further on (a reordered payload), else it is nothing we know.
        var probe = r;
        do
        {
            if (probe.ValueTextEquals("e"u8))
            {
                var typed = r;
                ParseReordered(ref typed, ref probe, receivedTs, stream);
                r = typed;
                return;
            }

            SkipValue(ref probe);
        }
        while (NextMember(ref probe));

        throw new FrameFormatException("payload has no event type 'e'");
    }

    /// <summary>A payload whose <c>e</c> is not first: read it where it is, then parse the payload from its start.</summary>
    private void ParseReordered(ref Utf8JsonReader start, ref Utf8JsonReader atEvent, long receivedTs, BinanceStream? stream)
    {
        Next(ref atEvent);
        Expect(ref atEvent, JsonTokenType.String, "e");
        var kind = BinanceNames.Event(atEvent.ValueSpan);
        if (kind is not (EventKind.AggTrade or EventKind.Trade or EventKind.DepthUpdate or EventKind.Kline or EventKind.MarkPriceUpdate or EventKind.BookTicker))
        {
            throw new FrameFormatException("event type 'e' must come first in a user-data payload");
        }

        // The member-by-member readers below accept e anywhere: rewind to the first member.
        var r = start;
        var emitted = kind switch
        {
            EventKind.AggTrade or EventKind.Trade => (DataMessage)ParseTrade(ref r, receivedTs, kind, onMember: true),
            EventKind.DepthUpdate => ParseDepthUpdate(ref r, receivedTs, stream, onMember: true),
            EventKind.Kline => ParseKline(ref r, receivedTs, onMember: true),
            EventKind.MarkPriceUpdate => ParseMarkPrice(ref r, receivedTs, onMember: true),
            _ => ParseBookTicker(ref r, receivedTs, onMember: true),
        };
        Emit(emitted);
        start = r;
    }

    /// <summary>
    /// aggTrade <c>{"e","E","s","a","p","q","f","l","T","m"}</c> (futures adds <c>nq</c>); trade has <c>t</c> for
    /// <c>a</c>. The aggregate (or trade) id orders the trades of a symbol.
    /// </summary>
    private Trade ParseTrade(ref Utf8JsonReader r, long receivedTs, EventKind kind, bool onMember = false)
    {
        Symbol? symbol = null;
        long? id = null, time = null;
        decimal? price = null, size = null;
        bool? buyerIsMaker = null;
        var idField = kind == EventKind.AggTrade ? (byte)'a' : (byte)'t';
        while (Member(ref r, ref onMember))
        {
            var name = OneByteName(ref r);
            Next(ref r);
            switch (name)
            {
                case (byte)'s': symbol = _names.Symbol(ref r); break;
                case (byte)'p': price = ReadDecimal(ref r, "p"); break;
                case (byte)'q': size = ReadDecimal(ref r, "q"); break;
                case (byte)'T': time = ReadInt64(ref r, "T"); break;
                case (byte)'m': buyerIsMaker = ReadBoolean(ref r, "m"); break;
                case var field when field == idField: id = ReadInt64(ref r, kind == EventKind.AggTrade ? "a" : "t"); break;
                default: r.Skip(); break;
            }
        }

        var tradeId = Required(id, kind == EventKind.AggTrade ? "a" : "t");
        var tradePrice = Required(price, "p");
        var tradeSize = Required(size, "q");
        if (tradePrice <= 0 || tradeSize <= 0)
        {
            throw new FrameFormatException($"trade {tradeId}: price {tradePrice} and size {tradeSize} must be positive");
        }

        return new Trade(BinanceVenue.Id, Market, symbol ?? throw Missing("s"), Required(time, "T"), receivedTs,
            BinanceNames.Id(tradeId), Required(buyerIsMaker, "m") ? Side.Sell : Side.Buy, tradePrice, tradeSize, tradeId);
    }

    /// <summary>
    /// Diff depth <c>{"e":"depthUpdate","E","s","U","u","b","a"}</c>; USDⓈ-M adds <c>T</c> and <c>pu</c>, which chains
    /// each event to the one before. On a futures partial-depth stream the same event is a full top-N book.
    /// </summary>
    private OrderBookUpdate ParseDepthUpdate(ref Utf8JsonReader r, long receivedTs, BinanceStream? stream, bool onMember = false)
    {
        Symbol? symbol = null;
        long? eventTime = null, time = null, first = null, last = null, previous = null;
        ImmutableArray<BookLevel>? bids = null, asks = null;
        while (Member(ref r, ref onMember))
        {
            var name = OneByteName(ref r);
            var isPrevious = name == 0 && r.ValueTextEquals("pu"u8);
            Next(ref r);
            switch (name)
            {
                case (byte)'s': symbol = _names.Symbol(ref r); break;
                case (byte)'E': eventTime = ReadInt64(ref r, "E"); break;
                case (byte)'T': time = ReadInt64(ref r, "T"); break;
                case (byte)'U': first = ReadInt64(ref r, "U"); break;
                case (byte)'u': last = ReadInt64(ref r, "u"); break;
                case (byte)'b': bids = ReadLevels(ref r, "b", _levels); break;
                case (byte)'a': asks = ReadLevels(ref r, "a", _levels); break;
                case 0 when isPrevious: previous = ReadInt64(ref r, "pu"); break;
                default: r.Skip(); break;
            }
        }

        var lastId = Required(last, "u");
        var firstId = Required(first, "U");
        if (firstId > lastId)
        {
            throw new FrameFormatException($"depth update U {firstId} is after u {lastId}");
        }

        var ts = time ?? Required(eventTime, "E");
        var sym = symbol ?? throw Missing("s");
        if (stream is { IsPartialDepth: true } partial)
        {
            return new OrderBookUpdate(BinanceVenue.Id, Market, sym, ts, receivedTs, partial.Channel, BookUpdateKind.Snapshot,
                lastId, lastId, bids ?? throw Missing("b"), asks ?? throw Missing("a"));
        }

        var chained = Market == MarketKind.Futures ? Required(previous, "pu") : OrderBookUpdate.Unchained;
        return new OrderBookUpdate(BinanceVenue.Id, Market, sym, ts, receivedTs, DataChannel.BookDelta, BookUpdateKind.Delta,
            firstId, lastId, bids ?? throw Missing("b"), asks ?? throw Missing("a"), PreviousSequence: chained);
    }

    /// <summary>Spot partial depth <c>{"lastUpdateId","bids","asks"}</c>: no symbol and no time in the payload, so the stream name gives the symbol.</summary>
    private OrderBookUpdate ParsePartialDepth(ref Utf8JsonReader r, long receivedTs, BinanceStream? stream)
    {
        if (stream is not { IsPartialDepth: true } partial)
        {
            throw new FrameFormatException("a partial depth payload names no symbol: read it from a combined stream (/stream?streams=…)");
        }

        long? last = null;
        ImmutableArray<BookLevel>? bids = null, asks = null;
        var onMember = true;
        while (Member(ref r, ref onMember))
        {
            if (r.ValueTextEquals("lastUpdateId"u8)) { Next(ref r); last = ReadInt64(ref r, "lastUpdateId"); }
            else if (r.ValueTextEquals("bids"u8)) { Next(ref r); bids = ReadLevels(ref r, "bids", _levels); }
            else if (r.ValueTextEquals("asks"u8)) { Next(ref r); asks = ReadLevels(ref r, "asks", _levels); }
            else { SkipValue(ref r); }
        }

        var id = Required(last, "lastUpdateId");

        // The venue sends no event time with a spot partial book: its arrival stands in.
        return new OrderBookUpdate(BinanceVenue.Id, Market, partial.Symbol, receivedTs, receivedTs, partial.Channel, BookUpdateKind.Snapshot,
            id, id, bids ?? throw Missing("bids"), asks ?? throw Missing("asks"));
    }

    /// <summary>
    /// Best bid and ask: spot <c>{"u","s","b","B","a","A"}</c> carries no time (its arrival stands in); USDⓈ-M adds
    /// <c>e,E,T</c>. <c>u</c> orders the updates.
    /// </summary>
    private Ticker ParseBookTicker(ref Utf8JsonReader r, long receivedTs, bool onMember = false)
    {
        Symbol? symbol = null;
        long? update = null, eventTime = null, time = null;
        decimal? bid = null, bidSize = null, ask = null, askSize = null;
        while (Member(ref r, ref onMember))
        {
            if (r.ValueTextEquals("s"u8)) { Next(ref r); symbol = _names.Symbol(ref r); }
            else if (r.ValueTextEquals("u"u8)) { Next(ref r); update = ReadInt64(ref r, "u"); }
            else if (r.ValueTextEquals("E"u8)) { Next(ref r); eventTime = ReadInt64(ref r, "E"); }
            else if (r.ValueTextEquals("T"u8)) { Next(ref r); time = ReadInt64(ref r, "T"); }
            else if (r.ValueTextEquals("b"u8)) { Next(ref r); bid = ReadDecimal(ref r, "b"); }
            else if (r.ValueTextEquals("B"u8)) { Next(ref r); bidSize = ReadDecimal(ref r, "B"); }
            else if (r.ValueTextEquals("a"u8)) { Next(ref r); ask = ReadDecimal(ref r, "a"); }
            else if (r.ValueTextEquals("A"u8)) { Next(ref r); askSize = ReadDecimal(ref r, "A"); }
            else { SkipValue(ref r); }
        }

        return new Ticker(BinanceVenue.Id, Market, symbol ?? throw Missing("s"), time ?? eventTime ?? receivedTs, receivedTs,
            Required(bid, "b"), Required(bidSize, "B"), Required(ask, "a"), Required(askSize, "A"), null, Required(update, "u"));
    }

    /// <summary>Kline <c>{"e":"kline","E","s","k":{"t","T","i","o","c","h","l","v","x",…}}</c>; <c>x</c> is true once the bar has closed.</summary>
    private Candle ParseKline(ref Utf8JsonReader r, long receivedTs, bool onMember = false)
    {
        Symbol? symbol = null;
        long? eventTime = null, openTs = null;
        string? interval = null;
        decimal? open = null, high = null, low = null, close = null, volume = null;
        bool? closed = null;
        while (Member(ref r, ref onMember))
        {
            if (r.ValueTextEquals("s"u8)) { Next(ref r); symbol = _names.Symbol(ref r); }
            else if (r.ValueTextEquals("E"u8)) { Next(ref r); eventTime = ReadInt64(ref r, "E"); }
            else if (r.ValueTextEquals("k"u8))
            {
                Next(ref r);
                Expect(ref r, JsonTokenType.StartObject, "k");
                while (NextMember(ref r))
                {
                    if (r.ValueTextEquals("t"u8)) { Next(ref r); openTs = ReadInt64(ref r, "k.t"); }
                    else if (r.ValueTextEquals("i"u8)) { Next(ref r); interval = _names.Interval(ref r); }
                    else if (r.ValueTextEquals("o"u8)) { Next(ref r); open = ReadDecimal(ref r, "k.o"); }
                    else if (r.ValueTextEquals("h"u8)) { Next(ref r); high = ReadDecimal(ref r, "k.h"); }
                    else if (r.ValueTextEquals("l"u8)) { Next(ref r); low = ReadDecimal(ref r, "k.l"); }
                    else if (r.ValueTextEquals("c"u8)) { Next(ref r); close = ReadDecimal(ref r, "k.c"); }
                    else if (r.ValueTextEquals("v"u8)) { Next(ref r); volume = ReadDecimal(ref r, "k.v"); }
                    else if (r.ValueTextEquals("x"u8)) { Next(ref r); closed = ReadBoolean(ref r, "k.x"); }
                    else { SkipValue(ref r); }
                }
            }
            else { SkipValue(ref r); }
        }

        // Prices positive, high not below low, volume not negative. Open and close are not held inside [low, high]:
        // the venue's own documented kline has its low above its open.
        var (o, h, l, c) = (Required(open, "k.o"), Required(high, "k.h"), Required(low, "k.l"), Required(close, "k.c"));
        if (l <= 0 || o <= 0 || c <= 0 || h < l || Required(volume, "k.v") < 0)
        {
            throw new FrameFormatException($"kline o {o} h {h} l {l} c {c} v {volume} is not a bar");
        }

        return new Candle(BinanceVenue.Id, Market, symbol ?? throw Missing("s"), Required(eventTime, "E"), receivedTs,
            interval ?? throw Missing("k.i"), Required(openTs, "k.t"), o, h, l, c, volume!.Value, Required(closed, "k.x"));
    }

    /// <summary>
    /// USDⓈ-M <c>markPriceUpdate</c> <c>{"E","s","p","i","P","r","T"}</c>: mark, index, funding rate and the next
    /// funding time. Contracts without funding send <c>r</c> empty and <c>T</c> 0: no rate, no next funding.
    /// </summary>
    private FundingRate ParseMarkPrice(ref Utf8JsonReader r, long receivedTs, bool onMember = false)
    {
        Symbol? symbol = null;
        long? eventTime = null, next = null;
        decimal? mark = null, index = null, rate = null;
        var sawRate = false;
        while (Member(ref r, ref onMember))
        {
            if (r.ValueTextEquals("s"u8)) { Next(ref r); symbol = _names.Symbol(ref r); }
            else if (r.ValueTextEquals("E"u8)) { Next(ref r); eventTime = ReadInt64(ref r, "E"); }
            else if (r.ValueTextEquals("p"u8)) { Next(ref r); mark = ReadDecimal(ref r, "p"); }
            else if (r.ValueTextEquals("i"u8)) { Next(ref r); index = ReadOptionalDecimal(ref r, "i"); }
            else if (r.ValueTextEquals("r"u8)) { Next(ref r); rate = ReadOptionalDecimal(ref r, "r"); sawRate = true; }
            else if (r.ValueTextEquals("T"u8)) { Next(ref r); next = ReadInt64(ref r, "T"); }
            else { SkipValue(ref r); }
        }

        if (!sawRate)
        {
            throw Missing("r");
        }

        return new FundingRate(BinanceVenue.Id, Market, symbol ?? throw Missing("s"), Required(eventTime, "E"), receivedTs,
            rate, null, Required(mark, "p"), index, next is > 0 ? next : null);
    }

    /// <summary>
    /// The rolling 24-hour ticker <c>{"e":"24hrTicker","E","s","p","P","c","h","l","v","q",…}</c>: change <c>p</c>, change
    /// percent <c>P</c> (as a fraction here), last <c>c</c>, high, low, base volume <c>v</c>, quote volume <c>q</c>.
    /// </summary>
    private MarketStatistics ParseTicker24h(ref Utf8JsonReader r, long receivedTs)
    {
        Symbol? symbol = null;
        long? eventTime = null;
        decimal? change = null, percent = null, last = null, high = null, low = null, volume = null, turnover = null;
        while (NextMember(ref r))
        {
            if (r.ValueTextEquals("s"u8)) { Next(ref r); symbol = _names.Symbol(ref r); }
            else if (r.ValueTextEquals("E"u8)) { Next(ref r); eventTime = ReadInt64(ref r, "E"); }
            else if (r.ValueTextEquals("p"u8)) { Next(ref r); change = ReadDecimal(ref r, "p"); }
            else if (r.ValueTextEquals("P"u8)) { Next(ref r); percent = ReadDecimal(ref r, "P"); }
            else if (r.ValueTextEquals("c"u8)) { Next(ref r); last = ReadDecimal(ref r, "c"); }
            else if (r.ValueTextEquals("h"u8)) { Next(ref r); high = ReadDecimal(ref r, "h"); }
            else if (r.ValueTextEquals("l"u8)) { Next(ref r); low = ReadDecimal(ref r, "l"); }
            else if (r.ValueTextEquals("v"u8)) { Next(ref r); volume = ReadDecimal(ref r, "v"); }
            else if (r.ValueTextEquals("q"u8)) { Next(ref r); turnover = ReadDecimal(ref r, "q"); }
            else { SkipValue(ref r); }
        }

        return new MarketStatistics(BinanceVenue.Id, Market, symbol ?? throw Missing("s"), Required(eventTime, "E"), receivedTs,
            Required(last, "c"), Required(high, "h"), Required(low, "l"), Required(volume, "v"), Required(turnover, "q"),
            Required(change, "p"), Required(percent, "P") / 100m);
    }

    /// <summary>USDⓈ-M <c>ORDER_TRADE_UPDATE</c> <c>{"E","T","o":{…}}</c>: the order object holds the same letters as a spot execution report.</summary>
    private void ParseOrderTradeUpdate(ref Utf8JsonReader r, long receivedTs)
    {
        long? eventTime = null;
        OrderUpdate? update = null;
        while (NextMember(ref r))
        {
            if (r.ValueTextEquals("E"u8)) { Next(ref r); eventTime = ReadInt64(ref r, "E"); }
            else if (r.ValueTextEquals("o"u8))
            {
                Next(ref r);
                Expect(ref r, JsonTokenType.StartObject, "o");
                var onMember = false;
                update = ParseOrderMembers(ref r, receivedTs, ref onMember, eventTime);
            }
            else { SkipValue(ref r); }
        }

        Emit(update ?? throw Missing("o"));
    }

    /// <summary>Spot <c>executionReport</c>: the order's members at the top level, after <c>e</c>.</summary>
    private OrderUpdate ParseOrder(ref Utf8JsonReader r, long receivedTs)
    {
        var onMember = false;
        return ParseOrderMembers(ref r, receivedTs, ref onMember, eventTs: null);
    }

    /// <summary>
    /// The members of an order event (spot <c>executionReport</c>, futures <c>o</c>): <c>s,c,C,S,o,q,p,X,x,i,l,z,L,n,N,T,t,m</c>.
    /// A cancel's <c>c</c> is the cancel request's own id and <c>C</c> the order's, so <c>C</c> wins when present.
    /// <c>x</c> <c>TRADE</c> carries a fill: <c>t</c>, <c>L</c> × <c>l</c>, fee <c>n</c> in <c>N</c>, <c>m</c> maker.
    /// </summary>
    private OrderUpdate ParseOrderMembers(ref Utf8JsonReader r, long receivedTs, ref bool onMember, long? eventTs)
    {
        Symbol? symbol = null;
        string? clientId = null, originalClientId = null, orderType = null;
        long? orderId = null, tradeId = null, time = null, eventTime = null;
        decimal? size = null, price = null, filled = null, lastSize = null, lastPrice = null, fee = null;
        string? feeAsset = null;
        Side? side = null;
        OrderStatus? status = null;
        var isTrade = false;
        bool? maker = null;
        while (Member(ref r, ref onMember))
        {
            if (r.ValueTextEquals("s"u8)) { Next(ref r); symbol = _names.Symbol(ref r); }
            else if (r.ValueTextEquals("c"u8)) { Next(ref r); clientId = ReadString(ref r, "c"); }
            else if (r.ValueTextEquals("C"u8)) { Next(ref r); originalClientId = r.TokenType == JsonTokenType.Null ? null : ReadString(ref r, "C"); }
            else if (r.ValueTextEquals("S"u8)) { Next(ref r); side = BinanceNames.Side(ref r, "S"); }
            else if (r.ValueTextEquals("o"u8)) { Next(ref r); orderType = ReadString(ref r, "o"); }
            else if (r.ValueTextEquals("q"u8)) { Next(ref r); size = ReadDecimal(ref r, "q"); }
            else if (r.ValueTextEquals("p"u8)) { Next(ref r); price = ReadDecimal(ref r, "p"); }
            else if (r.ValueTextEquals("X"u8)) { Next(ref r); status = BinanceNames.Status(ref r); }
            else if (r.ValueTextEquals("x"u8)) { Next(ref r); isTrade = r.ValueTextEquals("TRADE"u8); }
            else if (r.ValueTextEquals("i"u8)) { Next(ref r); orderId = ReadInt64(ref r, "i"); }
            else if (r.ValueTextEquals("l"u8)) { Next(ref r); lastSize = ReadDecimal(ref r, "l"); }
            else if (r.ValueTextEquals("z"u8)) { Next(ref r); filled = ReadDecimal(ref r, "z"); }
            else if (r.ValueTextEquals("L"u8)) { Next(ref r); lastPrice = ReadDecimal(ref r, "L"); }
            else if (r.ValueTextEquals("n"u8)) { Next(ref r); fee = ReadOptionalDecimal(ref r, "n"); }
            else if (r.ValueTextEquals("N"u8)) { Next(ref r); feeAsset = r.TokenType == JsonTokenType.Null ? null : ReadString(ref r, "N"); }
            else if (r.ValueTextEquals("T"u8)) { Next(ref r); time = ReadInt64(ref r, "T"); }
            else if (r.ValueTextEquals("E"u8)) { Next(ref r); eventTime = ReadInt64(ref r, "E"); }
            else if (r.ValueTextEquals("t"u8)) { Next(ref r); tradeId = ReadInt64(ref r, "t"); }
            else if (r.ValueTextEquals("m"u8)) { Next(ref r); maker = ReadBoolean(ref r, "m"); }
            else { SkipValue(ref r); }
        }

        var id = Required(orderId, "i");
        var client = string.IsNullOrEmpty(originalClientId) ? clientId ?? throw Missing("c") : originalClientId;
        FillInfo? fill = null;
        if (isTrade)
        {
            var fillSize = Required(lastSize, "l");
            var fillPrice = Required(lastPrice, "L");
            if (fillSize <= 0 || fillPrice <= 0)
            {
                throw new FrameFormatException($"order {id}: a TRADE with price {fillPrice} and size {fillSize}");
            }

            fill = new FillInfo(BinanceNames.Id(Required(tradeId, "t")), fillPrice, fillSize, fee, feeAsset,
                Required(maker, "m") ? Liquidity.Maker : Liquidity.Taker);
        }

        // Market orders carry price 0: the order has no price, which is not a price of zero.
        var orderPrice = price is 0 && orderType is not null && orderType.Contains("MARKET", StringComparison.Ordinal) ? null : price;
        return new OrderUpdate(BinanceVenue.Id, Market, symbol ?? throw Missing("s"), time ?? eventTime ?? eventTs ?? throw Missing("T"), receivedTs,
            BinanceNames.Id(id), new ClientOrderId(client), side ?? throw Missing("S"), status ?? throw Missing("X"),
            orderPrice, Required(size, "q"), Required(filled, "z"), fill);
    }

    /// <summary>
    /// USDⓈ-M <c>ACCOUNT_UPDATE</c> <c>{"E","T","a":{"m","B":[{"a","wb","cw","bc"}],"P":[{"s","pa","ep","cr","up","ps",…}]}}</c>:
    /// a balance per asset (wallet balance only) and a position per symbol. The node trades one-way mode, so only
    /// <c>ps</c> <c>BOTH</c> is a position; hedge-mode legs are named in a notice.
    /// </summary>
    private void ParseAccountUpdate(ref Utf8JsonReader r, long receivedTs)
    {
        long? eventTime = null;
        var balances = new List<(string Asset, decimal Wallet)>();
        var positions = new List<(Symbol Symbol, decimal Quantity, decimal Entry, decimal? Unrealized, decimal? Realized)>();
        var hedgeLegs = 0;
        var sawAccount = false;
        while (NextMember(ref r))
        {
            if (r.ValueTextEquals("E"u8)) { Next(ref r); eventTime = ReadInt64(ref r, "E"); }
            else if (r.ValueTextEquals("a"u8))
            {
                sawAccount = true;
                Next(ref r);
                Expect(ref r, JsonTokenType.StartObject, "a");
                while (NextMember(ref r))
                {
                    if (r.ValueTextEquals("B"u8))
                    {
                        Next(ref r);
                        ReadArray(ref r, "a.B", (ref Utf8JsonReader item) => balances.Add(ReadFuturesBalance(ref item)));
                    }
                    else if (r.ValueTextEquals("P"u8))
                    {
                        Next(ref r);
                        ReadArray(ref r, "a.P", (ref Utf8JsonReader item) =>
                        {
                            if (ReadFuturesPosition(ref item) is { } position)
                            {
                                positions.Add(position);
                            }
                            else
                            {
                                hedgeLegs++;
                            }
                        });
                    }
                    else { SkipValue(ref r); }
                }
            }
            else { SkipValue(ref r); }
        }

        if (!sawAccount)
        {
            throw Missing("a");
        }

        var ts = Required(eventTime, "E");
        foreach (var (asset, wallet) in balances)
        {
            Emit(new BalanceUpdate(BinanceVenue.Id, Market, _names.Asset(asset), ts, receivedTs, wallet, null, null));
        }

        foreach (var p in positions)
        {
            Emit(new PositionChange(BinanceVenue.Id, Market, p.Symbol, ts, receivedTs, p.Quantity, p.Entry, null, p.Unrealized, p.Realized));
        }

        if (hedgeLegs > 0)
        {
            Reply(new ControlEvent(ControlKind.Notice, null, $"ACCOUNT_UPDATE: {hedgeLegs} hedge-mode position leg(s) (LONG/SHORT) not read: the node trades one-way mode"));
        }
    }

    private (string Asset, decimal Wallet) ReadFuturesBalance(ref Utf8JsonReader r)
    {
        string? asset = null;
        decimal? wallet = null;
        while (NextMember(ref r))
        {
            if (r.ValueTextEquals("a"u8)) { Next(ref r); asset = ReadString(ref r, "a.B.a"); }
            else if (r.ValueTextEquals("wb"u8)) { Next(ref r); wallet = ReadDecimal(ref r, "a.B.wb"); }
            else { SkipValue(ref r); }
        }

        return (asset ?? throw Missing("a.B.a"), Required(wallet, "a.B.wb"));
    }

    private (Symbol, decimal, decimal, decimal?, decimal?)? ReadFuturesPosition(ref Utf8JsonReader r)
    {
        Symbol? symbol = null;
        decimal? amount = null, entry = null, unrealized = null, realized = null;
        var oneWay = true;
        while (NextMember(ref r))
        {
            if (r.ValueTextEquals("s"u8)) { Next(ref r); symbol = _names.Symbol(ref r); }
            else if (r.ValueTextEquals("pa"u8)) { Next(ref r); amount = ReadDecimal(ref r, "a.P.pa"); }
            else if (r.ValueTextEquals("ep"u8)) { Next(ref r); entry = ReadDecimal(ref r, "a.P.ep"); }
            else if (r.ValueTextEquals("up"u8)) { Next(ref r); unrealized = ReadOptionalDecimal(ref r, "a.P.up"); }
            else if (r.ValueTextEquals("cr"u8)) { Next(ref r); realized = ReadOptionalDecimal(ref r, "a.P.cr"); }
            else if (r.ValueTextEquals("ps"u8)) { Next(ref r); oneWay = r.ValueTextEquals("BOTH"u8); }
            else { SkipValue(ref r); }
        }

        return oneWay ? (symbol ?? throw Missing("a.P.s"), Required(amount, "a.P.pa"), Required(entry, "a.P.ep"), unrealized, realized) : null;
    }

    /// <summary>Spot <c>outboundAccountPosition</c> <c>{"E","u","B":[{"a","f","l"}]}</c>: free and locked per asset.</summary>
    private void ParseAccountPosition(ref Utf8JsonReader r, long receivedTs)
    {
        long? eventTime = null;
        var balances = new List<(string Asset, decimal Free, decimal Locked)>();
        var sawBalances = false;
        while (NextMember(ref r))
        {
            if (r.ValueTextEquals("E"u8)) { Next(ref r); eventTime = ReadInt64(ref r, "E"); }
            else if (r.ValueTextEquals("B"u8))
            {
                sawBalances = true;
                Next(ref r);
                ReadArray(ref r, "B", (ref Utf8JsonReader item) =>
                {
                    string? asset = null;
                    decimal? free = null, locked = null;
                    while (NextMember(ref item))
                    {
                        if (item.ValueTextEquals("a"u8)) { Next(ref item); asset = ReadString(ref item, "B.a"); }
                        else if (item.ValueTextEquals("f"u8)) { Next(ref item); free = ReadDecimal(ref item, "B.f"); }
                        else if (item.ValueTextEquals("l"u8)) { Next(ref item); locked = ReadDecimal(ref item, "B.l"); }
                        else { SkipValue(ref item); }
                    }

                    balances.Add((asset ?? throw Missing("B.a"), Required(free, "B.f"), Required(locked, "B.l")));
                });
            }
            else { SkipValue(ref r); }
        }

        if (!sawBalances)
        {
            throw Missing("B");
        }

        var ts = Required(eventTime, "E");
        foreach (var (asset, free, locked) in balances)
        {
            Emit(new BalanceUpdate(BinanceVenue.Id, Market, _names.Asset(asset), ts, receivedTs, free + locked, free, locked));
        }
    }

    private delegate void ItemReader(ref Utf8JsonReader item);

    /// <summary>Reads an array of objects, each through <paramref name="read"/> (which consumes the object's members).</summary>
    private static void ReadArray(ref Utf8JsonReader r, string field, ItemReader read)
    {
        Expect(ref r, JsonTokenType.StartArray, field);
        while (true)
        {
            Next(ref r);
            if (r.TokenType == JsonTokenType.EndArray)
            {
                return;
            }

            Expect(ref r, JsonTokenType.StartObject, field + " item");
            read(ref r);
        }
    }

    /// <summary>The next member; the first call may find the reader already on one (<paramref name="onMember"/>).</summary>
    private static bool Member(ref Utf8JsonReader r, ref bool onMember)
    {
        if (onMember)
        {
            onMember = false;
            return true;
        }

        return NextMember(ref r);
    }

    private static void SkipRest(ref Utf8JsonReader r)
    {
        while (NextMember(ref r))
        {
            SkipValue(ref r);
        }
    }
}
