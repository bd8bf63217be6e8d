using ActorTrading.Core.Errors;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges.KuCoin.Rest;
using Xunit;

namespace ActorTrading.Runtime.Tests;

public sealed class KuCoinSpotSpecs : SignedKuCoinVenue
{
    private const string Order = """{"id":"670fd33bf9406e0007ab3945","clientOid":"5c52e11203aa677f33e493fb","symbol":"BTC-USDT","opType":"DEAL","type":"limit","side":"buy","price":"50000","size":"0.00001","funds":"0.5","dealSize":"0","dealFunds":"0","fee":"0","feeCurrency":"USDT","stp":null,"timeInForce":"GTC","postOnly":false,"hidden":false,"iceberg":false,"visibleSize":"0","cancelAfter":0,"channel":"API","remark":"order remarks","tags":null,"cancelExist":false,"tradeType":"TRADE","inOrderBook":true,"active":true,"tax":"0","createdAt":1729155616418,"lastUpdatedAt":1729155616419,"cancelledSize":"0","cancelledFunds":"0","remainSize":"0.00001","remainFunds":"0.5"}""";
    private readonly KuCoinSpot _api;

    public KuCoinSpotSpecs()
    {
        _api = new KuCoinSpot(Client);
    }

    [Fact]
    public async Task Place_order_sends_the_docs_example_body_byte_for_byte()
    {
        ServeFixture("POST", "/api/v1/hf/orders", "spot_rest_POST_api_v1_hf_orders.response");
        var ack = await _api.PlaceOrderAsync(new SpotOrderRequest
        {
            Symbol = "BTC-USDT",
            Side = Side.Buy,
            Price = 50000m,
            Size = 0.00001m,
            ClientOid = "5c52e11203aa677f33e493fb",
            Remark = "order remarks",
        });
        Assert.Equal(new SpotOrderAck("670fd33bf9406e0007ab3945", "5c52e11203aa677f33e493fb"), ack);
        SignedRequest("POST", "/api/v1/hf/orders", """{"type":"limit","symbol":"BTC-USDT","side":"buy","price":"50000","size":"0.00001","clientOid":"5c52e11203aa677f33e493fb","remark":"order remarks"}""");
    }

    [Fact]
    public async Task Market_order_by_funds_and_gtt_limit_order()
    {
        Serve("POST", "/api/v1/hf/orders", """{"orderId":"1","clientOid":"m"}""");
        await _api.PlaceOrderAsync(new SpotOrderRequest { Type = FuturesOrderType.Market, Symbol = "ETH-USDT", Side = Side.Sell, Funds = 25.5m, ClientOid = "m" });
        SignedRequest("POST", "/api/v1/hf/orders", """{"type":"market","symbol":"ETH-USDT","side":"sell","funds":"25.5","clientOid":"m"}""");

        await _api.PlaceOrderAsync(new SpotOrderRequest
        {
            Symbol = "ETH-USDT",
            Side = Side.Buy,
            Price = 3000m,
            Size = 1m,
            ClientOid = "g",
            TimeInForce = SpotTimeInForce.GoodTillTime,
            CancelAfter = 60,
            Stp = SpotSelfTradePrevention.DecreaseAndCancel,
        });
        SignedRequest("POST", "/api/v1/hf/orders", """{"type":"limit","symbol":"ETH-USDT","side":"buy","price":"3000","size":"1","clientOid":"g","stp":"DC","timeInForce":"GTT","cancelAfter":60}""");
    }

    [Theory]
    [InlineData("market with size and funds")]
    [InlineData("cancelAfter without GTT")]
    [InlineData("post-only FOK")]
    public async Task Invalid_spot_orders_never_reach_the_venue(string which)
    {
        var order = which switch
        {
            "market with size and funds" => new SpotOrderRequest { Type = FuturesOrderType.Market, Symbol = "X", Side = Side.Buy, Size = 1m, Funds = 1m, ClientOid = "c" },
            "cancelAfter without GTT" => new SpotOrderRequest { Symbol = "X", Side = Side.Buy, Price = 1m, Size = 1m, ClientOid = "c", CancelAfter = 5 },
            _ => new SpotOrderRequest { Symbol = "X", Side = Side.Buy, Price = 1m, Size = 1m, ClientOid = "c", PostOnly = true, TimeInForce = SpotTimeInForce.FillOrKill },
        };
        var e = await Assert.ThrowsAsync<ExchangeException>(() => _api.PlaceOrderAsync(order));
        Assert.IsType<ConfigurationError>(e.Error);
        Assert.Empty(Venue.Server.LogEntries);
    }

    [Fact]
    public async Task Orders_are_read_cancelled_and_listed_on_the_hf_endpoints()
    {
        Serve("GET", "/api/v1/hf/orders/670fd33bf9406e0007ab3945", Order);
        var order = await _api.GetOrderAsync("BTC-USDT", "670fd33bf9406e0007ab3945");
        Assert.Equal((50000m, 0.00001m, 0.5m, true, 1729155616418L), (order.Price, order.Size, order.Funds, order.Active, order.CreatedAt));
        SignedRequest("GET", "/api/v1/hf/orders/670fd33bf9406e0007ab3945?symbol=BTC-USDT");

        Serve("GET", "/api/v1/hf/orders/client-order/5c52e11203aa677f33e493fb", Order);
        Assert.Equal("670fd33bf9406e0007ab3945", (await _api.GetOrderByClientOidAsync("BTC-USDT", "5c52e11203aa677f33e493fb")).Id);
        SignedRequest("GET", "/api/v1/hf/orders/client-order/5c52e11203aa677f33e493fb?symbol=BTC-USDT");

        Serve("DELETE", "/api/v1/hf/orders/670fd33bf9406e0007ab3945", """{"orderId":"670fd33bf9406e0007ab3945"}""");
        Assert.Equal("670fd33bf9406e0007ab3945", (await _api.CancelOrderAsync("BTC-USDT", "670fd33bf9406e0007ab3945")).OrderId);
        SignedRequest("DELETE", "/api/v1/hf/orders/670fd33bf9406e0007ab3945?symbol=BTC-USDT");

        Serve("DELETE", "/api/v1/hf/orders/client-order/my-1", """{"clientOid":"my-1"}""");
        Assert.Equal("my-1", (await _api.CancelOrderByClientOidAsync("BTC-USDT", "my-1")).ClientOid);
        SignedRequest("DELETE", "/api/v1/hf/orders/client-order/my-1?symbol=BTC-USDT");

        Serve("DELETE", "/api/v1/hf/orders", "\"success\"");
        Assert.Equal("success", await _api.CancelAllOrdersAsync("BTC-USDT"));
        SignedRequest("DELETE", "/api/v1/hf/orders?symbol=BTC-USDT");

        Serve("GET", "/api/v1/hf/orders/active", $"[{Order}]");
        Assert.Single(await _api.GetOpenOrdersAsync("BTC-USDT"));
        SignedRequest("GET", "/api/v1/hf/orders/active?symbol=BTC-USDT");

        Serve("GET", "/api/v1/hf/orders/done", $$"""{"lastId":19814995255305,"items":[{{Order}}]}""");
        var done = await _api.GetDoneOrdersAsync("BTC-USDT", Side.Buy, "limit", lastId: 19814995255306, limit: 20);
        Assert.Equal(19814995255305L, done.LastId);
        SignedRequest("GET", "/api/v1/hf/orders/done?symbol=BTC-USDT&side=buy&type=limit&lastId=19814995255306&limit=20");
    }

    [Fact]
    public async Task Batch_placement_wraps_the_orders_in_orderList_and_reads_success_per_order()
    {
        Serve("POST", "/api/v1/hf/orders/multi", """
            [{"orderId":"6710d8336afcdb0007319c27","clientOid":"client order id 12","success":true},
             {"success":false,"clientOid":"client order id 13","failMsg":"The order funds should more then 0.1 USDT."}]
            """);
        var results = await _api.PlaceOrdersAsync(
        [
            new SpotOrderRequest { ClientOid = "client order id 12", Symbol = "BTC-USDT", Side = Side.Buy, Price = 30000m, Size = 0.00001m },
            new SpotOrderRequest { ClientOid = "client order id 13", Symbol = "ETH-USDT", Side = Side.Sell, Price = 2000m, Size = 0.00001m },
        ]);
        Assert.Equal(new SpotBatchOrderResult("6710d8336afcdb0007319c27", "client order id 12", true, null), results[0]);
        Assert.Equal(new SpotBatchOrderResult(null, "client order id 13", false, "The order funds should more then 0.1 USDT."), results[1]);
        SignedRequest("POST", "/api/v1/hf/orders/multi",
            """{"orderList":[{"type":"limit","symbol":"BTC-USDT","side":"buy","price":"30000","size":"0.00001","clientOid":"client order id 12"},{"type":"limit","symbol":"ETH-USDT","side":"sell","price":"2000","size":"0.00001","clientOid":"client order id 13"}]}""");
    }

    [Fact]
    public async Task Modify_sends_the_new_price_and_size_and_returns_the_new_order_id()
    {
        Serve("POST", "/api/v1/hf/orders/alter", """{"newOrderId":"67112258f9406e0007408827","clientOid":"client order id 12"}""");
        var ack = await _api.ModifyOrderAsync(new SpotModifyRequest { Symbol = "BTC-USDT", OrderId = "670fd33bf9406e0007ab3945", NewPrice = 30000m, NewSize = 0.0001m });
        Assert.Equal(new SpotModifyAck("67112258f9406e0007408827", "client order id 12"), ack);
        SignedRequest("POST", "/api/v1/hf/orders/alter", """{"symbol":"BTC-USDT","orderId":"670fd33bf9406e0007ab3945","newPrice":"30000","newSize":"0.0001"}""");

        var unnamed = await Assert.ThrowsAsync<ExchangeException>(() => _api.ModifyOrderAsync(new SpotModifyRequest { Symbol = "BTC-USDT", NewPrice = 1 }));
        Assert.Equal("configuration: spot modify: name the order by orderId or clientOid, exactly one of them", unnamed.Error.ToString());
        var nothing = await Assert.ThrowsAsync<ExchangeException>(() => _api.ModifyOrderAsync(new SpotModifyRequest { Symbol = "BTC-USDT", ClientOid = "c" }));
        Assert.Equal("configuration: spot modify: give newPrice, newSize or both", nothing.Error.ToString());
        Assert.Empty(Venue.Server.LogEntries);
    }

    [Fact]
    public async Task Fills_carry_fee_and_liquidity()
    {
        Serve("GET", "/api/v1/hf/fills", """{"items":[{"id":19814995255305,"orderId":"6717422bd51c29000775ea03","counterOrderId":"67174228135f9e000709da8c","tradeId":11029373945659392,"symbol":"BTC-USDT","side":"buy","liquidity":"taker","type":"limit","forceTaker":false,"price":"67717.6","size":"0.00001","funds":"0.677176","fee":"0.000677176","feeRate":"0.001","feeCurrency":"USDT","stop":"","tradeType":"TRADE","taxRate":"0","tax":"0","createdAt":1729577515473}],"lastId":19814995255305}""");
        var fill = Assert.Single((await _api.GetFillsAsync("BTC-USDT", orderId: "6717422bd51c29000775ea03")).Items);
        Assert.Equal((11029373945659392L, "taker", 0.000677176m, "USDT", 67717.6m), (fill.TradeId, fill.Liquidity, fill.Fee, fill.FeeCurrency, fill.Price));
        SignedRequest("GET", "/api/v1/hf/fills?symbol=BTC-USDT&orderId=6717422bd51c29000775ea03");
    }

    [Fact]
    public async Task Public_market_data_decodes_the_docs_examples()
    {
        ServeFixture("GET", "/api/v1/market/orderbook/level1", "spot_rest_GET_api_v1_market_orderbook_level1.response");
        var ticker = await _api.GetTickerAsync("BTC-USDT");
        Assert.Equal((67267.5m, 67267.6m, 1.24808993m, "14609309753"), (ticker.BestBid, ticker.BestAsk, ticker.BestAskSize, ticker.Sequence));

        ServeFixture("GET", "/api/v1/market/candles", "spot_rest_GET_api_v1_market_candles.response");
        var klines = await _api.GetKlinesAsync("BTC-USDT", "1min", 1566789000, 1566790000);
        Assert.Equal(new SpotKline(1566789720, 10411.5m, 10401.9m, 10411.5m, 10396.3m, 29.11357276m, 302889.301529914m), klines[0]);
        Assert.Equal("/api/v1/market/candles?symbol=BTC-USDT&type=1min&startAt=1566789000&endAt=1566790000",
            Venue.Server.LogEntries.Last().RequestMessage.Path + "?" + Venue.Server.LogEntries.Last().RequestMessage.RawQuery!.TrimStart('?'));

        ServeFixture("GET", "/api/v3/market/orderbook/level2", "spot_rest_GET_api_v3_market_orderbook_level2.response");
        Venue.Server.ResetLogEntries();
        var book = await _api.GetFullOrderBookAsync("BTC-USDT");
        Assert.Equal(66976.4m, book.Bids[0][0]);
        Assert.Equal(0.05408199m, book.Asks[0][1]);
        SignedRequest("GET", "/api/v3/market/orderbook/level2?symbol=BTC-USDT");

        await Assert.ThrowsAsync<ExchangeException>(() => _api.GetKlinesAsync("BTC-USDT", "7min"));
    }
}
