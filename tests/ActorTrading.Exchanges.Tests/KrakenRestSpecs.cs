using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Exchanges.Kraken;
using ActorTrading.Exchanges.Kraken.Auth;
using ActorTrading.Exchanges.Kraken.Rest;
using ActorTrading.TestExchange;
using Xunit;

namespace ActorTrading.Exchanges.Tests;

/// <summary>Kraken Spot REST: the envelope and its typed errors, private requests signed as sent, the docs' answers read into typed values, order entry and reconciliation requests.</summary>
public sealed class KrakenRestSpecs
{
    private const string Secret = "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==";
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
    private readonly KrakenCredentials _credentials = new("key-1234", Secret);

    private KrakenRestAdapter Adapter() => new(new Uri("https://api.kraken.com"), _credentials, new KrakenNonce(new FixedClock(Now)), new FixedClock(Now));

    private static JsonElement Result(string fixture) => JsonDocument.Parse(Fixtures.Kraken(fixture)).RootElement.GetProperty("result").Clone();

    private RestOutcome Unwrap(string body, int status = 200) => Adapter().Unwrap(status, System.Text.Encoding.UTF8.GetBytes(body), null);

    [Fact]
    public void The_envelope_gives_the_result_and_warnings_are_no_failure()
    {
        var outcome = Unwrap("""{"error":["WGeneral:Deprecated call"],"result":{"unixtime":1688669448}}""");

        Assert.True(outcome.IsSuccess);
        Assert.Equal(1_688_669_448_000, Adapter().ParseServerTime(outcome.Data));
    }

    [Fact]
    public void Errors_are_typed_keys_stop_nonces_resync_and_pace_refusals_wait()
    {
        var adapter = Adapter();

        var key = Unwrap(Fixtures.Kraken("rest_error_EAPI_Invalid_key")).Error;
        Assert.Equal(new AuthenticationError("EAPI:Invalid key", "EAPI:Invalid key"), key);
        Assert.False(adapter.IsClockSkew(key!));

        var nonce = Unwrap("""{"error":["EAPI:Invalid nonce"]}""").Error!;
        Assert.True(adapter.IsClockSkew(nonce));

        Assert.IsType<RateLimitedError>(Unwrap(Fixtures.Kraken("rest_error_EAPI_Rate_limit_exceeded")).Error);
        Assert.True(adapter.IsThrottled(200, System.Text.Encoding.UTF8.GetBytes(Fixtures.Kraken("rest_error_EAPI_Rate_limit_exceeded"))));
        var throttled = Assert.IsType<RateLimitedError>(Unwrap("""{"error":["EService:Throttled: 1700000030"]}""").Error);
        Assert.Equal(TimeSpan.FromSeconds(30), throttled.RetryAfter);

        Assert.Equal(new ApiError("EOrder:Insufficient funds", "EOrder:Insufficient funds", 200), Unwrap("""{"error":["EOrder:Insufficient funds"]}""").Error);
        Assert.Equal("http-502", Assert.IsType<ApiError>(Unwrap("<html>bad gateway</html>", 502).Error).VenueCode);
        Assert.IsType<ProtocolError>(Unwrap("<html>ok</html>").Error);
    }

    [Fact]
    public void A_private_request_starts_its_form_body_with_a_fresh_nonce_and_signs_exactly_that_body()
    {
        var request = KrakenOrderRequests.AddOrder(new KrakenOrderSpec(new Symbol("BTC/USD"), Side.Buy, "limit", 1.25m, 37500m, "kq-1"));

        var wire = Adapter().Prepare(request, 1_700_000_000_000);

        Assert.Equal("/0/private/AddOrder", wire.PathAndQuery);
        Assert.Equal(KrakenRestAdapter.FormContentType, wire.ContentType);
        Assert.Equal("nonce=1700000000000000&pair=XBTUSD&type=buy&ordertype=limit&volume=1.25&price=37500&cl_ord_id=kq-1", wire.Body);
        Assert.Equal(("API-Key", "key-1234"), (wire.Headers[0].Key, wire.Headers[0].Value));
        Assert.Equal(KrakenSigner.Sign(_credentials, "/0/private/AddOrder", 1_700_000_000_000_000, wire.Body!), wire.Headers[1].Value);
        Assert.Contains(wire.Headers[1].Value, wire.Secrets);

        // The signing clock in microseconds, never below a nonce already given (two in one millisecond, or the clock back).
        var adapter = Adapter();
        Assert.StartsWith("nonce=1700000000005000&", adapter.Prepare(request, 1_700_000_000_005).Body);
        Assert.StartsWith("nonce=1700000000005001&", adapter.Prepare(request, 1_700_000_000_005).Body);
        Assert.StartsWith("nonce=1700000000005002&", adapter.Prepare(request, 1_699_999_999_000).Body);
    }

    [Fact]
    public void A_signed_request_without_credentials_is_refused_before_sending()
    {
        var adapter = new KrakenRestAdapter(new Uri("https://api.kraken.com"));

        var refused = Assert.Throws<ExchangeException>(() => adapter.Prepare(KrakenOrderRequests.Balance(), 0));

        Assert.Contains("KRAKEN_API_KEY", Assert.IsType<AuthenticationError>(refused.Error).Message);
        Assert.Equal("/0/public/Time", adapter.Prepare(adapter.ServerTimeRequest, 0).PathAndQuery);
    }

    [Fact]
    public void Pair_names_map_between_websocket_and_rest_spellings()
    {
        Assert.Equal(("XBTUSD", "XXBTZUSD"), (KrakenPairs.RestName(new Symbol("BTC/USD")), KrakenPairs.PairId(new Symbol("BTC/USD"))));
        Assert.Equal(("ETHUSDT", "ETHUSDT"), (KrakenPairs.RestName(new Symbol("ETH/USDT")), KrakenPairs.PairId(new Symbol("ETH/USDT"))));
        Assert.Equal(("XDGUSD", "XXDGZUSD"), (KrakenPairs.RestName(new Symbol("DOGE/USD")), KrakenPairs.PairId(new Symbol("DOGE/USD"))));
        Assert.Equal("SOLUSD", KrakenPairs.PairId(new Symbol("SOL/USD")));

        var pairs = new KrakenPairs();
        pairs.Learn(new Symbol("BTC/USD"));
        Assert.Equal(("BTC/USD", "BTC/USD", "SOLUSD"), (pairs.SymbolOf("XXBTZUSD").Value, pairs.SymbolOf("XBTUSD").Value, pairs.SymbolOf("SOLUSD").Value));
        Assert.Throws<ExchangeException>(() => KrakenPairs.RestName(new Symbol("BTCUSD")));
    }

    [Fact]
    public void The_docs_depth_ticker_and_ohlc_answers_read_into_typed_values()
    {
        var book = KrakenMarketData.ReadDepth(Result("rest_GET_0_public_Depth.response"), new Symbol("BTC/USD"), 5);
        Assert.Equal((new BookLevel(30297.0m, 1.115m), new BookLevel(30384.1m, 2.059m), 1_688_671_674_000L), (book.Bids[0], book.Asks[0], book.ExchangeTs));
        Assert.Equal((BookUpdateKind.Snapshot, 3, 3), (book.Kind, book.Bids.Length, book.Asks.Length));

        var ticker = Assert.Single(KrakenMarketData.ReadTickers(Result("rest_GET_0_public_Ticker.response")));
        Assert.Equal(("XXBTZUSD", 30300.1m, 30300.0m, 30303.2m, 4412.73601799m, 38907L, 30502.8m),
            (ticker.Pair, ticker.Ask, ticker.Bid, ticker.Last, ticker.Volume24h, ticker.Trades24h, ticker.Open));

        var candles = KrakenMarketData.ReadCandles(Result("rest_GET_0_public_OHLC.response"));
        Assert.Equal((4, 1_688_672_160L), (candles.Rows.Count, candles.Last));
        Assert.Equal(new KrakenCandle(1688671200, 30306.1m, 30306.2m, 30305.7m, 30305.7m, 30306.1m, 3.39243896m, 23), candles.Rows[0]);
    }

    [Fact]
    public void Asset_pairs_are_instruments_under_their_websocket_v2_names()
    {
        var data = JsonDocument.Parse("""
            {"XXBTZUSD":{"altname":"XBTUSD","wsname":"XBT/USD","aclass_base":"currency","base":"XXBT","aclass_quote":"currency","quote":"ZUSD","lot":"unit",
             "cost_decimals":5,"pair_decimals":1,"lot_decimals":8,"lot_multiplier":1,"ordermin":"0.0001","costmin":"0.5","tick_size":"0.1","status":"online"},
             "XETHXXBT":{"altname":"ETHXBT","wsname":"ETH/XBT","base":"XETH","quote":"XXBT","cost_decimals":6,"pair_decimals":5,"lot_decimals":8,"ordermin":"0.01","status":"cancel_only"}}
            """).RootElement;

        var specs = new KrakenInstruments().Read(data);

        Assert.Equal(("BTC/USD", 0.1m, 0.00000001m, 0.0001m, 0.5m, true), (specs[0].Symbol.Value, specs[0].TickSize, specs[0].LotStep, specs[0].MinSize, specs[0].MinNotional, specs[0].Trading));
        Assert.Equal(("ETH/BTC", 0.00001m, false), (specs[1].Symbol.Value, specs[1].TickSize, specs[1].Trading));
    }

    [Fact]
    public void Order_entry_turns_tickets_into_kraken_requests_and_refuses_what_kraken_cannot_take()
    {
        var adapter = new KrakenOrderEntryAdapter();
        var id = new ClientOrderId("kq-7");

        var place = adapter.Place([new OrderTicket(id, new Symbol("BTC/USD"), Side.Sell, OrderType.Limit, 0.5m, 30000m) { PostOnly = true }]);
        Assert.Equal(("/0/private/AddOrder", KrakenVenue.Pools.Trading), (place.Rest.Path, place.Rest.Pool));
        Assert.Equal("pair=XBTUSD&type=sell&ordertype=limit&volume=0.5&price=30000&cl_ord_id=kq-7&oflags=post", place.Rest.Body);

        var stop = adapter.Place([new OrderTicket(id, new Symbol("BTC/USD"), Side.Sell, OrderType.Limit, 0.5m, 28900m)
        {
            Stop = new StopTrigger(TriggerDirection.FallsTo, 29000m, TriggerPrice.Index),
        }]);
        Assert.Equal("pair=XBTUSD&type=sell&ordertype=stop-loss-limit&volume=0.5&price=29000&price2=28900&trigger=index&cl_ord_id=kq-7", stop.Rest.Body);

        Assert.Equal("cl_ord_id=kq-7", adapter.Cancel([new CancelTicket(id, new Symbol("BTC/USD"))]).Rest.Body);
        Assert.Equal("txid=OABC", adapter.Cancel([new CancelTicket(id, new Symbol("BTC/USD"), "OABC")]).Rest.Body);
        Assert.Equal("cl_ord_id=kq-7&order_qty=0.4&limit_price=30100", adapter.Amend(new AmendTicket(id, new Symbol("BTC/USD"), 30100m, 0.4m)).Rest.Body);

        Assert.Throws<ExchangeException>(() => adapter.Place([new OrderTicket(id, new Symbol("BTC/USD"), Side.Buy, OrderType.Limit, 1m, 1m) { TimeInForce = TimeInForce.FillOrKill }]));
        Assert.Throws<ExchangeException>(() => adapter.Place([new OrderTicket(id, new Symbol("BTC/USD"), Side.Buy, OrderType.Market, 1m) { ReduceOnly = true }]));
        Assert.False(adapter.ClientOrderIds.Allows(new ClientOrderId("a-client-id-of-19ch")));
        Assert.True(adapter.ClientOrderIds.Allows(new ClientOrderId("a-client-id-of-18c")));
    }

    [Fact]
    public void Order_entry_answers_are_read_per_command()
    {
        var adapter = new KrakenOrderEntryAdapter();
        var id = new ClientOrderId("kq-7");
        var place = adapter.Place([new OrderTicket(id, new Symbol("BTC/USD"), Side.Buy, OrderType.Limit, 2.1234m, 25000.1m)]);

        Assert.Equal(new OrderAccepted(id, "OUF4EM-FRGI2-MQMWZD"), Assert.Single(adapter.ReadAnswer(place, Result("rest_POST_0_private_AddOrder.response"))));

        var cancel = adapter.Cancel([new CancelTicket(id, new Symbol("BTC/USD"))]);
        Assert.IsType<OrderAccepted>(Assert.Single(adapter.ReadAnswer(cancel, JsonDocument.Parse("""{"count":1}""").RootElement)));
        Assert.IsType<OrderStatusUnknown>(Assert.Single(adapter.ReadAnswer(cancel, JsonDocument.Parse("""{"count":0}""").RootElement)));
    }

    [Fact]
    public void Reconciliation_reads_orders_and_fills_under_the_nodes_symbols_and_pages_one_orders_fills()
    {
        var adapter = new KrakenOrderEntryAdapter();
        var queries = adapter.Queries!;
        var symbol = new Symbol("BTC/USD");
        Assert.Equal("/0/private/OpenOrders", Assert.Single(queries.OpenOrders([symbol])).Path);

        var open = JsonDocument.Parse("""
            {"open":{"OQCLML-BW3P3-BUCMWZ":{"refid":null,"userref":0,"cl_ord_id":"kq-9","status":"open","opentm":1688666559.8974,"starttm":0,"expiretm":0,
             "descr":{"pair":"XBTUSD","type":"buy","ordertype":"limit","price":"30010.0","price2":"0","leverage":"none","order":"buy 1.25 XBTUSD @ limit 30010.0","close":""},
             "vol":"1.25000000","vol_exec":"0.37500000","cost":"11253.7","fee":"0.00000","price":"30010.0","misc":"","oflags":"fciq","trades":["TCCCTY-WE2O6-P3NB37"]}}}
            """).RootElement;
        var report = Assert.Single(queries.ReadOrders(open));
        Assert.Equal(new VenueOrderReport(new ClientOrderId("kq-9"), "OQCLML-BW3P3-BUCMWZ", symbol, OrderLifecycle.PartiallyFilled, 1.25m, 0.375m), report);

        var trades = JsonDocument.Parse("""
            {"trades":{"TCCCTY-WE2O6-P3NB37":{"ordertxid":"OQCLML-BW3P3-BUCMWZ","postxid":"TKH2SE-M7IF5-CFI7LT","pair":"XXBTZUSD","time":1688667796.8802,"type":"buy",
             "ordertype":"limit","price":"30010.00000","cost":"11253.75000","fee":"18.00600","vol":"0.37500000","margin":"0.00000","misc":"","trade_id":39482674,"maker":true}},"count":1}
            """).RootElement;
        var fill = Assert.Single(queries.ReadFills(trades));
        Assert.Equal(new VenueFillReport("OQCLML-BW3P3-BUCMWZ", symbol, new FillInfo("TCCCTY-WE2O6-P3NB37", 30010m, 0.375m, 18.006m, "USD", Liquidity.Maker), 1_688_667_796_880), fill);

        // One order's fills: the order (its trade ids), then those trades, then nothing more.
        var first = queries.OrderFills("OQCLML-BW3P3-BUCMWZ", symbol, null)!;
        Assert.Equal(("/0/private/QueryOrders", "txid=OQCLML-BW3P3-BUCMWZ&trades=true"), (first.Path, first.Body));
        var order = JsonDocument.Parse(open.GetProperty("open").GetRawText()).RootElement;
        Assert.Empty(queries.ReadOrderFills(order));
        var second = queries.OrderFills("OQCLML-BW3P3-BUCMWZ", symbol, order)!;
        Assert.Equal(("/0/private/QueryTrades", "txid=TCCCTY-WE2O6-P3NB37"), (second.Path, second.Body));
        var page = JsonDocument.Parse(trades.GetProperty("trades").GetRawText()).RootElement;
        Assert.Single(queries.ReadOrderFills(page));
        Assert.Null(queries.OrderFills("OQCLML-BW3P3-BUCMWZ", symbol, page));

        Assert.Equal("/0/private/ClosedOrders", queries.OrderByClientIdElsewhere(new ClientOrderId("kq-9"), symbol)!.Path);
        Assert.True(queries.IsUnknownOrder(new ApiError("EOrder:Unknown order", "EOrder:Unknown order", 200)));
    }

    [Fact]
    public void A_websocket_token_is_read_and_never_printed()
    {
        var token = KrakenTrading.ReadToken(Result("rest_POST_0_private_GetWebSocketsToken.response"));

        Assert.Equal(("1Dwc4lzSwNWOAwkMdqhssNNFhs1ed606d1WcF3XfEMw", 900), (token.Token, token.ExpiresSeconds));
        Assert.DoesNotContain(token.Token, token.ToString());
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

