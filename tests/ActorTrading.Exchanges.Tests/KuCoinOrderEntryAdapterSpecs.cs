using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Exchanges.KuCoin;
using ActorTrading.Exchanges.KuCoin.Rest;
using Xunit;

namespace ActorTrading.Exchanges.Tests;

public sealed class KuCoinOrderEntryAdapterSpecs
{
    private static readonly KuCoinOrderEntryAdapter Futures = new(MarketKind.Futures, defaultLeverage: 3, FuturesMarginMode.Isolated);
    private static readonly KuCoinOrderEntryAdapter Spot = new(MarketKind.Spot);

    private static OrderTicket Ticket(string id, decimal size = 1, decimal? price = 0.1m, string symbol = "XBTUSDTM") =>
        new(new ClientOrderId(id), new Symbol(symbol), Side.Buy, OrderType.Limit, size, price);

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    [Fact]
    public void A_futures_order_is_one_request_whose_socket_args_are_the_rest_body()
    {
        var call = Futures.Place([Ticket("c-1") with { PostOnly = true }]);
        Assert.Equal((HttpMethod.Post, "/api/v1/orders", KuCoinVenue.Pools.Futures, 2, true), (call.Rest.Method, call.Rest.Path, call.Rest.Pool, call.Rest.Weight, call.Rest.Signed));
        Assert.Equal("""{"clientOid":"c-1","side":"buy","symbol":"XBTUSDTM","leverage":3,"type":"limit","marginMode":"ISOLATED","price":"0.1","size":1,"timeInForce":"GTC","postOnly":true}""", call.Rest.Body);
        Assert.Equal(("futures.order", call.Rest.Body), (call.WsOperation, call.WsArgs));

        var answer = Assert.Single(Futures.ReadAnswer(call, Json("""{"orderId":"234125150956625920","clientOid":"c-1"}""")));
        Assert.Equal(new OrderAccepted(new ClientOrderId("c-1"), "234125150956625920"), answer);
    }

    [Fact]
    public void Several_futures_orders_are_one_batch_answered_per_order_by_client_id()
    {
        var call = Futures.Place([Ticket("a"), Ticket("b"), Ticket("c")]);
        Assert.Equal(("/api/v1/orders/multi", 20, "futures.multi_order"), (call.Rest.Path, call.Rest.Weight, call.WsOperation));
        Assert.Equal(3, JsonDocument.Parse(call.Rest.Body!).RootElement.GetArrayLength());

        // Out of order, one refused, one missing: matched by clientOid, never by position.
        var results = Futures.ReadAnswer(call, Json("""
            [{"orderId":"2","clientOid":"c","symbol":"XBTUSDTM","code":"300003","msg":"Balance insufficient"},
             {"orderId":"1","clientOid":"a","symbol":"XBTUSDTM","code":"200000","msg":"success"}]
            """));
        Assert.Equal(new OrderAccepted(new ClientOrderId("a"), "1"), results[0]);
        Assert.Equal(new OrderStatusUnknown(new ClientOrderId("b"), "the venue's batch answer does not mention this order"), results[1]);
        Assert.Equal(new OrderRejected(new ClientOrderId("c"), new ApiError("300003", "Balance insufficient", 200)), results[2]);
    }

    [Fact]
    public void Futures_cancels_go_by_venue_id_when_known_and_in_batches_by_client_id()
    {
        var byId = Futures.Cancel([new CancelTicket(new ClientOrderId("c-1"), new Symbol("XBTUSDTM"), "235303670076489728")]);
        Assert.Equal((HttpMethod.Delete, "/api/v1/orders/235303670076489728", "futures.cancel", """{"orderId":"235303670076489728"}"""),
            (byId.Rest.Method, byId.Rest.Path, byId.WsOperation, byId.WsArgs));
        Assert.Equal(new OrderAccepted(new ClientOrderId("c-1"), "235303670076489728"),
            Assert.Single(Futures.ReadAnswer(byId, Json("""{"cancelledOrderIds":["235303670076489728"]}"""))));

        var byClient = Futures.Cancel([new CancelTicket(new ClientOrderId("c-2"), new Symbol("XBTUSDTM"))]);
        Assert.Equal(("/api/v1/orders/client-order/c-2", "symbol=XBTUSDTM", """{"symbol":"XBTUSDTM","clientOid":"c-2"}"""),
            (byClient.Rest.Path, string.Join("&", byClient.Rest.Query.Select(q => q.Key + "=" + q.Value)), byClient.WsArgs));

        var batch = Futures.Cancel([new CancelTicket(new ClientOrderId("x"), new Symbol("XBTUSDTM"), "1"), new CancelTicket(new ClientOrderId("y"), new Symbol("ETHUSDTM"))]);
        Assert.Equal(("/api/v1/orders/multi-cancel", "futures.multi_cancel"), (batch.Rest.Path, batch.WsOperation));
        Assert.Equal("""{"clientOidsList":[{"symbol":"XBTUSDTM","clientOid":"x"},{"symbol":"ETHUSDTM","clientOid":"y"}]}""", batch.Rest.Body);
        var results = Futures.ReadAnswer(batch, Json("""[{"orderId":"1","clientOid":"x","code":"200","msg":"success"},{"orderId":null,"clientOid":"y","code":"100004","msg":"The order is not exist"}]"""));
        Assert.Equal(new OrderAccepted(new ClientOrderId("x"), "1"), results[0]);
        Assert.Equal("100004", Assert.IsType<ApiError>(Assert.IsType<OrderRejected>(results[1]).Error).VenueCode);
    }

    [Fact]
    public void Spot_batches_go_by_rest_and_amends_use_spot_modify()
    {
        var batch = Spot.Place([Ticket("s-1", 0.001m, 30000m, "BTC-USDT"), Ticket("s-2", 0.002m, 30001m, "BTC-USDT")]);
        Assert.Equal(("/api/v1/hf/orders/multi", (string?)null), (batch.Rest.Path, batch.WsOperation));
        var results = Spot.ReadAnswer(batch, Json("""[{"orderId":"o1","clientOid":"s-1","success":true},{"success":false,"clientOid":"s-2","failMsg":"insufficient"}]"""));
        Assert.Equal(new OrderAccepted(new ClientOrderId("s-1"), "o1"), results[0]);
        Assert.Equal(new OrderRejected(new ClientOrderId("s-2"), new ApiError("batch-item", "insufficient", 200)), results[1]);

        var amend = Spot.Amend(new AmendTicket(new ClientOrderId("s-1"), new Symbol("BTC-USDT"), 30100m, null));
        Assert.Equal(("/api/v1/hf/orders/alter", "spot.modify", """{"symbol":"BTC-USDT","clientOid":"s-1","newPrice":"30100"}"""), (amend.Rest.Path, amend.WsOperation, amend.WsArgs));
        Assert.Equal(new OrderAccepted(new ClientOrderId("s-1"), "67112258f9406e0007408827"),
            Assert.Single(Spot.ReadAnswer(amend, Json("""{"newOrderId":"67112258f9406e0007408827","clientOid":"s-1"}"""))));
    }

    [Fact]
    public void Margin_orders_go_to_the_hf_margin_endpoint_and_margin_ops()
    {
        var margin = new KuCoinOrderEntryAdapter(MarketKind.Margin, isolatedMargin: true);
        var call = margin.Place([Ticket("m-1", 0.01m, 100m, "ETH-USDT")]);
        Assert.Equal(("/api/v3/hf/margin/order", "margin.order"), (call.Rest.Path, call.WsOperation));
        Assert.Contains("\"isIsolated\":true", call.Rest.Body, StringComparison.Ordinal);
        var cancel = margin.Cancel([new CancelTicket(new ClientOrderId("m-1"), new Symbol("ETH-USDT"))]);
        Assert.Equal(("/api/v3/hf/margin/orders/client-order/m-1", "margin.cancel"), (cancel.Rest.Path, cancel.WsOperation));
        Assert.Equal((1, 1), (margin.MaxPlaceBatch, margin.MaxCancelBatch));
    }

    [Fact]
    public void A_futures_stop_order_carries_its_trigger_in_the_documented_fields_on_both_routes()
    {
        var stopLoss = Ticket("s-1", price: null) with { Type = OrderType.Market, ReduceOnly = true, Stop = new StopTrigger(TriggerDirection.FallsTo, 58000.5m, TriggerPrice.Mark) };
        var call = Futures.Place([stopLoss]);
        Assert.Equal("""{"clientOid":"s-1","side":"buy","symbol":"XBTUSDTM","leverage":3,"type":"market","stop":"down","stopPriceType":"MP","stopPrice":"58000.5","reduceOnly":true,"marginMode":"ISOLATED","size":1}""", call.Rest.Body);
        Assert.Equal(("futures.order", call.Rest.Body), (call.WsOperation, call.WsArgs));

        var breakout = Futures.Place([Ticket("s-2") with { Stop = new StopTrigger(TriggerDirection.RisesTo, 0.2m) }, Ticket("s-3") with { Stop = new StopTrigger(TriggerDirection.RisesTo, 0.3m, TriggerPrice.Index) }]);
        var orders = JsonDocument.Parse(breakout.Rest.Body!).RootElement;
        Assert.Equal([("up", "TP", "0.2"), ("up", "IP", "0.3")],
            orders.EnumerateArray().Select(o => (o.GetProperty("stop").GetString(), o.GetProperty("stopPriceType").GetString(), o.GetProperty("stopPrice").GetString())));
    }

    [Fact]
    public void Tickets_the_venue_cannot_take_are_refused_before_sending()
    {
        string Refusal(Action build) => Assert.Throws<ExchangeException>(build).Error.ToString();

        Assert.Equal("configuration: KuCoin futures sizes are whole contracts, got 1.5 for c", Refusal(() => Futures.Place([Ticket("c", 1.5m)])));
        Assert.Equal("configuration: KuCoin futures take GTC or IOC, not FOK", Refusal(() => Futures.Place([Ticket("c") with { TimeInForce = TimeInForce.FillOrKill }])));
        Assert.Equal("configuration: KuCoin futures has no order amendment: cancel and place a new order",
            Refusal(() => Futures.Amend(new AmendTicket(new ClientOrderId("c"), new Symbol("XBTUSDTM"), 1m, null))));
        Assert.Equal("configuration: futures order: a limit order needs a positive price", Refusal(() => Futures.Place([Ticket("c", price: null)])));
        Assert.Equal("configuration: KuCoin order entry covers futures, spot and margin, not unified", Refusal(() => _ = new KuCoinOrderEntryAdapter(MarketKind.Unified)));
        Assert.Equal("configuration: stop price must be positive, got 0", Refusal(() => Futures.Place([Ticket("c") with { Stop = new StopTrigger(TriggerDirection.RisesTo, 0m) }])));
        Assert.Equal("configuration: KuCoin spot and margin stop orders are not supported by order entry: only futures stop orders are",
            Refusal(() => new KuCoinOrderEntryAdapter(MarketKind.Spot).Place([new OrderTicket(new ClientOrderId("c"), new Symbol("BTC-USDT"), Side.Buy, OrderType.Limit, 1m, 1m) { Stop = new StopTrigger(TriggerDirection.FallsTo, 0.9m) }])));
    }

    [Theory]
    [InlineData("open", 0, 0, OrderLifecycle.Acknowledged)]
    [InlineData("open", 1, 1, OrderLifecycle.PartiallyFilled)]
    [InlineData("done", 3, 3, OrderLifecycle.Filled)]
    [InlineData("done", 1, 1, OrderLifecycle.Canceled)]
    [InlineData("done", 0, 0, OrderLifecycle.Canceled)]
    public void KuCoin_open_and_done_map_to_the_order_lifecycle(string status, int dealSize, int filledSize, OrderLifecycle expected)
    {
        var order = JsonSerializer.Deserialize($$"""
            {"id":"v-1","symbol":"XBTUSDTM","type":"limit","side":"buy","price":"0.1","size":3,"value":"0.3","dealValue":"0","dealSize":{{dealSize}},"stopTriggered":false,
             "postOnly":false,"hidden":false,"iceberg":false,"forceHold":false,"closeOrder":false,"clientOid":"c-1","isActive":true,"cancelExist":{{(status == "done" && filledSize < 3 ? "true" : "false")}},
             "createdAt":1,"updatedAt":2,"settleCurrency":"USDT","filledSize":{{filledSize}},"status":"{{status}}","reduceOnly":false}
            """, KuCoinJsonContext.Default.FuturesOrder)!;
        var report = KuCoinFuturesOrderQueries.Report(order);
        Assert.Equal((expected, (decimal)filledSize, "c-1"), (report.Status, report.FilledSize, report.ClientOrderId!.Value.Value));
    }
    [Fact]
    public void One_orders_fills_are_asked_page_by_page_until_the_last()
    {
        static string Url(RestRequest? r) => r is null ? "(done)" : r.Path + "?" + string.Join("&", r.Query.Select(q => q.Key + "=" + q.Value));
        static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

        var futures = new KuCoinFuturesOrderQueries();
        Assert.Equal("/api/v1/fills?orderId=v-9&currentPage=1&pageSize=1000", Url(futures.OrderFills("v-9", new Symbol("XBTUSDTM"), null)));
        var fill = """{"symbol":"XBTUSDTM","tradeId":"t-1","orderId":"v-9","side":"buy","liquidity":"maker","price":"60000.5","size":2,"fee":"0.01","feeCurrency":"USDT","tradeTime":1700000000123000000}""";
        var firstOfTwo = Json($$"""{"currentPage":1,"pageSize":1000,"totalNum":1001,"totalPage":2,"items":[{{fill}}]}""");
        Assert.Equal("/api/v1/fills?orderId=v-9&currentPage=2&pageSize=1000", Url(futures.OrderFills("v-9", new Symbol("XBTUSDTM"), firstOfTwo)));
        Assert.Equal("(done)", Url(futures.OrderFills("v-9", new Symbol("XBTUSDTM"), Json("""{"currentPage":2,"pageSize":1000,"totalNum":1001,"totalPage":2,"items":[]}"""))));
        var read = Assert.Single(futures.ReadOrderFills(firstOfTwo));
        Assert.Equal(("v-9", "t-1", 60000.5m, 2m, 1700000000123L), (read.VenueOrderId, read.Fill.TradeId, read.Fill.Price, read.Fill.Size, read.Timestamp));

        var spot = new KuCoinSpotOrderQueries(margin: false, isolated: false);
        Assert.Equal("/api/v1/hf/fills?symbol=BTC-USDT&orderId=v-7&limit=100", Url(spot.OrderFills("v-7", new Symbol("BTC-USDT"), null)));
        var spotFill = """{"id":5,"symbol":"BTC-USDT","tradeId":11,"orderId":"v-7","side":"buy","liquidity":"taker","price":"1","size":"1","funds":"1","fee":"0.001","feeCurrency":"USDT","type":"limit","createdAt":1700000000000}""";
        var full = Json($$"""{"items":[{{string.Join(",", Enumerable.Repeat(spotFill, 100))}}],"lastId":4242}""");
        Assert.Equal("/api/v1/hf/fills?symbol=BTC-USDT&orderId=v-7&lastId=4242&limit=100", Url(spot.OrderFills("v-7", new Symbol("BTC-USDT"), full)));
        Assert.Equal("(done)", Url(spot.OrderFills("v-7", new Symbol("BTC-USDT"), Json($$"""{"items":[{{spotFill}}],"lastId":5}"""))));
    }
}
