using System.Text;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges.CryptoCom.Ws;
using ActorTrading.TestExchange;
using Xunit;

namespace ActorTrading.Exchanges.Tests;

/// <summary>Crypto.com Exchange v1 frames, from the docs' examples: books chained by u/pu, trades, tickers, candles, the user's orders, fills and balances, replies.</summary>
public sealed class CryptoComFrameParserSpecs
{
    private const long Received = 1_700_000_000_000;

    private readonly CryptoComFrameParser _parser = new(MarketKind.Spot);

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

    private static string Delta(long u, long pu, string update) =>
        $$$"""{"id":-1,"method":"subscribe","code":0,"result":{"instrument_name":"BTC_USDT","subscription":"book.BTC_USDT.50","channel":"book.update","depth":50,"data":[{"update":{{{update}}},"t":1704484068898,"tt":1704484068892,"u":{{{u}}},"pu":{{{pu}}},"cs":-781431132}]}}""";

    [Fact]
    public void A_book_snapshot_is_the_book_at_its_update_id()
    {
        var book = Single<OrderBookUpdate>(Parse(Fixtures.CryptoCom("ws_book.INSTR.10_snapshot")));

        Assert.Equal((BookUpdateKind.Snapshot, "ETH_USDT", 545391566464L, 1654784843465L), (book.Kind, book.Symbol.Value, book.LastSequence, book.ExchangeTs));
        Assert.Equal((new BookLevel(50113.5m, 0.4m), new BookLevel(50126m, 0.4m), 50), (book.Bids[0], book.Asks[0], book.Bids.Length));
        Assert.False(book.IsChained);
    }

    [Fact]
    public void A_book_update_names_the_update_before_it_and_an_empty_one_still_moves_the_chain()
    {
        var delta = Single<OrderBookUpdate>(Parse(Delta(78795598253024, 78795598162080, """{"asks":[["43755.46","0.10000","1"]],"bids":[["43737.46","0","0"]]}""")));
        Assert.Equal((BookUpdateKind.Delta, 78795598253024L, 78795598162080L), (delta.Kind, delta.LastSequence, delta.PreviousSequence));
        Assert.Equal([new BookLevel(43755.46m, 0.1m)], delta.Asks.ToArray());
        Assert.Equal([new BookLevel(43737.46m, 0m)], delta.Bids.ToArray());

        var empty = Single<OrderBookUpdate>(Parse(Delta(78795598253100, 78795598253024, "{}")));
        Assert.Equal((78795598253100L, 78795598253024L, 0, 0), (empty.LastSequence, empty.PreviousSequence, empty.Bids.Length, empty.Asks.Length));
    }

    [Fact]
    public void A_trade_is_the_takers_side_on_its_instrument()
    {
        var trade = Single<Trade>(Parse(Fixtures.CryptoCom("ws_trade.INSTR")));

        Assert.Equal(("BTCUSD-PERP", Side.Sell, 51327.5m, 0.0001m, "2030407068", 2030407068L, 1613581138462L),
            (trade.Symbol.Value, trade.Side, trade.Price, trade.Size, trade.TradeId, trade.Sequence, trade.ExchangeTs));
    }

    [Fact]
    public void A_ticker_gives_the_best_quote_and_the_last_24_hours()
    {
        var sink = Parse(Fixtures.CryptoCom("ws_ticker.INSTR"));

        Assert.Empty(sink.Errors);
        var ticker = Assert.IsType<Ticker>(sink.Data[0]);
        Assert.Equal((51170m, 0.1m, 51180m, 0.2m, 51174.5m), (ticker.BidPrice, ticker.BidSize, ticker.AskPrice, ticker.AskSize, ticker.LastPrice));
        var statistics = Assert.IsType<MarketStatistics>(sink.Data[1]);
        Assert.Equal((51790m, 47895.5m, 879.5024m, 26370000.12m, 0.03955106m), (statistics.High, statistics.Low, statistics.Volume, statistics.Turnover, statistics.ChangeRate));
    }

    [Fact]
    public void A_candle_carries_its_interval_and_start()
    {
        var candle = Single<Candle>(Parse(Fixtures.CryptoCom("ws_candlestick.1D.INSTR")));

        Assert.Equal(("ETH_USDT", "1D", 1612224000000L, 51140.5m, 51699m, 49212m, 51313.5m, 867.9432m),
            (candle.Symbol.Value, candle.Interval, candle.OpenTs, candle.Open, candle.High, candle.Low, candle.Close, candle.Volume));
    }

    [Fact]
    public void The_servers_heartbeat_is_a_ping_by_its_id_and_answers_are_acks_or_refusals_by_id()
    {
        Assert.Equal(new ControlEvent(ControlKind.Ping, "1587523073344"), Assert.Single(Parse(Fixtures.CryptoCom("ws_public_heartbeat")).Controls));
        Assert.Equal(new ControlEvent(ControlKind.Ack, "1648132625434"), Assert.Single(Parse(Fixtures.CryptoCom("ws_public_auth.response")).Controls));
        Assert.Equal(new ControlEvent(ControlKind.Ack, "1725448572836"), Assert.Single(Parse(Fixtures.CryptoCom("ws_unsubscribe.response")).Controls));

        var refused = Assert.Single(Parse("""{"id":7,"method":"public/auth","code":40101,"message":"UNAUTHORIZED"}""").Controls);
        Assert.Equal((ControlKind.TokenRejected, "7"), (refused.Kind, refused.Id));
        var channel = Assert.Single(Parse(Fixtures.CryptoCom("ws_error_invalid_channel")).Controls);
        Assert.Equal((ControlKind.Error, "0"), (channel.Kind, channel.Id));
        Assert.Contains("10004 invalid channel", channel.Detail);

        var order = Assert.Single(Parse("""{"id":12,"method":"private/create-order","code":0,"result":{"client_oid":"c-1","order_id":"18342311"}}""").Controls);
        Assert.Equal((ControlKind.Reply, "12"), (order.Kind, order.Id));
        Assert.Contains("18342311", order.Detail);
    }

    [Fact]
    public void A_users_order_is_its_state_and_a_users_trade_its_fill()
    {
        var order = Single<OrderUpdate>(Parse(Fixtures.CryptoCom("ws_user.order")));
        Assert.Equal(("366455245775097673", "my_order_0002", "ETH_CRO", Side.Buy, OrderStatus.Open), (order.OrderId, order.ClientOrderId?.Value, order.Symbol.Value, order.Side, order.Status));
        Assert.Equal((1m, 1m, 0m, 1588758017411L), (order.Price, order.Size, order.FilledSize, order.ExchangeTs));

        var fill = Single<OrderUpdate>(Parse("""
            {"id":-1,"method":"subscribe","code":0,"result":{"instrument_name":"BTCUSD-PERP","subscription":"user.trade.BTCUSD-PERP","channel":"user.trade","data":[
            {"account_id":"52e7c00f","event_date":"2021-02-17","journal_type":"TRADING","traded_quantity":"0.0500","traded_price":"51278.5","fees":"-1.025570","fee_credits":"-0.500000",
             "order_id":"19708564","trade_id":"38554669","trade_match_id":"76423","client_oid":"6ac2421d","taker_side":"MAKER","side":"BUY","instrument_name":"BTCUSD-PERP",
             "fee_instrument_name":"USD","create_time":1613570791060,"create_time_ns":"1613570791060123456"}]}}
            """));
        Assert.Equal(("19708564", "6ac2421d", OrderStatus.PartiallyFilled), (fill.OrderId, fill.ClientOrderId?.Value, fill.Status));
        Assert.Equal(new FillInfo("38554669", 51278.5m, 0.05m, 1.02557m, "USD", Liquidity.Maker), fill.Fill);
    }

    [Fact]
    public void The_users_balance_is_each_currencys_quantity_and_what_orders_reserve()
    {
        var balance = Single<BalanceUpdate>(Parse(Fixtures.CryptoCom("ws_user.balance")));

        Assert.Equal(("BTC", 0.0002119875m, 0.00021198m, 0m), (balance.Symbol.Value, balance.Total, balance.Available, balance.Hold));
    }

    [Theory]
    [InlineData("")]
    [InlineData("""{"id":-1,"method":"subscribe","code":0,"result":{"instrument_name":"BTC_USDT","channel":"book.update","data":[{"update":{},"t":1,"u":5}]}}""")]
    [InlineData("""{"id":-1,"method":"subscribe","code":0,"result":{"channel":"trade","data":[{"d":"1","t":1,"p":"1","q":"1","s":"UP","i":"X"}]}}""")]
    [InlineData("""{"id":-1,"code":0}""")]
    public void A_frame_of_the_wrong_shape_is_one_protocol_error(string frame)
    {
        var sink = Parse(frame);

        Assert.Empty(sink.Data);
        Assert.IsType<ProtocolError>(Assert.Single(sink.Errors));
    }
}
