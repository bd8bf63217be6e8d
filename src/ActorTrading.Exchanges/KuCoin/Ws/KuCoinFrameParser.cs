using System.Buffers.Text;
using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Json;
using ActorTrading.Core.Market;
using ActorTrading.Core.Time;
using static ActorTrading.Core.Json.JsonReading;

namespace ActorTrading.Exchanges.KuCoin.Ws;

/// <summary>
/// Parses KuCoin Futures public frames with one <see cref="Utf8JsonReader"/> pass over the envelope and one over
/// <c>data</c> (which may come before <c>topic</c>). Topics are resolved once per connection and cached, so a
/// steady-state frame allocates only the records it emits. Timestamp units follow protocols §1C: ns in
/// execution/tickerV2, ms in level2*, seconds in candle open times.
/// </summary>
public sealed class KuCoinFrameParser : IFrameParser
{
    private readonly TopicCache _topics;
    private readonly PendingOutput _pending = new();

    /// <param name="market">Futures and Spot share the envelope; topics, field names and units differ.</param>
    public KuCoinFrameParser(MarketKind market = MarketKind.Futures)
    {
        _topics = new TopicCache(market);
    }

    /// <summary>
    /// What a frame yields reaches <paramref name="sink"/> only once the whole frame has parsed: a truncated or
    /// invalid frame yields its error line and nothing else.
    /// </summary>
    public void Parse(ReadOnlySpan<byte> frame, long receivedTs, IFrameSink sink)
    {
        _pending.Clear();
        try
        {
            ParseEnvelope(frame, receivedTs, _pending);
            _pending.FlushTo(sink, receivedTs);
        }
        catch (Exception e) when (MalformedFrame.Is(e))
        {
            sink.OnError(MalformedFrame.Error(e, frame));
        }
    }

    private void ParseEnvelope(ReadOnlySpan<byte> frame, long receivedTs, PendingOutput sink)
    {
        if (frame.IsEmpty)
        {
            throw new FrameFormatException("empty frame");
        }

        var reader = new Utf8JsonReader(frame, new JsonReaderOptions { MaxDepth = 16 });
        JsonReading.Next(ref reader);
        JsonReading.Expect(ref reader, JsonTokenType.StartObject, "frame");

        ReadOnlySpan<byte> type = default, subject = default;
        TopicInfo? topic = null;
        string? id = null, code = null, dataText = null;
        var deferred = default(Utf8JsonReader);
        var hasDeferred = false;
        var parsedData = false;
        var seen = EnvelopeMembers.None;

        while (true)
        {
            JsonReading.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            JsonReading.Expect(ref reader, JsonTokenType.PropertyName, "frame member");
            if (reader.ValueTextEquals("type"u8))
            {
                seen = Once(seen, EnvelopeMembers.Type);
                JsonReading.Next(ref reader);
                type = reader.ValueSpan;
            }
            else if (reader.ValueTextEquals("topic"u8))
            {
                seen = Once(seen, EnvelopeMembers.Topic);
                JsonReading.Next(ref reader);
                topic = _topics.Resolve(reader.ValueSpan);
            }
            else if (reader.ValueTextEquals("subject"u8))
            {
                seen = Once(seen, EnvelopeMembers.Subject);
                JsonReading.Next(ref reader);
                subject = reader.ValueSpan;
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                JsonReading.Next(ref reader);
                id = JsonReading.ReadString(ref reader, "id");
            }
            else if (reader.ValueTextEquals("code"u8))
            {
                JsonReading.Next(ref reader);
                code = JsonReading.ReadString(ref reader, "code");
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                seen = Once(seen, EnvelopeMembers.Data);
                JsonReading.Next(ref reader);
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    // KuCoin sends topic (and subject) before data: parse it in this same pass. Otherwise
                    // remember where it starts and come back once the envelope is known.
                    if (topic is not null && (!topic.NeedsSubject || !subject.IsEmpty))
                    {
                        ParseMessage(topic, subject, ref reader, receivedTs, sink, frame);
                        parsedData = true;
                    }
                    else
                    {
                        deferred = reader;
                        hasDeferred = true;
                        reader.Skip();
                    }
                }
                else if (reader.TokenType == JsonTokenType.String)
                {
                    dataText = reader.GetString();
                }
            }
            else
            {
                JsonReading.Next(ref reader);
                reader.Skip();
            }
        }

        if (reader.Read())
        {
            throw new FrameFormatException("data after the end of the frame");
        }

        if (parsedData)
        {
            return;
        }

        if (type.SequenceEqual("message"u8) || (type.IsEmpty && topic is not null))
        {
            if (!hasDeferred)
            {
                throw new FrameFormatException("message has no data object");
            }

            ParseMessage(topic ?? throw new FrameFormatException("message has no topic"), subject, ref deferred, receivedTs, sink, frame);
            return;
        }

        if (type.SequenceEqual("welcome"u8))
        {
            sink.OnControl(new ControlEvent(ControlKind.Welcome, id));
        }
        else if (type.SequenceEqual("ack"u8))
        {
            sink.OnControl(new ControlEvent(ControlKind.Ack, id));
        }
        else if (type.SequenceEqual("pong"u8))
        {
            sink.OnControl(new ControlEvent(ControlKind.Pong, id));
        }
        else if (type.SequenceEqual("ping"u8))
        {
            sink.OnControl(new ControlEvent(ControlKind.Ping, id));
        }
        else if (type.SequenceEqual("error"u8))
        {
            // {"id":"…","type":"error","code":401,"data":"token is expired"}: 401 means the token, anything else the request.
            var detail = $"{code} {dataText}".Trim();
            var kind = code == "401" || (dataText?.Contains("token", StringComparison.OrdinalIgnoreCase) ?? false)
                ? ControlKind.TokenRejected
                : ControlKind.Error;
            sink.OnControl(new ControlEvent(kind, id, detail));
        }
        else if (type.SequenceEqual("notice"u8) || type.SequenceEqual("command"u8))
        {
            // KuCoin announces maintenance and forced disconnects this way: reconnect on our terms.
            sink.OnControl(new ControlEvent(ControlKind.Shutdown, id, Encoding.UTF8.GetString(subject.IsEmpty ? type : subject)));
        }
        else
        {
            throw new FrameFormatException(type.IsEmpty ? "frame has no type" : $"unknown frame type '{Encoding.UTF8.GetString(type)}'");
        }
    }

    private static void ParseMessage(TopicInfo topic, ReadOnlySpan<byte> subject, ref Utf8JsonReader data, long receivedTs, PendingOutput output, ReadOnlySpan<byte> frame)
    {
        switch (topic.Kind)
        {
            case TopicKind.Execution:
                output.OnData(ParseTrade(topic, ref data, receivedTs));
                break;
            case TopicKind.TickerV2:
            case TopicKind.Ticker:
                output.OnData(ParseTicker(topic, ref data, receivedTs, topic.Symbol));
                break;
            case TopicKind.TickerAll:
                output.OnData(ParseTicker(topic, ref data, receivedTs, SubjectSymbol(subject)));
                break;
            case TopicKind.Level2:
                output.OnData(ParseLevel2Delta(topic, ref data, receivedTs));
                break;
            case TopicKind.SpotLevel2:
                output.OnData(ParseSpotLevel2(topic, ref data, receivedTs));
                break;
            case TopicKind.Level2Depth5:
            case TopicKind.Level2Depth50:
                output.OnData(ParseDepthSnapshot(topic, ref data, receivedTs));
                break;
            case TopicKind.Candle:
                output.OnCandle(topic, ParseCandle(topic, ref data, receivedTs));
                break;
            case TopicKind.Instrument:
                output.OnData(ParseInstrument(topic, subject, ref data, receivedTs));
                break;
            case TopicKind.TradeOrders:
                output.OnData(ParseOrderChange(topic, ref data, receivedTs));
                break;
            case TopicKind.Position when subject.SequenceEqual("position.change"u8):
                output.OnData(ParsePosition(topic, ref data, receivedTs));
                break;
            case TopicKind.Position when subject.SequenceEqual("position.settlement"u8):
                output.OnData(ParseFundingSettlement(topic, ref data, receivedTs));
                break;
            case TopicKind.Position when subject.SequenceEqual("position.adjustRiskLimit"u8):
                output.OnData(ParseRiskLimitChange(topic, ref data, receivedTs));
                break;
            case TopicKind.Position:
                // A subject the docs do not describe carries nothing we can type: say so, don't drop silently.
                data.Skip();
                output.OnControl(new ControlEvent(ControlKind.Notice, null, $"{topic.Text} {Encoding.UTF8.GetString(subject)}"));
                break;
            case TopicKind.Wallet:
                ParseWallet(topic, subject, ref data, receivedTs, output);
                break;
            case TopicKind.Statistics when topic.Market == MarketKind.Spot:
                ParseSpotStatistics(topic, ref data, receivedTs, output);
                break;
            case TopicKind.Statistics:
                output.OnData(ParseFuturesStatistics(topic, ref data, receivedTs));
                break;
            case TopicKind.IndexPrice:
            case TopicKind.MarkPrice:
                output.OnData(ParseIndicator(topic, ref data, receivedTs));
                break;
            case TopicKind.MarginMode:
            case TopicKind.CrossLeverage:
                ParseAccountSettings(topic, ref data, receivedTs, output);
                break;
            case TopicKind.Announcement:
                output.OnData(ParseAnnouncement(topic, subject, ref data, receivedTs));
                break;
            case TopicKind.Level1:
                output.OnData(ParseLevel1(topic, ref data, receivedTs));
                break;
            case TopicKind.StopOrders:
                output.OnData(ParseStopOrder(topic, ref data, receivedTs));
                break;
            case TopicKind.MarginPosition:
                output.OnData(ParseCrossMargin(topic, subject, ref data, receivedTs));
                break;
            case TopicKind.IsolatedMarginPosition:
                output.OnData(ParseIsolatedMargin(topic, ref data, receivedTs));
                break;
            case TopicKind.CallAuction:
                output.OnData(ParseCallAuction(topic, ref data, receivedTs));
                break;
            case TopicKind.FundingBook:
            case TopicKind.Loan:
                output.OnData(ParseLending(topic, subject, ref data, receivedTs));
                break;
            default:
                data.Skip();
                output.OnError(ProtocolError.From($"unknown topic '{topic.Text}'", frame));
                break;
        }
    }

    private static Trade ParseTrade(TopicInfo topic, ref Utf8JsonReader r, long receivedTs)
    {
        long? sequence = null, ts = null;
        decimal? price = null, size = null;
        Side? side = null;
        string? tradeId = null;
        JsonReading.Expect(ref r, JsonTokenType.StartObject, "data");
        while (NextMember(ref r))
        {
            if (r.ValueTextEquals("sequence"u8)) { JsonReading.Next(ref r); sequence = JsonReading.ReadInt64(ref r, "sequence"); }
            else if (r.ValueTextEquals("side"u8)) { JsonReading.Next(ref r); side = ReadSide(ref r); }
            else if (r.ValueTextEquals("size"u8)) { JsonReading.Next(ref r); size = JsonReading.ReadDecimal(ref r, "size"); }
            else if (r.ValueTextEquals("price"u8)) { JsonReading.Next(ref r); price = JsonReading.ReadDecimal(ref r, "price"); }
            else if (r.ValueTextEquals("tradeId"u8)) { JsonReading.Next(ref r); tradeId = JsonReading.ReadString(ref r, "tradeId"); }
            else if (r.ValueTextEquals("ts"u8) || r.ValueTextEquals("time"u8)) { JsonReading.Next(ref r); ts = ReadTime(ref r, "ts", TimeUnit.Nanoseconds); }
            else { SkipValue(ref r); }
        }

        return new Trade(KuCoinVenue.Id, topic.Market, topic.Symbol, Required(ts, "ts"), receivedTs,
            tradeId ?? throw Missing("tradeId"), side ?? throw Missing("side"),
            Positive(price, "price"), Positive(size, "size"), Required(sequence, "sequence"));
    }

    private static Ticker ParseTicker(TopicInfo topic, ref Utf8JsonReader r, long receivedTs, Symbol symbol)
    {
        long? sequence = null, ts = null;
        decimal? bid = null, bidSize = null, ask = null, askSize = null, last = null;
        JsonReading.Expect(ref r, JsonTokenType.StartObject, "data");
        while (NextMember(ref r))
        {
            if (r.ValueTextEquals("sequence"u8)) { JsonReading.Next(ref r); sequence = JsonReading.ReadInt64(ref r, "sequence"); }
            else if (r.ValueTextEquals("bestBidPrice"u8) || r.ValueTextEquals("bestBid"u8)) { JsonReading.Next(ref r); bid = JsonReading.ReadDecimal(ref r, "bestBidPrice"); }
            else if (r.ValueTextEquals("bestBidSize"u8)) { JsonReading.Next(ref r); bidSize = JsonReading.ReadDecimal(ref r, "bestBidSize"); }
            else if (r.ValueTextEquals("bestAskPrice"u8) || r.ValueTextEquals("bestAsk"u8)) { JsonReading.Next(ref r); ask = JsonReading.ReadDecimal(ref r, "bestAskPrice"); }
            else if (r.ValueTextEquals("bestAskSize"u8)) { JsonReading.Next(ref r); askSize = JsonReading.ReadDecimal(ref r, "bestAskSize"); }
            else if (r.ValueTextEquals("price"u8)) { JsonReading.Next(ref r); last = JsonReading.ReadOptionalDecimal(ref r, "price"); }
            else if (r.ValueTextEquals("ts"u8)) { JsonReading.Next(ref r); ts = ReadTime(ref r, "ts", TimeUnit.Nanoseconds); }
            else if (r.ValueTextEquals("Time"u8) || r.ValueTextEquals("time"u8)) { JsonReading.Next(ref r); ts = ReadTime(ref r, "time", TimeUnit.Milliseconds); }
            else { SkipValue(ref r); }
        }

        if (last is <= 0)
        {
            throw new FrameFormatException($"field 'price' must be positive, got {last}");
        }

        return new Ticker(KuCoinVenue.Id, topic.Market, symbol, Required(ts, "ts"), receivedTs,
            Positive(bid, "bestBidPrice"), Positive(bidSize, "bestBidSize"), Positive(ask, "bestAskPrice"), Positive(askSize, "bestAskSize"),
            last, Required(sequence, "sequence"));
    }

    private static OrderBookUpdate ParseLevel2Delta(TopicInfo topic, ref Utf8JsonReader r, long receivedTs)
    {
        long? sequence = null, ts = null;
        (BookLevel Level, bool IsBid)? change = null;
        JsonReading.Expect(ref r, JsonTokenType.StartObject, "data");
        while (NextMember(ref r))
        {
            if (r.ValueTextEquals("sequence"u8)) { JsonReading.Next(ref r); sequence = JsonReading.ReadInt64(ref r, "sequence"); }
            else if (r.ValueTextEquals("timestamp"u8)) { JsonReading.Next(ref r); ts = ReadTime(ref r, "timestamp", TimeUnit.Milliseconds); }
            else if (r.ValueTextEquals("change"u8))
            {
                JsonReading.Next(ref r);
                JsonReading.Expect(ref r, JsonTokenType.String, "change");
                change = ParseChange(r.ValueSpan);
            }
            else { SkipValue(ref r); }
        }

        var (level, isBid) = change ?? throw Missing("change");
        var seq = Required(sequence, "sequence");
        if (seq < 0)
        {
            throw new FrameFormatException($"field 'sequence' must not be negative, got {seq}");
        }

        var levels = ImmutableArray.Create(level);
        return new OrderBookUpdate(KuCoinVenue.Id, topic.Market, topic.Symbol, Required(ts, "timestamp"), receivedTs, DataChannel.BookDelta,
            BookUpdateKind.Delta, seq, seq,
            isBid ? levels : ImmutableArray<BookLevel>.Empty,
            isBid ? ImmutableArray<BookLevel>.Empty : levels);
    }

    /// <summary>
    /// Spot <c>/market/level2</c>: <c>changes.bids/asks</c> as <c>[price, size, sequence]</c> over
    /// <c>sequenceStart..sequenceEnd</c>; the per-level sequences let the book skip levels its snapshot already has.
    /// </summary>
    private static OrderBookUpdate ParseSpotLevel2(TopicInfo topic, ref Utf8JsonReader r, long receivedTs)
    {
        long first = -1, last = -1;
        long? ts = null;
        var hasChanges = false;
        ImmutableArray<BookLevel> bids = [], asks = [];
        ImmutableArray<long> bidSequences = [], askSequences = [];
        JsonReading.Expect(ref r, JsonTokenType.StartObject, "data");
        while (NextMember(ref r))
        {
            if (r.ValueTextEquals("sequenceStart"u8)) { JsonReading.Next(ref r); first = JsonReading.ReadInt64(ref r, "sequenceStart"); }
            else if (r.ValueTextEquals("sequenceEnd"u8)) { JsonReading.Next(ref r); last = JsonReading.ReadInt64(ref r, "sequenceEnd"); }
            else if (r.ValueTextEquals("time"u8)) { JsonReading.Next(ref r); ts = ReadTime(ref r, "time", TimeUnit.Milliseconds); }
            else if (r.ValueTextEquals("changes"u8))
            {
                JsonReading.Next(ref r);
                JsonReading.Expect(ref r, JsonTokenType.StartObject, "changes");
                hasChanges = true;
                while (NextMember(ref r))
                {
                    var isBids = r.ValueTextEquals("bids"u8);
                    if (!isBids && !r.ValueTextEquals("asks"u8))
                    {
                        SkipValue(ref r);
                        continue;
                    }

                    JsonReading.Next(ref r);
                    var (levels, sequences) = ReadSequencedLevels(ref r, isBids ? "bids" : "asks");
                    (bids, bidSequences) = isBids ? (levels, sequences) : (bids, bidSequences);
                    (asks, askSequences) = isBids ? (asks, askSequences) : (levels, sequences);
                }
            }
            else { SkipValue(ref r); }
        }

        if (first < 0 || last < first)
        {
            throw new FrameFormatException("level2 update needs sequenceStart <= sequenceEnd");
        }

        if (!hasChanges)
        {
            throw Missing("changes");
        }

        return new OrderBookUpdate(KuCoinVenue.Id, topic.Market, topic.Symbol, Required(ts, "time"), receivedTs, DataChannel.BookDelta,
            BookUpdateKind.Delta, first, last, bids, asks, bidSequences, askSequences);
    }

    private static (ImmutableArray<BookLevel> Levels, ImmutableArray<long> Sequences) ReadSequencedLevels(ref Utf8JsonReader r, string field)
    {
        JsonReading.Expect(ref r, JsonTokenType.StartArray, field);
        var levels = ImmutableArray.CreateBuilder<BookLevel>();
        var sequences = ImmutableArray.CreateBuilder<long>();
        while (true)
        {
            JsonReading.Next(ref r);
            if (r.TokenType == JsonTokenType.EndArray)
            {
                break;
            }

            JsonReading.Expect(ref r, JsonTokenType.StartArray, field + " level");
            JsonReading.Next(ref r);
            var price = JsonReading.ReadDecimal(ref r, field + ".price");
            JsonReading.Next(ref r);
            var size = JsonReading.ReadDecimal(ref r, field + ".size");
            JsonReading.Next(ref r);
            sequences.Add(JsonReading.ReadInt64(ref r, field + ".sequence"));
            JsonReading.Next(ref r);
            JsonReading.Expect(ref r, JsonTokenType.EndArray, field + " level end");
            levels.Add(Level(price, size, field));
        }

        return (levels.DrainToImmutable(), sequences.DrainToImmutable());
    }

    /// <summary>Parses <c>"price,side,size"</c>; the size is absolute and 0 removes the level.</summary>
    public static (BookLevel Level, bool IsBid) ParseChange(ReadOnlySpan<byte> change)
    {
        var first = change.IndexOf((byte)',');
        var rest = first < 0 ? default : change[(first + 1)..];
        var second = rest.IndexOf((byte)',');
        if (first < 0 || second < 0)
        {
            throw new FrameFormatException("change must be 'price,side,size'");
        }

        var price = ParseDecimal(change[..first], "change.price");
        var sideText = rest[..second];
        var size = ParseDecimal(rest[(second + 1)..], "change.size");
        bool isBid;
        if (sideText.SequenceEqual("buy"u8))
        {
            isBid = true;
        }
        else if (sideText.SequenceEqual("sell"u8))
        {
            isBid = false;
        }
        else
        {
            throw new FrameFormatException("change side must be buy or sell");
        }

        return (Level(price, size, "change"), isBid);
    }

    private static OrderBookUpdate ParseDepthSnapshot(TopicInfo topic, ref Utf8JsonReader r, long receivedTs)
    {
        long? sequence = null, ts = null;
        ImmutableArray<BookLevel>? bids = null, asks = null;
        JsonReading.Expect(ref r, JsonTokenType.StartObject, "data");
        while (NextMember(ref r))
        {
            if (r.ValueTextEquals("sequence"u8)) { JsonReading.Next(ref r); sequence = JsonReading.ReadInt64(ref r, "sequence"); }
            else if (r.ValueTextEquals("timestamp"u8)) { JsonReading.Next(ref r); ts = ReadTime(ref r, "timestamp", TimeUnit.Milliseconds); }
            else if (r.ValueTextEquals("bids"u8)) { JsonReading.Next(ref r); bids = JsonReading.ReadLevels(ref r, "bids"); }
            else if (r.ValueTextEquals("asks"u8)) { JsonReading.Next(ref r); asks = JsonReading.ReadLevels(ref r, "asks"); }
            else { SkipValue(ref r); }
        }

        // Spot depth pushes carry no sequence: their timestamp orders them instead.
        var time = Required(ts, "timestamp");
        var seq = sequence ?? time;
        var channel = topic.Kind == TopicKind.Level2Depth5 ? DataChannel.BookDepth5 : DataChannel.BookDepth50;
        return new OrderBookUpdate(KuCoinVenue.Id, topic.Market, topic.Symbol, time, receivedTs, channel,
            BookUpdateKind.Snapshot, seq, seq, bids ?? throw Missing("bids"), asks ?? throw Missing("asks"));
    }

    /// <summary>
    /// <c>candles</c> is [start time (s), open, close, high, low, volume, turnover]; the bar must be a bar: prices
    /// positive, high the highest and low the lowest, volume not negative.
    /// </summary>
    private static Candle ParseCandle(TopicInfo topic, ref Utf8JsonReader r, long receivedTs)
    {
        long? time = null, openTs = null;
        Span<decimal> values = stackalloc decimal[5];
        JsonReading.Expect(ref r, JsonTokenType.StartObject, "data");
        while (NextMember(ref r))
        {
            if (r.ValueTextEquals("time"u8))
            {
                // Futures sends milliseconds, spot nanoseconds.
                JsonReading.Next(ref r);
                time = ReadTime(ref r, "time", topic.Market == MarketKind.Spot ? TimeUnit.Nanoseconds : TimeUnit.Milliseconds);
            }
            else if (r.ValueTextEquals("candles"u8))
            {
                JsonReading.Next(ref r);
                JsonReading.Expect(ref r, JsonTokenType.StartArray, "candles");
                JsonReading.Next(ref r);
                openTs = ReadTime(ref r, "candles[0]", TimeUnit.Seconds);
                for (var i = 0; i < values.Length; i++)
                {
                    JsonReading.Next(ref r);
                    if (r.TokenType == JsonTokenType.EndArray)
                    {
                        throw new FrameFormatException($"candles has {i + 1} values, needs at least 6");
                    }

                    values[i] = JsonReading.ReadDecimal(ref r, "candles");
                }

                JsonReading.Next(ref r);
                while (r.TokenType != JsonTokenType.EndArray)
                {
                    r.Skip();
                    JsonReading.Next(ref r);
                }
            }
            else { SkipValue(ref r); }
        }

        var start = openTs ?? throw Missing("candles");
        decimal open = values[0], close = values[1], high = values[2], low = values[3], volume = values[4];
        if (open <= 0 || close <= 0 || high <= 0 || low <= 0)
        {
            throw new FrameFormatException("candle prices must be positive");
        }

        if (high < low || high < Math.Max(open, close) || low > Math.Min(open, close))
        {
            throw new FrameFormatException($"candle high {high} and low {low} do not bound open {open} and close {close}");
        }

        if (volume < 0)
        {
            throw new FrameFormatException($"candle volume must not be negative, got {volume}");
        }

        return new Candle(KuCoinVenue.Id, topic.Market, topic.Symbol, Required(time, "time"), receivedTs, topic.Interval!,
            start, Open: open, High: high, Low: low, Close: close, Volume: volume, IsClosed: false);
    }

    private static FundingRate ParseInstrument(TopicInfo topic, ReadOnlySpan<byte> subject, ref Utf8JsonReader r, long receivedTs)
    {
        long? ts = null, granularity = null;
        decimal? mark = null, index = null, rate = null;
        JsonReading.Expect(ref r, JsonTokenType.StartObject, "data");
        while (NextMember(ref r))
        {
            if (r.ValueTextEquals("markPrice"u8)) { JsonReading.Next(ref r); mark = JsonReading.ReadDecimal(ref r, "markPrice"); }
            else if (r.ValueTextEquals("indexPrice"u8)) { JsonReading.Next(ref r); index = JsonReading.ReadDecimal(ref r, "indexPrice"); }
            else if (r.ValueTextEquals("fundingRate"u8)) { JsonReading.Next(ref r); rate = JsonReading.ReadDecimal(ref r, "fundingRate"); }
            else if (r.ValueTextEquals("granularity"u8)) { JsonReading.Next(ref r); granularity = JsonReading.ReadInt64(ref r, "granularity"); }
            else if (r.ValueTextEquals("timestamp"u8) || r.ValueTextEquals("ts"u8)) { JsonReading.Next(ref r); ts = ReadTime(ref r, "timestamp", TimeUnit.Milliseconds); }
            else { SkipValue(ref r); }
        }

        if (subject.SequenceEqual("funding.rate"u8))
        {
            // granularity 60000 is the minute-by-minute predicted rate; 28800000 the settled 8 h rate.
            var predicted = Required(granularity, "granularity") == 60_000;
            var funding = Required(rate, "fundingRate");
            return new FundingRate(KuCoinVenue.Id, topic.Market, topic.Symbol, Required(ts, "timestamp"), receivedTs,
                predicted ? null : funding, predicted ? funding : null, null, null, null);
        }

        if (subject.SequenceEqual("mark.index.price"u8))
        {
            return new FundingRate(KuCoinVenue.Id, topic.Market, topic.Symbol, Required(ts, "timestamp"), receivedTs, null, null,
                Positive(mark, "markPrice"), Positive(index, "indexPrice"), null);
        }

        throw new FrameFormatException($"unknown instrument subject '{Encoding.UTF8.GetString(subject)}'");
    }

    /// <summary>
    /// <c>/contractMarket/tradeOrders</c> (subject <c>symbolOrderChange</c>) and spot <c>/spotMarket/tradeOrdersV2</c>:
    /// <c>type</c> is received, open, match, filled, canceled or update; a match carries the fill (tradeId,
    /// matchPrice, matchSize, liquidity). Sizes a push does not carry (spot <c>received</c>) stay unknown, never 0;
    /// empty strings in optional numbers (<c>"matchSize":""</c> on non-match pushes) are no value. The push has no
    /// fee: fees come from the fills endpoint.
    /// </summary>
    private static OrderUpdate ParseOrderChange(TopicInfo topic, ref Utf8JsonReader r, long receivedTs)
    {
        string? orderId = null, clientOid = null, tradeId = null, symbol = null;
        ReadOnlySpan<byte> type = default, status = default;
        Side? side = null;
        decimal? price = null, matchPrice = null, matchSize = null, size = null, filled = null;
        Liquidity? liquidity = null;
        long? ts = null;
        JsonReading.Expect(ref r, JsonTokenType.StartObject, "data");
        while (NextMember(ref r))
        {
            if (r.ValueTextEquals("orderId"u8)) { JsonReading.Next(ref r); orderId = JsonReading.ReadString(ref r, "orderId"); }
            else if (r.ValueTextEquals("symbol"u8)) { JsonReading.Next(ref r); symbol = JsonReading.ReadString(ref r, "symbol"); }
            else if (r.ValueTextEquals("clientOid"u8)) { JsonReading.Next(ref r); clientOid = r.TokenType == JsonTokenType.Null ? null : JsonReading.ReadString(ref r, "clientOid"); }
            else if (r.ValueTextEquals("tradeId"u8)) { JsonReading.Next(ref r); tradeId = r.TokenType == JsonTokenType.Null || r.ValueSpan.IsEmpty ? null : JsonReading.ReadString(ref r, "tradeId"); }
            else if (r.ValueTextEquals("type"u8)) { JsonReading.Next(ref r); type = r.ValueSpan; }
            else if (r.ValueTextEquals("status"u8)) { JsonReading.Next(ref r); status = r.ValueSpan; }
            else if (r.ValueTextEquals("side"u8)) { JsonReading.Next(ref r); side = ReadSide(ref r); }
            else if (r.ValueTextEquals("price"u8)) { JsonReading.Next(ref r); price = JsonReading.ReadOptionalDecimal(ref r, "price"); }
            else if (r.ValueTextEquals("size"u8)) { JsonReading.Next(ref r); size = JsonReading.ReadOptionalDecimal(ref r, "size"); }
            else if (r.ValueTextEquals("filledSize"u8)) { JsonReading.Next(ref r); filled = JsonReading.ReadOptionalDecimal(ref r, "filledSize"); }
            else if (r.ValueTextEquals("matchPrice"u8)) { JsonReading.Next(ref r); matchPrice = JsonReading.ReadOptionalDecimal(ref r, "matchPrice"); }
            else if (r.ValueTextEquals("matchSize"u8)) { JsonReading.Next(ref r); matchSize = JsonReading.ReadOptionalDecimal(ref r, "matchSize"); }
            else if (r.ValueTextEquals("liquidity"u8))
            {
                JsonReading.Next(ref r);
                liquidity = r.ValueTextEquals("maker"u8) ? Liquidity.Maker : r.ValueTextEquals("taker"u8) ? Liquidity.Taker : null;
            }
            else if (r.ValueTextEquals("ts"u8)) { JsonReading.Next(ref r); ts = ReadTime(ref r, "ts", TimeUnit.Nanoseconds); }
            else { SkipValue(ref r); }
        }

        if (orderId is null || side is null || type.IsEmpty)
        {
            throw new FrameFormatException("order change needs orderId, side and type");
        }

        if (size is < 0 || filled is < 0)
        {
            throw new FrameFormatException("order sizes must not be negative");
        }

        var orderStatus = OrderStatusOf(type, status, filled, size);
        FillInfo? fill = null;
        if (type.SequenceEqual("match"u8))
        {
            fill = new FillInfo(tradeId ?? throw new FrameFormatException("match without tradeId"),
                Positive(matchPrice, "matchPrice"), Positive(matchSize, "matchSize"), Fee: null, FeeCurrency: null, liquidity);
        }

        return new OrderUpdate(KuCoinVenue.Id, topic.Market, symbol is null ? topic.Symbol : new Symbol(symbol), Required(ts, "ts"), receivedTs,
            orderId, clientOid is { Length: > 0 } ? new ClientOrderId(clientOid) : null, side.Value, orderStatus,
            price is > 0 ? price : null, size, filled, fill);
    }

    private static OrderStatus OrderStatusOf(ReadOnlySpan<byte> type, ReadOnlySpan<byte> status, decimal? filled, decimal? size)
    {
        if (type.SequenceEqual("canceled"u8))
        {
            return OrderStatus.Canceled;
        }

        if (type.SequenceEqual("filled"u8) || (status.SequenceEqual("done"u8) && filled >= size && size > 0))
        {
            return OrderStatus.Filled;
        }

        if (status.SequenceEqual("done"u8))
        {
            return OrderStatus.Canceled;
        }

        return filled > 0 ? OrderStatus.PartiallyFilled : OrderStatus.Open;
    }

    /// <summary>
    /// <c>/contract/position:{symbol}</c>, subject <c>position.change</c>. A mark-price change carries no quantity:
    /// its quantity is unknown (null), never flat.
    /// </summary>
    private static PositionChange ParsePosition(TopicInfo topic, ref Utf8JsonReader r, long receivedTs)
    {
        decimal? qty = null, entry = null, mark = null, unrealised = null, realised = null;
        long? ts = null;
        string? symbol = null;
        JsonReading.Expect(ref r, JsonTokenType.StartObject, "data");
        while (NextMember(ref r))
        {
            if (r.ValueTextEquals("symbol"u8)) { JsonReading.Next(ref r); symbol = JsonReading.ReadString(ref r, "symbol"); }
            else if (r.ValueTextEquals("currentQty"u8)) { JsonReading.Next(ref r); qty = JsonReading.ReadDecimal(ref r, "currentQty"); }
            else if (r.ValueTextEquals("avgEntryPrice"u8)) { JsonReading.Next(ref r); entry = JsonReading.ReadOptionalDecimal(ref r, "avgEntryPrice"); }
            else if (r.ValueTextEquals("markPrice"u8)) { JsonReading.Next(ref r); mark = JsonReading.ReadOptionalDecimal(ref r, "markPrice"); }
            else if (r.ValueTextEquals("unrealisedPnl"u8)) { JsonReading.Next(ref r); unrealised = JsonReading.ReadOptionalDecimal(ref r, "unrealisedPnl"); }
            else if (r.ValueTextEquals("realisedPnl"u8)) { JsonReading.Next(ref r); realised = JsonReading.ReadOptionalDecimal(ref r, "realisedPnl"); }
            else if (r.ValueTextEquals("currentTimestamp"u8)) { JsonReading.Next(ref r); ts = ReadTime(ref r, "currentTimestamp", TimeUnit.Milliseconds); }
            else { SkipValue(ref r); }
        }

        return new PositionChange(KuCoinVenue.Id, topic.Market, symbol is null ? topic.Symbol : new Symbol(symbol), Required(ts, "currentTimestamp"), receivedTs,
            qty, entry, mark, unrealised, realised);
    }

    /// <summary>
    /// Futures <c>/contractAccount/wallet</c> (walletBalance, availableBalance, holdBalance) or spot <c>/account/balance</c>
    /// (total, available, hold); the symbol is the currency. Futures subjects that carry only part of a balance
    /// (orderMargin.change, availableBalance.change, withdrawHold.change) are notices: a balance is never made up.
    /// </summary>
    private static void ParseWallet(TopicInfo topic, ReadOnlySpan<byte> subject, ref Utf8JsonReader r, long receivedTs, PendingOutput output)
    {
        string? currency = null;
        decimal? total = null, available = null, hold = null;
        long? ts = null;
        JsonReading.Expect(ref r, JsonTokenType.StartObject, "data");
        while (NextMember(ref r))
        {
            if (r.ValueTextEquals("currency"u8)) { JsonReading.Next(ref r); currency = JsonReading.ReadString(ref r, "currency"); }
            else if (r.ValueTextEquals("walletBalance"u8) || r.ValueTextEquals("total"u8)) { JsonReading.Next(ref r); total = JsonReading.ReadDecimal(ref r, "total"); }
            else if (r.ValueTextEquals("availableBalance"u8) || r.ValueTextEquals("available"u8)) { JsonReading.Next(ref r); available = JsonReading.ReadDecimal(ref r, "available"); }
            else if (r.ValueTextEquals("holdBalance"u8) || r.ValueTextEquals("hold"u8)) { JsonReading.Next(ref r); hold = JsonReading.ReadDecimal(ref r, "hold"); }
            else if (r.ValueTextEquals("timestamp"u8) || r.ValueTextEquals("time"u8)) { JsonReading.Next(ref r); ts = ReadTime(ref r, "time", TimeUnit.Milliseconds); }
            else { SkipValue(ref r); }
        }

        if (total is null && (subject.SequenceEqual("orderMargin.change"u8) || subject.SequenceEqual("availableBalance.change"u8) || subject.SequenceEqual("withdrawHold.change"u8)))
        {
            output.OnControl(new ControlEvent(ControlKind.Notice, null, $"{topic.Text} {Encoding.UTF8.GetString(subject)} {currency}".TrimEnd()));
            return;
        }

        output.OnData(new BalanceUpdate(KuCoinVenue.Id, topic.Market, new Symbol(currency ?? throw Missing("currency")), Required(ts, "time"), receivedTs,
            Required(total, "total"), Required(available, "available"), Required(hold, "hold")));
    }

    /// <summary><c>/contractMarket/snapshot:{symbol}</c> (subject <c>snapshot.24h</c>): the 24-hour figures; <c>ts</c> in ns.</summary>
    private static MarketStatistics ParseFuturesStatistics(TopicInfo topic, ref Utf8JsonReader r, long receivedTs)
    {
        decimal? last = null, high = null, low = null, volume = null, turnover = null, change = null, rate = null;
        long? ts = null;
        JsonReading.Expect(ref r, JsonTokenType.StartObject, "data");
        while (NextMember(ref r))
        {
            if (r.ValueTextEquals("lastPrice"u8)) { JsonReading.Next(ref r); last = JsonReading.ReadOptionalDecimal(ref r, "lastPrice"); }
            else if (r.ValueTextEquals("highPrice"u8)) { JsonReading.Next(ref r); high = JsonReading.ReadOptionalDecimal(ref r, "highPrice"); }
            else if (r.ValueTextEquals("lowPrice"u8)) { JsonReading.Next(ref r); low = JsonReading.ReadOptionalDecimal(ref r, "lowPrice"); }
            else if (r.ValueTextEquals("volume"u8)) { JsonReading.Next(ref r); volume = JsonReading.ReadOptionalDecimal(ref r, "volume"); }
            else if (r.ValueTextEquals("turnover"u8)) { JsonReading.Next(ref r); turnover = JsonReading.ReadOptionalDecimal(ref r, "turnover"); }
            else if (r.ValueTextEquals("priceChg"u8)) { JsonReading.Next(ref r); change = JsonReading.ReadOptionalDecimal(ref r, "priceChg"); }
            else if (r.ValueTextEquals("priceChgPct"u8)) { JsonReading.Next(ref r); rate = JsonReading.ReadOptionalDecimal(ref r, "priceChgPct"); }
            else if (r.ValueTextEquals("ts"u8)) { JsonReading.Next(ref r); ts = ReadTime(ref r, "ts", TimeUnit.Nanoseconds); }
            else { SkipValue(ref r); }
        }

        return Statistics(topic, topic.Symbol, Required(ts, "ts"), receivedTs, last, high, low, volume, turnover, change, rate);
    }

    /// <summary>
    /// <c>/market/snapshot:{symbol}</c> (subject <c>trade.snapshot</c>): the figures sit in a nested <c>data</c> object;
    /// subscribed by market (<c>/market/snapshot:BTC</c>) it is an array, one entry per symbol. <c>datetime</c> in ms,
    /// <c>vol</c> in the base currency, <c>volValue</c> in the quote.
    /// </summary>
    private static void ParseSpotStatistics(TopicInfo topic, ref Utf8JsonReader r, long receivedTs, PendingOutput output)
    {
        var nested = false;
        JsonReading.Expect(ref r, JsonTokenType.StartObject, "data");
        while (NextMember(ref r))
        {
            if (!r.ValueTextEquals("data"u8))
            {
                SkipValue(ref r);
                continue;
            }

            nested = true;
            JsonReading.Next(ref r);
            if (r.TokenType != JsonTokenType.StartArray)
            {
                output.OnData(ParseSpotSymbolStatistics(topic, ref r, receivedTs, market: false));
                continue;
            }

            while (true)
            {
                JsonReading.Next(ref r);
                if (r.TokenType == JsonTokenType.EndArray)
                {
                    break;
                }

                output.OnData(ParseSpotSymbolStatistics(topic, ref r, receivedTs, market: true));
            }
        }

        if (!nested)
        {
            throw Missing("data.data");
        }
    }

    private static MarketStatistics ParseSpotSymbolStatistics(TopicInfo topic, ref Utf8JsonReader r, long receivedTs, bool market)
    {
        decimal? last = null, high = null, low = null, volume = null, turnover = null, change = null, rate = null;
        long? ts = null;
        string? symbol = null;
        JsonReading.Expect(ref r, JsonTokenType.StartObject, "data.data");
        while (NextMember(ref r))
        {
            if (r.ValueTextEquals("symbol"u8)) { JsonReading.Next(ref r); symbol = JsonReading.ReadString(ref r, "symbol"); }
            else if (r.ValueTextEquals("lastTradedPrice"u8)) { JsonReading.Next(ref r); last = JsonReading.ReadOptionalDecimal(ref r, "lastTradedPrice"); }
            else if (r.ValueTextEquals("high"u8)) { JsonReading.Next(ref r); high = JsonReading.ReadOptionalDecimal(ref r, "high"); }
            else if (r.ValueTextEquals("low"u8)) { JsonReading.Next(ref r); low = JsonReading.ReadOptionalDecimal(ref r, "low"); }
            else if (r.ValueTextEquals("vol"u8)) { JsonReading.Next(ref r); volume = JsonReading.ReadOptionalDecimal(ref r, "vol"); }
            else if (r.ValueTextEquals("volValue"u8)) { JsonReading.Next(ref r); turnover = JsonReading.ReadOptionalDecimal(ref r, "volValue"); }
            else if (r.ValueTextEquals("changePrice"u8)) { JsonReading.Next(ref r); change = JsonReading.ReadOptionalDecimal(ref r, "changePrice"); }
            else if (r.ValueTextEquals("changeRate"u8)) { JsonReading.Next(ref r); rate = JsonReading.ReadOptionalDecimal(ref r, "changeRate"); }
            else if (r.ValueTextEquals("datetime"u8)) { JsonReading.Next(ref r); ts = ReadTime(ref r, "datetime", TimeUnit.Milliseconds); }
            else { SkipValue(ref r); }
        }

        // A market's snapshot names each symbol; a symbol's snapshot is about its topic's symbol.
        var about = market ? new Symbol(symbol ?? throw Missing("symbol")) : topic.Symbol;
        return Statistics(topic, about, Required(ts, "datetime"), receivedTs, last, high, low, volume, turnover, change, rate);
    }

    /// <summary><c>/indicator/index:{symbol}</c> and <c>/indicator/markPrice:{symbol}</c> (subject <c>tick</c>): one price.</summary>
    private static FundingRate ParseIndicator(TopicInfo topic, ref Utf8JsonReader r, long receivedTs)
    {
        decimal? value = null;
        long? ts = null;
        string? symbol = null;
        JsonReading.Expect(ref r, JsonTokenType.StartObject, "data");
        while (NextMember(ref r))
        {
            if (r.ValueTextEquals("symbol"u8)) { JsonReading.Next(ref r); symbol = JsonReading.ReadString(ref r, "symbol"); }
            else if (r.ValueTextEquals("value"u8)) { JsonReading.Next(ref r); value = JsonReading.ReadDecimal(ref r, "value"); }
            else if (r.ValueTextEquals("timestamp"u8)) { JsonReading.Next(ref r); ts = ReadTime(ref r, "timestamp", TimeUnit.Milliseconds); }
            else { SkipValue(ref r); }
        }

        var price = Positive(value, "value");
        var index = topic.Kind == TopicKind.IndexPrice;
        return new FundingRate(KuCoinVenue.Id, topic.Market, symbol is null ? topic.Symbol : new Symbol(symbol), Required(ts, "timestamp"), receivedTs,
            null, null, index ? null : price, index ? price : null, null);
    }

    /// <summary>
    /// <c>/contract/marginMode</c> (<c>{"ETHUSDTM":"ISOLATED"}</c>) and <c>/contract/crossLeverage</c>
    /// (<c>{"ETHUSDTM":{"leverage":"8"}}</c>): one setting per symbol named; the push carries no time.
    /// </summary>
    private static void ParseAccountSettings(TopicInfo topic, ref Utf8JsonReader r, long receivedTs, PendingOutput output)
    {
        JsonReading.Expect(ref r, JsonTokenType.StartObject, "data");
        while (NextMember(ref r))
        {
            var symbol = new Symbol(r.GetString()!);
            JsonReading.Next(ref r);
            if (topic.Kind == TopicKind.MarginMode)
            {
                var mode = JsonReading.ReadString(ref r, "marginMode");
                output.OnData(new AccountSetting(KuCoinVenue.Id, topic.Market, symbol, receivedTs, receivedTs, mode, null));
                continue;
            }

            decimal? leverage = null;
            JsonReading.Expect(ref r, JsonTokenType.StartObject, "crossLeverage");
            while (NextMember(ref r))
            {
                if (r.ValueTextEquals("leverage"u8)) { JsonReading.Next(ref r); leverage = JsonReading.ReadDecimal(ref r, "leverage"); }
                else { SkipValue(ref r); }
            }

            output.OnData(new AccountSetting(KuCoinVenue.Id, topic.Market, symbol, receivedTs, receivedTs, null, Positive(leverage, "leverage")));
        }
    }

    private static MarketStatistics Statistics(TopicInfo topic, Symbol symbol, long ts, long receivedTs, decimal? last, decimal? high, decimal? low,
        decimal? volume, decimal? turnover, decimal? change, decimal? rate)
    {
        if (last is <= 0 || high is <= 0 || low is <= 0 || volume is < 0 || turnover is < 0 || (high is { } h && low is { } l && h < l))
        {
            throw new FrameFormatException($"24 h statistics out of range: last {last}, high {high}, low {low}, volume {volume}, turnover {turnover}");
        }

        return new MarketStatistics(KuCoinVenue.Id, topic.Market, symbol, ts, receivedTs, last, high, low, volume, turnover, change, rate);
    }

    /// <summary><c>/contract/announcement</c>: <c>funding.begin</c>, <c>funding.end</c> and other notices, per symbol.</summary>
    private static VenueNotice ParseAnnouncement(TopicInfo topic, ReadOnlySpan<byte> subject, ref Utf8JsonReader r, long receivedTs)
    {
        string? symbol = null;
        long? ts = null, fundingTime = null;
        decimal? rate = null;
        JsonReading.Expect(ref r, JsonTokenType.StartObject, "data");
        while (NextMember(ref r))
        {
            if (r.ValueTextEquals("symbol"u8)) { JsonReading.Next(ref r); symbol = JsonReading.ReadString(ref r, "symbol"); }
            else if (r.ValueTextEquals("fundingTime"u8)) { JsonReading.Next(ref r); fundingTime = ReadTime(ref r, "fundingTime", TimeUnit.Milliseconds); }
            else if (r.ValueTextEquals("fundingRate"u8)) { JsonReading.Next(ref r); rate = JsonReading.ReadOptionalDecimal(ref r, "fundingRate"); }
            else if (r.ValueTextEquals("timestamp"u8)) { JsonReading.Next(ref r); ts = ReadTime(ref r, "timestamp", TimeUnit.Milliseconds); }
            else { SkipValue(ref r); }
        }

        if (subject.IsEmpty)
        {
            throw Missing("subject");
        }

        return new VenueNotice(KuCoinVenue.Id, topic.Market, new Symbol(symbol ?? throw Missing("symbol")), Required(ts, "timestamp"), receivedTs,
            Encoding.UTF8.GetString(subject), fundingTime, rate);
    }

    /// <summary><c>/market/ticker:all</c> names each push's symbol in <c>subject</c>.</summary>
    private static Symbol SubjectSymbol(ReadOnlySpan<byte> subject) =>
        subject.IsEmpty ? throw Missing("subject") : new Symbol(Encoding.UTF8.GetString(subject));

    /// <summary>
    /// <c>position.settlement</c> on <c>/contract/position</c>: a funding fee charged or paid on the position
    /// (fundingTime in ms, ts in ns).
    /// </summary>
    private static FundingSettlement ParseFundingSettlement(TopicInfo topic, ref Utf8JsonReader r, long receivedTs)
    {
        decimal? qty = null, mark = null, rate = null, fee = null;
        long? fundingTime = null, ts = null;
        string? currency = null, symbol = null;
        JsonReading.Expect(ref r, JsonTokenType.StartObject, "data");
        while (NextMember(ref r))
        {
            if (r.ValueTextEquals("symbol"u8)) { JsonReading.Next(ref r); symbol = JsonReading.ReadString(ref r, "symbol"); }
            else if (r.ValueTextEquals("qty"u8)) { JsonReading.Next(ref r); qty = JsonReading.ReadDecimal(ref r, "qty"); }
            else if (r.ValueTextEquals("markPrice"u8)) { JsonReading.Next(ref r); mark = JsonReading.ReadDecimal(ref r, "markPrice"); }
            else if (r.ValueTextEquals("fundingRate"u8)) { JsonReading.Next(ref r); rate = JsonReading.ReadDecimal(ref r, "fundingRate"); }
            else if (r.ValueTextEquals("fundingFee"u8)) { JsonReading.Next(ref r); fee = JsonReading.ReadDecimal(ref r, "fundingFee"); }
            else if (r.ValueTextEquals("settleCurrency"u8)) { JsonReading.Next(ref r); currency = JsonReading.ReadString(ref r, "settleCurrency"); }
            else if (r.ValueTextEquals("fundingTime"u8)) { JsonReading.Next(ref r); fundingTime = ReadTime(ref r, "fundingTime", TimeUnit.Milliseconds); }
            else if (r.ValueTextEquals("ts"u8)) { JsonReading.Next(ref r); ts = ReadTime(ref r, "ts", TimeUnit.Nanoseconds); }
            else { SkipValue(ref r); }
        }

        return new FundingSettlement(KuCoinVenue.Id, topic.Market, symbol is null ? topic.Symbol : new Symbol(symbol), Required(ts, "ts"), receivedTs,
            Required(qty, "qty"), Positive(mark, "markPrice"), Required(rate, "fundingRate"), Required(fee, "fundingFee"),
            currency ?? throw Missing("settleCurrency"), Required(fundingTime, "fundingTime"));
    }

    /// <summary><c>position.adjustRiskLimit</c>: whether the level change took, the level in force, and why not.</summary>
    private static RiskLimitChange ParseRiskLimitChange(TopicInfo topic, ref Utf8JsonReader r, long receivedTs)
    {
        bool? success = null;
        long? level = null;
        string? reason = null;
        JsonReading.Expect(ref r, JsonTokenType.StartObject, "data");
        while (NextMember(ref r))
        {
            if (r.ValueTextEquals("success"u8)) { JsonReading.Next(ref r); success = JsonReading.ReadBoolean(ref r, "success"); }
            else if (r.ValueTextEquals("riskLimitLevel"u8)) { JsonReading.Next(ref r); level = JsonReading.ReadInt64(ref r, "riskLimitLevel"); }
            else if (r.ValueTextEquals("msg"u8)) { JsonReading.Next(ref r); reason = r.TokenType == JsonTokenType.Null ? null : JsonReading.ReadString(ref r, "msg"); }
            else { SkipValue(ref r); }
        }

        var tier = Required(level, "riskLimitLevel") is >= 1 and <= int.MaxValue and var l ? (int)l : throw new FrameFormatException($"riskLimitLevel {level} is not a level");
        return new RiskLimitChange(KuCoinVenue.Id, topic.Market, topic.Symbol, receivedTs, receivedTs, Required(success, "success"), tier,
            string.IsNullOrEmpty(reason) ? null : reason);
    }

    /// <summary>
    /// <c>/contractMarket/advancedOrders</c> and <c>/spotMarket/advancedOrders</c> (subject <c>stopOrder</c>): type
    /// <c>open</c>, <c>triggered</c> or <c>cancel</c>; createdAt in ms, ts in ns; futures sizes are numbers of lots.
    /// </summary>
    private static StopOrderUpdate ParseStopOrder(TopicInfo topic, ref Utf8JsonReader r, long receivedTs)
    {
        string? orderId = null, symbol = null, trigger = null, priceType = null;
        StopOrderEvent? kind = null;
        Side? side = null;
        decimal? stopPrice = null, orderPrice = null, size = null;
        long? created = null, ts = null;
        JsonReading.Expect(ref r, JsonTokenType.StartObject, "data");
        while (NextMember(ref r))
        {
            if (r.ValueTextEquals("orderId"u8)) { JsonReading.Next(ref r); orderId = JsonReading.ReadString(ref r, "orderId"); }
            else if (r.ValueTextEquals("symbol"u8)) { JsonReading.Next(ref r); symbol = JsonReading.ReadString(ref r, "symbol"); }
            else if (r.ValueTextEquals("side"u8)) { JsonReading.Next(ref r); side = ReadSide(ref r); }
            else if (r.ValueTextEquals("type"u8)) { JsonReading.Next(ref r); kind = ReadStopEvent(ref r); }
            else if (r.ValueTextEquals("stop"u8)) { JsonReading.Next(ref r); trigger = JsonReading.ReadString(ref r, "stop"); }
            else if (r.ValueTextEquals("stopPrice"u8)) { JsonReading.Next(ref r); stopPrice = JsonReading.ReadDecimal(ref r, "stopPrice"); }
            else if (r.ValueTextEquals("stopPriceType"u8)) { JsonReading.Next(ref r); priceType = r.TokenType == JsonTokenType.Null ? null : JsonReading.ReadString(ref r, "stopPriceType"); }
            else if (r.ValueTextEquals("orderPrice"u8)) { JsonReading.Next(ref r); orderPrice = JsonReading.ReadOptionalDecimal(ref r, "orderPrice"); }
            else if (r.ValueTextEquals("size"u8)) { JsonReading.Next(ref r); size = JsonReading.ReadDecimal(ref r, "size"); }
            else if (r.ValueTextEquals("createdAt"u8)) { JsonReading.Next(ref r); created = ReadTime(ref r, "createdAt", TimeUnit.Milliseconds); }
            else if (r.ValueTextEquals("ts"u8)) { JsonReading.Next(ref r); ts = ReadTime(ref r, "ts", TimeUnit.Nanoseconds); }
            else { SkipValue(ref r); }
        }

        if (orderPrice is < 0)
        {
            throw new FrameFormatException($"field 'orderPrice' must not be negative, got {orderPrice}");
        }

        return new StopOrderUpdate(KuCoinVenue.Id, topic.Market, new Symbol(symbol ?? throw Missing("symbol")), Required(ts, "ts"), receivedTs,
            orderId ?? throw Missing("orderId"), side ?? throw Missing("side"), kind ?? throw Missing("type"), trigger ?? throw Missing("stop"),
            Positive(stopPrice, "stopPrice"), string.IsNullOrEmpty(priceType) ? null : priceType, orderPrice is > 0 ? orderPrice : null,
            Positive(size, "size"), Required(created, "createdAt"));
    }

    private static StopOrderEvent ReadStopEvent(ref Utf8JsonReader r)
    {
        if (r.ValueTextEquals("open"u8))
        {
            return StopOrderEvent.Placed;
        }

        if (r.ValueTextEquals("triggered"u8))
        {
            return StopOrderEvent.Triggered;
        }

        return r.ValueTextEquals("cancel"u8) ? StopOrderEvent.Canceled : throw new FrameFormatException("stop order type must be open, triggered or cancel");
    }

    /// <summary>
    /// <c>/margin/position</c>: <c>debt.ratio</c> (debtRatio and totalAsset are numbers, totalDebt a string, assetList
    /// and debtList keyed by currency, timestamp in ms) or <c>position.status</c> (an event type alone).
    /// </summary>
    private static MarginPosition ParseCrossMargin(TopicInfo topic, ReadOnlySpan<byte> subject, ref Utf8JsonReader r, long receivedTs)
    {
        decimal? ratio = null, assets = null, debt = null;
        string? status = null;
        long? ts = null;
        var balances = ImmutableArray<MarginBalance>.Empty;
        var debts = ImmutableArray<MarginDebt>.Empty;
        JsonReading.Expect(ref r, JsonTokenType.StartObject, "data");
        while (NextMember(ref r))
        {
            if (r.ValueTextEquals("debtRatio"u8)) { JsonReading.Next(ref r); ratio = JsonReading.ReadDecimal(ref r, "debtRatio"); }
            else if (r.ValueTextEquals("totalAsset"u8)) { JsonReading.Next(ref r); assets = JsonReading.ReadDecimal(ref r, "totalAsset"); }
            else if (r.ValueTextEquals("totalDebt"u8)) { JsonReading.Next(ref r); debt = JsonReading.ReadDecimal(ref r, "totalDebt"); }
            else if (r.ValueTextEquals("type"u8)) { JsonReading.Next(ref r); status = JsonReading.ReadString(ref r, "type"); }
            else if (r.ValueTextEquals("assetList"u8)) { JsonReading.Next(ref r); balances = ReadMarginBalances(ref r, "assetList"); }
            else if (r.ValueTextEquals("debtList"u8)) { JsonReading.Next(ref r); debts = ReadMarginDebts(ref r); }
            else if (r.ValueTextEquals("timestamp"u8)) { JsonReading.Next(ref r); ts = ReadTime(ref r, "timestamp", TimeUnit.Milliseconds); }
            else { SkipValue(ref r); }
        }

        var time = Required(ts, "timestamp");
        if (subject.SequenceEqual("position.status"u8))
        {
            return new MarginPosition(KuCoinVenue.Id, topic.Market, KuCoinFeedAdapter.AllSymbols, time, receivedTs, status ?? throw Missing("type"),
                null, null, null, null, null, [], []);
        }

        if (!subject.SequenceEqual("debt.ratio"u8))
        {
            throw new FrameFormatException($"unknown margin position subject '{Encoding.UTF8.GetString(subject)}'");
        }

        if (ratio is < 0 || assets is < 0 || debt is < 0)
        {
            throw new FrameFormatException($"margin figures must not be negative: debt ratio {ratio}, total asset {assets}, total debt {debt}");
        }

        return new MarginPosition(KuCoinVenue.Id, topic.Market, KuCoinFeedAdapter.AllSymbols, time, receivedTs, null, null,
            Required(ratio, "debtRatio"), assets, Required(debt, "totalDebt"), null, balances, debts);
    }

    /// <summary>
    /// <c>/margin/isolatedPosition:{symbol}</c> (subject <c>positionChange</c>): status, its cause (statusBizType),
    /// accumulated principal, and the changed currencies with their liabilities.
    /// </summary>
    private static MarginPosition ParseIsolatedMargin(TopicInfo topic, ref Utf8JsonReader r, long receivedTs)
    {
        string? tag = null, status = null, cause = null;
        decimal? principal = null;
        long? ts = null;
        var balances = ImmutableArray<MarginBalance>.Empty;
        JsonReading.Expect(ref r, JsonTokenType.StartObject, "data");
        while (NextMember(ref r))
        {
            if (r.ValueTextEquals("tag"u8)) { JsonReading.Next(ref r); tag = JsonReading.ReadString(ref r, "tag"); }
            else if (r.ValueTextEquals("status"u8)) { JsonReading.Next(ref r); status = JsonReading.ReadString(ref r, "status"); }
            else if (r.ValueTextEquals("statusBizType"u8)) { JsonReading.Next(ref r); cause = r.TokenType == JsonTokenType.Null ? null : JsonReading.ReadString(ref r, "statusBizType"); }
            else if (r.ValueTextEquals("accumulatedPrincipal"u8)) { JsonReading.Next(ref r); principal = JsonReading.ReadOptionalDecimal(ref r, "accumulatedPrincipal"); }
            else if (r.ValueTextEquals("changeAssets"u8)) { JsonReading.Next(ref r); balances = ReadMarginBalances(ref r, "changeAssets"); }
            else if (r.ValueTextEquals("timestamp"u8)) { JsonReading.Next(ref r); ts = ReadTime(ref r, "timestamp", TimeUnit.Milliseconds); }
            else { SkipValue(ref r); }
        }

        if (principal is < 0)
        {
            throw new FrameFormatException($"field 'accumulatedPrincipal' must not be negative, got {principal}");
        }

        return new MarginPosition(KuCoinVenue.Id, topic.Market, tag is null ? topic.Symbol : new Symbol(tag), Required(ts, "timestamp"), receivedTs,
            status ?? throw Missing("status"), string.IsNullOrEmpty(cause) ? null : cause, null, null, null, principal, balances, []);
    }

    /// <summary><c>{"BTC":{"total":"…","available":"…","hold":"…"[,"liabilityPrincipal":"…","liabilityInterest":"…"]}}</c>.</summary>
    private static ImmutableArray<MarginBalance> ReadMarginBalances(ref Utf8JsonReader r, string field)
    {
        JsonReading.Expect(ref r, JsonTokenType.StartObject, field);
        var balances = ImmutableArray.CreateBuilder<MarginBalance>();
        while (NextMember(ref r))
        {
            var currency = r.GetString()!;
            decimal? total = null, available = null, hold = null, principal = null, interest = null;
            JsonReading.Next(ref r);
            JsonReading.Expect(ref r, JsonTokenType.StartObject, field + "." + currency);
            while (NextMember(ref r))
            {
                if (r.ValueTextEquals("total"u8)) { JsonReading.Next(ref r); total = JsonReading.ReadDecimal(ref r, "total"); }
                else if (r.ValueTextEquals("available"u8)) { JsonReading.Next(ref r); available = JsonReading.ReadOptionalDecimal(ref r, "available"); }
                else if (r.ValueTextEquals("hold"u8)) { JsonReading.Next(ref r); hold = JsonReading.ReadDecimal(ref r, "hold"); }
                else if (r.ValueTextEquals("liabilityPrincipal"u8)) { JsonReading.Next(ref r); principal = JsonReading.ReadOptionalDecimal(ref r, "liabilityPrincipal"); }
                else if (r.ValueTextEquals("liabilityInterest"u8)) { JsonReading.Next(ref r); interest = JsonReading.ReadOptionalDecimal(ref r, "liabilityInterest"); }
                else { SkipValue(ref r); }
            }

            var balance = new MarginBalance(currency, Required(total, "total"), available, Required(hold, "hold"), principal, interest);
            if (balance.Total < 0 || balance.Available < 0 || balance.Hold < 0 || balance.LiabilityPrincipal < 0 || balance.LiabilityInterest < 0)
            {
                throw new FrameFormatException($"{field}.{currency}: amounts must not be negative");
            }

            balances.Add(balance);
        }

        return balances.ToImmutable();
    }

    /// <summary><c>{"BTC":"0","USDT":"2121.2121"}</c>: each currency's debt, interest included.</summary>
    private static ImmutableArray<MarginDebt> ReadMarginDebts(ref Utf8JsonReader r)
    {
        JsonReading.Expect(ref r, JsonTokenType.StartObject, "debtList");
        var debts = ImmutableArray.CreateBuilder<MarginDebt>();
        while (NextMember(ref r))
        {
            var currency = r.GetString()!;
            JsonReading.Next(ref r);
            var amount = JsonReading.ReadDecimal(ref r, "debtList." + currency);
            debts.Add(amount >= 0 ? new MarginDebt(currency, amount) : throw new FrameFormatException($"debtList.{currency} must not be negative, got {amount}"));
        }

        return debts.ToImmutable();
    }

    /// <summary><c>/callauction/callauctionData:{symbol}</c>: the estimated opening price and size and the accepted price ranges; time in ms.</summary>
    private static CallAuction ParseCallAuction(TopicInfo topic, ref Utf8JsonReader r, long receivedTs)
    {
        decimal? price = null, size = null, sellLow = null, sellHigh = null, buyLow = null, buyHigh = null;
        long? ts = null;
        string? symbol = null;
        JsonReading.Expect(ref r, JsonTokenType.StartObject, "data");
        while (NextMember(ref r))
        {
            if (r.ValueTextEquals("symbol"u8)) { JsonReading.Next(ref r); symbol = JsonReading.ReadString(ref r, "symbol"); }
            else if (r.ValueTextEquals("estimatedPrice"u8)) { JsonReading.Next(ref r); price = JsonReading.ReadDecimal(ref r, "estimatedPrice"); }
            else if (r.ValueTextEquals("estimatedSize"u8)) { JsonReading.Next(ref r); size = JsonReading.ReadDecimal(ref r, "estimatedSize"); }
            else if (r.ValueTextEquals("sellOrderRangeLowPrice"u8)) { JsonReading.Next(ref r); sellLow = JsonReading.ReadDecimal(ref r, "sellOrderRangeLowPrice"); }
            else if (r.ValueTextEquals("sellOrderRangeHighPrice"u8)) { JsonReading.Next(ref r); sellHigh = JsonReading.ReadDecimal(ref r, "sellOrderRangeHighPrice"); }
            else if (r.ValueTextEquals("buyOrderRangeLowPrice"u8)) { JsonReading.Next(ref r); buyLow = JsonReading.ReadDecimal(ref r, "buyOrderRangeLowPrice"); }
            else if (r.ValueTextEquals("buyOrderRangeHighPrice"u8)) { JsonReading.Next(ref r); buyHigh = JsonReading.ReadDecimal(ref r, "buyOrderRangeHighPrice"); }
            else if (r.ValueTextEquals("time"u8)) { JsonReading.Next(ref r); ts = ReadTime(ref r, "time", TimeUnit.Milliseconds); }
            else { SkipValue(ref r); }
        }

        var (sl, sh, bl, bh) = (Positive(sellLow, "sellOrderRangeLowPrice"), Positive(sellHigh, "sellOrderRangeHighPrice"),
            Positive(buyLow, "buyOrderRangeLowPrice"), Positive(buyHigh, "buyOrderRangeHighPrice"));
        if (sl > sh || bl > bh)
        {
            throw new FrameFormatException($"call auction ranges are upside down: sell {sl}-{sh}, buy {bl}-{bh}");
        }

        var estimatedSize = Required(size, "estimatedSize") is >= 0 and var s ? s : throw new FrameFormatException($"field 'estimatedSize' must not be negative, got {size}");
        return new CallAuction(KuCoinVenue.Id, topic.Market, symbol is null ? topic.Symbol : new Symbol(symbol), Required(ts, "time"), receivedTs,
            Positive(price, "estimatedPrice"), estimatedSize, sl, sh, bl, bh);
    }

    /// <summary>
    /// <c>/margin/fundingBook:{currency}</c> (<c>funding.update</c>: sequence, rates, term, size; 0 removes the level)
    /// and <c>/margin/loan:{currency}</c> (<c>order.open</c>, <c>order.update</c> with lentSize, <c>order.done</c> with
    /// its reason); ts in ns.
    /// </summary>
    private static LendingUpdate ParseLending(TopicInfo topic, ReadOnlySpan<byte> subject, ref Utf8JsonReader r, long receivedTs)
    {
        string? currency = null, side = null, orderId = null, reason = null;
        long? sequence = null, term = null, ts = null;
        decimal? daily = null, annual = null, size = null, lent = null;
        JsonReading.Expect(ref r, JsonTokenType.StartObject, "data");
        while (NextMember(ref r))
        {
            if (r.ValueTextEquals("currency"u8)) { JsonReading.Next(ref r); currency = JsonReading.ReadString(ref r, "currency"); }
            else if (r.ValueTextEquals("side"u8)) { JsonReading.Next(ref r); side = JsonReading.ReadString(ref r, "side"); }
            else if (r.ValueTextEquals("orderId"u8)) { JsonReading.Next(ref r); orderId = JsonReading.ReadString(ref r, "orderId"); }
            else if (r.ValueTextEquals("reason"u8)) { JsonReading.Next(ref r); reason = JsonReading.ReadString(ref r, "reason"); }
            else if (r.ValueTextEquals("sequence"u8)) { JsonReading.Next(ref r); sequence = JsonReading.ReadInt64(ref r, "sequence"); }
            else if (r.ValueTextEquals("term"u8)) { JsonReading.Next(ref r); term = JsonReading.ReadInt64(ref r, "term"); }
            else if (r.ValueTextEquals("dailyIntRate"u8)) { JsonReading.Next(ref r); daily = JsonReading.ReadDecimal(ref r, "dailyIntRate"); }
            else if (r.ValueTextEquals("annualIntRate"u8)) { JsonReading.Next(ref r); annual = JsonReading.ReadDecimal(ref r, "annualIntRate"); }
            else if (r.ValueTextEquals("size"u8)) { JsonReading.Next(ref r); size = JsonReading.ReadDecimal(ref r, "size"); }
            else if (r.ValueTextEquals("lentSize"u8)) { JsonReading.Next(ref r); lent = JsonReading.ReadDecimal(ref r, "lentSize"); }
            else if (r.ValueTextEquals("ts"u8)) { JsonReading.Next(ref r); ts = ReadTime(ref r, "ts", TimeUnit.Nanoseconds); }
            else { SkipValue(ref r); }
        }

        var book = topic.Kind == TopicKind.FundingBook;
        var what = LendingSubject(book, subject);
        if (daily is < 0 || annual is < 0 || size is < 0 || lent is < 0 || term is <= 0 or > 3650)
        {
            throw new FrameFormatException($"lending figures out of range: daily rate {daily}, annual rate {annual}, size {size}, lent {lent}, term {term}");
        }

        if (book)
        {
            Required(sequence, "sequence");
            Required(daily, "dailyIntRate");
            Required(size, "size");
            Required(term, "term");
        }
        else if (orderId is null)
        {
            throw Missing("orderId");
        }

        return new LendingUpdate(KuCoinVenue.Id, topic.Market, new Symbol(currency ?? throw Missing("currency")), Required(ts, "ts"), receivedTs,
            what, side ?? throw Missing("side"), orderId, sequence, daily, annual, (int?)term, size, lent, reason);
    }

    /// <summary>The book only says <c>funding.update</c>; lend orders open, update and are done.</summary>
    private static string LendingSubject(bool book, ReadOnlySpan<byte> subject)
    {
        if (book && (subject.IsEmpty || subject.SequenceEqual("funding.update"u8)))
        {
            return "funding.update";
        }

        if (!book && (subject.SequenceEqual("order.open"u8) || subject.SequenceEqual("order.update"u8) || subject.SequenceEqual("order.done"u8)))
        {
            return Encoding.UTF8.GetString(subject);
        }

        throw subject.IsEmpty ? Missing("subject") : new FrameFormatException($"unknown lending subject '{Encoding.UTF8.GetString(subject)}'");
    }

    /// <summary><c>/spotMarket/level1:{symbol}</c>: best bid and ask as <c>[price, size]</c>; its timestamp orders them.</summary>
    private static Ticker ParseLevel1(TopicInfo topic, ref Utf8JsonReader r, long receivedTs)
    {
        long? ts = null;
        BookLevel? bid = null, ask = null;
        JsonReading.Expect(ref r, JsonTokenType.StartObject, "data");
        while (NextMember(ref r))
        {
            if (r.ValueTextEquals("bids"u8)) { JsonReading.Next(ref r); bid = ReadQuote(ref r, "bids"); }
            else if (r.ValueTextEquals("asks"u8)) { JsonReading.Next(ref r); ask = ReadQuote(ref r, "asks"); }
            else if (r.ValueTextEquals("timestamp"u8)) { JsonReading.Next(ref r); ts = ReadTime(ref r, "timestamp", TimeUnit.Milliseconds); }
            else { SkipValue(ref r); }
        }

        var (best, offer, time) = (bid ?? throw Missing("bids"), ask ?? throw Missing("asks"), Required(ts, "timestamp"));
        return new Ticker(KuCoinVenue.Id, topic.Market, topic.Symbol, time, receivedTs,
            Positive(best.Price, "bids.price"), Positive(best.Size, "bids.size"), Positive(offer.Price, "asks.price"), Positive(offer.Size, "asks.size"), null, time);
    }

    private static BookLevel ReadQuote(ref Utf8JsonReader r, string field)
    {
        JsonReading.Expect(ref r, JsonTokenType.StartArray, field);
        JsonReading.Next(ref r);
        var price = JsonReading.ReadDecimal(ref r, field + ".price");
        JsonReading.Next(ref r);
        var size = JsonReading.ReadDecimal(ref r, field + ".size");
        JsonReading.Next(ref r);
        JsonReading.Expect(ref r, JsonTokenType.EndArray, field + " end");
        return new BookLevel(price, size);
    }

    private static decimal Positive(decimal? value, string field) => Required(value, field) is var v && v > 0
        ? v
        : throw new FrameFormatException($"field '{field}' must be positive, got {value}");

    private static BookLevel Level(decimal price, decimal size, string field) => JsonReading.Level(price, size, field);

    /// <summary>A venue time in the given unit as Unix milliseconds; negative or past year 9999 is not a time.</summary>
    private static long ReadTime(ref Utf8JsonReader r, string field, TimeUnit unit)
    {
        const long MaxMilliseconds = 253_402_300_799_999;   // 9999-12-31T23:59:59.999Z
        var raw = JsonReading.ReadInt64(ref r, field);
        var ms = unit switch
        {
            TimeUnit.Nanoseconds => UnixTime.FromNanoseconds(raw),
            TimeUnit.Seconds => raw <= MaxMilliseconds / 1000 ? UnixTime.FromSeconds(raw) : -1,
            _ => raw,
        };
        return raw >= 0 && ms is >= 0 and <= MaxMilliseconds ? ms : throw new FrameFormatException($"field '{field}' is not a time: {raw}");
    }

    /// <summary>A frame with two <c>data</c> (or type, topic, subject) members is not one message: refused whole.</summary>
    private static EnvelopeMembers Once(EnvelopeMembers seen, EnvelopeMembers member) => (seen & member) == 0
        ? seen | member
        : throw new FrameFormatException($"duplicate '{member.ToString().ToLowerInvariant()}' in one frame");

    private static Side ReadSide(ref Utf8JsonReader r)
    {
        if (r.ValueTextEquals("buy"u8))
        {
            return Side.Buy;
        }

        return r.ValueTextEquals("sell"u8) ? Side.Sell : throw new FrameFormatException("side must be buy or sell");
    }

    private static decimal ParseDecimal(ReadOnlySpan<byte> text, string field) =>
        Utf8Parser.TryParse(text, out decimal value, out var consumed) && consumed == text.Length
            ? value
            : throw new FrameFormatException($"field '{field}' is not a decimal");

    [Flags]
    private enum EnvelopeMembers
    {
        None = 0,
        Type = 1,
        Topic = 2,
        Subject = 4,
        Data = 8,
    }

    private enum TimeUnit
    {
        Nanoseconds,
        Milliseconds,
        Seconds,
    }

    private enum TopicKind
    {
        Unknown,
        Execution,
        TickerV2,
        Ticker,
        Level2,
        Level2Depth5,
        Level2Depth50,
        Candle,
        Instrument,
        TradeOrders,
        Position,
        Wallet,
        SpotLevel2,
        Statistics,
        Announcement,
        Level1,
        IndexPrice,
        MarkPrice,
        MarginMode,
        CrossLeverage,
        TickerAll,
        StopOrders,
        MarginPosition,
        IsolatedMarginPosition,
        CallAuction,
        FundingBook,
        Loan,
    }

    private sealed class TopicInfo(string text, TopicKind kind, Symbol symbol, string? interval, MarketKind market)
    {
        public string Text { get; } = text;

        public MarketKind Market { get; } = market;

        public TopicKind Kind { get; } = kind;

        public Symbol Symbol { get; } = symbol;

        public string? Interval { get; } = interval;

        public Candle? LastCandle { get; set; }

        /// <summary>Messages of these topics are told apart by <c>subject</c>, which may come after <c>data</c>.</summary>
        public bool NeedsSubject => Kind is TopicKind.Instrument or TopicKind.Position or TopicKind.Wallet or TopicKind.Announcement
            or TopicKind.TickerAll or TopicKind.MarginPosition or TopicKind.Loan;
    }

    /// <summary>
    /// What one frame yields, held until the whole frame has parsed. Reused for every frame of the connection; a
    /// running candle updates its topic's last candle only when the frame is let out.
    /// </summary>
    private sealed class PendingOutput : IFrameSink
    {
        // Most frames yield one message: it waits in a field; anything more (or else) waits in the list, in order.
        private readonly List<object> _items = new(2);
        private DataMessage? _single;

        public void Clear()
        {
            _single = null;
            _items.Clear();
        }

        public void OnData(DataMessage message)
        {
            if (_single is null && _items.Count == 0)
            {
                _single = message;
                return;
            }

            Add(message);
        }

        public void OnControl(in ControlEvent control) => Add(control);   // boxed: control frames are rare

        public void OnError(ExchangeError error) => Add(error);

        public void OnCandle(TopicInfo topic, Candle candle) => Add(new RunningCandle(topic, candle));

        public void FlushTo(IFrameSink sink, long receivedTs)
        {
            if (_single is { } single)
            {
                sink.OnData(single);
            }

            foreach (var item in _items)
            {
                switch (item)
                {
                    case RunningCandle running:
                        Emit(running.Topic, running.Candle, receivedTs, sink);
                        break;
                    case DataMessage message:
                        sink.OnData(message);
                        break;
                    case ControlEvent control:
                        sink.OnControl(control);
                        break;
                    case ExchangeError error:
                        sink.OnError(error);
                        break;
                }
            }

            Clear();
        }

        private void Add(object item)
        {
            if (_single is { } single)
            {
                _items.Add(single);   // keeps the order of what the frame yielded
                _single = null;
            }

            _items.Add(item);
        }

        /// <summary>KuCoin pushes the running candle; the previous one is final once a later interval starts.</summary>
        private static void Emit(TopicInfo topic, Candle candle, long receivedTs, IFrameSink sink)
        {
            if (topic.LastCandle is { } previous && previous.OpenTs < candle.OpenTs)
            {
                sink.OnData(previous with { IsClosed = true, ReceivedTs = receivedTs });
            }

            if (topic.LastCandle is null || topic.LastCandle.OpenTs <= candle.OpenTs)
            {
                topic.LastCandle = candle;
            }

            sink.OnData(candle);
        }

        private sealed record RunningCandle(TopicInfo Topic, Candle Candle);
    }

    /// <summary>Topic bytes → parsed topic, looked up by the raw bytes, so steady-state frames allocate nothing for it.</summary>
    private sealed class TopicCache
    {
        private static readonly (string Prefix, TopicKind Kind)[] FuturesPrefixes =
        [
            (KuCoinTopics.Futures.Execution, TopicKind.Execution),
            (KuCoinTopics.Futures.TickerV2, TopicKind.TickerV2),
            (KuCoinTopics.Futures.Ticker, TopicKind.Ticker),
            (KuCoinTopics.Futures.Level2Depth50, TopicKind.Level2Depth50),
            (KuCoinTopics.Futures.Level2Depth5, TopicKind.Level2Depth5),
            (KuCoinTopics.Futures.Level2, TopicKind.Level2),
            (KuCoinTopics.Futures.Candle, TopicKind.Candle),
            (KuCoinTopics.Futures.Instrument, TopicKind.Instrument),
            (KuCoinTopics.Futures.TradeOrders, TopicKind.TradeOrders),
            (KuCoinTopics.Futures.Position, TopicKind.Position),
            (KuCoinTopics.Futures.Snapshot, TopicKind.Statistics),
            (KuCoinTopics.Futures.AnnouncementOf, TopicKind.Announcement),
        ];

        private static readonly (string Topic, TopicKind Kind)[] FuturesExact =
        [
            (KuCoinTopics.Futures.AllTradeOrders, TopicKind.TradeOrders),
            (KuCoinTopics.Futures.Wallet, TopicKind.Wallet),
            (KuCoinTopics.Futures.Announcement, TopicKind.Announcement),
            (KuCoinTopics.Futures.MarginMode, TopicKind.MarginMode),
            (KuCoinTopics.Futures.CrossLeverage, TopicKind.CrossLeverage),
            (KuCoinTopics.Futures.AdvancedOrders, TopicKind.StopOrders),
        ];

        private static readonly (string Prefix, TopicKind Kind)[] SpotPrefixes =
        [
            (KuCoinTopics.Spot.Match, TopicKind.Execution),
            (KuCoinTopics.Spot.Ticker, TopicKind.Ticker),
            (KuCoinTopics.Spot.Level2, TopicKind.SpotLevel2),
            (KuCoinTopics.Spot.Level2Depth50, TopicKind.Level2Depth50),
            (KuCoinTopics.Spot.Level2Depth5, TopicKind.Level2Depth5),
            (KuCoinTopics.Spot.Candles, TopicKind.Candle),
            (KuCoinTopics.Spot.Level1, TopicKind.Level1),
            (KuCoinTopics.Spot.Snapshot, TopicKind.Statistics),
            (KuCoinTopics.Spot.IndexPrice, TopicKind.IndexPrice),
            (KuCoinTopics.Spot.MarkPrice, TopicKind.MarkPrice),
            (KuCoinTopics.Spot.CallAuction, TopicKind.CallAuction),
            (KuCoinTopics.Spot.IsolatedMarginPosition, TopicKind.IsolatedMarginPosition),
            (KuCoinTopics.Spot.FundingBook, TopicKind.FundingBook),
            (KuCoinTopics.Spot.Loan, TopicKind.Loan),
        ];

        private static readonly (string Topic, TopicKind Kind)[] SpotExact =
        [
            (KuCoinTopics.Spot.TradeOrders, TopicKind.TradeOrders),
            (KuCoinTopics.Spot.Balance, TopicKind.Wallet),
            (KuCoinTopics.Spot.TickerAll, TopicKind.TickerAll),
            (KuCoinTopics.Spot.AdvancedOrders, TopicKind.StopOrders),
            (KuCoinTopics.Spot.MarginPosition, TopicKind.MarginPosition),
        ];

        private readonly (string Prefix, TopicKind Kind)[] _prefixes;
        private readonly (string Topic, TopicKind Kind)[] _exact;

        private const int MaxEntries = 4096;
        private readonly Dictionary<byte[], TopicInfo> _byBytes = new(BytesComparer.Instance);

        private readonly MarketKind _market;
        private readonly Dictionary<byte[], TopicInfo>.AlternateLookup<ReadOnlySpan<byte>> _lookup;
        private byte[] _lastBytes = [];
        private TopicInfo? _last;

        public TopicCache(MarketKind market)
        {
            _market = market;
            (_prefixes, _exact) = market == MarketKind.Spot ? (SpotPrefixes, SpotExact) : (FuturesPrefixes, FuturesExact);
            _lookup = _byBytes.GetAlternateLookup<ReadOnlySpan<byte>>();
        }

        public TopicInfo Resolve(ReadOnlySpan<byte> topic)
        {
            // A socket repeats its busiest topic frame after frame: one byte comparison before any hashing.
            if (_last is { } last && topic.SequenceEqual(_lastBytes))
            {
                return last;
            }

            if (_lookup.TryGetValue(topic, out var key, out var known))
            {
                (_lastBytes, _last) = (key, known);
                return known;
            }

            if (topic.IsEmpty)
            {
                throw new FrameFormatException("message has no topic");
            }

            if (topic.Length > 256)
            {
                throw new FrameFormatException("topic is too long");
            }

            var info = Create(Encoding.UTF8.GetString(topic));
            if (info.Kind != TopicKind.Unknown && _byBytes.Count < MaxEntries)
            {
                _byBytes[topic.ToArray()] = info;
            }

            return info;
        }

        private TopicInfo Create(string text)
        {
            foreach (var (exact, kind) in _exact)
            {
                if (text == exact)
                {
                    return new TopicInfo(text, kind, default, null, _market);
                }
            }

            foreach (var (prefix, kind) in _prefixes)
            {
                if (!text.StartsWith(prefix, StringComparison.Ordinal) || text.Length == prefix.Length)
                {
                    continue;
                }

                var tail = text[prefix.Length..];
                if (kind != TopicKind.Candle)
                {
                    return new TopicInfo(text, kind, new Symbol(tail), null, _market);
                }

                var underscore = tail.LastIndexOf('_');
                if (underscore <= 0 || underscore == tail.Length - 1)
                {
                    throw new FrameFormatException($"candle topic '{text}' lacks _interval");
                }

                return new TopicInfo(text, kind, new Symbol(tail[..underscore]), tail[(underscore + 1)..], _market);
            }

            return new TopicInfo(text, TopicKind.Unknown, default, null, _market);
        }
    }

    private sealed class BytesComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly BytesComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => GetHashCode((ReadOnlySpan<byte>)obj);

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            var hash = default(HashCode);
            hash.AddBytes(alternate);
            return hash.ToHashCode();
        }

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    }
}
