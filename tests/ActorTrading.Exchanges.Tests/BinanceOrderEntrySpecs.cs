using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Exchanges.Binance;
using Xunit;

namespace ActorTrading.Exchanges.Tests;

public sealed class BinanceOrderEntrySpecs
{
    private static readonly BinanceOrderEntryAdapter Futures = new(MarketKind.Futures, leverage: 5, marginType: "ISOLATED");
    private static readonly BinanceOrderEntryAdapter Spot = new(MarketKind.Spot);
    private static readonly Symbol Btc = new("BTCUSDT");

    private static string Query(OrderEntryCall call) => call.Rest.EncodedPathAndQuery;

    [Fact]
    public void A_futures_post_only_limit_is_GTX_and_reduce_only_goes_as_the_venue_spells_it()
    {
        var call = Futures.Place([new OrderTicket(new ClientOrderId("at-1"), Btc, Side.Buy, OrderType.Limit, 0.010m, 60000.50m) { PostOnly = true, ReduceOnly = true }]);
        Assert.Equal("/fapi/v1/order?symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTX&quantity=0.01&price=60000.5&newClientOrderId=at-1&reduceOnly=true&newOrderRespType=ACK", Query(call));
        Assert.Equal(HttpMethod.Post, call.Rest.Method);
        Assert.True(call.Rest.Signed);
        Assert.Equal([new RateCharge("orders", 1), new RateCharge("weight", 1)], call.Rest.Charges);
        Assert.Null(call.WsOperation);
    }

    [Fact]
    public void A_spot_post_only_limit_is_a_limit_maker_and_a_market_order_has_no_price_or_time_in_force()
    {
        var maker = Spot.Place([new OrderTicket(new ClientOrderId("s-1"), Btc, Side.Sell, OrderType.Limit, 1.5m, 70000m) { PostOnly = true }]);
        Assert.Equal("/api/v3/order?symbol=BTCUSDT&side=SELL&type=LIMIT_MAKER&quantity=1.5&price=70000&newClientOrderId=s-1&newOrderRespType=ACK", Query(maker));
        var market = Spot.Place([new OrderTicket(new ClientOrderId("s-2"), Btc, Side.Buy, OrderType.Market, 0.25m)]);
        Assert.Equal("/api/v3/order?symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.25&newClientOrderId=s-2&newOrderRespType=ACK", Query(market));
        var ioc = Spot.Place([new OrderTicket(new ClientOrderId("s-3"), Btc, Side.Buy, OrderType.Limit, 1m, 1m) { TimeInForce = TimeInForce.ImmediateOrCancel }]);
        Assert.Contains("&timeInForce=IOC&", Query(ioc));
    }

    [Theory]
    [InlineData(Side.Sell, TriggerDirection.FallsTo, "STOP_LOSS")]
    [InlineData(Side.Buy, TriggerDirection.RisesTo, "STOP_LOSS")]
    [InlineData(Side.Sell, TriggerDirection.RisesTo, "TAKE_PROFIT")]
    [InlineData(Side.Buy, TriggerDirection.FallsTo, "TAKE_PROFIT")]
    public void Spot_stops_are_stop_loss_or_take_profit_by_side_and_direction_as_the_trailing_stop_faq_lists_them(Side side, TriggerDirection direction, string type)
    {
        var market = Spot.Place([new OrderTicket(new ClientOrderId("st-1"), Btc, side, OrderType.Market, 0.01m) { Stop = new StopTrigger(direction, 58000.5m) }]);
        Assert.Equal($"/api/v3/order?symbol=BTCUSDT&side={side.ToString().ToUpperInvariant()}&type={type}&quantity=0.01&stopPrice=58000.5&newClientOrderId=st-1&newOrderRespType=ACK", Query(market));
        var limit = Spot.Place([new OrderTicket(new ClientOrderId("st-2"), Btc, side, OrderType.Limit, 0.01m, 57900m) { Stop = new StopTrigger(direction, 58000.5m) }]);
        Assert.Equal($"/api/v3/order?symbol=BTCUSDT&side={side.ToString().ToUpperInvariant()}&type={type}_LIMIT&timeInForce=GTC&quantity=0.01&price=57900&stopPrice=58000.5&newClientOrderId=st-2&newOrderRespType=ACK", Query(limit));
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Tickets_the_venue_cannot_take_are_refused_before_sending(Func<OrderEntryCall> build, string reason)
    {
        var error = Assert.Throws<ExchangeException>(() => build());
        Assert.IsType<ConfigurationError>(error.Error);
        Assert.Contains(reason, error.Error.Message);
    }

    public static TheoryData<Func<OrderEntryCall>, string> Refusals() => new()
    {
        { () => Spot.Place([new OrderTicket(new ClientOrderId("r"), Btc, Side.Buy, OrderType.Limit, 1m, 1m) { ReduceOnly = true }]), "reduce-only" },
        { () => Futures.Place([new OrderTicket(new ClientOrderId("r"), Btc, Side.Buy, OrderType.Limit, 1m, 1m) { Stop = new StopTrigger(TriggerDirection.RisesTo, 2m) }]), "Algo Service (POST /fapi/v1/algoOrder)" },
        { () => Spot.Place([new OrderTicket(new ClientOrderId("r"), Btc, Side.Sell, OrderType.Market, 1m) { Stop = new StopTrigger(TriggerDirection.FallsTo, 2m, TriggerPrice.Mark) }]), "last trade price, not the Mark price" },
        { () => Futures.Place([new OrderTicket(new ClientOrderId("r"), Btc, Side.Buy, OrderType.Limit, 1m, 1m) { Leverage = 20 }]), "per symbol" },
        { () => Futures.Place([new OrderTicket(new ClientOrderId("r"), Btc, Side.Buy, OrderType.Limit, 0m, 1m)]), "size must be positive" },
        { () => Futures.Place([new OrderTicket(new ClientOrderId("r"), Btc, Side.Buy, OrderType.Limit, 1m)]), "needs a price" },
        { () => Futures.Place([new OrderTicket(new ClientOrderId("a"), Btc, Side.Buy, OrderType.Limit, 1m, 1m), new OrderTicket(new ClientOrderId("b"), Btc, Side.Buy, OrderType.Limit, 1m, 1m)]), "one order per" },
        { () => Spot.Amend(new AmendTicket(new ClientOrderId("r"), Btc, 2m, null)), "lower an order's quantity" },
        { () => Futures.Amend(new AmendTicket(new ClientOrderId("r"), Btc, 2m, null)), "side, price and size" },
    };

    [Fact]
    public void Cancels_go_by_venue_id_when_known_and_amends_restate_the_futures_order()
    {
        Assert.Equal("/fapi/v1/order?symbol=BTCUSDT&origClientOrderId=c-1", Query(Futures.Cancel([new CancelTicket(new ClientOrderId("c-1"), Btc)])));
        Assert.Equal("/api/v3/order?symbol=BTCUSDT&orderId=42", Query(Spot.Cancel([new CancelTicket(new ClientOrderId("c-1"), Btc, "42")])));

        var amend = Futures.Amend(new AmendTicket(new ClientOrderId("c-2"), Btc, 61000m, null, "77") { Current = new AmendedOrder(Side.Sell, 60000m, 0.5m) });
        Assert.Equal(HttpMethod.Put, amend.Rest.Method);
        Assert.Equal("/fapi/v1/order?symbol=BTCUSDT&side=SELL&quantity=0.5&price=61000&orderId=77", Query(amend));
        var spotAmend = Spot.Amend(new AmendTicket(new ClientOrderId("c-3"), Btc, null, 0.4m));
        Assert.Equal("/api/v3/order/amend/keepPriority?symbol=BTCUSDT&newQty=0.4&origClientOrderId=c-3", Query(spotAmend));
    }

    [Fact]
    public void Client_order_ids_follow_binances_rule()
    {
        Assert.True(Futures.ClientOrderIds.Allows(new ClientOrderId("desk.alpha:42/b_c-1")));
        Assert.True(Futures.ClientOrderIds.Allows(new ClientOrderId(new string('a', 36))));
        Assert.False(Futures.ClientOrderIds.Allows(new ClientOrderId(new string('a', 37))));
        Assert.False(Futures.ClientOrderIds.Allows(new ClientOrderId("has space")));
        Assert.False(Futures.ClientOrderIds.Allows(new ClientOrderId("plus+sign")));
    }

    [Fact]
    public void Futures_symbols_get_their_margin_type_and_leverage_before_the_first_order_and_spot_none()
    {
        var setup = Futures.SymbolSetup(Btc);
        Assert.Equal(["/fapi/v1/marginType?symbol=BTCUSDT&marginType=ISOLATED", "/fapi/v1/leverage?symbol=BTCUSDT&leverage=5"], setup.Select(r => r.EncodedPathAndQuery));
        Assert.All(setup, r => Assert.True(r.Signed));
        Assert.True(Futures.IsSetupInPlace(new ApiError("-4046", "No need to change margin type.", 400)));
        Assert.False(Futures.IsSetupInPlace(new ApiError("-4028", "Leverage 200 is not valid", 400)));
        Assert.Empty(Spot.SymbolSetup(Btc));
        Assert.DoesNotContain(new BinanceOrderEntryAdapter(MarketKind.Futures, leverage: 3).SymbolSetup(Btc), r => r.Path.EndsWith("marginType", StringComparison.Ordinal));
    }

    [Fact]
    public void Answers_name_the_order_by_its_venue_id()
    {
        var place = Futures.Place([new OrderTicket(new ClientOrderId("at-1"), Btc, Side.Buy, OrderType.Limit, 1m, 1m)]);
        var ack = JsonDocument.Parse("""{"symbol":"BTCUSDT","orderId":28,"orderListId":-1,"clientOrderId":"at-1","transactTime":1507725176595}""").RootElement;
        Assert.Equal([new OrderAccepted(new ClientOrderId("at-1"), "28")], Futures.ReadAnswer(place, ack));
        var spotAmend = Spot.Amend(new AmendTicket(new ClientOrderId("c-3"), Btc, null, 0.4m));
        var amended = JsonDocument.Parse("""{"transactTime":1,"executionId":2,"amendedOrder":{"symbol":"BTCUSDT","orderId":9,"clientOrderId":"c-3"}}""").RootElement;
        Assert.Equal([new OrderAccepted(new ClientOrderId("c-3"), "9")], Spot.ReadAnswer(spotAmend, amended));
        Assert.IsType<ProtocolError>(Assert.Throws<ExchangeException>(() => Futures.ReadAnswer(place, JsonDocument.Parse("{}").RootElement)).Error);
    }

    [Fact]
    public void Queries_read_orders_fills_positions_and_know_an_unknown_order()
    {
        var queries = new BinanceOrderQueries(MarketKind.Futures);
        var orders = queries.ReadOrders(JsonDocument.Parse("""
            [{"symbol":"BTCUSDT","orderId":1,"clientOrderId":"a","price":"1","origQty":"2","executedQty":"0.5","status":"PARTIALLY_FILLED","type":"LIMIT","side":"BUY"},
             {"symbol":"BTCUSDT","orderId":2,"clientOrderId":"b","price":"1","origQty":"2","executedQty":"0","status":"NEW","type":"LIMIT","side":"SELL"}]
            """).RootElement);
        Assert.Equal(
            [
                new VenueOrderReport(new ClientOrderId("a"), "1", Btc, OrderLifecycle.PartiallyFilled, 2m, 0.5m),
                new VenueOrderReport(new ClientOrderId("b"), "2", Btc, OrderLifecycle.Acknowledged, 2m, 0m),
            ],
            orders);

        var fill = Assert.Single(queries.ReadFills(JsonDocument.Parse("""
            [{"buyer":false,"commission":"-0.07819010","commissionAsset":"USDT","id":698759,"maker":false,"orderId":25851813,"price":"7819.01","qty":"0.002","quoteQty":"15.63802","realizedPnl":"-0.91539999","side":"SELL","positionSide":"SHORT","symbol":"BTCUSDT","time":1569514978020}]
            """).RootElement));
        Assert.Equal(new VenueFillReport("25851813", Btc, new FillInfo("698759", 7819.01m, 0.002m, -0.07819010m, "USDT", Liquidity.Taker), 1569514978020), fill);

        var position = Assert.Single(queries.ReadPositions(JsonDocument.Parse("""
            [{"symbol":"BTCUSDT","positionSide":"BOTH","positionAmt":"-0.010","entryPrice":"60000.0","markPrice":"60100.0","unRealizedProfit":"-1.0"},
             {"symbol":"ETHUSDT","positionSide":"LONG","positionAmt":"1","entryPrice":"3000"}]
            """).RootElement));
        Assert.Equal(new VenuePosition(Btc, -0.010m, 60000.0m), position);

        Assert.True(queries.IsUnknownOrder(new ApiError("-2013", "Order does not exist.", 400)));
        Assert.False(queries.IsUnknownOrder(new ApiError("-1121", "Invalid symbol.", 400)));
        Assert.Null(new BinanceOrderQueries(MarketKind.Spot).Positions());
    }

    [Fact]
    public void An_orders_fills_are_paged_from_the_first_by_trade_id()
    {
        var queries = new BinanceOrderQueries(MarketKind.Spot);
        var first = queries.OrderFills("42", Btc, null)!;
        Assert.Equal("/api/v3/myTrades?symbol=BTCUSDT&orderId=42&fromId=0&limit=1000", first.EncodedPathAndQuery);

        var full = JsonSerializer.SerializeToElement(Enumerable.Range(1, 1000).Select(i => new
        {
            symbol = "BTCUSDT",
            id = i,
            orderId = 42,
            price = "1",
            qty = "1",
            commission = "0",
            commissionAsset = "BNB",
            time = i,
            isMaker = true,
        }));
        Assert.Equal("/api/v3/myTrades?symbol=BTCUSDT&orderId=42&fromId=1001&limit=1000", queries.OrderFills("42", Btc, full)!.EncodedPathAndQuery);
        Assert.Null(queries.OrderFills("42", Btc, JsonSerializer.SerializeToElement(Array.Empty<object>())));
    }
}

/// <summary>Spot orders over the WebSocket API: the same parameters as REST, signed per request at send time.</summary>
public sealed class BinanceWsApiSpecs
{
    private const string DocsKey = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
    private const string DocsSecret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
    private static readonly Binance.Ws.BinanceWsApiAdapter Socket = new(new Binance.Auth.BinanceCredentials(DocsKey, DocsSecret));
    private static readonly Symbol Btc = new("BTCUSDT");

    [Fact]
    public void A_request_is_signed_over_its_parameters_sorted_by_name_as_the_docs_example()
    {
        // web-socket-api.md "SIGNED request example (HMAC)": the ASCII example and its documented signature.
        var frame = Socket.SignedRequest("4885f793-e5ad-4c3b-8f6c-55d891472b71", "order.place",
            """{"symbol":"BTCUSDT","side":"SELL","type":"LIMIT","timeInForce":"GTC","quantity":"0.01000000","price":"52000.00","recvWindow":100}""", 1645423376532);
        using var doc = JsonDocument.Parse(frame);
        var parameters = doc.RootElement.GetProperty("params");
        Assert.Equal("aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24", parameters.GetProperty("signature").GetString());
        Assert.Equal(("order.place", DocsKey, 1645423376532L, 100), (doc.RootElement.GetProperty("method").GetString(), parameters.GetProperty("apiKey").GetString(),
            parameters.GetProperty("timestamp").GetInt64(), parameters.GetProperty("recvWindow").GetInt32()));
    }

    [Fact]
    public void Spot_placements_cancels_and_amends_carry_their_websocket_method_with_the_rest_parameters_and_futures_ones_none()
    {
        var spot = new BinanceOrderEntryAdapter(MarketKind.Spot);
        var place = spot.Place([new OrderTicket(new ClientOrderId("s-1"), Btc, Side.Buy, OrderType.Limit, 0.5m, 60000.25m)]);
        Assert.Equal("order.place", place.WsOperation);
        Assert.Equal("""{"symbol":"BTCUSDT","side":"BUY","type":"LIMIT","timeInForce":"GTC","quantity":"0.5","price":"60000.25","newClientOrderId":"s-1","newOrderRespType":"ACK"}""", place.WsArgs);

        var cancel = spot.Cancel([new CancelTicket(new ClientOrderId("s-1"), Btc, "28")]);
        Assert.Equal(("order.cancel", """{"symbol":"BTCUSDT","orderId":28}"""), (cancel.WsOperation, cancel.WsArgs));

        var amend = spot.Amend(new AmendTicket(new ClientOrderId("s-1"), Btc, null, 0.25m, "28"));
        Assert.Equal(("order.amend.keepPriority", """{"symbol":"BTCUSDT","newQty":"0.25","orderId":28}"""), (amend.WsOperation, amend.WsArgs));

        var futures = new BinanceOrderEntryAdapter(MarketKind.Futures, leverage: 1, marginType: null)
            .Place([new OrderTicket(new ClientOrderId("f-1"), Btc, Side.Buy, OrderType.Limit, 0.5m, 60000.25m)]);
        Assert.Null(futures.WsOperation);
        var refused = Assert.Throws<ExchangeException>(() => new BinanceModule(MarketKind.Futures).CreateTradingSocket(null, _ => null));
        Assert.IsType<ConfigurationError>(refused.Error);
    }

    [Fact]
    public void Replies_read_as_the_rest_answers_and_refusals_are_typed_by_their_code()
    {
        var accepted = Socket.ParseReply("""{"id":"7","status":200,"result":{"symbol":"BTCUSDT","orderId":12569099453,"clientOrderId":"s-1"},"rateLimits":[]}""");
        Assert.Equal(("7", true), (accepted.RequestId, accepted.IsSuccess));
        Assert.Equal(12569099453L, accepted.Data.GetProperty("orderId").GetInt64());

        var rejected = Socket.ParseReply("""{"id":"8","status":400,"error":{"code":-2010,"msg":"Account has insufficient balance for requested action."}}""");
        Assert.Equal(("8", false, "-2010"), (rejected.RequestId, rejected.IsSuccess, rejected.VenueCode));
        Assert.IsType<ApiError>(Socket.ErrorOf(rejected));
        Assert.IsType<AuthenticationError>(Socket.ErrorOf(Socket.ParseReply("""{"id":"9","status":401,"error":{"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."}}""")));
        Assert.IsType<RateLimitedError>(Socket.ErrorOf(Socket.ParseReply("""{"id":"10","status":429,"error":{"code":-1015,"msg":"Too many new orders."}}""")));
        Assert.IsType<ApiError>(Socket.ErrorOf(Socket.ParseReply("""{"id":"11","status":400,"error":{"code":-1021,"msg":"Timestamp for this request was 1000ms ahead of the server's time."}}""")));

        var garbage = Assert.Throws<ExchangeException>(() => Socket.ParseReply("""{"id":"12","result":{}}"""));
        Assert.IsType<ProtocolError>(garbage.Error);
    }
}
