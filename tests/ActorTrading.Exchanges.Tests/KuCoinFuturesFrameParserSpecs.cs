using System.Text;
using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges.KuCoin.Ws;
using ActorTrading.TestExchange;
using Xunit;

namespace ActorTrading.Exchanges.Tests;

public sealed class KuCoinFrameParserSpecs
{
    private const long Received = 1_700_000_000_000;

    private static CollectingSink Parse(string frame, IFrameParser? parser = null)
    {
        var sink = new CollectingSink();
        (parser ?? new KuCoinFrameParser()).Parse(Encoding.UTF8.GetBytes(frame), Received, sink);
        return sink;
    }

    private static T Single<T>(CollectingSink sink)
    {
        Assert.Empty(sink.Errors);
        return Assert.IsType<T>(Assert.Single(sink.Data));
    }

    [Fact]
    public void One_parser_keeps_each_frame_s_own_topic_when_topics_alternate()
    {
        // The parser remembers the last topic it resolved: another one must never be taken for it.
        var parser = new KuCoinFrameParser();
        var sink = new CollectingSink();
        foreach (var (symbol, sequence) in new[] { ("XBTUSDTM", 1), ("ETHUSDTM", 2), ("XBTUSDTM", 3), ("XBTUSDTM", 4), ("ETHUSDTM", 5) })
        {
            var frame = $$$"""{"topic":"/contractMarket/level2:{{{symbol}}}","type":"message","subject":"level2","sn":{{{sequence}}},"data":{"sequence":{{{sequence}}},"change":"10.5,buy,3","timestamp":1}}""";
            parser.Parse(Encoding.UTF8.GetBytes(frame), Received, sink);
        }

        Assert.Empty(sink.Errors);
        Assert.Equal(["1 XBTUSDTM", "2 ETHUSDTM", "3 XBTUSDTM", "4 XBTUSDTM", "5 ETHUSDTM"], sink.Data.Cast<OrderBookUpdate>().Select(u => $"{u.LastSequence} {u.Symbol}"));
    }

    [Fact]
    public void Execution_sample_decodes_to_a_trade_with_ns_timestamp_in_ms()
    {
        var trade = Single<Trade>(Parse(Fixtures.KuCoin("futures_ws_contractMarket_execution_symbol")));
        Assert.Equal("XBTUSDTM", trade.Symbol.Value);
        Assert.Equal(MarketKind.Futures, trade.Market);
        Assert.Equal("1794100537695", trade.TradeId);
        Assert.Equal(Side.Buy, trade.Side);
        Assert.Equal(90503.9m, trade.Price);
        Assert.Equal(2m, trade.Size);
        Assert.Equal(1794100537695L, trade.Sequence);
        Assert.Equal(1731898619520L, trade.ExchangeTs);
        Assert.Equal(Received, trade.ReceivedTs);
    }

    [Fact]
    public void TickerV2_sample_decodes_best_bid_and_ask()
    {
        var ticker = Single<Ticker>(Parse(Fixtures.KuCoin("futures_ws_contractMarket_tickerV2_symbol")));
        Assert.Equal(88987.4m, ticker.BidPrice);
        Assert.Equal(713m, ticker.BidSize);
        Assert.Equal(88987.5m, ticker.AskPrice);
        Assert.Equal(1037m, ticker.AskSize);
        Assert.Null(ticker.LastPrice);
        Assert.Equal(1709284589209L, ticker.Sequence);
        Assert.Equal(1731665526461L, ticker.ExchangeTs);
    }

    [Fact]
    public void Ticker_v1_sample_carries_the_last_price()
    {
        var ticker = Single<Ticker>(Parse(Fixtures.KuCoin("futures_ws_contractMarket_ticker_symbol")));
        Assert.Equal(90147.7m, ticker.LastPrice);
        Assert.Equal(90147.8m, ticker.AskPrice);
        Assert.Equal(275m, ticker.AskSize);
        Assert.Equal(1731679215637L, ticker.ExchangeTs);
    }

    [Fact]
    public void Level2_sample_decodes_to_a_single_change_delta()
    {
        var delta = Single<OrderBookUpdate>(Parse(Fixtures.KuCoin("futures_ws_contractMarket_level2_symbol")));
        Assert.Equal(BookUpdateKind.Delta, delta.Kind);
        Assert.Equal(DataChannel.BookDelta, delta.Channel);
        Assert.Equal(1709400450243L, delta.FirstSequence);
        Assert.Equal(1709400450243L, delta.LastSequence);
        Assert.Empty(delta.Bids);
        Assert.Equal(new BookLevel(90631.2m, 2m), Assert.Single(delta.Asks));
        Assert.Equal(1731897467182L, delta.ExchangeTs);
    }

    [Fact]
    public void Depth5_sample_decodes_to_a_full_snapshot()
    {
        var book = Single<OrderBookUpdate>(Parse(Fixtures.KuCoin("futures_ws_contractMarket_level2Depth5_symbol")));
        Assert.Equal(BookUpdateKind.Snapshot, book.Kind);
        Assert.Equal(DataChannel.BookDepth5, book.Channel);
        Assert.Equal(1709294294670L, book.LastSequence);
        Assert.Equal(5, book.Bids.Length);
        Assert.Equal(new BookLevel(89720.9m, 513m), book.Bids[0]);
        Assert.Equal(new BookLevel(89718.3m, 7m), book.Bids[4]);
        Assert.Equal(new BookLevel(89721m, 906m), book.Asks[0]);
        Assert.Equal(new BookLevel(89725.4m, 113m), book.Asks[4]);
        Assert.Equal(1731680019100L, book.ExchangeTs);
    }

    [Fact]
    public void Depth50_sample_decodes_every_level()
    {
        var book = Single<OrderBookUpdate>(Parse(Fixtures.KuCoin("futures_ws_contractMarket_level2Depth50_symbol")));
        Assert.Equal(DataChannel.BookDepth50, book.Channel);
        Assert.Equal(1709294490099L, book.LastSequence);
        Assert.Equal([new BookLevel(89778.6m, 1534m), new BookLevel(89778.2m, 54m)], book.Bids.ToArray());
        Assert.Equal([new BookLevel(89778.7m, 854m), new BookLevel(89779.2m, 4m)], book.Asks.ToArray());
    }

    [Fact]
    public void Candle_sample_maps_open_close_high_low_in_venue_order()
    {
        var candle = Single<Candle>(Parse(Fixtures.KuCoin("futures_ws_contractMarket_limitCandle_symbol_type")));
        Assert.Equal("XBTUSDTM", candle.Symbol.Value);
        Assert.Equal("1min", candle.Interval);
        Assert.Equal(1731898200000L, candle.OpenTs);
        Assert.Equal(90638.6m, candle.Open);
        Assert.Equal(21.0m, candle.Volume);
        Assert.Equal("21.0", candle.Volume.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.False(candle.IsClosed);
        Assert.Equal(1731898208357L, candle.ExchangeTs);
    }

    [Fact]
    public void Candle_is_reported_closed_when_the_next_interval_starts()
    {
        var parser = new KuCoinFrameParser();
        static string Frame(long start, string close, string high) =>
            $$$"""{"topic":"/contractMarket/limitCandle:XBTUSDTM_1min","type":"message","subject":"candle.stick","data":{"symbol":"XBTUSDTM","candles":["{{{start}}}","100","{{{close}}}","{{{high}}}","99","5","500"],"time":{{{start * 1000 + 5}}}}}""";
        Parse(Frame(1731898200, "101", "102"), parser);
        var sink = Parse(Frame(1731898260, "103", "104"), parser);
        Assert.Equal(2, sink.Data.Count);
        var closed = Assert.IsType<Candle>(sink.Data[0]);
        Assert.True(closed.IsClosed);
        Assert.Equal(1731898200000L, closed.OpenTs);
        Assert.Equal(101m, closed.Close);
        Assert.Equal(102m, closed.High);
        Assert.Equal(99m, closed.Low);
        var open = Assert.IsType<Candle>(sink.Data[1]);
        Assert.False(open.IsClosed);
        Assert.Equal(103m, open.Close);
    }

    [Fact]
    public void Instrument_mark_price_sample_decodes_numbers_exactly()
    {
        var funding = Single<FundingRate>(Parse(Fixtures.KuCoin("futures_ws_contract_instrument_symbol")));
        Assert.Equal(90445.02m, funding.MarkPrice);
        Assert.Equal(90445.02m, funding.IndexPrice);
        Assert.Null(funding.Rate);
        Assert.Equal(1731899129000L, funding.ExchangeTs);
    }

    [Theory]
    [InlineData(60000, null, "-0.002966")]
    [InlineData(28800000, "-0.002966", null)]
    public void Funding_rate_granularity_tells_predicted_from_settled(long granularity, string? rate, string? predicted)
    {
        var frame = $$$"""{"topic":"/contract/instrument:XBTUSDTM","subject":"funding.rate","data":{"granularity":{{{granularity}}},"fundingRate":-0.002966,"timestamp":1551770400000}}""";
        var funding = Single<FundingRate>(Parse(frame));
        Assert.Equal(rate is null ? null : decimal.Parse(rate, System.Globalization.CultureInfo.InvariantCulture), funding.Rate);
        Assert.Equal(predicted is null ? null : decimal.Parse(predicted, System.Globalization.CultureInfo.InvariantCulture), funding.PredictedRate);
        Assert.Equal(1551770400000L, funding.ExchangeTs);
    }

    [Theory]
    [InlineData("ws_welcome", ControlKind.Welcome, "hQvf8jkno")]
    [InlineData("ws_ack", ControlKind.Ack, "1545910660739")]
    [InlineData("ws_pong.response", ControlKind.Pong, "1545910590801")]
    public void Control_frames_decode_with_their_id(string sample, ControlKind kind, string id)
    {
        var sink = Parse(Fixtures.KuCoin(sample));
        Assert.Empty(sink.Data);
        Assert.Equal(new ControlEvent(kind, id), Assert.Single(sink.Controls));
    }

    [Fact]
    public void Error_401_is_a_refused_token()
    {
        var sink = Parse("""{"id":"c1","type":"error","code":401,"data":"token is expired"}""");
        var control = Assert.Single(sink.Controls);
        Assert.Equal(ControlKind.TokenRejected, control.Kind);
        Assert.Equal("401 token is expired", control.Detail);
    }

    [Fact]
    public void Error_for_a_request_names_the_request()
    {
        var sink = Parse("""{"id":"7","type":"error","code":404,"data":"topic /contractMarket/nope:X is not found"}""");
        Assert.Equal(new ControlEvent(ControlKind.Error, "7", "404 topic /contractMarket/nope:X is not found"), Assert.Single(sink.Controls));
    }

    [Fact]
    public void Notice_is_a_shutdown_announcement()
    {
        var sink = Parse("""{"type":"notice","subject":"server.shutdown"}""");
        Assert.Equal(ControlKind.Shutdown, Assert.Single(sink.Controls).Kind);
    }

    [Fact]
    public void Twenty_four_hour_statistics_announcements_and_the_spot_best_quote_decode_from_the_docs_examples()
    {
        var futures = Single<MarketStatistics>(Parse(Fixtures.KuCoin("futures_ws_contractMarket_snapshot_symbol")));
        Assert.Equal(("XBTUSDTM", (decimal?)90326.7m, (decimal?)91512.8m, (decimal?)88747.8m, (decimal?)5834.46m, (decimal?)446.3m, (decimal?)0.0049m, 1731900415023L),
            (futures.Symbol.Value, futures.LastPrice, futures.High, futures.Low, futures.Volume, futures.ChangePrice, futures.ChangeRate, futures.ExchangeTs));

        var spotParser = new KuCoinFrameParser(MarketKind.Spot);
        var spot = Single<MarketStatistics>(Parse(Fixtures.KuCoin("spot_ws_market_snapshot_symbol"), spotParser));
        Assert.Equal(("BTC-USDT", (decimal?)67158.1m, (decimal?)67611.8m, (decimal?)65257.1m, (decimal?)315.2m, (decimal?)0.0047m, 1729758286011L),
            (spot.Symbol.Value, spot.LastPrice, spot.High, spot.Low, spot.ChangePrice, spot.ChangeRate, spot.ExchangeTs));

        var notice = Single<VenueNotice>(Parse(Fixtures.KuCoin("futures_ws_contract_announcement_symbol")));
        Assert.Equal(("XBTUSDTM", "funding.begin", (long?)1551770400000L, (decimal?)-0.002966m, 1551770400000L),
            (notice.Symbol.Value, notice.Subject, notice.FundingTime, notice.FundingRate, notice.ExchangeTs));

        var quote = Single<Ticker>(Parse(Fixtures.KuCoin("spot_ws_spotMarket_level1_symbol"), spotParser));
        Assert.Equal((68145.7m, 1.29267802m, 68145.8m, 0.51987471m, (decimal?)null, 1729816058766L),
            (quote.BidPrice, quote.BidSize, quote.AskPrice, quote.AskSize, quote.LastPrice, quote.ExchangeTs));
    }

    [Theory]
    [InlineData("", "empty frame")]
    [InlineData("{\"type\":\"message\",\"topic\":\"/contractMarket/execution:X", "malformed JSON")]
    [InlineData("[1,2,3]", "frame must be StartObject")]
    [InlineData("{\"type\":\"message\",\"topic\":\"/contractMarket/execution:X\",\"data\":{\"price\":true,\"side\":\"buy\",\"tradeId\":\"1\"}}", "field 'price' must be a number or numeric string")]
    [InlineData("{\"type\":\"message\",\"topic\":\"/contractMarket/execution:X\",\"data\":{\"price\":\"1e999\",\"side\":\"buy\",\"tradeId\":\"1\"}}", "field 'price' is not a decimal")]
    [InlineData("{\"type\":\"message\",\"topic\":\"/contractMarket/execution:X\",\"data\":{\"price\":1e999,\"side\":\"buy\",\"tradeId\":\"1\"}}", "field 'price' is out of range")]
    [InlineData("{\"type\":\"message\",\"topic\":\"/contractMarket/level2:X\",\"data\":{\"sequence\":1,\"change\":\"1,up,2\"}}", "change side must be buy or sell")]
    [InlineData("{\"type\":\"message\",\"topic\":\"/contractMarket/nonsense:X\",\"data\":{}}", "unknown topic '/contractMarket/nonsense:X'")]
    [InlineData("{\"type\":\"surprise\"}", "unknown frame type 'surprise'")]
    [InlineData("{\"type\":\"message\",\"topic\":\"/contractMarket/execution:X\",\"data\":{\"price\":\"1\",\"side\":\"buy\",\"size\":1,\"sequence\":1,\"ts\":1}}", "missing field 'tradeId'")]
    [InlineData("{\"type\":\"message\",\"topic\":\"/contractMarket/execution:X\",\"data\":{\"tradeId\":\"t\",\"side\":\"buy\",\"size\":1,\"sequence\":1,\"ts\":1}}", "missing field 'price'")]
    [InlineData("{\"type\":\"message\",\"topic\":\"/contractMarket/execution:X\",\"data\":{\"tradeId\":\"t\",\"side\":\"buy\",\"price\":1,\"sequence\":1,\"ts\":1}}", "missing field 'size'")]
    [InlineData("{\"type\":\"message\",\"topic\":\"/contractMarket/execution:X\",\"data\":{\"tradeId\":\"t\",\"side\":\"buy\",\"price\":1,\"size\":1,\"sequence\":1}}", "missing field 'ts'")]
    [InlineData("{\"type\":\"message\",\"topic\":\"/contractMarket/execution:X\",\"data\":{\"tradeId\":\"t\",\"side\":\"buy\",\"price\":\"0\",\"size\":1,\"sequence\":1,\"ts\":1}}", "field 'price' must be positive, got 0")]
    [InlineData("{\"type\":\"message\",\"topic\":\"/contractMarket/execution:X\",\"data\":{\"tradeId\":\"t\",\"side\":\"buy\",\"price\":5,\"size\":-1,\"sequence\":1,\"ts\":1}}", "field 'size' must be positive, got -1")]
    [InlineData("{\"type\":\"message\",\"topic\":\"/contractMarket/execution:X\",\"data\":{\"tradeId\":\"t\",\"side\":\"buy\",\"price\":5,\"size\":1,\"sequence\":1,\"ts\":-5}}", "field 'ts' is not a time: -5")]
    [InlineData("{\"type\":\"message\",\"topic\":\"/contractMarket/execution:X\",\"data\":{\"sequence\":1,\"side\":\"buy\",\"size\":2,\"price\":\"10\",\"tradeId\":\"t\",\"ts\":1731898619520000000},\"data\":{\"sequence\":1,\"side\":\"buy\",\"size\":2,\"price\":\"10\",\"tradeId\":\"t\",\"ts\":1731898619520000000}}", "duplicate 'data' in one frame")]
    [InlineData("{\"type\":\"message\",\"topic\":\"/contractMarket/execution:X\",\"data\":{\"sequence\":1,\"side\":\"buy\",\"size\":2,\"price\":\"10\",\"tradeId\":\"t\",\"ts\":1731898619520000000},\"sn\":", "malformed JSON")]
    [InlineData("{\"type\":\"message\",\"topic\":\"/contractMarket/execution:X\",\"data\":{\"sequence\":1,\"side\":\"buy\",\"size\":2,\"price\":\"10\",\"tradeId\":\"t\",\"ts\":1731898619520000000}}}", "malformed JSON")]
    [InlineData("{\"type\":\"message\",\"topic\":\"/contractMarket/limitCandle:X_1min\",\"data\":{\"candles\":[\"18446744073709552\",\"1\",\"1\",\"1\",\"1\",\"1\",\"1\"],\"time\":1}}", "field 'candles[0]' is not a time: 18446744073709552")]
    [InlineData("{\"type\":\"message\",\"topic\":\"/contractMarket/limitCandle:X_1min\",\"data\":{\"candles\":[\"1731898200\",\"100\",\"101\",\"99\",\"102\",\"5\",\"500\"],\"time\":1}}", "candle high 99 and low 102 do not bound open 100 and close 101")]
    [InlineData("{\"type\":\"message\",\"topic\":\"/contractMarket/limitCandle:X_1min\",\"data\":{\"candles\":[\"1731898200\",\"100\",\"101\",\"102\",\"99\"],\"time\":1}}", "candles has 5 values, needs at least 6")]
    [InlineData("{\"type\":\"message\",\"topic\":\"/contractMarket/limitCandle:X_1min\",\"data\":{\"candles\":[\"1731898200\",\"100\",\"101\",\"102\",\"99\",\"5\",\"500\"]}}", "missing field 'time'")]
    [InlineData("{\"type\":\"message\",\"topic\":\"/contractMarket/level2:X\",\"data\":{\"sequence\":1,\"change\":\"1,buy,2\"}}", "missing field 'timestamp'")]
    [InlineData("{\"type\":\"message\",\"topic\":\"/contractMarket/level2:X\",\"data\":{\"sequence\":1,\"change\":\"-1,buy,2\",\"timestamp\":1}}", "change level -1 x 2: the price must be positive")]
    [InlineData("{\"type\":\"message\",\"topic\":\"/contractMarket/tickerV2:X\",\"data\":{\"sequence\":1,\"bestBidPrice\":\"1\",\"bestBidSize\":1,\"bestAskPrice\":\"2\",\"bestAskSize\":1}}", "missing field 'ts'")]
    [InlineData("{\"type\":\"message\",\"topic\":\"/contractAccount/wallet\",\"subject\":\"walletBalance.change\",\"data\":{\"currency\":\"USDT\",\"walletBalance\":\"5\",\"availableBalance\":\"4\",\"timestamp\":\"1\"}}", "missing field 'hold'")]
    public void Bad_frames_become_typed_protocol_errors_with_the_frame(string frame, string message)
    {
        var sink = Parse(frame);
        Assert.Empty(sink.Data);
        var error = Assert.IsType<ProtocolError>(Assert.Single(sink.Errors));
        Assert.StartsWith(message, error.Message);
        Assert.Equal(frame.Length > ProtocolError.MaxExcerpt ? frame[..ProtocolError.MaxExcerpt] + "…" : frame, error.Frame);
    }

    [Fact]
    public void Long_bad_frames_are_truncated_in_the_error()
    {
        var frame = "{\"type\":\"message\",\"topic\":\"/x\",\"data\":{\"pad\":\"" + new string('a', 1000) + "\"}}";
        var error = Assert.IsType<ProtocolError>(Assert.Single(Parse(frame).Errors));
        Assert.Equal(ProtocolError.MaxExcerpt + 1, error.Frame.Length);
    }

    [Fact]
    public void Index_and_mark_prices_a_whole_markets_statistics_and_account_settings_decode_from_the_docs_examples()
    {
        var spotParser = new KuCoinFrameParser(MarketKind.Spot);
        var index = Single<FundingRate>(Parse("""{"id":"5c24c5da03aa673885cd67a0","type":"message","topic":"/indicator/index:USDT-BTC","subject":"tick","data":{"symbol":"USDT-BTC","granularity":5000,"timestamp":1551770400000,"value":0.0001092}}""", spotParser));
        Assert.Equal(("USDT-BTC", (decimal?)0.0001092m, (decimal?)null, 1551770400000L), (index.Symbol.Value, index.IndexPrice, index.MarkPrice, index.ExchangeTs));
        var mark = Single<FundingRate>(Parse("""{"id":"5c24c5da03aa673885cd67aa","type":"message","topic":"/indicator/markPrice:USDT-BTC","subject":"tick","data":{"symbol":"USDT-BTC","granularity":5000,"timestamp":1551770400000,"value":0.0001093}}""", spotParser));
        Assert.Equal(((decimal?)0.0001093m, (decimal?)null), (mark.MarkPrice, mark.IndexPrice));

        var market = Parse("""{"type":"message","topic":"/market/snapshot:BTC","subject":"trade.snapshot","data":{"sequence":"1545896669291","data":[{"trading":true,"symbol":"KCS-BTC","buy":0.00011,"sell":0.00012,"volValue":3.13851792584,"datetime":1548388122031,"high":0.00013,"vol":27514.34842,"low":0.0001,"changePrice":-1.0e-5,"changeRate":-0.0769,"lastTradedPrice":0.00012},{"symbol":"ETH-BTC","datetime":1548388122032,"high":0.05,"low":0.04,"lastTradedPrice":0.045}]}}""", spotParser);
        Assert.Empty(market.Errors);
        Assert.Equal([("KCS-BTC", (decimal?)0.00012m, (decimal?)-0.0769m), ("ETH-BTC", (decimal?)0.045m, (decimal?)null)],
            market.Data.Cast<MarketStatistics>().Select(m => (m.Symbol.Value, m.LastPrice, m.ChangeRate)));

        var mode = Single<AccountSetting>(Parse(Fixtures.KuCoin("futures_ws_contract_marginMode")));
        Assert.Equal(("ETHUSDTM", "ISOLATED", (decimal?)null, Received), (mode.Symbol.Value, mode.MarginMode, mode.CrossLeverage, mode.ExchangeTs));
        var leverage = Single<AccountSetting>(Parse(Fixtures.KuCoin("futures_ws_contract_crossLeverage")));
        Assert.Equal(("ETHUSDTM", (string?)null, (decimal?)8m), (leverage.Symbol.Value, leverage.MarginMode, leverage.CrossLeverage));

        var frames = new KuCoinFeedAdapter(isPrivate: true).SubscriptionFrames([new Subscription(DataChannel.AccountSettings, KuCoinFeedAdapter.AllSymbols)], subscribe: true, () => "1");
        Assert.Equal(["/contract/marginMode", "/contract/crossLeverage"], frames.Select(f => JsonDocument.Parse(f.Text).RootElement.GetProperty("topic").GetString()));

        // An announcement pushed under the name it was subscribed by decodes the same.
        const string SubscribedName = """{"type":"message","topic":"/contract/announcement:XBTUSDTM","subject":"funding.end","data":{"symbol":"XBTUSDTM","fundingTime":1551770400000,"fundingRate":-0.002966,"timestamp":1551770410000}}""";
        var notice = Single<VenueNotice>(Parse(SubscribedName));
        Assert.Equal(("funding.end", 1551770410000L), (notice.Subject, notice.ExchangeTs));
    }

    [Fact]
    public void Funding_settlements_and_risk_limit_changes_on_the_position_topic_decode_from_the_docs_examples()
    {
        var settlement = Single<FundingSettlement>(Parse(Fixtures.KuCoin("futures_ws_contract_position_settlement")));
        Assert.Equal(("XBTUSDM", 100m, 3610.85m, -0.002966m, -296m, "XBT", 1551770400000L, 1547697294838L, DataChannel.Positions),
            (settlement.Symbol.Value, settlement.Quantity, settlement.SettlementPrice, settlement.Rate, settlement.Fee, settlement.SettleCurrency,
                settlement.FundingTs, settlement.ExchangeTs, settlement.Channel));

        var riskLimit = Single<RiskLimitChange>(Parse(Fixtures.KuCoin("futures_ws_contract_position_adjustRiskLimit")));
        Assert.Equal(("ADAUSDTM", true, 1, (string?)null, Received, DataChannel.AccountSettings),
            (riskLimit.Symbol.Value, riskLimit.Succeeded, riskLimit.Level, riskLimit.Reason, riskLimit.ExchangeTs, riskLimit.Channel));
        var refused = Single<RiskLimitChange>(Parse("""{"topic":"/contract/position:ADAUSDTM","subject":"position.adjustRiskLimit","data":{"success":false,"riskLimitLevel":2,"msg":"insufficient balance"}}"""));
        Assert.Equal((false, 2, "insufficient balance"), (refused.Succeeded, refused.Level, refused.Reason));

        // A quoted "true" is not a boolean, and a settlement without its fee is no settlement.
        Assert.StartsWith("field 'success' must be true or false", Assert.Single(Parse("""{"topic":"/contract/position:X","subject":"position.adjustRiskLimit","data":{"success":"true","riskLimitLevel":1}}""").Errors).Message);
        Assert.StartsWith("missing field 'fundingFee'", Assert.Single(Parse("""{"topic":"/contract/position:X","subject":"position.settlement","data":{"fundingTime":1,"qty":1,"markPrice":2,"fundingRate":0.1,"ts":1,"settleCurrency":"XBT"}}""").Errors).Message);
    }

    [Fact]
    public void Stop_orders_of_futures_and_spot_decode_from_the_docs_examples_and_subscribe_their_topics()
    {
        var futures = Single<StopOrderUpdate>(Parse(Fixtures.KuCoin("futures_ws_contractMarket_advancedOrders")));
        Assert.Equal(("XBTUSDTM", "240673378116083712", Side.Buy, StopOrderEvent.Placed, "down", 1000m, "TP", (decimal?)0.1m, 1m, 1730194206837L, 1730194206843L),
            (futures.Symbol.Value, futures.OrderId, futures.Side, futures.Event, futures.Trigger, futures.StopPrice, futures.StopPriceType, futures.OrderPrice,
                futures.Size, futures.CreatedTs, futures.ExchangeTs));

        var spotParser = new KuCoinFrameParser(MarketKind.Spot);
        var spot = Single<StopOrderUpdate>(Parse(Fixtures.KuCoin("spot_ws_spotMarket_advancedOrders"), spotParser));
        Assert.Equal(("BTC-USDT", "vs93gpupfa48anof003u85mb", StopOrderEvent.Placed, "loss", 71000m, (string?)null, (decimal?)70000m, 0.00007142m, 1742305928064L),
            (spot.Symbol.Value, spot.OrderId, spot.Event, spot.Trigger, spot.StopPrice, spot.StopPriceType, spot.OrderPrice, spot.Size, spot.CreatedTs));

        var triggered = Single<StopOrderUpdate>(Parse(Fixtures.KuCoin("futures_ws_contractMarket_advancedOrders").Replace("\"open\"", "\"triggered\"", StringComparison.Ordinal)));
        Assert.Equal(StopOrderEvent.Triggered, triggered.Event);
        Assert.StartsWith("stop order type must be open, triggered or cancel",
            Assert.Single(Parse(Fixtures.KuCoin("futures_ws_contractMarket_advancedOrders").Replace("\"open\"", "\"gone\"", StringComparison.Ordinal)).Errors).Message);

        static string TopicOf(OutboundFrame frame) => JsonDocument.Parse(frame.Text).RootElement.GetProperty("topic").GetString()!;
        var all = new Subscription(DataChannel.StopOrders, KuCoinFeedAdapter.AllSymbols);
        Assert.Equal("/contractMarket/advancedOrders", TopicOf(Assert.Single(new KuCoinFeedAdapter(isPrivate: true).SubscriptionFrames([all], true, () => "1"))));
        Assert.Equal("/spotMarket/advancedOrders", TopicOf(Assert.Single(new KuCoinFeedAdapter(isPrivate: true, market: MarketKind.Spot).SubscriptionFrames([all], true, () => "1"))));
    }

    [Fact]
    public void Margin_positions_reach_strategies_typed_cross_with_its_debt_ratio_and_isolated_with_its_liabilities()
    {
        var spotParser = new KuCoinFrameParser(MarketKind.Spot);
        var cross = Single<MarginPosition>(Parse(Fixtures.KuCoin("margin_ws_margin_position"), spotParser));
        Assert.Equal(("*", (decimal?)0m, (decimal?)0.0005243177228408m, (decimal?)0m, (string?)null, 1729912435657L, DataChannel.MarginPositions),
            (cross.Symbol.Value, cross.DebtRatio, cross.TotalAssetBtc, cross.TotalDebtBtc, cross.Status, cross.ExchangeTs, cross.Channel));
        Assert.Equal([new MarginBalance("BTC", 0.00002m, 0m, 0.00002m, null, null), new MarginBalance("USDT", 33.68855864m, 15.01916691m, 18.66939173m, null, null)], cross.Balances.ToArray());
        Assert.Equal([new MarginDebt("BTC", 0m), new MarginDebt("USDT", 0m)], cross.Debts.ToArray());

        var frozen = Single<MarginPosition>(Parse(Fixtures.KuCoin("margin_ws_margin_position_status"), spotParser));
        Assert.Equal(("*", "FROZEN_FL", (decimal?)null, 15538460812100L), (frozen.Symbol.Value, frozen.Status, frozen.DebtRatio, frozen.ExchangeTs));
        Assert.Empty(frozen.Balances);

        var isolated = Single<MarginPosition>(Parse(Fixtures.KuCoin("margin_ws_margin_isolatedPosition_symbol"), spotParser));
        Assert.Equal(("BTC-USDT", "DEBT", "DEFAULT_DEBT", (decimal?)5.01m, 1730121097742L), (isolated.Symbol.Value, isolated.Status, isolated.StatusCause, isolated.AccumulatedPrincipal, isolated.ExchangeTs));
        Assert.Equal([new MarginBalance("BTC", 0.00043478m, null, 0m, 0m, 0m), new MarginBalance("USDT", 0.98092004m, null, 0m, 26m, 0.00025644m)], isolated.Balances.ToArray());

        // A negative debt is not a debt; an unknown subject is said, not guessed.
        Assert.StartsWith("debtList.USDT must not be negative", Assert.Single(Parse(Fixtures.KuCoin("margin_ws_margin_position").Replace("\"USDT\":\"0\"", "\"USDT\":\"-1\"", StringComparison.Ordinal), spotParser).Errors).Message);
        Assert.StartsWith("unknown margin position subject 'debt.other'", Assert.Single(Parse(Fixtures.KuCoin("margin_ws_margin_position").Replace("debt.ratio", "debt.other", StringComparison.Ordinal), spotParser).Errors).Message);

        static string TopicOf(OutboundFrame frame) => JsonDocument.Parse(frame.Text).RootElement.GetProperty("topic").GetString()!;
        var spotPrivate = new KuCoinFeedAdapter(isPrivate: true, market: MarketKind.Spot);
        Assert.Equal(["/margin/position", "/margin/isolatedPosition:BTC-USDT"], spotPrivate.SubscriptionFrames(
            [new Subscription(DataChannel.MarginPositions, KuCoinFeedAdapter.AllSymbols), new Subscription(DataChannel.MarginPositions, new("BTC-USDT"))], true, () => "1").Select(TopicOf));
    }

    [Fact]
    public void Every_tickers_push_call_auctions_and_the_lending_market_decode_from_the_docs_examples()
    {
        var spotParser = new KuCoinFrameParser(MarketKind.Spot);
        var ticker = Single<Ticker>(Parse(Fixtures.KuCoin("spot_ws_market_ticker_all"), spotParser));
        Assert.Equal(("BTC-USDT", 67218.6m, 67218.7m, (decimal?)67220m, 14691455768L, 1729757723612L),
            (ticker.Symbol.Value, ticker.BidPrice, ticker.AskPrice, ticker.LastPrice, ticker.Sequence, ticker.ExchangeTs));

        var auction = Single<CallAuction>(Parse(Fixtures.KuCoin("spot_ws_callauction_callauctionData_symbol"), spotParser));
        Assert.Equal(("BTC-USDT", 0.17m, 0.03715004m, 1.788m, 2.788m, 1.788m, 2.788m, 1550653727731L),
            (auction.Symbol.Value, auction.EstimatedPrice, auction.EstimatedSize, auction.SellLow, auction.SellHigh, auction.BuyLow, auction.BuyHigh, auction.ExchangeTs));

        var level = Single<LendingUpdate>(Parse(Fixtures.KuCoin("margin_ws_margin_fundingBook"), spotParser));
        Assert.Equal(("BTC", "funding.update", "lend", (long?)1000000L, (decimal?)0.00007m, (decimal?)0.12m, (int?)7, (decimal?)1017.5m, 1553846081210L),
            (level.Symbol.Value, level.Subject, level.Side, level.Sequence, level.DailyRate, level.AnnualRate, level.TermDays, level.Size, level.ExchangeTs));
        var open = Single<LendingUpdate>(Parse(Fixtures.KuCoin("margin_ws_margin_loan_open"), spotParser));
        Assert.Equal(("order.open", "ac928c66ca53498f9c13a127a60e8", (decimal?)1m, (decimal?)null), (open.Subject, open.OrderId, open.Size, open.LentSize));
        var update = Single<LendingUpdate>(Parse(Fixtures.KuCoin("margin_ws_margin_loan_update"), spotParser));
        Assert.Equal(("order.update", (decimal?)0.5m), (update.Subject, update.LentSize));
        var done = Single<LendingUpdate>(Parse(Fixtures.KuCoin("margin_ws_margin_loan_done"), spotParser));
        Assert.Equal(("order.done", "filled", (decimal?)null), (done.Subject, done.Reason, done.DailyRate));

        static string TopicOf(OutboundFrame frame) => JsonDocument.Parse(frame.Text).RootElement.GetProperty("topic").GetString()!;
        Assert.Equal(["/market/ticker:all", "/callauction/callauctionData:BTC-USDT", "/margin/fundingBook:BTC"], new KuCoinFeedAdapter(market: MarketKind.Spot).SubscriptionFrames(
            [new Subscription(DataChannel.Ticker, KuCoinFeedAdapter.AllSymbols), new Subscription(DataChannel.Auction, new("BTC-USDT")), new Subscription(DataChannel.Lending, new("BTC"))],
            true, () => "1").Select(TopicOf));
        Assert.Equal("/margin/loan:BTC", TopicOf(Assert.Single(new KuCoinFeedAdapter(isPrivate: true, market: MarketKind.Spot).SubscriptionFrames(
            [new Subscription(DataChannel.Lending, new("BTC"))], true, () => "1"))));
    }

    [Fact]
    public void Every_documented_socket_example_decodes_to_typed_messages_with_no_error()
    {
        var fixtures = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "fixtures", "kucoin"), "*_ws_*.json")
            .Select(Path.GetFileNameWithoutExtension).Where(name => !name!.EndsWith(".request", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        Assert.True(fixtures.Count >= 45, $"only {fixtures.Count} socket examples found");
        foreach (var name in fixtures)
        {
            var parser = new KuCoinFrameParser(name!.StartsWith("futures_", StringComparison.Ordinal) ? MarketKind.Futures : MarketKind.Spot);
            var sink = Parse(Fixtures.KuCoin(name), parser);
            Assert.True(sink.Errors.Count == 0, $"{name}: {string.Join("; ", sink.Errors.Select(e => e.Message))}");
            Assert.True(sink.Data.Count > 0 || sink.Controls.Count > 0, $"{name} yielded nothing");
            Assert.DoesNotContain(sink.Controls, c => c.Kind == ControlKind.Notice);   // every documented push is typed, none a bare notice
        }
    }

    [Fact]
    public void Statistics_notices_and_best_quotes_subscribe_their_topics_and_one_topic_for_many_symbols_is_one_frame()
    {
        var ids = 0;
        string Next() => (++ids).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var futures = new KuCoinFeedAdapter().SubscriptionFrames(
            [new Subscription(DataChannel.Statistics, new("XBTUSDTM")), new Subscription(DataChannel.Notices, new("XBTUSDTM")), new Subscription(DataChannel.Notices, new("ETHUSDTM"))],
            subscribe: true, Next);
        Assert.Equal(["/contractMarket/snapshot:XBTUSDTM", "/contract/announcement:XBTUSDTM", "/contract/announcement:ETHUSDTM"],
            futures.Select(f => JsonDocument.Parse(f.Text).RootElement.GetProperty("topic").GetString()));
        var settings = new KuCoinFeedAdapter(isPrivate: true).SubscriptionFrames(
            [new Subscription(DataChannel.AccountSettings, new("XBTUSDTM")), new Subscription(DataChannel.AccountSettings, new("ETHUSDTM"))], subscribe: true, Next);
        Assert.Equal(2, settings.Count);   // margin mode and cross leverage, whatever the symbols
        Assert.All(settings, frame => Assert.Equal(2, frame.Subscriptions.Count));   // each frame's ack settles both

        var spot = new KuCoinFeedAdapter(market: MarketKind.Spot).SubscriptionFrames(
            [new Subscription(DataChannel.BestQuote, new("BTC-USDT")), new Subscription(DataChannel.Statistics, new("BTC-USDT"))], subscribe: true, Next);
        Assert.Equal(["/spotMarket/level1:BTC-USDT", "/market/snapshot:BTC-USDT"], spot.Select(f => JsonDocument.Parse(f.Text).RootElement.GetProperty("topic").GetString()));
    }

    [Fact]
    public void Subscribe_frames_match_the_documented_shape()
    {
        var adapter = new KuCoinFeedAdapter();
        var ids = 0;
        var frames = adapter.SubscriptionFrames(
            [new Subscription(DataChannel.BookDelta, new("XBTUSDTM")), new Subscription(DataChannel.Candles, new("ETHUSDTM"), "5min")],
            subscribe: true, () => (++ids).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("""{"id":"1","type":"subscribe","topic":"/contractMarket/level2:XBTUSDTM","privateChannel":false,"response":true}""", frames[0].Text);
        Assert.Equal("""{"id":"2","type":"subscribe","topic":"/contractMarket/limitCandle:ETHUSDTM_5min","privateChannel":false,"response":true}""", frames[1].Text);
        Assert.Equal("2", frames[1].Id);
        Assert.Equal("""{"id":"9","type":"ping"}""", adapter.PingFrame("9"));
    }

    [Fact]
    public void Unknown_candle_interval_is_a_configuration_error()
    {
        var adapter = new KuCoinFeedAdapter();
        var e = Assert.Throws<ExchangeException>(() => adapter.SubscriptionFrames([new Subscription(DataChannel.Candles, new("X"), "7min")], true, () => "1"));
        Assert.IsType<ConfigurationError>(e.Error);
    }

    [Fact]
    public void Bullet_response_builds_the_connect_url_with_token_and_connect_id()
    {
        using var doc = System.Text.Json.JsonDocument.Parse(Fixtures.KuCoin("futures_rest_POST_api_v1_bullet-public.response"));
        var endpoint = KuCoinFeedAdapter.ParseBullet(doc.RootElement.GetProperty("data"), "abc");
        Assert.StartsWith("wss://ws-api-futures.kucoin.com/?token=2neAiuYvAU61ZDXANAGAsiL4", endpoint.Uri.ToString());
        Assert.EndsWith("&connectId=abc", endpoint.Uri.ToString());
        Assert.Equal(TimeSpan.FromSeconds(18), endpoint.PingInterval);
        Assert.Equal(TimeSpan.FromSeconds(10), endpoint.PingTimeout);
        Assert.DoesNotContain("token", endpoint.ToString());
    }
}

public sealed class KuCoinFuturesPrivateFrameSpecs
{
    private static CollectingSink Parse(string frame)
    {
        var sink = new CollectingSink();
        new KuCoinFrameParser().Parse(Encoding.UTF8.GetBytes(frame), 1_700_000_000_000, sink);
        return sink;
    }

    [Fact]
    public void Order_change_sample_is_an_open_order_update()
    {
        var sink = Parse(Fixtures.KuCoin("futures_ws_contractMarket_tradeOrders"));
        Assert.Empty(sink.Errors);
        var update = Assert.IsType<OrderUpdate>(Assert.Single(sink.Data));
        Assert.Equal(("247899236673269761", OrderStatus.Open, Side.Buy, 91670m, 1m, 0m), (update.OrderId, update.Status, update.Side, update.Price, update.Size, update.FilledSize));
        Assert.Equal(1731916985789L, update.ExchangeTs);
        Assert.Null(update.Fill);
        Assert.Equal(DataChannel.Orders, update.Channel);
    }

    [Fact]
    public void A_match_carries_the_fill()
    {
        const string frame = """{"topic":"/contractMarket/tradeOrders","type":"message","subject":"symbolOrderChange","channelType":"private","data":{"orderId":"5cdfc138b21023a909e5ad55","symbol":"XBTUSDTM","type":"match","status":"open","matchSize":"2","matchPrice":"91670.5","orderType":"limit","side":"sell","price":"91670.5","size":"5","remainSize":"3","filledSize":"2","canceledSize":"0","tradeId":"5ce24c16b210233c36eexxxx","clientOid":"my-1","orderTime":1545914149935808589,"oldSize":"5","liquidity":"maker","ts":1545914149935808589}}""";
        var update = Assert.IsType<OrderUpdate>(Assert.Single(Parse(frame).Data));
        Assert.Equal(OrderStatus.PartiallyFilled, update.Status);
        Assert.Equal("my-1", update.ClientOrderId!.Value.Value);
        Assert.Equal(new FillInfo("5ce24c16b210233c36eexxxx", 91670.5m, 2m, null, null, Liquidity.Maker), update.Fill);
        Assert.Equal(1545914149935L, update.ExchangeTs);
    }

    [Theory]
    [InlineData("filled", "done", "5", OrderStatus.Filled)]
    [InlineData("canceled", "done", "2", OrderStatus.Canceled)]
    [InlineData("update", "open", "0", OrderStatus.Open)]
    public void Order_change_types_map_to_statuses(string type, string status, string filled, OrderStatus expected)
    {
        var frame = $$$"""{"topic":"/contractMarket/tradeOrders:XBTUSDTM","type":"message","subject":"symbolOrderChange","data":{"orderId":"1","symbol":"XBTUSDTM","type":"{{{type}}}","status":"{{{status}}}","side":"buy","price":"1","size":"5","filledSize":"{{{filled}}}","ts":1545914149935808589}}""";
        Assert.Equal(expected, Assert.IsType<OrderUpdate>(Assert.Single(Parse(frame).Data)).Status);
    }

    [Fact]
    public void Position_change_sample_decodes_even_with_subject_after_data()
    {
        var position = Assert.IsType<PositionChange>(Assert.Single(Parse(Fixtures.KuCoin("futures_ws_contract_position_symbol")).Data));
        Assert.Equal(("XBTUSDTM", 1m, 91694.5m, 91839.79m, 0.14529m, 0.07210716m), (position.Symbol.Value, position.Quantity, position.EntryPrice, position.MarkPrice, position.UnrealizedPnl, position.RealizedPnl));
        Assert.Equal(1731924561514L, position.ExchangeTs);
    }

    [Fact]
    public void A_funding_settlement_after_its_data_is_typed_and_an_undocumented_position_subject_is_a_notice_not_a_silent_drop()
    {
        // The subject comes after data here: the parser waits for it before choosing what the data is.
        const string frame = """{"topic":"/contract/position:XBTUSDTM","type":"message","data":{"fundingTime":1551770400000,"qty":100,"markPrice":3610.85,"fundingRate":-0.002966,"fundingFee":-296,"ts":1547697294838004923,"settleCurrency":"XBT"},"subject":"position.settlement","channelType":"private"}""";
        var settlement = Assert.IsType<FundingSettlement>(Assert.Single(Parse(frame).Data));
        Assert.Equal(("XBTUSDTM", -296m, "XBT"), (settlement.Symbol.Value, settlement.Fee, settlement.SettleCurrency));

        var sink = Parse(frame.Replace("position.settlement", "position.somethingNew", StringComparison.Ordinal));
        Assert.Empty(sink.Data);
        Assert.Empty(sink.Errors);
        Assert.Equal(new ControlEvent(ControlKind.Notice, null, "/contract/position:XBTUSDTM position.somethingNew"), Assert.Single(sink.Controls));
    }

    [Fact]
    public void Wallet_sample_is_a_balance_update()
    {
        var balance = Assert.IsType<BalanceUpdate>(Assert.Single(Parse(Fixtures.KuCoin("futures_ws_contractAccount_wallet")).Data));
        Assert.Equal(("USDT", 81.072921258m, 26.144281178m, 0m), (balance.Symbol.Value, balance.Total, balance.Available, balance.Hold));
        Assert.Equal(1731916996764L, balance.ExchangeTs);
    }

    [Fact]
    public void Private_subscriptions_use_private_topics_and_the_private_flag()
    {
        var adapter = new KuCoinFeedAdapter(isPrivate: true);
        var frames = adapter.SubscriptionFrames(
            [new Subscription(DataChannel.Orders, KuCoinFeedAdapter.AllSymbols), new Subscription(DataChannel.Positions, new("XBTUSDTM")), new Subscription(DataChannel.Balances, KuCoinFeedAdapter.AllSymbols)],
            subscribe: true, () => "7");
        Assert.Equal(
        [
            """{"id":"7","type":"subscribe","topic":"/contractMarket/tradeOrders","privateChannel":true,"response":true}""",
            """{"id":"7","type":"subscribe","topic":"/contract/position:XBTUSDTM","privateChannel":true,"response":true}""",
            """{"id":"7","type":"subscribe","topic":"/contractAccount/wallet","privateChannel":true,"response":true}""",
        ], frames.Select(f => f.Text));
        Assert.True(KuCoinFeedAdapter.BulletPrivateRequest.Signed);
        Assert.Throws<ExchangeException>(() => adapter.SubscriptionFrames([new Subscription(DataChannel.Trades, new("XBTUSDTM"))], true, () => "1"));
    }
}

public sealed class KuCoinSpotFrameSpecs
{
    private static CollectingSink Parse(string frame)
    {
        var sink = new CollectingSink();
        new KuCoinFrameParser(MarketKind.Spot).Parse(Encoding.UTF8.GetBytes(frame), 1_700_000_000_000, sink);
        Assert.Empty(sink.Errors);
        return sink;
    }

    [Fact]
    public void Spot_match_is_a_trade_with_string_numbers_and_ns_time()
    {
        var trade = Assert.IsType<Trade>(Assert.Single(Parse(Fixtures.KuCoin("spot_ws_market_match_symbol")).Data));
        Assert.Equal((MarketKind.Spot, "BTC-USDT", "11067996711960577", Side.Buy, 67523m, 0.003m, 11067996711960577L), (trade.Market, trade.Symbol.Value, trade.TradeId, trade.Side, trade.Price, trade.Size, trade.Sequence));
        Assert.Equal(1729843222921L, trade.ExchangeTs);
    }

    [Fact]
    public void Spot_ticker_uses_best_bid_and_ask_and_Time_in_ms()
    {
        var ticker = Assert.IsType<Ticker>(Assert.Single(Parse(Fixtures.KuCoin("spot_ws_market_ticker_symbol")).Data));
        Assert.Equal((0.049m, 0.036m, 0.08m, 0.18m, 0.08m), (ticker.BidPrice, ticker.BidSize, ticker.AskPrice, ticker.AskSize, ticker.LastPrice));
        Assert.Equal(1704873323416L, ticker.ExchangeTs);
    }

    [Fact]
    public void Spot_level2_carries_the_range_and_per_level_sequences()
    {
        var delta = Assert.IsType<OrderBookUpdate>(Assert.Single(Parse(Fixtures.KuCoin("spot_ws_market_level2_symbol")).Data));
        Assert.Equal((14701689783L, 14701689783L, BookUpdateKind.Delta), (delta.FirstSequence, delta.LastSequence, delta.Kind));
        Assert.Equal(new BookLevel(67993.3m, 1.21427407m), Assert.Single(delta.Asks));
        Assert.Equal([14701689783L], delta.AskSequences.ToArray());
        Assert.Empty(delta.Bids);
        Assert.Equal(1729816425625L, delta.ExchangeTs);
    }

    [Fact]
    public void Spot_depth5_uses_its_timestamp_as_sequence()
    {
        var book = Assert.IsType<OrderBookUpdate>(Assert.Single(Parse(Fixtures.KuCoin("spot_ws_spotMarket_level2Depth5_symbol")).Data));
        Assert.Equal((DataChannel.BookDepth5, 1729822226746L, 5, 5), (book.Channel, book.LastSequence, book.Bids.Length, book.Asks.Length));
        Assert.Equal(new BookLevel(67996.6m, 0.37969491m), book.Bids[0]);
    }

    [Fact]
    public void Spot_candles_have_ns_time()
    {
        var candle = Assert.IsType<Candle>(Assert.Single(Parse(Fixtures.KuCoin("spot_ws_market_candles_symbol_type")).Data));
        Assert.Equal(("1hour", 1729839600000L, 67644.9m, 67437.6m, 67724.8m, 67243.8m, 44.88321441m), (candle.Interval, candle.OpenTs, candle.Open, candle.Close, candle.High, candle.Low, candle.Volume));
        Assert.Equal(1729842192785L, candle.ExchangeTs);
    }

    [Fact]
    public void Spot_private_order_and_balance()
    {
        var order = Assert.IsType<OrderUpdate>(Assert.Single(Parse(Fixtures.KuCoin("spot_ws_spotMarket_tradeOrders")).Data));
        Assert.Equal(("6720ecd9ec71f4000747731a", OrderStatus.Open, 50000m, 0.00001m, MarketKind.Spot), (order.OrderId, order.Status, order.Price, order.Size, order.Market));
        var balance = Assert.IsType<BalanceUpdate>(Assert.Single(Parse(Fixtures.KuCoin("spot_ws_account_balance")).Data));
        Assert.Equal(("USDT", 21.133773386762m, 20.132773386762m, 1.001m, 1730269283892L), (balance.Symbol.Value, balance.Total, balance.Available, balance.Hold, balance.ExchangeTs));
    }

    [Fact]
    public void Spot_subscriptions_use_spot_topics()
    {
        var adapter = new KuCoinFeedAdapter(market: MarketKind.Spot);
        var frames = adapter.SubscriptionFrames([new Subscription(DataChannel.BookDelta, new("BTC-USDT")), new Subscription(DataChannel.Candles, new("BTC-USDT"), "6hour")], true, () => "1");
        Assert.Equal(["/market/level2:BTC-USDT", "/market/candles:BTC-USDT_6hour"], frames.Select(f => JsonDocument.Parse(f.Text).RootElement.GetProperty("topic").GetString()));
        Assert.Throws<ExchangeException>(() => adapter.SubscriptionFrames([new Subscription(DataChannel.Funding, new("BTC-USDT"))], true, () => "1"));
        var privateFrames = new KuCoinFeedAdapter(isPrivate: true, market: MarketKind.Spot).SubscriptionFrames([new Subscription(DataChannel.Orders, KuCoinFeedAdapter.AllSymbols)], true, () => "1");
        Assert.Contains("/spotMarket/tradeOrdersV2", privateFrames[0].Text);
    }
}
