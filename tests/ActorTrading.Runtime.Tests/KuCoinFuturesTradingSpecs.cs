using ActorTrading.Core.Errors;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges.KuCoin.Auth;
using ActorTrading.Exchanges.KuCoin.Rest;
using ActorTrading.TestExchange;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using Xunit;

namespace ActorTrading.Runtime.Tests;

/// <summary>
/// Every private futures endpoint against WireMock: method, path, query and body as the docs define them, and the
/// signature headers recomputed here with plain HMAC-SHA256 (not with the code under test).
/// </summary>
public sealed class KuCoinFuturesTradingSpecs : SignedKuCoinVenue
{
    private readonly KuCoinFuturesTrading _api;

    public KuCoinFuturesTradingSpecs()
    {
        _api = new KuCoinFuturesTrading(Client);
    }

    [Fact]
    public async Task Place_order_sends_the_docs_example_body_byte_for_byte()
    {
        ServeFixture("POST", "/api/v1/orders", "futures_rest_POST_api_v1_orders.response");
        var ack = await _api.PlaceOrderAsync(new FuturesOrderRequest
        {
            ClientOid = "5c52e11203aa677f33e493fb",
            Side = Side.Buy,
            Symbol = "XBTUSDTM",
            Leverage = 3,
            Type = FuturesOrderType.Limit,
            Remark = "order remarks",
            ReduceOnly = false,
            MarginMode = FuturesMarginMode.Isolated,
            Price = 0.1m,
            Size = 1,
            TimeInForce = FuturesTimeInForce.GoodTillCanceled,
        });
        Assert.Equal(new FuturesOrderAck("234125150956625920", "5c52e11203aa677f33e493fb"), ack);
        var docsBody = System.Text.Json.JsonDocument.Parse(Fixtures.KuCoin("futures_rest_POST_api_v1_orders.request")).RootElement.GetRawText();
        var minified = System.Text.Json.JsonSerializer.Serialize(System.Text.Json.JsonDocument.Parse(docsBody).RootElement);
        SignedRequest("POST", "/api/v1/orders", minified);
        Assert.Equal("""{"clientOid":"5c52e11203aa677f33e493fb","side":"buy","symbol":"XBTUSDTM","leverage":3,"type":"limit","remark":"order remarks","reduceOnly":false,"marginMode":"ISOLATED","price":"0.1","size":1,"timeInForce":"GTC"}""", minified);
    }

    [Fact]
    public async Task Stop_post_only_stp_orders_carry_every_flag()
    {
        Serve("POST", "/api/v1/orders", """{"orderId":"1","clientOid":"c1"}""");
        await _api.PlaceStopOrderAsync(new FuturesOrderRequest
        {
            ClientOid = "c1",
            Side = Side.Sell,
            Symbol = "ETHUSDTM",
            Leverage = 5,
            Price = 3100.5m,
            Size = 2,
            PostOnly = true,
            Stp = SelfTradePrevention.CancelOldest,
            MarginMode = FuturesMarginMode.Cross,
            ReduceOnly = true,
        }, StopDirection.Down, 3000m, StopPriceType.MarkPrice);
        SignedRequest("POST", "/api/v1/orders",
            """{"clientOid":"c1","side":"sell","symbol":"ETHUSDTM","leverage":5,"type":"limit","stop":"down","stopPriceType":"MP","stopPrice":"3000","reduceOnly":true,"stp":"CO","marginMode":"CROSS","price":"3100.5","size":2,"postOnly":true}""");
    }

    [Fact]
    public async Task Close_position_is_a_market_close_order()
    {
        Serve("POST", "/api/v1/orders", """{"orderId":"9","clientOid":"close-1"}""");
        var ack = await _api.ClosePositionAsync("XBTUSDTM", "close-1", FuturesMarginMode.Isolated);
        Assert.Equal("9", ack.OrderId);
        SignedRequest("POST", "/api/v1/orders", """{"clientOid":"close-1","symbol":"XBTUSDTM","type":"market","closeOrder":true,"marginMode":"ISOLATED"}""");
    }

    [Theory]
    [InlineData("limit without price")]
    [InlineData("no size")]
    [InlineData("post-only IOC")]
    [InlineData("market with price")]
    [InlineData("stop without price")]
    public async Task Invalid_orders_are_refused_before_any_request(string which)
    {
        var order = new FuturesOrderRequest { ClientOid = "c", Side = Side.Buy, Symbol = "XBTUSDTM", Price = 1m, Size = 1 };
        order = which switch
        {
            "limit without price" => order with { Price = null },
            "no size" => order with { Size = null },
            "post-only IOC" => order with { PostOnly = true, TimeInForce = FuturesTimeInForce.ImmediateOrCancel },
            "market with price" => order with { Type = FuturesOrderType.Market },
            _ => order with { Stop = StopDirection.Up },
        };
        var e = await Assert.ThrowsAsync<ActorTrading.Core.Errors.ExchangeException>(() => _api.PlaceOrderAsync(order));
        Assert.IsType<ConfigurationError>(e.Error);
        Assert.Empty(Venue.Server.LogEntries);
    }

    [Fact]
    public async Task Account_overview_decodes_the_docs_example()
    {
        ServeFixture("GET", "/api/v1/account-overview", "futures_rest_GET_api_v1_account-overview.response");
        var account = await _api.GetAccountOverviewAsync("USDT");
        Assert.Equal(394.439280806m, account.AccountEquity);
        Assert.Equal(20.15278m, account.UnrealisedPNL);
        Assert.Equal(290.326799096m, account.AvailableBalance);
        Assert.Equal(290.326419096m, account.MaxWithdrawAmount);
        Assert.Equal("USDT", account.Currency);
        SignedRequest("GET", "/api/v1/account-overview?currency=USDT");
    }

    [Fact]
    public async Task Position_decodes_the_docs_example()
    {
        ServeFixture("GET", "/api/v1/position", "futures_rest_GET_api_v1_position.response");
        var position = await _api.GetPositionAsync("XBTUSDTM");
        Assert.Equal("500000000000988255", position.Id);
        Assert.Equal(1m, position.CurrentQty);
        Assert.Equal(67430.9m, position.AvgEntryPrice);
        Assert.Equal(45314.33m, position.LiquidationPrice);
        Assert.Equal(-0.06166534m, position.RealisedPnl);
        Assert.Equal("ISOLATED", position.MarginMode);
        Assert.Equal(2, position.RiskLimitLevel);
        SignedRequest("GET", "/api/v1/position?symbol=XBTUSDTM");
    }

    [Fact]
    public async Task Positions_list_decodes()
    {
        ServeFixture("GET", "/api/v1/positions", "futures_rest_GET_api_v1_positions.response");
        var positions = await _api.GetPositionsAsync("USDT");
        Assert.NotEmpty(positions);
        Assert.All(positions, p => Assert.False(string.IsNullOrEmpty(p.Symbol)));
        SignedRequest("GET", "/api/v1/positions?currency=USDT");
    }

    [Fact]
    public async Task Order_lists_page_and_filter()
    {
        ServeFixture("GET", "/api/v1/orders", "futures_rest_GET_api_v1_orders.response");
        var page = await _api.GetDoneOrdersAsync(new FuturesListFilter("PEOPLEUSDTM", Side.Buy, "limit", 123456, 123457, 1, 50));
        var order = Assert.Single(page.Items);
        Assert.Equal((1, 50, 1, 1), (page.CurrentPage, page.PageSize, page.TotalNum, page.TotalPage));
        Assert.Equal("230181737576050688", order.Id);
        Assert.Equal(0.05m, order.Price);
        Assert.Equal(10m, order.Size);
        Assert.Equal(1727692804808418000L, order.OrderTime);
        Assert.Equal("open", order.Status);
        SignedRequest("GET", "/api/v1/orders?status=done&symbol=PEOPLEUSDTM&side=buy&type=limit&startAt=123456&endAt=123457&currentPage=1&pageSize=50");
    }

    [Fact]
    public async Task Get_order_by_id_and_by_client_oid()
    {
        ServeFixture("GET", "/api/v1/orders/236655147005071361", "futures_rest_GET_api_v1_orders_orderId.response");
        var order = await _api.GetOrderAsync("236655147005071361");
        Assert.Equal("5c52e11203aa677f33e493fb", order.ClientOid);
        Assert.Equal(3m, order.Leverage);
        Assert.Equal(Side.Buy, order.Side);
        SignedRequest("GET", "/api/v1/orders/236655147005071361");
        ServeFixture("GET", "/api/v1/orders/byClientOid", "futures_rest_GET_api_v1_orders_orderId.response");
        Assert.Equal("236655147005071361", (await _api.GetOrderByClientOidAsync("5c52e11203aa677f33e493fb")).Id);
        SignedRequest("GET", "/api/v1/orders/byClientOid?clientOid=5c52e11203aa677f33e493fb");
    }

    [Fact]
    public async Task Cancels_use_the_documented_endpoints()
    {
        ServeFixture("DELETE", "/api/v1/orders/235303670076489728", "futures_rest_DELETE_api_v1_orders_orderId.response");
        Assert.Equal(["235303670076489728"], (await _api.CancelOrderAsync("235303670076489728")).CancelledOrderIds);
        SignedRequest("DELETE", "/api/v1/orders/235303670076489728");
        ServeFixture("DELETE", "/api/v3/orders", "futures_rest_DELETE_api_v3_orders.response");
        Assert.Equal(["235919172150824960", "235919172150824961"], (await _api.CancelAllOrdersAsync("XBTUSDTM")).CancelledOrderIds);
        SignedRequest("DELETE", "/api/v3/orders?symbol=XBTUSDTM");
        Serve("DELETE", "/api/v1/orders/client-order/my-1", """{"clientOid":"my-1"}""");
        Assert.Equal("my-1", (await _api.CancelOrderByClientOidAsync("XBTUSDTM", "my-1")).ClientOid);
        SignedRequest("DELETE", "/api/v1/orders/client-order/my-1?symbol=XBTUSDTM");
        Serve("DELETE", "/api/v1/stopOrders", """{"cancelledOrderIds":["s1"]}""");
        Assert.Equal(["s1"], (await _api.CancelAllStopOrdersAsync()).CancelledOrderIds);
        SignedRequest("DELETE", "/api/v1/stopOrders");
    }

    [Fact]
    public async Task Fills_decode_fee_and_liquidity()
    {
        const string fill = """{"symbol":"XBTUSDTM","tradeId":"1784277229880","orderId":"236317213710184449","side":"buy","liquidity":"taker","forceTaker":false,"price":"67430.9","size":1,"value":"67.4309","openFeePay":"0.04045854","closeFeePay":"0","stop":"","feeRate":"0.00060","fixFee":"0","feeCurrency":"USDT","marginMode":"ISOLATED","settleCurrency":"USDT","fee":"0.04045854","orderType":"market","displayType":"market","tradeType":"trade","subTradeType":null,"tradeTime":1729155616320000000,"createdAt":1729155616493}""";
        Serve("GET", "/api/v1/recentFills", $"[{fill}]");
        var recent = Assert.Single(await _api.GetRecentFillsAsync("XBTUSDTM"));
        Assert.Equal(("1784277229880", "taker", 0.04045854m, "USDT", 67430.9m, 1m), (recent.TradeId, recent.Liquidity, recent.Fee, recent.FeeCurrency, recent.Price, recent.Size));
        Assert.Equal(1729155616320000000L, recent.TradeTime);
        SignedRequest("GET", "/api/v1/recentFills?symbol=XBTUSDTM");
        Serve("GET", "/api/v1/fills", $$"""{"currentPage":1,"pageSize":50,"totalNum":1,"totalPage":1,"items":[{{fill}}]}""");
        var page = await _api.GetFillsAsync("236317213710184449");
        Assert.Equal("236317213710184449", Assert.Single(page.Items).OrderId);
        SignedRequest("GET", "/api/v1/fills?orderId=236317213710184449");
    }

    [Fact]
    public async Task Margin_auto_deposit_and_risk_limits()
    {
        ServeFixture("POST", "/api/v1/position/margin/deposit-margin", "futures_rest_GET_api_v1_position.response");
        var position = await _api.AddPositionMarginAsync("XBTUSDTM", 0.5m, "biz-1");
        Assert.Equal("XBTUSDTM", position.Symbol);
        SignedRequest("POST", "/api/v1/position/margin/deposit-margin", """{"symbol":"XBTUSDTM","margin":0.5,"bizNo":"biz-1"}""");
        Serve("POST", "/api/v1/position/margin/auto-deposit-status", "true");
        Assert.True(await _api.SetAutoDepositAsync("XBTUSDTM", true));
        SignedRequest("POST", "/api/v1/position/margin/auto-deposit-status", """{"symbol":"XBTUSDTM","status":true}""");
        Serve("GET", "/api/v1/contracts/risk-limit/XBTUSDTM", """[{"symbol":"XBTUSDTM","level":1,"maxRiskLimit":100000,"minRiskLimit":0,"maxLeverage":125,"initialMargin":0.008,"maintainMargin":0.004}]""");
        Assert.Equal(new FuturesRiskLimitLevel("XBTUSDTM", 1, 100000m, 0m, 125m, 0.008m, 0.004m), Assert.Single(await _api.GetRiskLimitLevelsAsync("XBTUSDTM")));
        SignedRequest("GET", "/api/v1/contracts/risk-limit/XBTUSDTM");
        Serve("POST", "/api/v1/position/risk-limit-level/change", "true");
        Assert.True(await _api.SetRiskLimitLevelAsync("XBTUSDTM", 2));
        SignedRequest("POST", "/api/v1/position/risk-limit-level/change", """{"symbol":"XBTUSDTM","level":2}""");
    }

    [Fact]
    public async Task Open_stop_orders_decode_the_docs_example_with_its_nulls()
    {
        // KuCoin's example of an untriggered stop order: stopTriggered, visibleSize, remark, endAt and orderTime null.
        Serve("GET", "/api/v1/stopOrders", """
            {"currentPage":1,"pageSize":50,"totalNum":1,"totalPage":1,"items":[{"id":"230181737576050688","symbol":"PEOPLEUSDTM","type":"limit","side":"buy",
             "price":"0.05","size":10,"value":"5","dealValue":"0","dealSize":0,"stp":"","stop":"down","stopPriceType":"TP","stopTriggered":null,"stopPrice":"0.05",
             "timeInForce":"GTC","postOnly":false,"hidden":false,"iceberg":false,"leverage":"1","forceHold":false,"closeOrder":false,"visibleSize":null,
             "clientOid":"5a80bd847f1811ef8a7faa665a37b3d7","remark":null,"tags":"","isActive":true,"cancelExist":false,"createdAt":1727692804813,
             "updatedAt":1727692804813,"endAt":null,"orderTime":null,"settleCurrency":"USDT","marginMode":"ISOLATED","avgDealPrice":"0","filledSize":0,
             "filledValue":"0","status":"open","reduceOnly":false}]}
            """);
        var stop = Assert.Single((await _api.GetOpenStopOrdersAsync()).Items);
        Assert.Equal(("230181737576050688", (bool?)null, (decimal?)0.05m, (long?)null, "down"), (stop.Id, stop.StopTriggered, stop.StopPrice, stop.OrderTime, stop.Stop));
        SignedRequest("GET", "/api/v1/stopOrders");
    }

    [Fact]
    public async Task Venue_errors_stay_typed_with_code_and_message()
    {
        Venue.ServeJson("/api/v1/orders/nope", """{"code":"100001","msg":"order not exist"}""", status: 404);
        var e = await Assert.ThrowsAsync<ExchangeException>(() => _api.GetOrderAsync("nope"));
        Assert.Equal(new ApiError("100001", "order not exist", 404), e.Error);
    }

    [Fact]
    public async Task A_skewed_clock_is_synced_against_server_time_and_the_request_retried_once()
    {
        var serverAhead = TimeSpan.FromHours(1);
        long ServerNow() => (DateTimeOffset.UtcNow + serverAhead).ToUnixTimeMilliseconds();
        Venue.Server.Given(Request.Create().WithPath("/api/v1/timestamp").UsingGet())
            .RespondWith(Response.Create().WithCallback(_ => Json($$"""{"code":"200000","data":{{ServerNow()}}}""")));
        Venue.Server.Given(Request.Create().WithPath("/api/v1/account-overview").UsingGet())
            .RespondWith(Response.Create().WithCallback(request =>
            {
                var sent = long.Parse(request.Headers!["KC-API-TIMESTAMP"][0], System.Globalization.CultureInfo.InvariantCulture);
                return Math.Abs(sent - ServerNow()) <= 5000
                    ? Json(Fixtures.KuCoin("futures_rest_GET_api_v1_account-overview.response"))
                    : Json("""{"code":"400002","msg":"KC-API-TIMESTAMP Invalid -- Time differs from server time by more than 5 seconds"}""");
            }));

        var account = await _api.GetAccountOverviewAsync("USDT");

        Assert.Equal(394.439280806m, account.AccountEquity);
        var calls = Venue.Server.LogEntries.OrderBy(e => e.RequestMessage.DateTime).Select(e => e.RequestMessage.Path).ToArray();
        Assert.Equal(["/api/v1/account-overview", "/api/v1/timestamp", "/api/v1/account-overview"], calls);

        // Later signed requests go out on the venue's clock straight away.
        Venue.Server.ResetLogEntries();
        await _api.GetAccountOverviewAsync("USDT");
        Assert.Single(Venue.Server.LogEntries);
    }

    [Fact]
    public async Task A_persistent_timestamp_refusal_is_reported_after_one_resync()
    {
        Serve("GET", "/api/v1/timestamp", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        Venue.ServeJson("/api/v1/position", """{"code":"400002","msg":"KC-API-TIMESTAMP Invalid"}""", status: 401);
        var e = await Assert.ThrowsAsync<ExchangeException>(() => _api.GetPositionAsync("XBTUSDTM"));
        Assert.Equal(new AuthenticationError("KC-API-TIMESTAMP Invalid", "400002"), e.Error);
        Assert.Equal(2, Venue.Server.LogEntries.Count(l => l.RequestMessage.Path == "/api/v1/position"));
    }

    private static WireMock.ResponseMessage Json(string body) => new()
    {
        StatusCode = 200,
        BodyData = new WireMock.Util.BodyData { BodyAsString = body, DetectedBodyType = WireMock.Types.BodyType.String },
    };

    [Fact]
    public async Task Batch_placement_sends_the_docs_array_and_reads_each_order_on_its_own()
    {
        Serve("POST", "/api/v1/orders/multi", """
            [{"orderId":"235919387779985408","clientOid":"5c52e11203aa677f33e493fb","symbol":"XBTUSDTM","code":"200000","msg":"success"},
             {"orderId":null,"clientOid":"5c52e11203aa677f33e493fc","symbol":"XBTUSDTM","code":"300003","msg":"Balance insufficient"}]
            """);
        var order = new FuturesOrderRequest
        {
            ClientOid = "5c52e11203aa677f33e493fb",
            Side = Side.Buy,
            Symbol = "XBTUSDTM",
            Leverage = 3,
            Remark = "order remarks",
            ReduceOnly = false,
            MarginMode = FuturesMarginMode.Isolated,
            Price = 0.1m,
            Size = 1,
            TimeInForce = FuturesTimeInForce.GoodTillCanceled,
        };
        var results = await _api.PlaceOrdersAsync([order, order with { ClientOid = "5c52e11203aa677f33e493fc" }]);

        Assert.Equal(new BatchOrderResult("235919387779985408", "5c52e11203aa677f33e493fb", "XBTUSDTM", "200000", "success"), results[0]);
        Assert.True(results[0].IsSuccess);
        Assert.Equal(("300003", false), (results[1].Code, results[1].IsSuccess));
        const string one = """{"clientOid":"5c52e11203aa677f33e493fb","side":"buy","symbol":"XBTUSDTM","leverage":3,"type":"limit","remark":"order remarks","reduceOnly":false,"marginMode":"ISOLATED","price":"0.1","size":1,"timeInForce":"GTC"}""";
        SignedRequest("POST", "/api/v1/orders/multi", "[" + one + "," + one.Replace("493fb", "493fc", StringComparison.Ordinal) + "]");
    }

    [Fact]
    public async Task A_batch_is_checked_before_it_is_sent()
    {
        var order = new FuturesOrderRequest { ClientOid = "same", Side = Side.Buy, Symbol = "XBTUSDTM", Leverage = 3, Price = 1, Size = 1 };
        var repeated = await Assert.ThrowsAsync<ExchangeException>(() => _api.PlaceOrdersAsync([order, order]));
        Assert.Equal("configuration: batch repeats clientOid same", repeated.Error.ToString());
        var tooMany = await Assert.ThrowsAsync<ExchangeException>(() => _api.PlaceOrdersAsync(
            Enumerable.Range(0, 21).Select(i => order with { ClientOid = "c" + i }).ToArray()));
        Assert.Equal("configuration: futures batch: 1 to 20 orders per request, got 21", tooMany.Error.ToString());
        var both = await Assert.ThrowsAsync<ExchangeException>(() => _api.CancelOrdersAsync(new FuturesBatchCancelRequest(["1"], [new FuturesClientOrderRef("XBTUSDTM", "c")])));
        Assert.Contains("exactly one of them", both.Error.Message);
        Assert.Empty(Venue.Server.LogEntries);
    }

    [Fact]
    public async Task Batch_cancel_by_client_ids_sends_the_json_body_and_reads_the_code_200_answers()
    {
        Serve("DELETE", "/api/v1/orders/multi-cancel", """
            [{"orderId":"250445104152670209","clientOid":"c-1","code":"200","msg":"success"},
             {"orderId":null,"clientOid":"c-2","code":"100004","msg":"The order is not exist"}]
            """);
        var results = await _api.CancelOrdersAsync(new FuturesBatchCancelRequest(null, [new FuturesClientOrderRef("XBTUSDTM", "c-1"), new FuturesClientOrderRef("ETHUSDTM", "c-2")]));
        Assert.True(results[0].IsSuccess);
        Assert.Equal(("100004", "The order is not exist", false), (results[1].Code, results[1].Msg, results[1].IsSuccess));
        SignedRequest("DELETE", "/api/v1/orders/multi-cancel", """{"clientOidsList":[{"symbol":"XBTUSDTM","clientOid":"c-1"},{"symbol":"ETHUSDTM","clientOid":"c-2"}]}""");

        Serve("DELETE", "/api/v1/orders/multi-cancel", """[{"orderId":"250445104152670209","clientOid":null,"code":"200","msg":"success"}]""");
        await _api.CancelOrdersAsync(new FuturesBatchCancelRequest(["250445104152670209"], null));
        SignedRequest("DELETE", "/api/v1/orders/multi-cancel", """{"orderIdsList":["250445104152670209"]}""");
    }

    [Fact]
    public void Credentials_come_from_the_environment_and_name_what_is_missing()
    {
        var env = new Dictionary<string, string?> { ["KC_KEY"] = "k", ["KC_SECRET"] = "s" };
        var e = Assert.Throws<ExchangeException>(() => KuCoinCredentials.FromEnvironment(env.GetValueOrDefault));
        Assert.Equal("configuration: KuCoin credentials missing: set KC_PASSPHRASE in the environment", e.Error.ToString());
        env["KC_PASSPHRASE"] = "p";
        env["KC_KEY_VERSION"] = "2";
        Assert.Equal("2", KuCoinCredentials.FromEnvironment(env.GetValueOrDefault).KeyVersion);
        env["KC_KEY_VERSION"] = "9";
        Assert.Contains("KC_KEY_VERSION must be 1, 2 or 3", Assert.Throws<ExchangeException>(() => KuCoinCredentials.FromEnvironment(env.GetValueOrDefault)).Message);
    }

}
