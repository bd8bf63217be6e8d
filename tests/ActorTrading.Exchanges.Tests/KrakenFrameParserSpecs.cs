using System.Text;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges.Kraken.Ws;
using ActorTrading.TestExchange;
using Xunit;

namespace ActorTrading.Exchanges.Tests;

/// <summary>Kraken WebSocket v2 frames, from the docs' examples: checksum-verified books, trades, tickers, candles, executions, balances, replies.</summary>
public sealed class KrakenFrameParserSpecs
{
    private const long Received = 1_700_000_000_000;

    private const string Instruments = """
        {"channel":"instrument","type":"snapshot","data":{"assets":[{"id":"BTC","status":"enabled","precision":10}],"pairs":[
        {"symbol":"BTC/USD","base":"BTC","quote":"USD","status":"online","qty_precision":8,"qty_increment":0.00000001,"price_precision":1,"price_increment":0.1,"qty_min":0.0001},
        {"symbol":"MATIC/USD","base":"MATIC","quote":"USD","status":"online","qty_precision":8,"qty_increment":0.00000001,"price_precision":4,"price_increment":0.0001,"qty_min":5}]}}
        """;

    private readonly KrakenFrameParser _parser = new();

    private CollectingSink Parse(string frame)
    {
        var sink = new CollectingSink();
        _parser.Parse(Encoding.UTF8.GetBytes(frame), Received, sink);
        return sink;
    }

    private static T Single<T>(CollectingSink sink)
    {
        Assert.Empty(sink.Errors);
        return Assert.IsType<T>(Assert.Single(sink.Data));
    }

    private static string BookAck(string symbol, int depth, int id) =>
        $$"""{"method":"subscribe","result":{"channel":"book","depth":{{depth}},"snapshot":true,"symbol":"{{symbol}}"},"success":true,"time_in":"2023-10-06T17:35:55.219022Z","time_out":"2023-10-06T17:35:55.219067Z","req_id":{{id}}}""";

    private static string Update(string symbol, string bids, string asks, uint checksum) =>
        $$"""{"channel":"book","type":"update","data":[{"symbol":"{{symbol}}","bids":[{{bids}}],"asks":[{{asks}}],"checksum":{{checksum}},"timestamp":"2023-10-06T17:35:55.440295Z"}]}""";

    [Fact]
    public void The_docs_matic_snapshot_passes_its_checksum_at_the_pairs_precision_and_is_the_books_first_sequence()
    {
        Parse(Instruments);
        Assert.Equal((4, 8), _parser.PrecisionOf(new Symbol("MATIC/USD")));

        var book = Single<OrderBookUpdate>(Parse(Fixtures.Kraken("ws_v2_book_snapshot_MATICUSD_docs_example")));

        Assert.Equal((BookUpdateKind.Snapshot, "MATIC/USD", 1L), (book.Kind, book.Symbol.Value, book.LastSequence));
        Assert.Equal((10, 10), (book.Bids.Length, book.Asks.Length));
        Assert.Equal(new BookLevel(0.5666m, 4831.75496356m), book.Bids[0]);
        Assert.Equal(new BookLevel(0.5668m, 4410.79769741m), book.Asks[0]);
    }

    [Fact]
    public void The_docs_worked_btc_example_passes_its_checksum()
    {
        Parse(Instruments);
        var book = Single<OrderBookUpdate>(Parse(Fixtures.Kraken("ws_v2_book_snapshot_checksum_example_RECONSTRUCTED")));

        Assert.Equal((45283.5m, 45285.2m), (book.Bids[0].Price, book.Asks[0].Price));
    }

    [Fact]
    public void A_book_without_the_pairs_precision_cannot_be_verified_and_is_invalidated()
    {
        var book = Single<OrderBookUpdate>(Parse(Fixtures.Kraken("ws_v2_book_snapshot_MATICUSD_docs_example")));

        Assert.Equal(BookUpdateKind.Invalidated, book.Kind);
        Assert.Contains("precision", book.Reason);
        Assert.Empty(book.Bids);
    }

    [Fact]
    public void A_checksum_mismatch_invalidates_the_book_drops_its_updates_until_a_snapshot_and_the_next_snapshot_starts_again()
    {
        Parse(Instruments);
        Parse(Fixtures.Kraken("ws_v2_book_snapshot_checksum_example_RECONSTRUCTED"));

        var broken = Single<OrderBookUpdate>(Parse(Update("BTC/USD", """{"price":45283.5,"qty":0.2}""", "", 12345)));
        Assert.Equal(BookUpdateKind.Invalidated, broken.Kind);
        Assert.Contains("sent 12345", broken.Reason!.Replace(",", string.Empty).Replace("12345 sent", "sent 12345"));

        Assert.Empty(Parse(Update("BTC/USD", """{"price":45283.5,"qty":0.3}""", "", 1)).Data);

        var again = Single<OrderBookUpdate>(Parse(Fixtures.Kraken("ws_v2_book_snapshot_checksum_example_RECONSTRUCTED")));
        Assert.Equal((BookUpdateKind.Snapshot, 2L), (again.Kind, again.LastSequence));
    }

    [Fact]
    public void An_update_is_applied_cut_to_the_subscribed_depth_verified_and_emitted_with_the_levels_the_cut_removed()
    {
        Parse(Instruments);
        Parse(BookAck("BTC/USD", 10, 7));
        Parse(Fixtures.Kraken("ws_v2_book_snapshot_checksum_example_RECONSTRUCTED"));

        // A new best bid pushes the tenth (45276.6) out of the book; an ask level goes (qty 0).
        var bids = new[]
        {
            new BookLevel(45283.6m, 0.5m), new BookLevel(45283.5m, 0.1m), new BookLevel(45283.4m, 1.54582015m), new BookLevel(45282.1m, 0.1m),
            new BookLevel(45281.0m, 0.1m), new BookLevel(45280.3m, 1.54592586m), new BookLevel(45279.0m, 0.0799m), new BookLevel(45277.6m, 0.03310103m),
            new BookLevel(45277.5m, 0.3m), new BookLevel(45277.3m, 1.54602737m),
        };
        var asks = new[]
        {
            new BookLevel(45286.4m, 1.54571953m), new BookLevel(45286.6m, 1.54571109m), new BookLevel(45289.6m, 1.54560911m), new BookLevel(45290.2m, 0.1589066m),
            new BookLevel(45291.8m, 1.54553491m), new BookLevel(45294.7m, 0.04454749m), new BookLevel(45296.1m, 0.3538m), new BookLevel(45297.5m, 0.09945542m),
            new BookLevel(45299.5m, 0.18772827m),
        };
        var checksum = KrakenBookChecksum.Compute(asks, bids, 1, 8);

        var delta = Single<OrderBookUpdate>(Parse(Update("BTC/USD", """{"price":45283.6,"qty":0.5}""", """{"price":45285.2,"qty":0}""", checksum)));

        Assert.Equal((BookUpdateKind.Delta, 2L, 1L), (delta.Kind, delta.LastSequence, delta.PreviousSequence));
        Assert.Equal([new BookLevel(45283.6m, 0.5m), new BookLevel(45276.6m, 0m)], delta.Bids.ToArray());
        Assert.Equal([new BookLevel(45285.2m, 0m)], delta.Asks.ToArray());
        Assert.Equal(DateTimeOffset.Parse("2023-10-06T17:35:55.440Z").ToUnixTimeMilliseconds(), delta.ExchangeTs);
    }

    [Fact]
    public void An_update_before_any_snapshot_of_its_symbol_is_not_emitted()
    {
        Parse(Instruments);

        Assert.Empty(Parse(Update("BTC/USD", """{"price":45283.6,"qty":0.5}""", "", 1)).Data);
    }

    [Fact]
    public void A_truncated_book_frame_is_one_protocol_error_and_leaves_the_book_as_it_was()
    {
        Parse(Instruments);
        Parse(Fixtures.Kraken("ws_v2_book_snapshot_checksum_example_RECONSTRUCTED"));
        var frame = Update("BTC/USD", """{"price":45283.5,"qty":0.2}""", "", 1);

        var sink = Parse(frame[..(frame.Length / 2)]);

        Assert.IsType<ProtocolError>(Assert.Single(sink.Errors));
        Assert.Empty(sink.Data);
        var again = Single<OrderBookUpdate>(Parse(Fixtures.Kraken("ws_v2_book_snapshot_checksum_example_RECONSTRUCTED")));
        Assert.Equal(2L, again.LastSequence);
    }

    [Fact]
    public void A_trade_is_the_takers_side_with_its_trade_id_and_time()
    {
        var trade = Single<Trade>(Parse(Fixtures.Kraken("ws_v2_trade_update")));

        Assert.Equal(("ETH/USDT", Side.Sell, 0.5117m, 40.0m, "4665906", 4665906L), (trade.Symbol.Value, trade.Side, trade.Price, trade.Size, trade.TradeId, trade.Sequence));
        Assert.Equal(DateTimeOffset.Parse("2023-09-25T07:49:37.708Z").ToUnixTimeMilliseconds(), trade.ExchangeTs);
    }

    [Fact]
    public void A_ticker_gives_the_best_quote_and_the_last_24_hours()
    {
        var sink = Parse(Fixtures.Kraken("ws_v2_ticker_update"));

        Assert.Empty(sink.Errors);
        var ticker = Assert.IsType<Ticker>(sink.Data[0]);
        Assert.Equal((0.10025m, 740.0m, 0.10035m, 740.0m, 0.10035m), (ticker.BidPrice, ticker.BidSize, ticker.AskPrice, ticker.AskSize, ticker.LastPrice));
        var statistics = Assert.IsType<MarketStatistics>(sink.Data[1]);
        Assert.Equal((0.10285m, 0.09979m, 997038.98383185m, -0.00017m, -0.0017m), (statistics.High, statistics.Low, statistics.Volume, statistics.ChangePrice, statistics.ChangeRate));
    }

    [Fact]
    public void A_candle_carries_its_interval_its_start_and_nanosecond_times_read_to_the_millisecond()
    {
        var candle = Single<Candle>(Parse(Fixtures.Kraken("ws_v2_ohlc_update")));

        Assert.Equal(("ETH/USDT", "5", 0.5624m, 0.5628m, 0.5622m, 0.5627m, 30927.68066226m), (candle.Symbol.Value, candle.Interval, candle.Open, candle.High, candle.Low, candle.Close, candle.Volume));
        Assert.Equal(DateTimeOffset.Parse("2023-10-04T16:25:00Z").ToUnixTimeMilliseconds(), candle.OpenTs);
        Assert.False(candle.IsClosed);
    }

    [Fact]
    public void An_execution_report_is_the_orders_state_and_a_trade_report_its_fill_even_when_sparse()
    {
        var pending = Single<OrderUpdate>(Parse(Fixtures.Kraken("ws_v2_executions_update_pending_new")));
        Assert.Equal(("OK4GJX-KSTLS-7DZZO5", "BTC/USD", Side.Sell, OrderStatus.Open), (pending.OrderId, pending.Symbol.Value, pending.Side, pending.Status));
        Assert.Equal((26500.0m, 0.005m), (pending.Price, pending.Size));

        // Kraken sends a fill without the order's symbol and side: they are the order's, known from its first report.
        var fill = Single<OrderUpdate>(Parse("""
            {"channel":"executions","type":"update","data":[{"order_id":"OK4GJX-KSTLS-7DZZO5","exec_id":"TZ63HS-YBD4M-3RDG7C","exec_type":"trade","trade_id":365573,
            "cl_ord_id":"kq-1","last_qty":0.002,"last_price":26500.0,"liquidity_ind":"m","cost":53.0,"order_status":"partially_filled","cum_qty":0.002,
            "fees":[{"asset":"USD","qty":0.0848}],"timestamp":"2023-09-22T10:33:06.123456Z"}],"sequence":9}
            """));
        Assert.Equal(("BTC/USD", Side.Sell, OrderStatus.PartiallyFilled, "kq-1", 0.002m), (fill.Symbol.Value, fill.Side, fill.Status, fill.ClientOrderId?.Value, fill.FilledSize));
        Assert.Equal(new FillInfo("TZ63HS-YBD4M-3RDG7C", 26500.0m, 0.002m, 0.0848m, "USD", Liquidity.Maker), fill.Fill);

        var done = Single<OrderUpdate>(Parse("""{"channel":"executions","type":"update","data":[{"order_id":"OK4GJX-KSTLS-7DZZO5","exec_type":"filled","order_status":"filled","timestamp":"2023-09-22T10:33:07Z"}],"sequence":10}"""));
        Assert.Equal((OrderStatus.Filled, "kq-1", null), (done.Status, done.ClientOrderId?.Value, done.Fill));
    }

    [Fact]
    public void A_sparse_report_of_an_order_this_socket_never_saw_is_an_error_not_a_guess()
    {
        var sink = Parse("""{"channel":"executions","type":"update","data":[{"order_id":"OUNKNOWN","exec_type":"canceled","order_status":"canceled","timestamp":"2023-09-22T10:33:07Z"}],"sequence":3}""");

        Assert.Empty(sink.Data);
        Assert.Contains("OUNKNOWN", Assert.IsType<ProtocolError>(Assert.Single(sink.Errors)).Message);
    }

    [Fact]
    public void Balances_are_the_spot_wallets_in_a_snapshot_and_spot_ledger_entries_after_it()
    {
        var snapshot = Parse(Fixtures.Kraken("ws_v2_balances_snapshot"));
        Assert.Empty(snapshot.Errors);
        Assert.Equal([("BTC", 1.2m), ("MATIC", 300m), ("USD", 80595.4943m)],
            snapshot.Data.Cast<BalanceUpdate>().Select(b => (b.Symbol.Value, b.Total)).ToArray());

        var update = Single<BalanceUpdate>(Parse(Fixtures.Kraken("ws_v2_balances_update_deposit")));
        Assert.Equal(("BTC", 0.02m), (update.Symbol.Value, update.Total));
        Assert.Equal(DateTimeOffset.Parse("2023-09-22T10:23:42.925Z").ToUnixTimeMilliseconds(), update.ExchangeTs);
    }

    [Fact]
    public void Replies_are_acks_pongs_refusals_and_order_replies_by_request_id()
    {
        Assert.Equal(new ControlEvent(ControlKind.Ack, "7"), Assert.Single(Parse(BookAck("BTC/USD", 25, 7)).Controls));
        Assert.Equal(new ControlEvent(ControlKind.Pong, "101"), Assert.Single(Parse(Fixtures.Kraken("ws_v2_pong.response").Replace("\"req_id\": 101", "\"req_id\": 101")).Controls));

        var refused = Assert.Single(Parse("""{"error":"Currency pair not supported ABC/USD","method":"subscribe","success":false,"req_id":8,"time_in":"2023-10-06T17:35:55Z","time_out":"2023-10-06T17:35:55Z"}""").Controls);
        Assert.Equal((ControlKind.Error, "8"), (refused.Kind, refused.Id));
        Assert.Contains("ABC/USD", refused.Detail);

        var token = Assert.Single(Parse("""{"error":"EAccount:Invalid token","method":"subscribe","success":false,"req_id":9}""").Controls);
        Assert.Equal((ControlKind.TokenRejected, "9"), (token.Kind, token.Id));

        var order = Assert.Single(Parse("""{"method":"add_order","req_id":12,"result":{"order_id":"OPS23M-VS41G-DDE5Z2","cl_ord_id":"kq-2"},"success":true}""").Controls);
        Assert.Equal((ControlKind.Reply, "12"), (order.Kind, order.Id));
        Assert.Contains("OPS23M-VS41G-DDE5Z2", order.Detail);

        var heartbeat = Parse(Fixtures.Kraken("ws_v2_heartbeat"));
        Assert.Empty(heartbeat.Data);
        Assert.Empty(heartbeat.Errors);
        Assert.Empty(heartbeat.Controls);
    }

    [Fact]
    public void A_book_acks_depth_is_the_depth_its_book_is_cut_to()
    {
        Parse(Instruments);
        Parse(BookAck("BTC/USD", 25, 3));
        Parse(Fixtures.Kraken("ws_v2_book_snapshot_checksum_example_RECONSTRUCTED"));

        // At depth 25 an eleventh bid stays in the book: the delta carries no removal for the tenth.
        var bids = new[]
        {
            new BookLevel(45283.6m, 0.5m), new BookLevel(45283.5m, 0.1m), new BookLevel(45283.4m, 1.54582015m), new BookLevel(45282.1m, 0.1m),
            new BookLevel(45281.0m, 0.1m), new BookLevel(45280.3m, 1.54592586m), new BookLevel(45279.0m, 0.0799m), new BookLevel(45277.6m, 0.03310103m),
            new BookLevel(45277.5m, 0.3m), new BookLevel(45277.3m, 1.54602737m),
        };
        var asks = new[]
        {
            new BookLevel(45285.2m, 0.001m), new BookLevel(45286.4m, 1.54571953m), new BookLevel(45286.6m, 1.54571109m), new BookLevel(45289.6m, 1.54560911m),
            new BookLevel(45290.2m, 0.1589066m), new BookLevel(45291.8m, 1.54553491m), new BookLevel(45294.7m, 0.04454749m), new BookLevel(45296.1m, 0.3538m),
            new BookLevel(45297.5m, 0.09945542m), new BookLevel(45299.5m, 0.18772827m),
        };

        var delta = Single<OrderBookUpdate>(Parse(Update("BTC/USD", """{"price":45283.6,"qty":0.5}""", "", KrakenBookChecksum.Compute(asks, bids, 1, 8))));

        Assert.Equal([new BookLevel(45283.6m, 0.5m)], delta.Bids.ToArray());
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("""{"channel":"trade","type":"update"}""")]
    [InlineData("""{"channel":"trade","type":"update","data":[{"symbol":"BTC/USD","side":"buy","price":1,"qty":1,"timestamp":"2023-09-25T07:49:37.708706Z"}]}""")]
    [InlineData("""{"channel":"book","type":"later","data":[]}""")]
    public void A_frame_of_the_wrong_shape_is_one_protocol_error(string frame)
    {
        var sink = Parse(frame);

        Assert.Empty(sink.Data);
        Assert.IsType<ProtocolError>(Assert.Single(sink.Errors));
    }
}
