using System.Collections.Immutable;
using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Json;
using ActorTrading.Core.Market;
using static ActorTrading.Core.Json.JsonReading;

namespace ActorTrading.Exchanges.Bybit.Ws;

/// <summary>
/// Parses Bybit v5 frames, public and private, with <see cref="Utf8JsonReader"/>. A data frame names its topic, and
/// Bybit does not always send it before <c>data</c> (a kline's <c>ts</c> and <c>type</c> follow its data): the data is
/// kept as a reader position and read once the whole envelope is known (in the same pass when what it needs came first).
/// Per connection it keeps each book topic's last update id, so every delta names the one before it (the book checks the
/// chain: a lost chain resubscribes), and each linear ticker's fields, since a ticker delta carries only what changed. Books: a <c>snapshot</c>, or a delta with <c>u</c> = 1 (the venue's service
/// restarted), resets the book. Sides are the taker's.
/// </summary>
public sealed class BybitFrameParser(MarketKind market) : WholeFrameParser
{
    private readonly NameCache<BybitTopic> _topics = new(BybitTopics.Parse);
    private readonly NameCache<Symbol> _symbols = new(static name => name.Length > 0 ? new Symbol(name) : throw new FrameFormatException("symbol is empty"));
    private readonly Dictionary<Symbol, TickerFields> _tickers = [];
    private readonly List<BookLevel> _levels = new(64);   // scratch: each side becomes an array of exactly its levels
    private readonly string _category = BybitVenue.Category(market);
    private (BybitTopic Topic, long U)? _bookCommit;
    private (Symbol Symbol, TickerFields Fields)? _tickerCommit;

    public MarketKind Market { get; } = market;

    /// <summary>State moves only with a frame that parsed whole: a truncated frame leaves the chains as they were.</summary>
    protected override void Commit()
    {
        if (_bookCommit is { } book)
        {
            book.Topic.LastUpdate = book.U;
        }

        if (_tickerCommit is { } ticker)
        {
            _tickers[ticker.Symbol] = ticker.Fields;
        }

        Discard();
    }

    protected override void Discard()
    {
        _bookCommit = null;
        _tickerCommit = null;
    }

    protected override void Read(ReadOnlySpan<byte> frame, long receivedTs)
    {
        var r = OpenObject(frame);
        var envelope = default(Envelope);
        var data = default(Utf8JsonReader);
        var hasData = false;
        var parsed = false;
        while (NextMember(ref r))
        {
            var name = Member(ref r);
            if (name == Name.Topic)
            {
                Next(ref r);
                Expect(ref r, JsonTokenType.String, "topic");
                envelope.Topic = _topics.Get(r.ValueSpan, r.ValueIsEscaped);
            }
            else if (name == Name.Type)
            {
                Next(ref r);
                envelope.Snapshot = r.ValueTextEquals("snapshot"u8) ? true : r.ValueTextEquals("delta"u8) ? false
                    : throw new FrameFormatException("type is snapshot or delta");
            }
            else if (name == Name.Ts)
            {
                Next(ref r);
                envelope.Ts = ReadInt64(ref r, "ts");
            }
            else if (name == Name.Cs)
            {
                Next(ref r);
                envelope.CrossSequence = ReadInt64(ref r, "cs");
            }
            else if (name == Name.Data)
            {
                Next(ref r);
                if (hasData)
                {
                    throw new FrameFormatException("two data members in one frame");
                }

                hasData = true;
                if (envelope.Topic is not null && envelope.Op == Op.None && Known(envelope))
                {
                    // What the data needs of the envelope came before it (the usual order): read it in this same pass.
                    Dispatch(ref r, envelope, receivedTs);
                    parsed = true;
                }
                else
                {
                    data = r;   // a copy of the reader at the data's first token: read once the envelope is known
                    r.Skip();
                }
            }
            else if (name == Name.Op)
            {
                Next(ref r);
                envelope.Op = r.ValueTextEquals("subscribe"u8) ? Op.Subscribe : r.ValueTextEquals("unsubscribe"u8) ? Op.Unsubscribe
                    : r.ValueTextEquals("ping"u8) ? Op.Ping : r.ValueTextEquals("pong"u8) ? Op.Pong : r.ValueTextEquals("auth"u8) ? Op.Auth : Op.Other;
            }
            else if (name == Name.Success)
            {
                Next(ref r);
                envelope.Success = ReadBoolean(ref r, "success");
            }
            else if (name == Name.RetMsg)
            {
                Next(ref r);
                envelope.Message = r.TokenType == JsonTokenType.String ? r.GetString() : null;
            }
            else if (name == Name.ReqId)
            {
                Next(ref r);
                envelope.RequestId = r.TokenType == JsonTokenType.String && r.ValueSpan.Length > 0 ? r.GetString() : null;
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

        if (envelope.Op != Op.None)
        {
            OnReply(envelope);
            return;
        }

        if (envelope.Topic is null)
        {
            throw new FrameFormatException("frame has neither topic nor op");
        }

        if (!hasData)
        {
            throw Missing("data");
        }

        if (!parsed)
        {
            Dispatch(ref data, envelope, receivedTs);
        }
    }

    /// <summary>Whether the envelope fields a topic's data needs are known (books: type and ts; tickers also cs; private topics: creationTime).</summary>
    private static bool Known(in Envelope e) => e.Topic!.Kind switch
    {
        TopicKind.PublicTrade or TopicKind.Kline => true,
        TopicKind.OrderBook => e.Snapshot.HasValue && e.Ts.HasValue,
        TopicKind.Tickers => e.Snapshot.HasValue && e.Ts.HasValue && e.CrossSequence.HasValue,
        _ => e.Ts.HasValue,
    };

    /// <summary>The envelope member the reader is on, told by its length before any comparison (most frames carry few).</summary>
    private static Name Member(ref Utf8JsonReader r)
    {
        if (r.ValueIsEscaped || r.HasValueSequence)
        {
            return Name.Other;
        }

        var n = r.ValueSpan;
        return n.Length switch
        {
            2 when n.SequenceEqual("ts"u8) => Name.Ts,
            2 when n.SequenceEqual("cs"u8) => Name.Cs,
            2 when n.SequenceEqual("op"u8) => Name.Op,
            4 when n.SequenceEqual("data"u8) => Name.Data,
            4 when n.SequenceEqual("type"u8) => Name.Type,
            5 when n.SequenceEqual("topic"u8) => Name.Topic,
            6 when n.SequenceEqual("req_id"u8) => Name.ReqId,
            7 when n.SequenceEqual("success"u8) => Name.Success,
            7 when n.SequenceEqual("ret_msg"u8) => Name.RetMsg,
            12 when n.SequenceEqual("creationTime"u8) => Name.Ts,
            _ => Name.Other,
        };
    }

    private void OnReply(in Envelope e)
    {
        Reply(e.Op switch
        {
            Op.Ping or Op.Pong => new ControlEvent(ControlKind.Pong, e.RequestId),
            _ when e.Success == false => new ControlEvent(ControlKind.Error, e.RequestId, $"{e.Op.ToString().ToLowerInvariant()} refused: {e.Message}"),
            Op.Subscribe or Op.Unsubscribe or Op.Auth when e.Success == true => new ControlEvent(ControlKind.Ack, e.RequestId),
            _ => new ControlEvent(ControlKind.Notice, e.RequestId, $"op {e.Op}: {e.Message}"),
        });
    }

    private void Dispatch(ref Utf8JsonReader data, in Envelope e, long receivedTs)
    {
        var topic = e.Topic!;
        switch (topic.Kind)
        {
            case TopicKind.OrderBook:
                Book(ref data, topic, e, receivedTs);
                break;
            case TopicKind.PublicTrade:
                Trades(ref data, receivedTs);
                break;
            case TopicKind.Tickers:
                Tickers(ref data, topic, e, receivedTs);
                break;
            case TopicKind.Kline:
                Klines(ref data, topic, receivedTs);
                break;
            case TopicKind.Order:
                EachItem(ref data, receivedTs, e.Ts, Order);
                break;
            case TopicKind.Execution:
                EachItem(ref data, receivedTs, e.Ts, Execution);
                break;
            case TopicKind.Position:
                EachItem(ref data, receivedTs, e.Ts, Position);
                break;
            case TopicKind.Wallet:
                EachItem(ref data, receivedTs, e.Ts, Wallet);
                break;
            default:
                throw new FrameFormatException("unknown topic");
        }
    }

    /// <summary>
    /// <c>{"s","b","a","u","seq"}</c>. Level 1 is the best quote (a ticker); deeper levels are the book: a snapshot, or
    /// a delta chained to the update before it on this socket. A delta with <c>u</c> = 1 is a restart's snapshot.
    /// </summary>
    private void Book(ref Utf8JsonReader r, BybitTopic topic, in Envelope e, long receivedTs)
    {
        Expect(ref r, JsonTokenType.StartObject, "data");
        ImmutableArray<BookLevel>? bids = null, asks = null;
        long? u = null;
        while (NextMember(ref r))
        {
            switch (OneByteName(ref r))
            {
                case (byte)'b':
                    Next(ref r);
                    bids = ReadLevels(ref r, "b", _levels);
                    break;
                case (byte)'a':
                    Next(ref r);
                    asks = ReadLevels(ref r, "a", _levels);
                    break;
                case (byte)'u':
                    Next(ref r);
                    u = ReadInt64(ref r, "u");
                    break;
                default:
                    SkipValue(ref r);
                    break;
            }
        }

        var symbol = topic.Instrument;
        var update = u ?? throw Missing("u");
        var ts = e.Ts ?? throw Missing("ts");
        var b = bids ?? throw Missing("b");
        var a = asks ?? throw Missing("a");
        if (topic.Depth == 1)
        {
            if (b.Length > 0 && a.Length > 0)
            {
                Emit(new Ticker(BybitVenue.Id, Market, symbol, ts, receivedTs, b[0].Price, b[0].Size, a[0].Price, a[0].Size, null, update));
            }

            return;
        }

        var snapshot = (e.Snapshot ?? throw Missing("type")) || update == 1;
        var previous = OrderBookUpdate.Unchained;
        if (!snapshot)
        {
            // A delta before this socket's snapshot of the symbol chains to nothing the book has: it waits for the snapshot.
            previous = topic.LastUpdate ?? 0;
        }

        _bookCommit = (topic, update);
        Emit(new OrderBookUpdate(BybitVenue.Id, Market, symbol, ts, receivedTs, DataChannel.BookDelta,
            snapshot ? BookUpdateKind.Snapshot : BookUpdateKind.Delta, update, update, b, a, PreviousSequence: previous));
    }

    /// <summary><c>[{"T","s","S","v","p","i","seq",…}]</c>: <c>S</c> is the taker's side.</summary>
    private void Trades(ref Utf8JsonReader r, long receivedTs)
    {
        Expect(ref r, JsonTokenType.StartArray, "data");
        while (true)
        {
            Next(ref r);
            if (r.TokenType == JsonTokenType.EndArray)
            {
                return;
            }

            Expect(ref r, JsonTokenType.StartObject, "trade");
            long? time = null, seq = null;
            Symbol? symbol = null;
            Side? side = null;
            decimal? size = null, price = null;
            string? id = null;
            while (NextMember(ref r))
            {
                switch (OneByteName(ref r))
                {
                    case (byte)'T':
                        Next(ref r);
                        time = ReadInt64(ref r, "T");
                        break;
                    case (byte)'s':
                        Next(ref r);
                        Expect(ref r, JsonTokenType.String, "s");
                        symbol = _symbols.Get(r.ValueSpan, r.ValueIsEscaped);
                        break;
                    case (byte)'S':
                        Next(ref r);
                        side = ReadSide(ref r, "S");
                        break;
                    case (byte)'v':
                        Next(ref r);
                        size = ReadDecimal(ref r, "v");
                        break;
                    case (byte)'p':
                        Next(ref r);
                        price = ReadDecimal(ref r, "p");
                        break;
                    case (byte)'i':
                        Next(ref r);
                        id = ReadString(ref r, "i");
                        break;
                    case 0 when r.ValueTextEquals("seq"u8):
                        Next(ref r);
                        seq = ReadInt64(ref r, "seq");
                        break;
                    default:
                        SkipValue(ref r);
                        break;
                }
            }

            Emit(new Trade(BybitVenue.Id, Market, symbol ?? throw Missing("s"), Required(time, "T"), receivedTs, id ?? throw Missing("i"),
                Required(side, "S"), Required(price, "p"), Required(size, "v"), Required(seq, "seq")));
        }
    }

    /// <summary>
    /// Tickers: a snapshot replaces what is known of the symbol, a delta changes the fields it carries (linear). Emits a
    /// ticker once the best quote is known (linear; spot's carries none), funding and reference prices (linear) and the
    /// 24-hour figures, each when the frame touched them.
    /// </summary>
    private void Tickers(ref Utf8JsonReader r, BybitTopic topic, in Envelope e, long receivedTs)
    {
        Expect(ref r, JsonTokenType.StartObject, "data");
        var symbol = topic.Instrument;
        var snapshot = e.Snapshot ?? throw Missing("type");
        TickerFields fields;
        if (snapshot)
        {
            fields = new TickerFields();
        }
        else if (_tickers.TryGetValue(symbol, out var known))
        {
            fields = known.Copy();
        }
        else
        {
            throw new FrameFormatException($"ticker delta for {symbol} before its snapshot");
        }

        var touched = fields.Read(ref r);
        var ts = e.Ts ?? throw Missing("ts");
        _tickerCommit = (symbol, fields);
        if ((touched & Touched.Quote) != 0 && fields is { Bid: { } bid, BidSize: { } bidSize, Ask: { } ask, AskSize: { } askSize })
        {
            Emit(new Ticker(BybitVenue.Id, Market, symbol, ts, receivedTs, bid, bidSize, ask, askSize, fields.Last, e.CrossSequence ?? throw Missing("cs")));
        }

        if ((touched & Touched.Funding) != 0 && Market == MarketKind.Futures)
        {
            Emit(new FundingRate(BybitVenue.Id, Market, symbol, ts, receivedTs, fields.Funding, null, fields.Mark, fields.Index, fields.NextFunding));
        }

        if ((touched & Touched.Statistics) != 0)
        {
            Emit(new MarketStatistics(BybitVenue.Id, Market, symbol, ts, receivedTs, fields.Last, fields.High, fields.Low, fields.Volume, fields.Turnover,
                fields.Last is { } last && fields.Previous24h is { } previous ? last - previous : null, fields.Change24h));
        }
    }

    /// <summary><c>[{"start","end","interval","open","close","high","low","volume","turnover","confirm","timestamp"}]</c>.</summary>
    private void Klines(ref Utf8JsonReader r, BybitTopic topic, long receivedTs)
    {
        Expect(ref r, JsonTokenType.StartArray, "data");
        while (true)
        {
            Next(ref r);
            if (r.TokenType == JsonTokenType.EndArray)
            {
                return;
            }

            Expect(ref r, JsonTokenType.StartObject, "kline");
            long? start = null, timestamp = null;
            decimal? open = null, close = null, high = null, low = null, volume = null;
            bool? confirm = null;
            while (NextMember(ref r))
            {
                if (r.ValueTextEquals("start"u8))
                {
                    Next(ref r);
                    start = ReadInt64(ref r, "start");
                }
                else if (r.ValueTextEquals("open"u8))
                {
                    Next(ref r);
                    open = ReadDecimal(ref r, "open");
                }
                else if (r.ValueTextEquals("close"u8))
                {
                    Next(ref r);
                    close = ReadDecimal(ref r, "close");
                }
                else if (r.ValueTextEquals("high"u8))
                {
                    Next(ref r);
                    high = ReadDecimal(ref r, "high");
                }
                else if (r.ValueTextEquals("low"u8))
                {
                    Next(ref r);
                    low = ReadDecimal(ref r, "low");
                }
                else if (r.ValueTextEquals("volume"u8))
                {
                    Next(ref r);
                    volume = ReadDecimal(ref r, "volume");
                }
                else if (r.ValueTextEquals("confirm"u8))
                {
                    Next(ref r);
                    confirm = ReadBoolean(ref r, "confirm");
                }
                else if (r.ValueTextEquals("timestamp"u8))
                {
                    Next(ref r);
                    timestamp = ReadInt64(ref r, "timestamp");
                }
                else
                {
                    SkipValue(ref r);
                }
            }

            Emit(new Candle(BybitVenue.Id, Market, topic.Instrument, Required(timestamp, "timestamp"), receivedTs, topic.Interval!, Required(start, "start"),
                Required(open, "open"), Required(high, "high"), Required(low, "low"), Required(close, "close"), Required(volume, "volume"), Required(confirm, "confirm")));
        }
    }

    private delegate void ItemReader(JsonElement item, long receivedTs, long frameTs);

    /// <summary>Private topics: an array of objects. They are few and small, so each is read as an element.</summary>
    private static void EachItem(ref Utf8JsonReader r, long receivedTs, long? frameTs, ItemReader read)
    {
        Expect(ref r, JsonTokenType.StartArray, "data");
        using var document = JsonDocument.ParseValue(ref r);
        var ts = frameTs ?? throw Missing("creationTime");
        foreach (var item in document.RootElement.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new FrameFormatException("data item is not an object");
            }

            read(item, receivedTs, ts);
        }
    }

    /// <summary>Whether an item is of this parser's category (the categorised topics carry only theirs; the all-in-one ones every category).</summary>
    private bool IsOurs(JsonElement item) =>
        !item.TryGetProperty("category", out var category) || category.ValueKind != JsonValueKind.String || category.ValueEquals(_category);

    /// <summary>An order's state (<c>orderStatus</c>, <c>cumExecQty</c>); its fills come by <c>execution</c>.</summary>
    private void Order(JsonElement o, long receivedTs, long frameTs)
    {
        if (!IsOurs(o))
        {
            return;
        }

        var linkId = Text(o, "orderLinkId");
        Emit(new OrderUpdate(BybitVenue.Id, Market, Symbol(o), Time(o, "updatedTime") ?? frameTs, receivedTs, Text(o, "orderId"),
            linkId.Length > 0 ? new ClientOrderId(linkId) : null, SideOf(o), StatusOf(Text(o, "orderStatus")), Optional(o, "price"), Number(o, "qty"),
            Number(o, "cumExecQty"), null));
    }

    /// <summary>One fill (<c>execId</c>), with the order's remaining quantity: none left is filled.</summary>
    private void Execution(JsonElement x, long receivedTs, long frameTs)
    {
        if (!IsOurs(x) || !BybitOrderQueries.IsFill(Text(x, "execType")))
        {
            return;
        }

        var linkId = Text(x, "orderLinkId");
        var leaves = Optional(x, "leavesQty");
        var fee = Optional(x, "execFee");
        var feeCurrency = x.TryGetProperty("feeCurrency", out var currency) && currency.GetNullableString() is { Length: > 0 } c ? c : null;
        var fill = new FillInfo(Text(x, "execId"), Number(x, "execPrice"), Number(x, "execQty"), fee, feeCurrency,
            x.TryGetProperty("isMaker", out var maker) && maker.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? maker.GetBoolean() ? Liquidity.Maker : Liquidity.Taker
                : throw Missing("isMaker"));
        Emit(new OrderUpdate(BybitVenue.Id, Market, Symbol(x), Time(x, "execTime") ?? frameTs, receivedTs, Text(x, "orderId"),
            linkId.Length > 0 ? new ClientOrderId(linkId) : null, SideOf(x), leaves == 0 ? OrderStatus.Filled : OrderStatus.PartiallyFilled,
            Optional(x, "orderPrice"), Optional(x, "orderQty"), null, fill));
    }

    /// <summary>A one-way position (<c>positionIdx</c> 0), signed by its side; hedge-mode legs are refused, as the node trades one-way.</summary>
    private void Position(JsonElement p, long receivedTs, long frameTs)
    {
        if (!IsOurs(p))
        {
            return;
        }

        if (Integer(p, "positionIdx") != 0)
        {
            throw new FrameFormatException($"position of {Text(p, "symbol")} in hedge mode (positionIdx {Integer(p, "positionIdx")}): the node trades one-way mode");
        }

        var size = Number(p, "size");
        var quantity = Text(p, "side") == "Sell" ? -size : size;
        var entry = Optional(p, "entryPrice");
        Emit(new PositionChange(BybitVenue.Id, Market, Symbol(p), Time(p, "updatedTime") ?? frameTs, receivedTs, quantity,
            quantity == 0 ? null : entry, Optional(p, "markPrice"), Optional(p, "unrealisedPnl"), Optional(p, "cumRealisedPnl")));
    }

    /// <summary>The Unified account's coins: wallet balance, and what spot orders lock.</summary>
    private void Wallet(JsonElement account, long receivedTs, long frameTs)
    {
        foreach (var coin in account.Required("coin").EnumerateArray())
        {
            Emit(new BalanceUpdate(BybitVenue.Id, Market, new Symbol(Text(coin, "coin")), frameTs, receivedTs,
                Number(coin, "walletBalance"), null, Optional(coin, "locked")));
        }
    }

    private Symbol Symbol(JsonElement item) => new(Text(item, "symbol"));

    private static string Text(JsonElement item, string field) =>
        item.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Missing(field);

    /// <summary>A number Bybit may leave empty (<c>""</c>): null then.</summary>
    private static decimal? Optional(JsonElement item, string field) =>
        item.TryGetProperty(field, out var value) && value.ValueKind is not JsonValueKind.Null && !(value.ValueKind == JsonValueKind.String && value.GetString()!.Length == 0)
            ? value.GetDecimal(field)
            : null;

    private static decimal Number(JsonElement item, string field) => item.Required(field).GetDecimal(field);

    private static long Integer(JsonElement item, string field) => item.Required(field).GetLong(field);

    private static long? Time(JsonElement item, string field) =>
        item.TryGetProperty(field, out var value) && value.GetNullableString() is { Length: > 0 } ? value.GetLong(field) : null;

    private static Side SideOf(JsonElement item) => Text(item, "side") switch
    {
        "Buy" => Side.Buy,
        "Sell" => Side.Sell,
        var other => throw new FrameFormatException($"side '{other}' is neither Buy nor Sell"),
    };

    /// <summary>Order status (enum.mdx "orderStatus"): conditional orders not yet triggered are open too.</summary>
    public static OrderStatus StatusOf(string status) => status switch
    {
        "New" or "Untriggered" or "Triggered" or "Created" => OrderStatus.Open,
        "PartiallyFilled" => OrderStatus.PartiallyFilled,
        "Filled" => OrderStatus.Filled,
        "Cancelled" or "PartiallyFilledCanceled" or "Deactivated" => OrderStatus.Canceled,
        "Rejected" => OrderStatus.Rejected,
        _ => throw new FrameFormatException($"unknown order status '{status}'"),
    };

    private static Side ReadSide(ref Utf8JsonReader r, string field) =>
        r.ValueTextEquals("Buy"u8) ? Side.Buy : r.ValueTextEquals("Sell"u8) ? Side.Sell : throw new FrameFormatException($"field '{field}' must be Buy or Sell");

    private enum Name
    {
        Other,
        Topic,
        Type,
        Ts,
        Cs,
        Data,
        Op,
        Success,
        RetMsg,
        ReqId,
    }

    private enum Op
    {
        None,
        Subscribe,
        Unsubscribe,
        Ping,
        Pong,
        Auth,
        Other,
    }

    private struct Envelope
    {
        public BybitTopic? Topic;
        public bool? Snapshot;
        public long? Ts;
        public long? CrossSequence;
        public Op Op;
        public bool? Success;
        public string? Message;
        public string? RequestId;
    }

    [Flags]
    private enum Touched
    {
        None = 0,
        Quote = 1,
        Funding = 2,
        Statistics = 4,
    }

    /// <summary>What is known of a ticker: a delta changes only the fields it carries.</summary>
    private sealed class TickerFields
    {
        public decimal? Bid, BidSize, Ask, AskSize, Last, Mark, Index, Funding, High, Low, Volume, Turnover, Previous24h, Change24h;
        public long? NextFunding;

        public TickerFields Copy() => (TickerFields)MemberwiseClone();

        public Touched Read(ref Utf8JsonReader r)
        {
            var touched = Touched.None;
            while (NextMember(ref r))
            {
                if (r.ValueTextEquals("bid1Price"u8))
                {
                    Bid = Value(ref r, "bid1Price", ref touched, Touched.Quote);
                }
                else if (r.ValueTextEquals("bid1Size"u8))
                {
                    BidSize = Value(ref r, "bid1Size", ref touched, Touched.Quote);
                }
                else if (r.ValueTextEquals("ask1Price"u8))
                {
                    Ask = Value(ref r, "ask1Price", ref touched, Touched.Quote);
                }
                else if (r.ValueTextEquals("ask1Size"u8))
                {
                    AskSize = Value(ref r, "ask1Size", ref touched, Touched.Quote);
                }
                else if (r.ValueTextEquals("lastPrice"u8))
                {
                    Last = Value(ref r, "lastPrice", ref touched, Touched.Quote | Touched.Statistics);
                }
                else if (r.ValueTextEquals("markPrice"u8))
                {
                    Mark = Value(ref r, "markPrice", ref touched, Touched.Funding);
                }
                else if (r.ValueTextEquals("indexPrice"u8))
                {
                    Index = Value(ref r, "indexPrice", ref touched, Touched.Funding);
                }
                else if (r.ValueTextEquals("fundingRate"u8))
                {
                    Funding = Value(ref r, "fundingRate", ref touched, Touched.Funding);
                }
                else if (r.ValueTextEquals("nextFundingTime"u8))
                {
                    Next(ref r);
                    NextFunding = r.TokenType == JsonTokenType.String && r.ValueSpan.IsEmpty ? null : ReadInt64(ref r, "nextFundingTime");
                    touched |= Touched.Funding;
                }
                else if (r.ValueTextEquals("highPrice24h"u8))
                {
                    High = Value(ref r, "highPrice24h", ref touched, Touched.Statistics);
                }
                else if (r.ValueTextEquals("lowPrice24h"u8))
                {
                    Low = Value(ref r, "lowPrice24h", ref touched, Touched.Statistics);
                }
                else if (r.ValueTextEquals("volume24h"u8))
                {
                    Volume = Value(ref r, "volume24h", ref touched, Touched.Statistics);
                }
                else if (r.ValueTextEquals("turnover24h"u8))
                {
                    Turnover = Value(ref r, "turnover24h", ref touched, Touched.Statistics);
                }
                else if (r.ValueTextEquals("prevPrice24h"u8))
                {
                    Previous24h = Value(ref r, "prevPrice24h", ref touched, Touched.Statistics);
                }
                else if (r.ValueTextEquals("price24hPcnt"u8))
                {
                    Change24h = Value(ref r, "price24hPcnt", ref touched, Touched.Statistics);
                }
                else
                {
                    SkipValue(ref r);
                }
            }

            return touched;
        }

        private static decimal? Value(ref Utf8JsonReader r, string field, ref Touched touched, Touched what)
        {
            Next(ref r);
            touched |= what;
            return ReadOptionalDecimal(ref r, field);
        }
    }
}
