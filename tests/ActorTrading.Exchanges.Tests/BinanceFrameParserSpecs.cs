using System.Text;
using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges.Binance.Ws;
using ActorTrading.TestExchange;
using Xunit;

namespace ActorTrading.Exchanges.Tests;

public sealed class BinanceFrameParserSpecs
{
    private const long Received = 1_700_000_000_000;

    private static CollectingSink Parse(string frame, MarketKind market = MarketKind.Spot)
    {
        var sink = new CollectingSink();
        new BinanceFrameParser(market).Parse(Encoding.UTF8.GetBytes(frame), Received, sink);
        return sink;
    }

    private static T Single<T>(CollectingSink sink)
    {
        Assert.Empty(sink.Errors);
        return Assert.IsType<T>(Assert.Single(sink.Data));
    }

    [Fact]
    public void AggTrade_sample_is_a_trade_sold_by_the_taker_when_the_buyer_is_the_maker()
    {
        var trade = Single<Trade>(Parse(Fixtures.Binance("spot_ws_aggTrade")));
        Assert.Equal(new VenueId("binance"), trade.Venue);
        Assert.Equal("BNBBTC", trade.Symbol.Value);
        Assert.Equal("12345", trade.TradeId);
        Assert.Equal(12345L, trade.Sequence);
        Assert.Equal(Side.Sell, trade.Side);
        Assert.Equal(0.001m, trade.Price);
        Assert.Equal(100m, trade.Size);
        Assert.Equal(1672515782136L, trade.ExchangeTs);
    }

    [Fact]
    public void A_combined_futures_aggTrade_reads_the_same_through_its_envelope()
    {
        var trade = Single<Trade>(Parse(Fixtures.Binance("futures_ws_combined_aggTrade"), MarketKind.Futures));
        Assert.Equal(MarketKind.Futures, trade.Market);
        Assert.Equal("5933014", trade.TradeId);
        Assert.Equal(123456785L, trade.ExchangeTs);
        Assert.Equal(Side.Sell, trade.Side);
    }

    [Fact]
    public void A_trade_whose_buyer_took_liquidity_is_a_buy()
    {
        var trade = Single<Trade>(Parse("""{"e":"trade","E":1,"s":"BTCUSDT","t":77,"p":"60000.10","q":"0.5","T":2,"m":false}"""));
        Assert.Equal(Side.Buy, trade.Side);
        Assert.Equal("77", trade.TradeId);
        Assert.Equal(60000.10m, trade.Price);
    }

    [Fact]
    public void One_parser_keeps_each_frame_s_own_symbol_and_stream_when_they_alternate()
    {
        // The parser remembers the last name it decoded: a different one must never be taken for it.
        var parser = new BinanceFrameParser(MarketKind.Futures);
        var sink = new CollectingSink();
        foreach (var (stream, symbol, id) in new[] { ("btcusdt", "BTCUSDT", 1), ("ethusdt", "ETHUSDT", 2), ("btcusdt", "BTCUSDT", 3), ("btcusdt", "BTCUSDT", 4), ("ethusdt", "ETHUSDT", 5) })
        {
            var frame = $$$"""{"stream":"{{{stream}}}@aggTrade","data":{"e":"aggTrade","E":1,"s":"{{{symbol}}}","a":{{{id}}},"p":"1.5","q":"2","f":1,"l":1,"T":{{{id}}},"m":false}}""";
            parser.Parse(Encoding.UTF8.GetBytes(frame), Received, sink);
        }

        Assert.Empty(sink.Errors);
        Assert.Equal(["1 BTCUSDT", "2 ETHUSDT", "3 BTCUSDT", "4 BTCUSDT", "5 ETHUSDT"], sink.Data.Cast<Trade>().Select(t => $"{t.TradeId} {t.Symbol}"));

        // Interleaved symbols cost what one symbol does: the emitted records only, no memo of the name per frame.
        byte[] Frame(string stream, string symbol) => Encoding.UTF8.GetBytes(
            $$$"""{"stream":"{{{stream}}}@aggTrade","data":{"e":"aggTrade","E":1,"s":"{{{symbol}}}","a":7,"p":"1.5","q":"2","f":1,"l":1,"T":7,"m":false}}""");
        byte[][] same = [Frame("btcusdt", "BTCUSDT"), Frame("btcusdt", "BTCUSDT")];
        byte[][] alternating = [Frame("btcusdt", "BTCUSDT"), Frame("ethusdt", "ETHUSDT")];
        long Allocated(byte[][] frames)
        {
            var quiet = new CollectingSink();
            for (var i = 0; i < 8; i++)
            {
                parser.Parse(frames[i % 2], Received, quiet);   // warm: caches filled, code jitted
            }

            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 100; i++)
            {
                parser.Parse(frames[i % 2], Received, NullSink.Instance);
            }

            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        // A byte array per frame would add at least 100 × 32 B; the runtime's own bookkeeping varies by a few bytes.
        Assert.InRange(Allocated(alternating) - Allocated(same), -100, 100);
    }

    private sealed class NullSink : IFrameSink
    {
        public static readonly NullSink Instance = new();

        public void OnData(DataMessage message)
        {
        }

        public void OnControl(in ControlEvent control)
        {
        }

        public void OnError(ExchangeError error)
        {
        }
    }

    [Fact]
    public void Member_names_written_with_json_escapes_read_as_their_plain_spelling()
    {
        // "\u0073" is "s" and "\u0070\u0075" is "pu": legal JSON, never sent by Binance, and still the same members.
        var depth = Single<OrderBookUpdate>(Parse(
            """{"e":"depthUpdate","E":5,"T":4,"\u0073":"BTCUSDT","U":10,"u":12,"\u0070\u0075":9,"b":[["1.5","2"]],"a":[]}""", MarketKind.Futures));
        Assert.Equal(("BTCUSDT", 10L, 12L, 9L), (depth.Symbol.Value, depth.FirstSequence, depth.LastSequence, depth.PreviousSequence));
        var trade = Single<Trade>(Parse("""{"e":"aggTrade","E":1,"s":"ETHUSDT","\u0061":42,"\u0070":"3.25","q":"1","T":7,"\u006d":true}"""));
        Assert.Equal(("42", 3.25m, Side.Sell), (trade.TradeId, trade.Price, trade.Side));
    }

    [Fact]
    public void Spot_diff_depth_is_an_unchained_delta_from_U_to_u()
    {
        var update = Single<OrderBookUpdate>(Parse(Fixtures.Binance("spot_ws_depth_100ms")));
        Assert.Equal(DataChannel.BookDelta, update.Channel);
        Assert.Equal(BookUpdateKind.Delta, update.Kind);
        Assert.Equal(157L, update.FirstSequence);
        Assert.Equal(160L, update.LastSequence);
        Assert.False(update.IsChained);
        Assert.Equal([new BookLevel(0.0024m, 10m)], update.Bids.ToArray());
        Assert.Equal([new BookLevel(0.0026m, 100m)], update.Asks.ToArray());
        Assert.Equal(1672515782136L, update.ExchangeTs);
    }

    [Fact]
    public void Futures_diff_depth_is_chained_to_the_previous_event_by_pu()
    {
        var update = Single<OrderBookUpdate>(Parse(Fixtures.Binance("futures_ws_depth_100ms"), MarketKind.Futures));
        Assert.True(update.IsChained);
        Assert.Equal(149L, update.PreviousSequence);
        Assert.Equal(157L, update.FirstSequence);
        Assert.Equal(160L, update.LastSequence);
        Assert.Equal(123456788L, update.ExchangeTs);   // T, the matching time
    }

    [Fact]
    public void A_futures_depth_update_without_pu_is_an_error_not_an_unchained_delta()
    {
        var sink = Parse(Fixtures.Binance("spot_ws_depth_100ms"), MarketKind.Futures);
        Assert.Empty(sink.Data);
        Assert.Contains("'pu'", Assert.Single(sink.Errors).Message);
    }

    [Fact]
    public void On_a_partial_depth_stream_the_futures_event_is_a_five_level_book()
    {
        var update = Single<OrderBookUpdate>(Parse(Fixtures.Binance("futures_ws_combined_depth5_100ms"), MarketKind.Futures));
        Assert.Equal(DataChannel.BookDepth5, update.Channel);
        Assert.Equal(BookUpdateKind.Snapshot, update.Kind);
        Assert.Equal(390497878L, update.LastSequence);
        Assert.Equal(5, update.Bids.Length);
        Assert.Equal(new BookLevel(7405.96m, 3.340m), update.Asks[0]);
    }

    [Fact]
    public void Spot_partial_depth_takes_its_symbol_from_the_stream_name_and_needs_one()
    {
        var payload = Fixtures.Binance("spot_ws_depth5_100ms");
        var update = Single<OrderBookUpdate>(Parse($$"""{"stream":"bnbbtc@depth5@100ms","data":{{payload}}}"""));
        Assert.Equal("BNBBTC", update.Symbol.Value);
        Assert.Equal(DataChannel.BookDepth5, update.Channel);
        Assert.Equal(160L, update.LastSequence);

        var raw = Parse(payload);
        Assert.Empty(raw.Data);
        Assert.Contains("combined stream", Assert.Single(raw.Errors).Message);
    }

    [Fact]
    public void Spot_bookTicker_has_no_time_so_its_arrival_stands_in()
    {
        var ticker = Single<Ticker>(Parse(Fixtures.Binance("spot_ws_bookTicker")));
        Assert.Equal("BNBUSDT", ticker.Symbol.Value);
        Assert.Equal(25.35190000m, ticker.BidPrice);
        Assert.Equal(31.21000000m, ticker.BidSize);
        Assert.Equal(25.36520000m, ticker.AskPrice);
        Assert.Equal(40.66000000m, ticker.AskSize);
        Assert.Equal(400900217L, ticker.Sequence);
        Assert.Equal(Received, ticker.ExchangeTs);
    }

    [Fact]
    public void Futures_bookTicker_carries_the_matching_time()
    {
        var ticker = Single<Ticker>(Parse(Fixtures.Binance("futures_ws_combined_bookTicker"), MarketKind.Futures));
        Assert.Equal(1568014460891L, ticker.ExchangeTs);
    }

    [Fact]
    public void Kline_sample_is_an_open_candle_of_its_interval()
    {
        var candle = Single<Candle>(Parse(Fixtures.Binance("spot_ws_kline_1m")));
        Assert.Equal("1m", candle.Interval);
        Assert.Equal(1672515780000L, candle.OpenTs);
        Assert.Equal((0.0010m, 0.0025m, 0.0015m, 0.0020m, 1000m), (candle.Open, candle.High, candle.Low, candle.Close, candle.Volume));
        Assert.False(candle.IsClosed);
    }

    [Fact]
    public void MarkPrice_is_funding_with_mark_index_and_next_funding_time()
    {
        var funding = Single<FundingRate>(Parse(Fixtures.Binance("futures_ws_markPrice_1s"), MarketKind.Futures));
        Assert.Equal(0.00038167m, funding.Rate);
        Assert.Equal(11794.15000000m, funding.MarkPrice);
        Assert.Equal(11784.62659091m, funding.IndexPrice);
        Assert.Equal(1562306400000L, funding.NextFundingTs);
        Assert.Null(funding.PredictedRate);
    }

    [Fact]
    public void A_contract_without_funding_has_no_rate_and_no_next_funding_rather_than_zeros()
    {
        var funding = Single<FundingRate>(Parse("""{"e":"markPriceUpdate","E":5,"s":"BTCUSDT_261225","p":"1.5","i":"1.4","P":"1.45","r":"","T":0}""", MarketKind.Futures));
        Assert.Null(funding.Rate);
        Assert.Null(funding.NextFundingTs);
        Assert.Equal(1.5m, funding.MarkPrice);
    }

    [Fact]
    public void The_24h_ticker_is_market_statistics_with_the_change_as_a_fraction()
    {
        var stats = Single<MarketStatistics>(Parse(Fixtures.Binance("spot_ws_doc_24hrTicker")));
        Assert.Equal(0.0025m, stats.LastPrice);
        Assert.Equal(2.5m, stats.ChangeRate);   // "P":"250.00" percent
        Assert.Equal(0.0015m, stats.ChangePrice);
        Assert.Equal(10000m, stats.Volume);
        Assert.Equal(18m, stats.Turnover);
    }

    [Fact]
    public void Futures_order_trade_update_is_an_order_update_whose_market_price_is_absent()
    {
        var order = Single<OrderUpdate>(Parse(Fixtures.Binance("futures_ws_userdata_ORDER_TRADE_UPDATE_combined"), MarketKind.Futures));
        Assert.Equal("8886774", order.OrderId);
        Assert.Equal(new ClientOrderId("TEST"), order.ClientOrderId);
        Assert.Equal(Side.Sell, order.Side);
        Assert.Equal(OrderStatus.Open, order.Status);
        Assert.Null(order.Price);   // TRAILING_STOP_MARKET sends "p":"0"
        Assert.Equal(0.001m, order.Size);
        Assert.Equal(0m, order.FilledSize);
        Assert.Null(order.Fill);
        Assert.Equal(1568879465650L, order.ExchangeTs);
    }

    [Fact]
    public void A_futures_trade_execution_carries_its_fill_once_with_fee_and_liquidity()
    {
        const string frame = """
            {"e":"ORDER_TRADE_UPDATE","E":1700000000100,"T":1700000000099,"o":{"s":"BTCUSDT","c":"at-1","S":"BUY","o":"LIMIT","f":"GTC",
            "q":"0.010","p":"60000.0","ap":"60000.0","sp":"0","x":"TRADE","X":"PARTIALLY_FILLED","i":42,"l":"0.004","z":"0.004","L":"60000.0",
            "N":"USDT","n":"0.048","T":1700000000099,"t":9001,"b":"0","a":"0","m":true,"R":false,"ps":"BOTH"}}
            """;
        var order = Single<OrderUpdate>(Parse(frame.ReplaceLineEndings(""), MarketKind.Futures));
        Assert.Equal(OrderStatus.PartiallyFilled, order.Status);
        Assert.Equal(60000.0m, order.Price);
        Assert.Equal(0.004m, order.FilledSize);
        var fill = Assert.IsType<FillInfo>(order.Fill);
        Assert.Equal("9001", fill.TradeId);
        Assert.Equal(60000.0m, fill.Price);
        Assert.Equal(0.004m, fill.Size);
        Assert.Equal(0.048m, fill.Fee);
        Assert.Equal("USDT", fill.FeeCurrency);
        Assert.Equal(Liquidity.Maker, fill.Liquidity);
    }

    [Fact]
    public void Account_update_gives_wallet_balances_and_one_way_positions_and_names_the_hedge_legs_it_skips()
    {
        var sink = Parse(Fixtures.Binance("futures_ws_userdata_ACCOUNT_UPDATE_combined"), MarketKind.Futures);
        Assert.Empty(sink.Errors);
        var balances = sink.Data.OfType<BalanceUpdate>().ToArray();
        Assert.Equal(["USDT", "BUSD"], balances.Select(b => b.Symbol.Value));
        Assert.Equal(122624.12345678m, balances[0].Total);
        Assert.Null(balances[0].Available);
        var position = Assert.Single(sink.Data.OfType<PositionChange>());
        Assert.Equal(0m, position.Quantity);
        Assert.Equal(200m, position.RealizedPnl);
        var notice = Assert.Single(sink.Controls);
        Assert.Equal(ControlKind.Notice, notice.Kind);
        Assert.Contains("2 hedge-mode", notice.Detail);
    }

    [Fact]
    public void Spot_execution_report_in_its_subscription_envelope_is_an_order_update()
    {
        var order = Single<OrderUpdate>(Parse(Fixtures.Binance("spot_ws_userdata_executionReport")));
        Assert.Equal("ETHBTC", order.Symbol.Value);
        Assert.Equal("4293153", order.OrderId);
        Assert.Equal(new ClientOrderId("mUvoqJxFIILMdfAW5iGSOW"), order.ClientOrderId);
        Assert.Equal(0.10264410m, order.Price);
        Assert.Equal(1499405658657L, order.ExchangeTs);
    }

    [Fact]
    public void A_canceled_spot_order_is_named_by_its_original_client_id_not_the_cancel_request_id()
    {
        const string frame = """{"e":"executionReport","E":2,"s":"BTCUSDT","c":"cancel-req-7","S":"SELL","o":"LIMIT","f":"GTC","q":"1","p":"70000","C":"at-order-1","x":"CANCELED","X":"CANCELED","i":99,"l":"0","z":"0","L":"0","n":"0","N":null,"T":3,"t":-1,"m":false}""";
        var order = Single<OrderUpdate>(Parse(frame));
        Assert.Equal(new ClientOrderId("at-order-1"), order.ClientOrderId);
        Assert.Equal(OrderStatus.Canceled, order.Status);
    }

    [Fact]
    public void OutboundAccountPosition_gives_free_locked_and_their_total()
    {
        var balance = Single<BalanceUpdate>(Parse(Fixtures.Binance("spot_ws_userdata_outboundAccountPosition")));
        Assert.Equal("ETH", balance.Symbol.Value);
        Assert.Equal(10000m, balance.Total);
        Assert.Equal(10000m, balance.Available);
        Assert.Equal(0m, balance.Hold);
    }

    [Fact]
    public void Subscription_acks_refusals_and_session_ends_are_control_events()
    {
        Assert.Equal(new ControlEvent(ControlKind.Ack, "1"), Assert.Single(Parse(Fixtures.Binance("ws_subscribe.response")).Controls));
        Assert.Equal(ControlKind.Error, Assert.Single(Parse("""{"code":2,"msg":"Invalid request: unknown variant","id":"9"}""").Controls).Kind);
        Assert.Equal(ControlKind.Shutdown, Assert.Single(Parse(Fixtures.Binance("ws_serverShutdown_combined")).Controls).Kind);
        Assert.Equal(ControlKind.TokenRejected, Assert.Single(Parse("""{"e":"listenKeyExpired","E":1576653824250,"listenKey":"OfYGbUzi3PraNagEkdKuFwUHn48brFsItTdsuiIXrucEvD0rhRXZ7I6URWfE8YE8"}""", MarketKind.Futures).Controls).Kind);
        Assert.Equal(ControlKind.TokenRejected, Assert.Single(Parse(Fixtures.Binance("spot_ws_userdata_eventStreamTerminated")).Controls).Kind);

        var accepted = Assert.Single(Parse("""{"id":"3","status":200,"result":{"subscriptionId":0}}""").Controls);
        Assert.Equal(new ControlEvent(ControlKind.Ack, "3"), accepted);
        var refused = Assert.Single(Parse("""{"id":"4","status":400,"error":{"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."}}""").Controls);
        Assert.Equal(ControlKind.TokenRejected, refused.Kind);
        Assert.Equal("-2015 Invalid API-key, IP, or permissions for action.", refused.Detail);
    }

    [Fact]
    public void Documented_events_the_node_does_not_normalize_are_notices_and_unknown_ones_errors()
    {
        Assert.Equal(ControlKind.Notice, Assert.Single(Parse(Fixtures.Binance("spot_ws_userdata_balanceUpdate")).Controls).Kind);
        var unknown = Parse("""{"e":"somethingNew","E":1}""");
        Assert.Empty(unknown.Controls);
        Assert.Contains("somethingNew", Assert.Single(unknown.Errors).Message);
    }

    [Fact]
    public void A_payload_whose_event_type_is_not_first_still_decodes()
    {
        var trade = Single<Trade>(Parse("""{"s":"BTCUSDT","a":5,"p":"1.5","q":"2","T":9,"m":true,"e":"aggTrade","E":10}"""));
        Assert.Equal("5", trade.TradeId);
        Assert.Equal(9L, trade.ExchangeTs);
    }

    [Theory]
    [InlineData("""{"e":"aggTrade","E":1,"s":"BTCUSDT","a":5,"p":"1.5","q":"2","T":9}""", "'m'")]
    [InlineData("""{"e":"aggTrade","E":1,"s":"BTCUSDT","a":5,"q":"2","T":9,"m":true}""", "'p'")]
    [InlineData("""{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":5,"b":[],"a":[]}""", "'u'")]
    [InlineData("""{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":9,"u":5,"b":[],"a":[]}""", "after u")]
    [InlineData("""{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":5,"u":6,"b":[["-1","2"]],"a":[]}""", "price must be positive")]
    [InlineData("""{"e":"kline","E":1,"s":"BTCUSDT","k":{"t":1,"i":"1m","o":"2","h":"1","l":"3","c":"2","v":"1","x":true}}""", "not a bar")]
    [InlineData("""{"u":1,"s":"BNBUSDT","b":"1","B":"1","a":"2"}""", "'A'")]
    [InlineData("""{"e":"executionReport","E":2,"s":"BTCUSDT","c":"x","S":"BUY","o":"LIMIT","q":"1","p":"1","x":"NEW","i":1,"z":"0","T":3}""", "'X'")]
    [InlineData("""{"e":"aggTrade","E":1,"s":"BTCUSDT","a":5,"p":"1.5",""", "malformed JSON")]
    public void A_frame_missing_or_breaking_a_field_is_one_error_and_no_message(string frame, string expected)
    {
        var sink = Parse(frame);
        Assert.Empty(sink.Data);
        Assert.Contains(expected, Assert.Single(sink.Errors).Message);
        Assert.IsType<ProtocolError>(sink.Errors[0]);
    }

    /// <summary>Every example the venue documents (kept as fixtures) decodes to typed messages or control events, never an error.</summary>
    [Theory]
    [MemberData(nameof(SocketExamples))]
    public void Every_documented_socket_example_decodes_without_an_error(string file)
    {
        var market = file.StartsWith("futures", StringComparison.Ordinal) ? MarketKind.Futures : MarketKind.Spot;
        var frame = JsonSerializer.Serialize(JsonDocument.Parse(File.ReadAllText(Fixtures.Path("binance", file))).RootElement);
        if (file.Contains("depth5", StringComparison.Ordinal) && market == MarketKind.Spot)
        {
            frame = $$"""{"stream":"bnbbtc@depth5@100ms","data":{{frame}}}""";
        }

        var sink = Parse(frame, market);
        Assert.Empty(sink.Errors);
        Assert.True(sink.Data.Count + sink.Controls.Count > 0, $"{file} yielded nothing");
    }

    public static TheoryData<string> SocketExamples()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "fixtures", "binance"), "*_ws_*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(path));
        }

        return data;
    }
}
