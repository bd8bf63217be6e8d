using System.Text;
using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Exchanges.Bybit;
using ActorTrading.Exchanges.Bybit.Auth;
using ActorTrading.Exchanges.Bybit.Rest;
using ActorTrading.TestExchange;
using Xunit;

namespace ActorTrading.Exchanges.Tests;

/// <summary>Bybit v5 REST: the envelope, typed errors, signing as sent, limit headers, the documented answers, and order entry's requests.</summary>
public sealed class BybitRestSpecs
{
    private static readonly BybitCredentials Credentials = new("key-abcdef", "secret-123456");
    private static readonly Uri Base = new("https://api.bybit.com");

    [Fact]
    public void A_signed_get_signs_its_query_as_sent_and_carries_the_four_headers()
    {
        var adapter = new BybitRestAdapter(Base, Credentials);
        var wire = adapter.Prepare(BybitOrderRequests.Executions("linear", "BTCUSDT", null), 1700000000000);

        Assert.Equal("/v5/execution/list?category=linear&symbol=BTCUSDT&limit=100", wire.PathAndQuery);
        var headers = wire.Headers.ToDictionary(h => h.Key, h => h.Value);
        Assert.Equal(("key-abcdef", "1700000000000", "5000"), (headers["X-BAPI-API-KEY"], headers["X-BAPI-TIMESTAMP"], headers["X-BAPI-RECV-WINDOW"]));
        Assert.Equal(BybitSigner.SignRequest(Credentials, 1700000000000, 5000, "category=linear&symbol=BTCUSDT&limit=100"), headers["X-BAPI-SIGN"]);
        Assert.Equal(["key-abcdef", headers["X-BAPI-SIGN"]], wire.Secrets);
    }

    [Fact]
    public void A_signed_post_signs_the_exact_body_it_sends()
    {
        var request = BybitOrderRequests.Place("linear", new BybitOrderSpec("BTCUSDT", Side.Buy, true, 0.010m, 65000.50m, "at-1", "GTC"));
        var wire = new BybitRestAdapter(Base, Credentials).Prepare(request, 1700000000001);

        Assert.Equal("""{"category":"linear","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"0.01","price":"65000.5","timeInForce":"GTC","orderLinkId":"at-1"}""", wire.Body);
        Assert.Equal(("/v5/order/create", "application/json"), (wire.PathAndQuery, wire.ContentType));
        Assert.Equal(BybitSigner.SignRequest(Credentials, 1700000000001, 5000, wire.Body!), wire.Headers.Single(h => h.Key == "X-BAPI-SIGN").Value);
        Assert.Equal([new RateCharge(BybitVenue.Pools.Create, 1), new RateCharge(BybitVenue.Pools.Ip, 1)], request.Charges);
    }

    [Fact]
    public void Without_credentials_a_signed_request_names_the_variables_and_a_public_one_goes_as_it_is()
    {
        var adapter = new BybitRestAdapter(Base);
        var refused = Assert.Throws<ExchangeException>(() => adapter.Prepare(BybitOrderRequests.Wallet(), 1));
        Assert.Contains("BYBIT_API_KEY and BYBIT_API_SECRET", Assert.IsType<AuthenticationError>(refused.Error).Message);

        var wire = adapter.Prepare(new BybitInstruments(MarketKind.Spot).Request, 1);
        Assert.Equal(("/v5/market/instruments-info?category=spot&limit=1000", 0), (wire.PathAndQuery, wire.Headers.Count));
    }

    [Theory]
    [InlineData(200, """{"retCode":10001,"retMsg":"params error: symbol invalid","result":{},"retExtInfo":{},"time":1}""", typeof(ApiError), "10001")]
    [InlineData(200, """{"retCode":10002,"retMsg":"invalid request, please check your server timestamp or recv_window param","result":{},"time":1}""", typeof(AuthenticationError), "10002")]
    [InlineData(401, """{"retCode":10003,"retMsg":"API key is invalid.","result":{},"time":1}""", typeof(AuthenticationError), "10003")]
    [InlineData(200, """{"retCode":10004,"retMsg":"error sign!","result":{},"time":1}""", typeof(AuthenticationError), "10004")]
    [InlineData(200, """{"retCode":10006,"retMsg":"Too many visits!","result":{},"time":1}""", typeof(RateLimitedError), null)]
    [InlineData(200, """{"retCode":110007,"retMsg":"ab not enough for new order","result":{},"time":1}""", typeof(ApiError), "110007")]
    [InlineData(403, "<html>403 Forbidden</html>", typeof(IpBannedError), null)]
    [InlineData(200, """{"result":{}}""", typeof(ProtocolError), null)]
    [InlineData(502, "Bad Gateway", typeof(ApiError), "http-502")]
    public void Answers_other_than_ret_code_zero_are_typed_errors(int status, string body, Type expected, string? venueCode)
    {
        var outcome = new BybitRestAdapter(Base).Unwrap(status, Encoding.UTF8.GetBytes(body), null);

        Assert.False(outcome.IsSuccess);
        Assert.IsType(expected, outcome.Error);
        if (venueCode is not null)
        {
            Assert.Equal(venueCode, outcome.Error switch { ApiError a => a.VenueCode, AuthenticationError a => a.VenueCode, _ => null });
        }
    }

    [Fact]
    public void Ret_code_zero_is_the_result_and_10002_is_clock_skew()
    {
        var adapter = new BybitRestAdapter(Base);
        var outcome = adapter.Unwrap(200, Encoding.UTF8.GetBytes("""{"retCode":0,"retMsg":"OK","result":{"timeSecond":"1688639403","timeNano":"1688639403423213947"},"retExtInfo":{},"time":1688639403423}"""), null);

        Assert.Equal(1688639403423L, adapter.ParseServerTime(outcome.Data));
        var skew = adapter.Unwrap(200, Encoding.UTF8.GetBytes("""{"retCode":10002,"retMsg":"timestamp","result":{},"time":1}"""), null);
        Assert.True(adapter.IsClockSkew(skew.Error!));
        Assert.False(adapter.IsClockSkew(new AuthenticationError("x", "10004")));
    }

    [Fact]
    public void Limit_headers_are_observed_and_10006_waits_for_the_reset_while_403_pauses_ten_minutes()
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1672738134000);
        var adapter = new BybitRestAdapter(Base, clock: new FixedClock(now));
        var headers = new Dictionary<string, string> { ["X-Bapi-Limit"] = "10", ["X-Bapi-Limit-Status"] = "0", ["X-Bapi-Limit-Reset-Timestamp"] = "1672738134824" };

        var seen = adapter.ObserveRateLimit(BybitVenue.Pools.Create, h => headers.GetValueOrDefault(h))!;
        Assert.Equal((BybitVenue.Pools.Create, 10, 0, TimeSpan.FromMilliseconds(824)), (seen.Pool, seen.Limit, seen.Remaining, seen.ResetIn));
        Assert.Equal(TimeSpan.FromMilliseconds(824), adapter.RetryAfter(h => headers.GetValueOrDefault(h)));
        Assert.True(adapter.IsThrottled(200, """{"retCode":10006,"retMsg":"Too many visits!","result":{},"time":1}"""u8));
        Assert.False(adapter.IsThrottled(200, """{"retCode":0,"retMsg":"OK","result":{"orderId":"10006"},"time":1}"""u8));

        Assert.Equal(BybitVenue.IpBan, adapter.BanDuration(403, _ => null));
        Assert.Null(adapter.BanDuration(429, _ => null));
        Assert.True(BybitVenue.IpBan >= TimeSpan.FromMinutes(10));
    }

    [Fact]
    public async Task The_documented_orderbook_and_kline_answers_read_as_a_snapshot_and_oldest_first_candles()
    {
        var module = new BybitModule(MarketKind.Spot);
        var book = module.ParseSnapshotBody(Encoding.UTF8.GetBytes(Fixtures.Bybit("rest_GET_v5_market_orderbook.response")), new Symbol("BTCUSDT"), 5);
        Assert.Equal((BookUpdateKind.Snapshot, 230704L, 1716863719031L), (book.Kind, book.LastSequence, book.ExchangeTs));
        Assert.Equal([new BookLevel(65485.47m, 47.081829m)], book.Bids.ToArray());
        Assert.Equal([new BookLevel(65557.7m, 16.606555m)], book.Asks.ToArray());
        var error = Assert.Throws<ExchangeException>(() => module.ParseSnapshotBody("""{"retCode":10001,"retMsg":"Illegal category","result":{},"time":1}"""u8.ToArray(), new Symbol("X"), 1));
        Assert.Equal("10001", Assert.IsType<ApiError>(error.Error).VenueCode);

        var envelope = JsonDocument.Parse(Fixtures.Bybit("rest_GET_v5_market_kline.response")).RootElement.GetProperty("result").GetRawText();
        var rest = new InlineRest(envelope);
        var klines = await new BybitMarketData(rest, MarketKind.Spot).GetKlinesAsync("BTCUSD", "60", limit: 3);
        Assert.Equal("/v5/market/kline?category=spot&symbol=BTCUSD&interval=60&limit=3", rest.Last!.EncodedPathAndQuery);
        Assert.True(klines.Count >= 2);
        Assert.True(klines.Zip(klines.Skip(1)).All(p => p.Item1.Start < p.Item2.Start), "oldest first");
        Assert.Equal((1670608800000L, 17071m, 17073m, 17027m), (klines[^1].Start, klines[^1].Open, klines[^1].High, klines[^1].Low));

        var badInterval = await Assert.ThrowsAsync<ExchangeException>(() => new BybitMarketData(rest, MarketKind.Spot).GetKlinesAsync("BTCUSDT", "1m"));
        Assert.Contains("kline interval '1m'", badInterval.Error.Message);
        var spotFunding = await Assert.ThrowsAsync<ExchangeException>(() => new BybitMarketData(rest, MarketKind.Spot).GetFundingHistoryAsync("BTCUSDT"));
        Assert.Contains("--market futures", spotFunding.Error.Message);
    }

    [Fact]
    public void Instruments_give_tick_step_minimum_and_notional_on_both_categories()
    {
        const string linear = """{"category":"linear","list":[{"symbol":"BTCUSDT","contractType":"LinearPerpetual","status":"Trading","baseCoin":"BTC","quoteCoin":"USDT","priceScale":"2","leverageFilter":{"minLeverage":"1","maxLeverage":"100.00","leverageStep":"0.01"},"priceFilter":{"minPrice":"0.10","maxPrice":"1999999.80","tickSize":"0.10"},"lotSizeFilter":{"maxOrderQty":"1190.000","minOrderQty":"0.001","qtyStep":"0.001","postOnlyMaxOrderQty":"1190.000","maxMktOrderQty":"500.000","minNotionalValue":"5"},"fundingInterval":480,"settleCoin":"USDT"}],"nextPageCursor":""}""";
        const string spot = """{"category":"spot","list":[{"symbolId":9,"symbol":"BTCUSDT","baseCoin":"BTC","quoteCoin":"USDT","innovation":"0","status":"Trading","marginTrading":"utaOnly","lotSizeFilter":{"basePrecision":"0.000001","quotePrecision":"0.0000001","minOrderQty":"0.000011","maxOrderQty":"83","minOrderAmt":"5","maxOrderAmt":"8000000"},"priceFilter":{"tickSize":"0.1"}},{"symbol":"NEWUSDT","baseCoin":"NEW","quoteCoin":"USDT","status":"PreLaunch","lotSizeFilter":{"basePrecision":"1","minOrderQty":"1","maxOrderQty":"0","minOrderAmt":""},"priceFilter":{"tickSize":"0.0001"}}]}""";

        var l = Assert.Single(new BybitInstruments(MarketKind.Futures).Read(JsonDocument.Parse(linear).RootElement));
        Assert.Equal(("BTCUSDT", 0.10m, 0.001m, 0.001m, 1190m, 5m, true), (l.Symbol.Value, l.TickSize, l.LotStep, l.MinSize, l.MaxSize!.Value, l.MinNotional!.Value, l.Trading));
        var s = new BybitInstruments(MarketKind.Spot).Read(JsonDocument.Parse(spot).RootElement);
        Assert.Equal((0.1m, 0.000001m, 0.000011m, 83m, 5m), (s[0].TickSize, s[0].LotStep, s[0].MinSize, s[0].MaxSize!.Value, s[0].MinNotional!.Value));
        Assert.Equal((false, (decimal?)null, (decimal?)null), (s[1].Trading, s[1].MaxSize, s[1].MinNotional));

        var missingTick = Assert.Throws<ExchangeException>(() => new BybitInstruments(MarketKind.Spot).Read(JsonDocument.Parse(spot.Replace("\"tickSize\":\"0.1\"", "\"minPrice\":\"1\"", StringComparison.Ordinal)).RootElement));
        Assert.IsType<ProtocolError>(missingTick.Error);
    }

    [Fact]
    public void Order_entry_builds_the_venues_requests_and_reads_its_answer()
    {
        var linear = new BybitOrderEntryAdapter(MarketKind.Futures, leverage: 5);
        var id = new ClientOrderId("at-quoter-000001");
        var place = linear.Place([new OrderTicket(id, new Symbol("BTCUSDT"), Side.Sell, OrderType.Limit, 0.5m, 70000m) { PostOnly = true, ReduceOnly = true }]);
        Assert.Equal("""{"category":"linear","symbol":"BTCUSDT","side":"Sell","orderType":"Limit","qty":"0.5","price":"70000","timeInForce":"PostOnly","orderLinkId":"at-quoter-000001","reduceOnly":true}""", place.Rest.Body);

        var stop = linear.Place([new OrderTicket(id, new Symbol("BTCUSDT"), Side.Sell, OrderType.Market, 0.5m) { Stop = new StopTrigger(TriggerDirection.FallsTo, 60000m, TriggerPrice.Mark) }]);
        Assert.Equal("""{"category":"linear","symbol":"BTCUSDT","side":"Sell","orderType":"Market","qty":"0.5","timeInForce":"GTC","orderLinkId":"at-quoter-000001","triggerPrice":"60000","triggerDirection":2,"triggerBy":"MarkPrice"}""", stop.Rest.Body);

        var spotMarket = new BybitOrderEntryAdapter(MarketKind.Spot).Place([new OrderTicket(id, new Symbol("BTCUSDT"), Side.Buy, OrderType.Market, 0.002m)]);
        Assert.Contains("\"marketUnit\":\"baseCoin\"", spotMarket.Rest.Body, StringComparison.Ordinal);

        var cancel = linear.Cancel([new CancelTicket(id, new Symbol("BTCUSDT"))]);
        Assert.Equal("""{"category":"linear","symbol":"BTCUSDT","orderLinkId":"at-quoter-000001"}""", cancel.Rest.Body);
        var amend = linear.Amend(new AmendTicket(id, new Symbol("BTCUSDT"), 70100m, null, "1321003749386327552"));
        Assert.Equal("""{"category":"linear","symbol":"BTCUSDT","orderId":"1321003749386327552","price":"70100"}""", amend.Rest.Body);

        var answer = linear.ReadAnswer(place, JsonDocument.Parse("""{"orderId":"1321003749386327552","orderLinkId":"at-quoter-000001"}""").RootElement);
        Assert.Equal(new OrderAccepted(id, "1321003749386327552"), Assert.Single(answer));

        var setup = Assert.Single(linear.SymbolSetup(new Symbol("BTCUSDT")));
        Assert.Equal("""{"category":"linear","symbol":"BTCUSDT","buyLeverage":"5","sellLeverage":"5"}""", setup.Body);
        Assert.True(linear.IsSetupInPlace(new ApiError("110043", "Set leverage has not been modified.", 200)));
        Assert.Empty(new BybitOrderEntryAdapter(MarketKind.Spot).SymbolSetup(new Symbol("BTCUSDT")));
    }

    [Theory]
    [InlineData("at-ok_1", true)]
    [InlineData("has.dot", false)]
    [InlineData("0123456789012345678901234567890123456", false)]
    public void Client_order_ids_follow_order_link_id_rules(string id, bool allowed) =>
        Assert.Equal(allowed, new BybitOrderEntryAdapter(MarketKind.Spot).ClientOrderIds.Allows(new ClientOrderId(id)));

    [Fact]
    public void Tickets_the_venue_cannot_take_are_refused_before_sending()
    {
        var id = new ClientOrderId("at-1");
        var spot = new BybitOrderEntryAdapter(MarketKind.Spot);
        Assert.Contains("reduce-only", Refusal(() => spot.Place([new OrderTicket(id, new Symbol("BTCUSDT"), Side.Sell, OrderType.Limit, 1m, 1m) { ReduceOnly = true }])));
        Assert.Contains("needs a price", Refusal(() => spot.Place([new OrderTicket(id, new Symbol("BTCUSDT"), Side.Sell, OrderType.Limit, 1m)])));
        Assert.Contains("size must be positive", Refusal(() => spot.Place([new OrderTicket(id, new Symbol("BTCUSDT"), Side.Sell, OrderType.Limit, 0m, 1m)])));
        Assert.Contains("last trade", Refusal(() => spot.Place([new OrderTicket(id, new Symbol("BTCUSDT"), Side.Sell, OrderType.Market, 1m) { Stop = new StopTrigger(TriggerDirection.FallsTo, 1m, TriggerPrice.Index) }])));
        Assert.Contains("per symbol", Refusal(() => new BybitOrderEntryAdapter(MarketKind.Futures, 3).Place([new OrderTicket(id, new Symbol("BTCUSDT"), Side.Sell, OrderType.Market, 1m) { Leverage = 10 }])));
        Assert.Contains("margin mode", Refusal(() => new BybitModule(MarketKind.Futures).CreateOrderEntry(new OrderEntryOptions(1, "isolated"))));
        Assert.Contains("spot has no leverage", Refusal(() => new BybitOrderEntryAdapter(MarketKind.Spot, 2)));
    }

    [Fact]
    public void Reconciliation_reads_orders_fills_and_positions_from_the_documented_answers()
    {
        var queries = new BybitOrderQueries(MarketKind.Futures);
        var order = queries.ReadOrder(JsonDocument.Parse("""{"list":[{"orderId":"fd4300ae","orderLinkId":"test-000005","symbol":"ETHUSDT","price":"1600.00","qty":"0.10","side":"Buy","orderStatus":"New","avgPrice":"0","leavesQty":"0.10","cumExecQty":"0.00","cumExecFee":"0","timeInForce":"GTC","orderType":"Limit","createdTime":"1684738540559","updatedTime":"1684738540561"}],"nextPageCursor":"page_args","category":"linear"}""").RootElement)!;
        Assert.Equal(new VenueOrderReport(new ClientOrderId("test-000005"), "fd4300ae", new Symbol("ETHUSDT"), OrderLifecycle.Acknowledged, 0.10m, 0m), order);
        Assert.Null(queries.ReadOrder(JsonDocument.Parse("""{"list":[],"nextPageCursor":"","category":"linear"}""").RootElement));

        var fills = queries.ReadFills(JsonDocument.Parse("""{"nextPageCursor":"132766%3A2","category":"linear","list":[{"symbol":"ETHPERP","orderType":"Market","orderLinkId":"","side":"Buy","orderId":"8c065341","leavesQty":"0","execTime":"1672282722429","feeCurrency":"","isMaker":false,"execFee":"0.071409","execId":"e0cbe81d","execPrice":"1190.15","execType":"Trade","execQty":"0.1"},{"symbol":"ETHPERP","orderType":"UNKNOWN","orderLinkId":"","side":"Buy","orderId":"","leavesQty":"0","execTime":"1672282722430","isMaker":false,"execFee":"0.01","execId":"f1","execPrice":"1190","execType":"Funding","execQty":"0.1"}]}""").RootElement);
        Assert.Equal(new VenueFillReport("8c065341", new Symbol("ETHPERP"), new FillInfo("e0cbe81d", 1190.15m, 0.1m, 0.071409m, null, Liquidity.Taker), 1672282722429), Assert.Single(fills));

        var next = queries.OrderFills("8c065341", new Symbol("ETHPERP"), JsonDocument.Parse("""{"nextPageCursor":"132766%3A2","list":[]}""").RootElement)!;
        Assert.Contains(KeyValuePair.Create("cursor", "132766%3A2"), next.Query);
        Assert.Null(queries.OrderFills("8c065341", new Symbol("ETHPERP"), JsonDocument.Parse("""{"nextPageCursor":"","list":[]}""").RootElement));

        var positions = queries.ReadPositions(JsonDocument.Parse("""{"list":[{"positionIdx":0,"symbol":"BTCUSDT","side":"Sell","size":"0.3","avgPrice":"27464.5","markPrice":"28224.50","unrealisedPnl":"-0.2","cumRealisedPnl":"-0.9","leverage":"10","liqPrice":""}],"nextPageCursor":"","category":"linear"}""").RootElement);
        Assert.Equal(new VenuePosition(new Symbol("BTCUSDT"), -0.3m, 27464.5m), Assert.Single(positions));
        Assert.Null(new BybitOrderQueries(MarketKind.Spot).Positions());
        Assert.True(queries.IsUnknownOrder(new ApiError("110001", "Order does not exist", 200)));
    }

    private static string Refusal(Action action) => Assert.IsType<ConfigurationError>(Assert.Throws<ExchangeException>(action).Error).Message;

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
