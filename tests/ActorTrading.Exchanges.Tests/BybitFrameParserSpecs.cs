using System.Text;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges.Bybit.Ws;
using ActorTrading.TestExchange;
using Xunit;

namespace ActorTrading.Exchanges.Tests;

/// <summary>Bybit v5 frames, from the docs' examples: every value the node keeps, and what it does with frames that are wrong.</summary>
public sealed class BybitFrameParserSpecs
{
    private const long Received = 1_700_000_000_000;

    private readonly BybitFrameParser _linear = new(MarketKind.Futures);

    private static CollectingSink Parse(IFrameParser parser, string frame)
    {
        var sink = new CollectingSink();
        parser.Parse(Encoding.UTF8.GetBytes(frame), Received, sink);
        return sink;
    }

    private CollectingSink Parse(string frame) => Parse(_linear, frame);

    private static T Single<T>(CollectingSink sink)
    {
        Assert.Empty(sink.Errors);
        return Assert.IsType<T>(Assert.Single(sink.Data));
    }

    [Fact]
    public void A_book_snapshot_sample_is_a_snapshot_at_its_update_id()
    {
        var book = Single<OrderBookUpdate>(Parse(Fixtures.Bybit("ws_public_orderbook.50.BTCUSDT_snapshot")));

        Assert.Equal((BookUpdateKind.Snapshot, DataChannel.BookDelta, "BTCUSDT"), (book.Kind, book.SourceChannel, book.Symbol.Value));
        Assert.Equal((18521288L, 18521288L, 1672304484978L), (book.FirstSequence, book.LastSequence, book.ExchangeTs));
        Assert.Equal([new BookLevel(16493.50m, 0.006m), new BookLevel(16493.00m, 0.100m)], book.Bids.ToArray());
        Assert.Equal([new BookLevel(16611.00m, 0.029m), new BookLevel(16612.00m, 0.213m)], book.Asks.ToArray());
    }

    [Fact]
    public void A_delta_chains_to_the_update_before_it_on_the_socket_and_keeps_its_removals()
    {
        Parse(Snapshot(177400506));
        var delta = Single<OrderBookUpdate>(Parse(Fixtures.Bybit("ws_public_orderbook.50.BTCUSDT_delta")));

        Assert.Equal((BookUpdateKind.Delta, 177400507L, 177400506L), (delta.Kind, delta.LastSequence, delta.PreviousSequence));
        Assert.Equal(new BookLevel(30240.00m, 0m), delta.Bids[4]);
        Assert.Equal(new BookLevel(30248.70m, 0m), delta.Asks[0]);
        Assert.Equal((5, 7), (delta.Bids.Length, delta.Asks.Length));
    }

    [Fact]
    public void A_delta_before_any_snapshot_chains_to_nothing_the_book_has()
    {
        var delta = Single<OrderBookUpdate>(Parse(Fixtures.Bybit("ws_public_orderbook.50.BTCUSDT_delta")));
        Assert.Equal(0L, delta.PreviousSequence);
    }

    [Fact]
    public void A_delta_with_u_one_is_the_restarted_service_s_snapshot()
    {
        Parse(Snapshot(500));
        var restart = Single<OrderBookUpdate>(Parse(Book("delta", 1, """[["100.5","2"]]""", """[["101","3"]]""")));

        Assert.Equal((BookUpdateKind.Snapshot, 1L), (restart.Kind, restart.LastSequence));
        var next = Single<OrderBookUpdate>(Parse(Book("delta", 2, "[]", """[["101","0"]]""")));
        Assert.Equal((BookUpdateKind.Delta, 1L), (next.Kind, next.PreviousSequence));
    }

    [Fact]
    public void The_runtime_book_resets_on_every_snapshot_and_on_u_one()
    {
        var book = new Runtime.Books.OrderBook();
        Assert.Equal(Runtime.Books.BookEventKind.Synced, book.Apply(Single<OrderBookUpdate>(Parse(Book("snapshot", 10, """[["100","1"],["99","2"]]""", """[["101","1"]]""")))).Kind);
        Assert.Equal(Runtime.Books.BookEventKind.Applied, book.Apply(Single<OrderBookUpdate>(Parse(Book("delta", 11, """[["100","0"]]""", "[]")))).Kind);
        Assert.Equal(new BookLevel(99m, 2m), book.Bids.Best);

        // A new snapshot replaces the book whatever it held; so does the restart's u = 1, though its number is lower.
        book.Apply(Single<OrderBookUpdate>(Parse(Book("snapshot", 12, """[["98","5"]]""", """[["102","1"]]"""))));
        Assert.Equal((new BookLevel(98m, 5m), 12L), (book.Bids.Best!.Value, book.Sequence));
        Assert.Equal(Runtime.Books.BookEventKind.Synced, book.Apply(Single<OrderBookUpdate>(Parse(Book("delta", 1, """[["97","4"]]""", """[["103","1"]]""")))).Kind);
        Assert.Equal((new BookLevel(97m, 4m), new BookLevel(103m, 1m), 1L), (book.Bids.Best!.Value, book.Asks.Best!.Value, book.Sequence));
        Assert.Single(book.Bids.Top(10));
    }

    [Fact]
    public void A_delta_the_book_did_not_see_the_one_before_breaks_the_chain()
    {
        var book = new Runtime.Books.OrderBook();
        book.Apply(Single<OrderBookUpdate>(Parse(Book("snapshot", 10, """[["100","1"]]""", """[["101","1"]]"""))));
        Parse(Book("delta", 11, """[["100","2"]]""", "[]"));   // parsed on the socket, lost before the book
        var result = book.Apply(Single<OrderBookUpdate>(Parse(Book("delta", 12, """[["100","3"]]""", "[]"))));

        Assert.Equal((Runtime.Books.BookEventKind.Gap, 11L, 10L), (result.Kind, result.Sequence, result.Expected));
    }

    [Fact]
    public void Level_one_is_the_best_quote_as_a_ticker()
    {
        var ticker = Single<Ticker>(Parse(new BybitFrameParser(MarketKind.Spot),
            """{"topic":"orderbook.1.BTCUSDT","ts":1672304484978,"type":"snapshot","data":{"s":"BTCUSDT","b":[["16493.50","0.006"]],"a":[["16611.00","0.029"]],"u":42,"seq":7961638724},"cts":1672304484976}"""));

        Assert.Equal((16493.50m, 0.006m, 16611.00m, 0.029m, 42L), (ticker.BidPrice, ticker.BidSize, ticker.AskPrice, ticker.AskSize, ticker.Sequence));
        Assert.Null(ticker.LastPrice);
    }

    [Fact]
    public void A_public_trade_is_the_takers_side_with_the_trade_id_and_cross_sequence()
    {
        var trade = Single<Trade>(Parse(Fixtures.Bybit("ws_public_publicTrade.BTCUSDT")));

        Assert.Equal(("20f43950-d8dd-5b31-9112-a178eb6023af", Side.Buy, 16578.50m, 0.001m), (trade.TradeId, trade.Side, trade.Price, trade.Size));
        Assert.Equal((1672304486865L, 1783284617L, "BTCUSDT"), (trade.ExchangeTs, trade.Sequence, trade.Symbol.Value));
    }

    [Fact]
    public void A_linear_ticker_snapshot_gives_the_quote_funding_and_24h_figures()
    {
        var sink = Parse(Fixtures.Bybit("ws_public_tickers_linear_LinearPerpetual"));
        Assert.Empty(sink.Errors);

        var ticker = Assert.IsType<Ticker>(sink.Data[0]);
        Assert.Equal((66666.60m, 23789.165m, 66666.70m, 23775.469m, 66666.60m), (ticker.BidPrice, ticker.BidSize, ticker.AskPrice, ticker.AskSize, ticker.LastPrice));
        Assert.Equal(9532239429L, ticker.Sequence);
        var funding = Assert.IsType<FundingRate>(sink.Data[1]);
        Assert.Equal((-0.005m, 66666.60m, 115418.19m, 1760342400000L), (funding.Rate!.Value, funding.MarkPrice!.Value, funding.IndexPrice!.Value, funding.NextFundingTs!.Value));
        var statistics = Assert.IsType<MarketStatistics>(sink.Data[2]);
        Assert.Equal((79266.30m, 65076.90m, 73191.3870m, -12539.60m, -0.158315m), (statistics.High, statistics.Low, statistics.Volume, statistics.ChangePrice, statistics.ChangeRate));
    }

    [Fact]
    public void A_ticker_delta_changes_only_the_fields_it_carries()
    {
        Parse(Fixtures.Bybit("ws_public_tickers_linear_LinearPerpetual"));
        var sink = Parse("""{"topic":"tickers.BTCUSDT","type":"delta","data":{"symbol":"BTCUSDT","bid1Price":"66666.50","bid1Size":"10"},"cs":9532239430,"ts":1760325052730}""");

        var ticker = Single<Ticker>(sink);
        Assert.Equal((66666.50m, 10m, 66666.70m, 23775.469m, 66666.60m, 9532239430L),
            (ticker.BidPrice, ticker.BidSize, ticker.AskPrice, ticker.AskSize, ticker.LastPrice, ticker.Sequence));

        var funding = Single<FundingRate>(Parse("""{"topic":"tickers.BTCUSDT","type":"delta","data":{"symbol":"BTCUSDT","fundingRate":"0.0001"},"cs":9532239431,"ts":1760325052830}"""));
        Assert.Equal((0.0001m, 66666.60m, 1760342400000L), (funding.Rate!.Value, funding.MarkPrice!.Value, funding.NextFundingTs!.Value));
    }

    [Fact]
    public void A_ticker_delta_before_its_snapshot_is_an_error_and_emits_nothing()
    {
        var sink = Parse("""{"topic":"tickers.ETHUSDT","type":"delta","data":{"symbol":"ETHUSDT","bid1Price":"3000"},"cs":1,"ts":1}""");
        Assert.Empty(sink.Data);
        Assert.Contains("before its snapshot", Assert.IsType<ProtocolError>(Assert.Single(sink.Errors)).Message);
    }

    [Fact]
    public void A_spot_ticker_is_24h_statistics_only()
    {
        var statistics = Single<MarketStatistics>(Parse(new BybitFrameParser(MarketKind.Spot), Fixtures.Bybit("ws_public_tickers_spot")));
        Assert.Equal((21109.77m, 21426.99m, 20575m, 6780.866843m, 141946527.22907118m, 0.0196m),
            (statistics.LastPrice, statistics.High, statistics.Low, statistics.Volume, statistics.Turnover, statistics.ChangeRate));
    }

    [Fact]
    public void A_kline_is_a_candle_closed_when_confirmed_though_its_data_comes_before_type_and_ts()
    {
        var candle = Single<Candle>(Parse(Fixtures.Bybit("ws_public_kline.5.BTCUSDT")));
        Assert.Equal(("5", 1672324800000L, 16649.5m, 16677m, 16608m, 16677m, 2.081m, false),
            (candle.Interval, candle.OpenTs, candle.Open, candle.High, candle.Low, candle.Close, candle.Volume, candle.IsClosed));
        Assert.Equal(1672324988882L, candle.ExchangeTs);

        var closed = Single<Candle>(Parse(Fixtures.Bybit("ws_public_kline.5.BTCUSDT").Replace("\"confirm\": false", "\"confirm\": true", StringComparison.Ordinal)));
        Assert.True(closed.IsClosed);
    }

    [Fact]
    public void An_execution_is_a_fill_of_its_order_by_exec_id()
    {
        var update = Single<OrderUpdate>(Parse(Fixtures.Bybit("ws_private_execution")));

        Assert.Equal(("9aac161b-8ed6-450d-9cab-c5cc67c21784", OrderStatus.Filled, Side.Sell), (update.OrderId, update.Status, update.Side));
        Assert.Null(update.ClientOrderId);
        Assert.Equal(new FillInfo("0ab1bdf7-4219-438b-b30a-32ec863018f7", 95900.1m, 0.5m, 26.3725275m, "USDT", Liquidity.Taker), update.Fill);
        Assert.Equal((94942.5m, 0.5m, 1746270400353L), (update.Price!.Value, update.Size!.Value, update.ExchangeTs));
    }

    [Fact]
    public void An_order_of_another_category_is_not_this_markets()
    {
        // The docs' order sample is an option's: the linear and spot parsers leave it alone.
        var sink = Parse(Fixtures.Bybit("ws_private_order"));
        Assert.Empty(sink.Errors);
        Assert.Empty(sink.Data);
    }

    [Fact]
    public void An_order_update_carries_its_link_id_status_and_cumulative_fill()
    {
        var frame = Fixtures.Bybit("ws_private_order").Replace("\"category\": \"option\"", "\"category\": \"linear\"", StringComparison.Ordinal)
            .Replace("\"orderLinkId\": \"\"", "\"orderLinkId\": \"at-7\"", StringComparison.Ordinal);
        var update = Single<OrderUpdate>(Parse(frame));

        Assert.Equal(("at-7", OrderStatus.Filled, 72.5m, 1m, 1m), (update.ClientOrderId!.Value.Value, update.Status, update.Price!.Value, update.Size!.Value, update.FilledSize!.Value));
        Assert.Equal(1672364262457L, update.ExchangeTs);
        Assert.Null(update.Fill);
    }

    [Fact]
    public void A_one_way_position_is_signed_by_its_side_and_a_hedge_mode_leg_is_refused()
    {
        var hedge = Parse(Fixtures.Bybit("ws_private_position"));
        Assert.Empty(hedge.Data);
        Assert.Contains("hedge mode", Assert.Single(hedge.Errors).Message);

        var frame = Fixtures.Bybit("ws_private_position").Replace("\"positionIdx\": 2", "\"positionIdx\": 0", StringComparison.Ordinal)
            .Replace("\"side\": \"\"", "\"side\": \"Sell\"", StringComparison.Ordinal).Replace("\"size\": \"0\"", "\"size\": \"0.25\"", StringComparison.Ordinal)
            .Replace("\"entryPrice\": \"0\"", "\"entryPrice\": \"28000.5\"", StringComparison.Ordinal);
        var position = Single<PositionChange>(Parse(frame));
        Assert.Equal((-0.25m, 28000.5m, 28184.5m, 0m, -25.06579337m), (position.Quantity!.Value, position.EntryPrice!.Value, position.MarkPrice!.Value,
            position.UnrealizedPnl!.Value, position.RealizedPnl!.Value));
    }

    [Fact]
    public void The_wallet_gives_each_coins_balance_and_what_orders_lock()
    {
        var balance = Single<BalanceUpdate>(Parse(Fixtures.Bybit("ws_private_wallet")));
        Assert.Equal(("BTC", 0.00102964m, 0m, 1700034722104L), (balance.Symbol.Value, balance.Total, balance.Hold!.Value, balance.ExchangeTs));
        Assert.Null(balance.Available);
    }

    [Theory]
    [InlineData("""{"success":true,"ret_msg":"subscribe","conn_id":"2324d924","req_id":"10001","op":"subscribe"}""", ControlKind.Ack, "10001")]
    [InlineData("""{"success":true,"ret_msg":"","op":"subscribe","conn_id":"cejreassvfrsfvb9v1a0-2m"}""", ControlKind.Ack, null)]
    [InlineData("""{"success":true,"ret_msg":"pong","conn_id":"465772b1","req_id":"","op":"ping"}""", ControlKind.Pong, null)]
    [InlineData("""{"req_id":"test","op":"pong","args":["1675418560633"],"conn_id":"cfcb4ocsvfriu23r3er0-1b"}""", ControlKind.Pong, "test")]
    [InlineData("""{"success":true,"ret_msg":"","op":"auth","conn_id":"cejreaspqfh3sjdnldmg-p"}""", ControlKind.Ack, null)]
    [InlineData("""{"success":false,"ret_msg":"Params Error","op":"auth","req_id":"1","conn_id":"x"}""", ControlKind.Error, "1")]
    [InlineData("""{"success":false,"ret_msg":"error:handler not found","conn_id":"x","req_id":"4","op":"subscribe"}""", ControlKind.Error, "4")]
    public void Replies_are_acks_pongs_and_refusals_of_the_request_they_name(string frame, ControlKind kind, string? id)
    {
        var sink = Parse(frame);
        Assert.Empty(sink.Errors);
        var control = Assert.Single(sink.Controls);
        Assert.Equal((kind, id), (control.Kind, control.Id));
    }

    [Theory]
    [InlineData("""{"topic":"orderbook.50.BTCUSDT","type":"snapshot","ts":1,"data":{"s":"BTCUSDT","b":[["1","1"]],"a":[["2","1"]]}}""", "missing field 'u'")]
    [InlineData("""{"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":1,"data":[{"T":1,"s":"BTCUSDT","S":"Buy","p":"1","i":"x","seq":1}]}""", "missing field 'v'")]
    [InlineData("""{"topic":"orderbook.50.BTCUSDT","type":"snapshot","ts":1,"data":{"s":"BTCUSDT","b":[["1","1"]],"a":[["2","1""", "malformed JSON")]
    [InlineData("""{"topic":"liquidation.BTCUSDT","ts":1,"data":{}}""", "unknown topic")]
    [InlineData("""{"ts":1,"data":{}}""", "neither topic nor op")]
    [InlineData("""{"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":1,"data":[{"T":1,"s":"BTCUSDT","S":"Hold","v":"1","p":"1","i":"x","seq":1}]}""", "Buy or Sell")]
    public void A_wrong_frame_is_one_protocol_error_and_no_data(string frame, string reason)
    {
        var sink = Parse(frame);
        Assert.Empty(sink.Data);
        Assert.Contains(reason, Assert.IsType<ProtocolError>(Assert.Single(sink.Errors)).Message);
    }

    [Fact]
    public void A_truncated_delta_leaves_the_chain_where_it_was()
    {
        Parse(Snapshot(10));
        Parse(Book("delta", 11, """[["100","2"]]""", "[]")[..40]);
        var next = Single<OrderBookUpdate>(Parse(Book("delta", 11, """[["100","2"]]""", "[]")));
        Assert.Equal(10L, next.PreviousSequence);
    }

    private static string Snapshot(long u) => Book("snapshot", u, """[["100","1"]]""", """[["101","1"]]""");

    private static string Book(string type, long u, string bids, string asks) =>
        $$"""{"topic":"orderbook.50.BTCUSDT","type":"{{type}}","ts":1687940967466,"data":{"s":"BTCUSDT","b":{{bids}},"a":{{asks}},"u":{{u}},"seq":66544703342},"cts":1687940967464}""";
}
