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

namespace ActorTrading.Exchanges.Kraken.Ws;

/// <summary>
/// Parses Kraken WebSocket v2 frames, public and private. Data frames are <c>{"channel","type","data"}</c>; answers to
/// requests are <c>{"method","success","result"|"error","req_id"}</c>. Per connection it keeps what Kraken's books need:
/// each pair's precision from the <c>instrument</c> channel (its snapshot comes before any book's: the feed subscribes
/// it first), each book's depth from its subscription's ack, and a mirror of each book (<see cref="KrakenBookMirror"/>).
/// Every book message is applied to the mirror, cut to depth and checked against its CRC32 before it is emitted, as a
/// snapshot or a delta carrying the levels the cut removed; deltas carry a chained synthetic sequence, since Kraken
/// numbers nothing. A checksum that does not match emits <see cref="BookUpdateKind.Invalidated"/> (the book resubscribes)
/// and the symbol's deltas are dropped until its next snapshot. Private: <c>executions</c> (orders and fills, which
/// Kraken sends sparsely: an order's symbol, side and client id are remembered from its first event) and
/// <c>balances</c> (the spot wallet).
/// </summary>
public sealed class KrakenFrameParser : WholeFrameParser
{
    private readonly NameCache<Symbol> _symbols = new(static name => name.Length > 0 ? new Symbol(name) : throw new FrameFormatException("symbol is empty"));
    private readonly Dictionary<Symbol, (int Price, int Qty)> _precisions = [];
    private readonly Dictionary<Symbol, int> _depths = [];
    private readonly Dictionary<Symbol, KrakenBookMirror> _books = [];
    private readonly HashSet<Symbol> _broken = [];
    private readonly Dictionary<Symbol, long> _sequences = [];   // Kraken numbers nothing: the node chains its own, never going back on a socket
    private readonly Dictionary<string, KnownOrder> _orders = new(StringComparer.Ordinal);
    private readonly List<BookItem> _bookItems = [];
    private readonly List<BookLevel> _cutBids = [];
    private readonly List<BookLevel> _cutAsks = [];
    private readonly List<BookLevel> _scratch = new(64);
    private Dictionary<Symbol, (int Price, int Qty)>? _precisionCommit;
    private (Symbol Symbol, int Depth)? _depthCommit;
    private long _tickerSequence;

    public MarketKind Market => MarketKind.Spot;

    /// <summary>The pair's price and quantity precision as the instrument channel told it, when it has.</summary>
    public (int Price, int Qty)? PrecisionOf(Symbol symbol) => _precisions.TryGetValue(symbol, out var p) ? p : null;

    protected override void Commit()
    {
        if (_precisionCommit is { } precisions)
        {
            foreach (var (symbol, precision) in precisions)
            {
                _precisions[symbol] = precision;
            }
        }

        if (_depthCommit is { } depth)
        {
            _depths[depth.Symbol] = depth.Depth;
        }

        foreach (var item in _bookItems)
        {
            ApplyBook(item);
        }

        Discard();
    }

    protected override void Discard()
    {
        _precisionCommit = null;
        _depthCommit = null;
        _bookItems.Clear();
    }

    protected override void Read(ReadOnlySpan<byte> frame, long receivedTs)
    {
        var r = OpenObject(frame);
        var e = default(Envelope);
        var data = default(Utf8JsonReader);
        var result = default(Utf8JsonReader);
        bool hasData = false, hasResult = false, parsed = false;
        while (NextMember(ref r))
        {
            if (r.ValueTextEquals("channel"u8))
            {
                Next(ref r);
                e.Channel = ChannelOf(ref r);
            }
            else if (r.ValueTextEquals("type"u8))
            {
                Next(ref r);
                e.Snapshot = r.ValueTextEquals("snapshot"u8) ? true : r.ValueTextEquals("update"u8) ? false
                    : throw new FrameFormatException("type is snapshot or update");
            }
            else if (r.ValueTextEquals("data"u8))
            {
                Next(ref r);
                if (hasData)
                {
                    throw new FrameFormatException("two data members in one frame");
                }

                hasData = true;
                if (e.Channel is not Channel.None and not Channel.Ohlc && e.Snapshot.HasValue)
                {
                    Dispatch(ref r, e, receivedTs);
                    parsed = true;
                }
                else
                {
                    data = r;
                    r.Skip();
                }
            }
            else if (r.ValueTextEquals("method"u8))
            {
                Next(ref r);
                e.Method = ReadString(ref r, "method");
            }
            else if (r.ValueTextEquals("success"u8))
            {
                Next(ref r);
                e.Success = ReadBoolean(ref r, "success");
            }
            else if (r.ValueTextEquals("error"u8))
            {
                Next(ref r);
                e.Error = r.TokenType == JsonTokenType.String ? r.GetString() : null;
            }
            else if (r.ValueTextEquals("req_id"u8))
            {
                Next(ref r);
                e.RequestId = r.TokenType == JsonTokenType.Number ? ReadInt64(ref r, "req_id").ToString(CultureInfo.InvariantCulture) : null;
            }
            else if (r.ValueTextEquals("result"u8))
            {
                Next(ref r);
                hasResult = true;
                result = r;
                r.Skip();
            }
            else if (r.ValueTextEquals("timestamp"u8))
            {
                Next(ref r);
                e.Timestamp = ReadTime(ref r, "timestamp");
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

        if (e.Method is not null)
        {
            OnReply(e, hasResult, result, frame);
            return;
        }

        switch (e.Channel)
        {
            case Channel.None:
                throw new FrameFormatException("frame has neither channel nor method");
            case Channel.Heartbeat:
                return;
            case Channel.Unknown:
                Reply(new ControlEvent(ControlKind.Notice, null, "unknown channel: " + Encoding.UTF8.GetString(frame[..Math.Min(frame.Length, 120)])));
                return;
        }

        if (!hasData)
        {
            throw Missing("data");
        }

        if (!parsed)
        {
            _ = e.Snapshot ?? throw Missing("type");
            Dispatch(ref data, e, receivedTs);
        }
    }

    private static Channel ChannelOf(ref Utf8JsonReader r) =>
        r.ValueTextEquals("book"u8) ? Channel.Book
        : r.ValueTextEquals("trade"u8) ? Channel.Trade
        : r.ValueTextEquals("ticker"u8) ? Channel.Ticker
        : r.ValueTextEquals("ohlc"u8) ? Channel.Ohlc
        : r.ValueTextEquals("heartbeat"u8) ? Channel.Heartbeat
        : r.ValueTextEquals("status"u8) ? Channel.Status
        : r.ValueTextEquals("instrument"u8) ? Channel.Instrument
        : r.ValueTextEquals("executions"u8) ? Channel.Executions
        : r.ValueTextEquals("balances"u8) ? Channel.Balances
        : Channel.Unknown;

    /// <summary>
    /// An answer to one of our requests: a subscription's ack (a book's tells its depth), a pong, a refusal (a refused or
    /// expired token asks for a new connection), or an order request's reply, passed on whole.
    /// </summary>
    private void OnReply(in Envelope e, bool hasResult, Utf8JsonReader result, ReadOnlySpan<byte> frame)
    {
        switch (e.Method)
        {
            case "pong":
                Reply(new ControlEvent(ControlKind.Pong, e.RequestId));
                return;
            case "subscribe" or "unsubscribe" when e.Success == true:
                if (e.Method == "subscribe" && hasResult)
                {
                    ReadBookAck(result);
                }

                Reply(new ControlEvent(ControlKind.Ack, e.RequestId));
                return;
            case "subscribe" or "unsubscribe":
                var error = e.Error ?? "refused";
                Reply(new ControlEvent(IsTokenError(error) ? ControlKind.TokenRejected : ControlKind.Error, e.RequestId, $"{e.Method} refused: {error}"));
                return;
            case "add_order" or "cancel_order" or "amend_order" or "edit_order" or "cancel_all" or "batch_add" or "batch_cancel":
                Reply(new ControlEvent(ControlKind.Reply, e.RequestId, Encoding.UTF8.GetString(frame)));
                return;
            default:
                Reply(new ControlEvent(ControlKind.Notice, e.RequestId, $"method {e.Method}: {e.Error}"));
                return;
        }
    }

    /// <summary>An error that means the session token is no good (expired, unknown): a new connection fetches a new one.</summary>
    public static bool IsTokenError(string error) =>
        error.Contains("token", StringComparison.OrdinalIgnoreCase) || error.Contains("ESession", StringComparison.Ordinal);

    private void ReadBookAck(Utf8JsonReader r)
    {
        Expect(ref r, JsonTokenType.StartObject, "result");
        bool book = false;
        int? depth = null;
        Symbol? symbol = null;
        while (NextMember(ref r))
        {
            if (r.ValueTextEquals("channel"u8))
            {
                Next(ref r);
                book = r.ValueTextEquals("book"u8);
            }
            else if (r.ValueTextEquals("depth"u8))
            {
                Next(ref r);
                depth = (int)ReadInt64(ref r, "depth");
            }
            else if (r.ValueTextEquals("symbol"u8))
            {
                Next(ref r);
                symbol = r.TokenType == JsonTokenType.String ? _symbols.Get(r.ValueSpan, r.ValueIsEscaped) : null;
            }
            else
            {
                SkipValue(ref r);
            }
        }

        if (book && depth is > 0 && symbol is { } bookSymbol)
        {
            _depthCommit = (bookSymbol, depth.Value);
        }
    }

    private void Dispatch(ref Utf8JsonReader r, in Envelope e, long receivedTs)
    {
        var snapshot = e.Snapshot ?? throw Missing("type");
        switch (e.Channel)
        {
            case Channel.Book:
                ReadBooks(ref r, snapshot, receivedTs);
                break;
            case Channel.Trade:
                ReadTrades(ref r, receivedTs);
                break;
            case Channel.Ticker:
                ReadTickers(ref r, receivedTs, e.Timestamp);
                break;
            case Channel.Ohlc:
                Each(ref r, item => Candle(item, receivedTs));
                break;
            case Channel.Status:
                Each(ref r, Status);
                break;
            case Channel.Instrument:
                Instruments(ref r);
                break;
            case Channel.Executions:
                Each(ref r, item => Execution(item, receivedTs));
                break;
            case Channel.Balances:
                Each(ref r, item => Balance(item, snapshot, receivedTs));
                break;
            default:
                throw new FrameFormatException("unknown channel");
        }
    }

    /// <summary><c>[{"symbol","bids":[{"price","qty"}],"asks":[…],"checksum","timestamp"}]</c>: read now, applied once the frame parsed whole.</summary>
    private void ReadBooks(ref Utf8JsonReader r, bool snapshot, long receivedTs)
    {
        Expect(ref r, JsonTokenType.StartArray, "data");
        while (true)
        {
            Next(ref r);
            if (r.TokenType == JsonTokenType.EndArray)
            {
                return;
            }

            Expect(ref r, JsonTokenType.StartObject, "book");
            Symbol? symbol = null;
            ImmutableArray<BookLevel>? bids = null, asks = null;
            long? checksum = null, ts = null;
            while (NextMember(ref r))
            {
                if (r.ValueTextEquals("symbol"u8))
                {
                    Next(ref r);
                    Expect(ref r, JsonTokenType.String, "symbol");
                    symbol = _symbols.Get(r.ValueSpan, r.ValueIsEscaped);
                }
                else if (r.ValueTextEquals("bids"u8))
                {
                    Next(ref r);
                    bids = ReadObjectLevels(ref r, "bids");
                }
                else if (r.ValueTextEquals("asks"u8))
                {
                    Next(ref r);
                    asks = ReadObjectLevels(ref r, "asks");
                }
                else if (r.ValueTextEquals("checksum"u8))
                {
                    Next(ref r);
                    checksum = ReadInt64(ref r, "checksum");
                }
                else if (r.ValueTextEquals("timestamp"u8))
                {
                    Next(ref r);
                    ts = ReadTime(ref r, "timestamp");
                }
                else
                {
                    SkipValue(ref r);
                }
            }

            _bookItems.Add(new BookItem(symbol ?? throw Missing("symbol"), snapshot, bids ?? throw Missing("bids"), asks ?? throw Missing("asks"),
                checksum is >= 0 and <= uint.MaxValue ? (uint)checksum.Value : throw Missing("checksum"), ts ?? receivedTs, receivedTs));
        }
    }

    /// <summary><c>[{"price":0.5666,"qty":4831.75496356},…]</c>.</summary>
    private ImmutableArray<BookLevel> ReadObjectLevels(ref Utf8JsonReader r, string field)
    {
        Expect(ref r, JsonTokenType.StartArray, field);
        _scratch.Clear();
        while (true)
        {
            Next(ref r);
            if (r.TokenType == JsonTokenType.EndArray)
            {
                break;
            }

            Expect(ref r, JsonTokenType.StartObject, field);
            decimal? price = null, qty = null;
            while (NextMember(ref r))
            {
                var isPrice = r.ValueTextEquals("price"u8);
                var isQty = !isPrice && r.ValueTextEquals("qty"u8);
                Next(ref r);
                if (isPrice)
                {
                    price = ReadDecimal(ref r, field);
                }
                else if (isQty)
                {
                    qty = ReadDecimal(ref r, field);
                }
                else
                {
                    r.Skip();
                }
            }

            _scratch.Add(Level(Required(price, "price"), Required(qty, "qty"), field));
        }

        return _scratch.Count == 0 ? [] : [.. _scratch];
    }

    /// <summary>
    /// Applies one book message to the symbol's mirror and checks it: a snapshot starts the mirror again, an update is
    /// applied unless the symbol is waiting for a snapshot after a mismatch.
    /// </summary>
    private void ApplyBook(BookItem item)
    {
        var symbol = item.Symbol;
        if (!item.Snapshot && (_broken.Contains(symbol) || !_books.ContainsKey(symbol)))
        {
            return;   // waiting for the snapshot the resubscription brings; the book actor waits as well
        }

        if (_precisions.TryGetValue(symbol, out var precision) is false)
        {
            Invalidate(symbol, item, "no precision for the pair (the instrument channel has not named it): the checksum cannot be verified");
            return;
        }

        if (item.Snapshot || !_books.TryGetValue(symbol, out var mirror))
        {
            mirror = new KrakenBookMirror(_depths.TryGetValue(symbol, out var depth) ? depth : KrakenVenue.DefaultBookDepth);
            _books[symbol] = mirror;
        }

        if (item.Snapshot)
        {
            mirror.Clear();
        }

        foreach (var level in item.Bids)
        {
            mirror.Apply(level, bid: true);
        }

        foreach (var level in item.Asks)
        {
            mirror.Apply(level, bid: false);
        }

        _cutBids.Clear();
        _cutAsks.Clear();
        mirror.Truncate(_cutBids, _cutAsks);
        var computed = mirror.Checksum(precision.Price, precision.Qty);
        if (computed != item.Checksum)
        {
            Invalidate(symbol, item, $"checksum {computed} computed, {item.Checksum} sent");
            return;
        }

        _broken.Remove(symbol);
        var previous = _sequences.GetValueOrDefault(symbol);
        var sequence = _sequences[symbol] = previous + 1;
        if (item.Snapshot)
        {
            Emit(new OrderBookUpdate(KrakenVenue.Id, Market, symbol, item.Ts, item.ReceivedTs, DataChannel.BookDelta, BookUpdateKind.Snapshot,
                sequence, sequence, mirror.Snapshot(bid: true), mirror.Snapshot(bid: false)));
            return;
        }

        Emit(new OrderBookUpdate(KrakenVenue.Id, Market, symbol, item.Ts, item.ReceivedTs, DataChannel.BookDelta, BookUpdateKind.Delta,
            sequence, sequence, With(item.Bids, _cutBids), With(item.Asks, _cutAsks), PreviousSequence: previous));
    }

    /// <summary>The book can no longer be trusted: forget the mirror, drop deltas until a snapshot, and tell the book.</summary>
    private void Invalidate(Symbol symbol, BookItem item, string reason)
    {
        _books.Remove(symbol);
        _broken.Add(symbol);
        var sequence = _sequences.GetValueOrDefault(symbol);
        Emit(new OrderBookUpdate(KrakenVenue.Id, Market, symbol, item.Ts, item.ReceivedTs, DataChannel.BookDelta, BookUpdateKind.Invalidated, sequence, sequence, [], [])
        {
            Reason = reason,
        });
    }

    private static ImmutableArray<BookLevel> With(ImmutableArray<BookLevel> levels, List<BookLevel> cut) => cut.Count == 0 ? levels : [.. levels, .. cut];

    /// <summary><c>[{"symbol","side","price","qty","ord_type","trade_id","timestamp"}]</c>: <c>side</c> is the taker's.</summary>
    private void ReadTrades(ref Utf8JsonReader r, long receivedTs)
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
            Symbol? symbol = null;
            Side? side = null;
            decimal? price = null, qty = null;
            long? id = null, ts = null;
            while (NextMember(ref r))
            {
                if (r.ValueTextEquals("symbol"u8))
                {
                    Next(ref r);
                    Expect(ref r, JsonTokenType.String, "symbol");
                    symbol = _symbols.Get(r.ValueSpan, r.ValueIsEscaped);
                }
                else if (r.ValueTextEquals("side"u8))
                {
                    Next(ref r);
                    side = r.ValueTextEquals("buy"u8) ? Side.Buy : r.ValueTextEquals("sell"u8) ? Side.Sell : throw new FrameFormatException("side is buy or sell");
                }
                else if (r.ValueTextEquals("price"u8))
                {
                    Next(ref r);
                    price = ReadDecimal(ref r, "price");
                }
                else if (r.ValueTextEquals("qty"u8))
                {
                    Next(ref r);
                    qty = ReadDecimal(ref r, "qty");
                }
                else if (r.ValueTextEquals("trade_id"u8))
                {
                    Next(ref r);
                    id = ReadInt64(ref r, "trade_id");
                }
                else if (r.ValueTextEquals("timestamp"u8))
                {
                    Next(ref r);
                    ts = ReadTime(ref r, "timestamp");
                }
                else
                {
                    SkipValue(ref r);
                }
            }

            var tradeId = Required(id, "trade_id");
            Emit(new Trade(KrakenVenue.Id, Market, symbol ?? throw Missing("symbol"), Required(ts, "timestamp"), receivedTs,
                tradeId.ToString(CultureInfo.InvariantCulture), Required(side, "side"), Required(price, "price"), Required(qty, "qty"), tradeId));
        }
    }

    /// <summary>
    /// <c>[{"symbol","bid","bid_qty","ask","ask_qty","last","volume","vwap","low","high","change","change_pct"}]</c>: the best
    /// quote and the last 24 hours. Kraken numbers no ticker: the sequence is this socket's count.
    /// </summary>
    private void ReadTickers(ref Utf8JsonReader r, long receivedTs, long? frameTs)
    {
        Expect(ref r, JsonTokenType.StartArray, "data");
        while (true)
        {
            Next(ref r);
            if (r.TokenType == JsonTokenType.EndArray)
            {
                return;
            }

            Expect(ref r, JsonTokenType.StartObject, "ticker");
            Symbol? symbol = null;
            decimal? bid = null, bidQty = null, ask = null, askQty = null, last = null, volume = null, vwap = null, low = null, high = null, change = null, changePct = null;
            long? ts = frameTs;
            while (NextMember(ref r))
            {
                if (r.ValueTextEquals("symbol"u8))
                {
                    Next(ref r);
                    Expect(ref r, JsonTokenType.String, "symbol");
                    symbol = _symbols.Get(r.ValueSpan, r.ValueIsEscaped);
                }
                else if (r.ValueTextEquals("timestamp"u8))
                {
                    Next(ref r);
                    ts = ReadTime(ref r, "timestamp");
                }
                else
                {
                    var field = r.ValueTextEquals("bid"u8) ? 1 : r.ValueTextEquals("bid_qty"u8) ? 2 : r.ValueTextEquals("ask"u8) ? 3 : r.ValueTextEquals("ask_qty"u8) ? 4
                        : r.ValueTextEquals("last"u8) ? 5 : r.ValueTextEquals("volume"u8) ? 6 : r.ValueTextEquals("vwap"u8) ? 7 : r.ValueTextEquals("low"u8) ? 8
                        : r.ValueTextEquals("high"u8) ? 9 : r.ValueTextEquals("change"u8) ? 10 : r.ValueTextEquals("change_pct"u8) ? 11 : 0;
                    Next(ref r);
                    if (field == 0)
                    {
                        r.Skip();
                        continue;
                    }

                    var value = ReadNullableDecimal(ref r, "ticker");
                    switch (field)
                    {
                        case 1: bid = value; break;
                        case 2: bidQty = value; break;
                        case 3: ask = value; break;
                        case 4: askQty = value; break;
                        case 5: last = value; break;
                        case 6: volume = value; break;
                        case 7: vwap = value; break;
                        case 8: low = value; break;
                        case 9: high = value; break;
                        case 10: change = value; break;
                        default: changePct = value; break;
                    }
                }
            }

            var s = symbol ?? throw Missing("symbol");
            var time = ts ?? receivedTs;   // Kraken's ticker may carry no time of its own: then the time it arrived
            Emit(new Ticker(KrakenVenue.Id, Market, s, time, receivedTs, Required(bid, "bid"), Required(bidQty, "bid_qty"), Required(ask, "ask"),
                Required(askQty, "ask_qty"), last, ++_tickerSequence));
            Emit(new MarketStatistics(KrakenVenue.Id, Market, s, time, receivedTs, last, high, low, volume, volume * vwap, change, changePct / 100m));
        }
    }

    /// <summary><c>{"symbol","open","high","low","close","trades","volume","vwap","interval_begin","interval","timestamp"}</c>: the interval's candle so far.</summary>
    private void Candle(JsonElement c, long receivedTs)
    {
        var begin = Time(c, "interval_begin");
        Emit(new Candle(KrakenVenue.Id, Market, new Symbol(Text(c, "symbol")), Time(c, "timestamp"), receivedTs,
            c.Required("interval").GetLong("interval").ToString(CultureInfo.InvariantCulture), begin, Number(c, "open"), Number(c, "high"), Number(c, "low"),
            Number(c, "close"), Number(c, "volume"), false));
    }

    /// <summary><c>[{"system":"online"|"maintenance"|"cancel_only"|"post_only"|"limit_only","api_version","connection_id","version"}]</c>.</summary>
    private void Status(JsonElement s)
    {
        var system = Text(s, "system");
        Reply(new ControlEvent(system == "maintenance" ? ControlKind.Shutdown : ControlKind.Notice, null, "system " + system));
    }

    /// <summary><c>{"assets":[…],"pairs":[{"symbol","price_precision","qty_precision",…}]}</c>: the precisions the checksums need.</summary>
    private void Instruments(ref Utf8JsonReader r)
    {
        Expect(ref r, JsonTokenType.StartObject, "data");
        using var document = JsonDocument.ParseValue(ref r);
        if (!document.RootElement.TryGetProperty("pairs", out var pairs) || pairs.ValueKind != JsonValueKind.Array)
        {
            return;   // an update of assets alone
        }

        var precisions = new Dictionary<Symbol, (int, int)>();
        foreach (var pair in pairs.EnumerateArray())
        {
            precisions[new Symbol(Text(pair, "symbol"))] = ((int)pair.Required("price_precision").GetLong("price_precision"), (int)pair.Required("qty_precision").GetLong("qty_precision"));
        }

        _precisionCommit = precisions;
    }

    /// <summary>
    /// One execution report. Fills are <c>exec_type</c> <c>trade</c> (once per <c>exec_id</c>; a later <c>filled</c>
    /// report only closes the order); the order's state is <c>order_status</c>.
    /// </summary>
    private void Execution(JsonElement x, long receivedTs)
    {
        var orderId = Text(x, "order_id");
        var known = _orders.TryGetValue(orderId, out var k) ? k : null;
        var symbol = x.TryGetProperty("symbol", out var s) && s.GetNullableString() is { Length: > 0 } name ? new Symbol(name)
            : known?.Symbol ?? throw new FrameFormatException($"execution of order {orderId} names no symbol, and the order is not known on this socket");
        var side = x.TryGetProperty("side", out var sd) && sd.GetNullableString() is { } sideText ? KrakenSide(sideText)
            : known?.Side ?? throw new FrameFormatException($"execution of order {orderId} names no side, and the order is not known on this socket");
        var clientId = x.TryGetProperty("cl_ord_id", out var cl) && cl.GetNullableString() is { Length: > 0 } c ? new ClientOrderId(c) : known?.ClientOrderId;
        _orders[orderId] = new KnownOrder(symbol, side, clientId);

        var execType = Text(x, "exec_type");
        FillInfo? fill = null;
        if (execType == "trade")
        {
            var fees = x.TryGetProperty("fees", out var f) && f.ValueKind == JsonValueKind.Array && f.GetArrayLength() > 0 ? f[0] : default;
            fill = new FillInfo(Text(x, "exec_id"), Number(x, "last_price"), Number(x, "last_qty"),
                fees.ValueKind == JsonValueKind.Object ? Number(fees, "qty") : null,
                fees.ValueKind == JsonValueKind.Object ? KrakenPairs.V2Asset(Text(fees, "asset")) : null,
                x.TryGetProperty("liquidity_ind", out var l) ? l.GetString() switch
                {
                    "m" => Liquidity.Maker,
                    "t" => Liquidity.Taker,
                    var other => throw new FrameFormatException($"liquidity_ind '{other}' is neither m nor t"),
                } : throw Missing("liquidity_ind"));
        }

        var status = x.TryGetProperty("order_status", out var st) && st.GetNullableString() is { } statusText
            ? StatusOf(statusText)
            : StatusOfExec(execType);
        Emit(new OrderUpdate(KrakenVenue.Id, Market, symbol, Time(x, "timestamp"), receivedTs, orderId, clientId, side, status,
            Optional(x, "limit_price"), Optional(x, "order_qty"), Optional(x, "cum_qty"), fill));
    }

    /// <summary>
    /// Balances of the spot wallet: a snapshot entry's <c>wallets</c> (<c>spot</c>/<c>main</c>), an update's balance when
    /// its <c>wallet_type</c> is <c>spot</c> (earn wallets are not for trading).
    /// </summary>
    private void Balance(JsonElement b, bool snapshot, long receivedTs)
    {
        var asset = new Symbol(KrakenPairs.V2Asset(Text(b, "asset")));
        decimal? total = null;
        if (snapshot)
        {
            if (b.TryGetProperty("wallets", out var wallets) && wallets.ValueKind == JsonValueKind.Array)
            {
                foreach (var wallet in wallets.EnumerateArray())
                {
                    if (wallet.TryGetProperty("type", out var type) && type.ValueEquals("spot"))
                    {
                        total = (total ?? 0) + Number(wallet, "balance");
                    }
                }
            }
            else
            {
                total = Number(b, "balance");
            }
        }
        else if (!b.TryGetProperty("wallet_type", out var walletType) || walletType.ValueEquals("spot"))
        {
            total = Number(b, "balance");
        }

        if (total is { } balance)
        {
            Emit(new BalanceUpdate(KrakenVenue.Id, Market, asset, b.TryGetProperty("timestamp", out _) ? Time(b, "timestamp") : receivedTs, receivedTs, balance, null, null));
        }
    }

    /// <summary>The executions channel's <c>order_status</c>.</summary>
    public static OrderStatus StatusOf(string status) => status switch
    {
        "pending_new" or "new" => OrderStatus.Open,
        "partially_filled" => OrderStatus.PartiallyFilled,
        "filled" => OrderStatus.Filled,
        "canceled" => OrderStatus.Canceled,
        "expired" => OrderStatus.Expired,
        _ => throw new FrameFormatException($"unknown order status '{status}'"),
    };

    private static OrderStatus StatusOfExec(string execType) => execType switch
    {
        "pending_new" or "new" or "amended" or "restated" or "status" or "iceberg_refill" => OrderStatus.Open,
        "trade" => OrderStatus.PartiallyFilled,
        "filled" => OrderStatus.Filled,
        "canceled" => OrderStatus.Canceled,
        "expired" => OrderStatus.Expired,
        _ => throw new FrameFormatException($"unknown exec_type '{execType}'"),
    };

    private static Side KrakenSide(string side) => side switch
    {
        "buy" => Side.Buy,
        "sell" => Side.Sell,
        _ => throw new FrameFormatException($"side '{side}' is neither buy nor sell"),
    };

    private static long Time(JsonElement item, string field) =>
        item.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? ParseTime(value.GetString()!, field) : throw Missing(field);

    /// <summary>An RFC 3339 time (<c>2023-09-25T07:49:37.708706Z</c>, up to nine fractional digits) as Unix ms.</summary>
    private static long ReadTime(ref Utf8JsonReader r, string field)
    {
        Expect(ref r, JsonTokenType.String, field);
        return r.TryGetDateTimeOffset(out var time) ? time.ToUnixTimeMilliseconds() : ParseTime(r.GetString()!, field);
    }

    /// <summary>Nanosecond times have more digits than <see cref="DateTimeOffset"/> reads: the fraction is cut to seven.</summary>
    public static long ParseTime(string text, string field)
    {
        var dot = text.IndexOf('.');
        if (dot > 0)
        {
            var end = dot + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }

            if (end - dot - 1 > 7)
            {
                text = string.Concat(text.AsSpan(0, dot + 8), text.AsSpan(end));
            }
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time.ToUnixTimeMilliseconds()
            : throw new FrameFormatException($"field '{field}' is not an RFC 3339 time");
    }

    private enum Channel
    {
        None,
        Unknown,
        Book,
        Trade,
        Ticker,
        Ohlc,
        Heartbeat,
        Status,
        Instrument,
        Executions,
        Balances,
    }

    private struct Envelope
    {
        public Channel Channel;
        public bool? Snapshot;
        public string? Method;
        public bool? Success;
        public string? Error;
        public string? RequestId;
        public long? Timestamp;
    }

    private sealed record BookItem(Symbol Symbol, bool Snapshot, ImmutableArray<BookLevel> Bids, ImmutableArray<BookLevel> Asks, uint Checksum, long Ts, long ReceivedTs);

    private sealed record KnownOrder(Symbol Symbol, Side Side, ClientOrderId? ClientOrderId);
}
