using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Exchanges.KuCoin;
using ActorTrading.Exchanges.KuCoin.Rest;
using ActorTrading.Exchanges.KuCoin.Ws;
using ActorTrading.Runtime.Limits;
using ActorTrading.Runtime.Orders;
using ActorTrading.Runtime.Rest;
using ActorTrading.TestExchange;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using Xunit;
using Xunit.Abstractions;

namespace ActorTrading.Runtime.Tests;

/// <summary>Order entry end to end: tickets → KuCoin requests → WireMock REST or the Kestrel trading socket → one result per order.</summary>
public sealed class VenueOrderEntrySpecs(ITestOutputHelper output) : TestKit(output: output), IDisposable
{
    private readonly FakeKuCoinRest _rest = new();
    private readonly HttpClient _http = new();

    private static OrderTicket Ticket(string id, string symbol = "XBTUSDTM") => new(new ClientOrderId(id), new Symbol(symbol), Side.Buy, OrderType.Limit, 1, 0.1m);

    /// <summary>Answers a batch per order, echoing each clientOid; ids starting with "poor" lack the balance.</summary>
    private static string BatchAnswer(string body) => JsonSerializer.Serialize(new
    {
        code = "200000",
        data = JsonDocument.Parse(body).RootElement.EnumerateArray().Select((o, i) =>
        {
            var clientOid = o.GetProperty("clientOid").GetString()!;
            var poor = clientOid.StartsWith("poor", StringComparison.Ordinal);
            return new { orderId = poor ? null : "order-" + clientOid, clientOid, symbol = "XBTUSDTM", code = poor ? "300003" : "200000", msg = poor ? "Balance insufficient" : "success" };
        }),
    });

    private IActorRef Entry(IOrderEntryAdapter adapter, OrderRoute route = OrderRoute.Rest, IActorRef? socket = null, TimeSpan? attemptTimeout = null, IActorRef? limiter = null)
    {
        limiter ??= Sys.ActorOf(RateLimiter.Props(KuCoinVenue.Vip0Quota, KuCoinVenue.QuotaWindow));
        var client = new RestClient(_http, new KuCoinRestAdapter(_rest.BaseUri, TradingSocketVenue.Credentials),
            new RestClientOptions { MaxRetries = 1, BaseDelay = TimeSpan.FromMilliseconds(10), AttemptTimeout = attemptTimeout ?? TimeSpan.FromSeconds(5) });
        var gateway = Sys.ActorOf(RestGateway.Props(client, limiter));
        return Sys.ActorOf(VenueOrderEntry.Props(adapter, gateway, socket, new OrderEntrySettings { Route = route }));
    }

    /// <summary>The venue's futures batch endpoint, answering each order of the request as <see cref="BatchAnswer"/> says.</summary>
    private void ServeBatchAnswers() =>
        _rest.Server.Given(Request.Create().WithPath("/api/v1/orders/multi").UsingPost())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithCallback(r => new WireMock.ResponseMessage
            {
                StatusCode = 200,
                BodyData = new WireMock.Util.BodyData { BodyAsString = BatchAnswer(r.Body!), DetectedBodyType = WireMock.Types.BodyType.String },
            }));

    private static Task<OrderEntryProtocol.Results> Send(IActorRef entry, object command) =>
        entry.Ask<OrderEntryProtocol.Results>(command, TimeSpan.FromSeconds(15));

    [Fact]
    public async Task Twenty_five_orders_go_as_two_signed_batches_and_come_back_one_result_each_in_order()
    {
        ServeBatchAnswers();
        var tickets = Enumerable.Range(1, 25).Select(i => Ticket(i == 7 ? "poor-7" : "c-" + i)).ToArray();

        var results = await Send(Entry(new KuCoinOrderEntryAdapter(MarketKind.Futures)), new OrderEntryProtocol.Place(tickets));

        Assert.Equal(tickets.Select(t => t.ClientOrderId), results.Items.Select(r => r.ClientOrderId));
        Assert.Equal(new OrderAccepted(new ClientOrderId("c-25"), "order-c-25"), results.Items[24]);
        Assert.Equal(new OrderRejected(new ClientOrderId("poor-7"), new ApiError("300003", "Balance insufficient", 200)), results.Items[6]);
        var sizes = _rest.Server.LogEntries.Select(e => JsonDocument.Parse(e.RequestMessage.Body!).RootElement.GetArrayLength()).OrderBy(n => n).ToArray();
        Assert.Equal([5, 20], sizes);
        Assert.All(_rest.Server.LogEntries, e => Assert.True(e.RequestMessage.Headers!.ContainsKey("KC-API-SIGN")));
    }

    [Fact]
    public async Task A_ticket_the_venue_cannot_take_is_refused_alone_and_the_rest_of_its_batch_still_goes()
    {
        ServeBatchAnswers();
        var entry = Entry(new KuCoinOrderEntryAdapter(MarketKind.Futures));

        var results = await Send(entry, new OrderEntryProtocol.Place([Ticket("a"), Ticket("half") with { Size = 0.5m }, Ticket("c")]));
        Assert.Equal(new OrderAccepted(new ClientOrderId("a"), "order-a"), results.Items[0]);
        Assert.Equal("configuration: KuCoin futures sizes are whole contracts, got 0.5 for half", Assert.IsType<OrderRejected>(results.Items[1]).Error.ToString());
        Assert.Equal(new OrderAccepted(new ClientOrderId("c"), "order-c"), results.Items[2]);
        var sent = JsonDocument.Parse(Assert.Single(_rest.Server.LogEntries).RequestMessage.Body!).RootElement;
        Assert.Equal(["a", "c"], sent.EnumerateArray().Select(o => o.GetProperty("clientOid").GetString()));
        _rest.Server.ResetLogEntries();

        var tooLong = new string('x', 41);
        var outside = await Send(entry, new OrderEntryProtocol.Place([Ticket("ok-1"), Ticket(tooLong), Ticket("has space"), Ticket("ok-2")]));
        Assert.Equal(new OrderAccepted(new ClientOrderId("ok-1"), "order-ok-1"), outside.Items[0]);
        Assert.Equal($"configuration: client order id {tooLong} breaks kucoin's rule (at most 40 letters, digits or '_-')", Assert.IsType<OrderRejected>(outside.Items[1]).Error.ToString());
        Assert.IsType<OrderRejected>(outside.Items[2]);
        Assert.Equal(new OrderAccepted(new ClientOrderId("ok-2"), "order-ok-2"), outside.Items[3]);
        var sentWithout = JsonDocument.Parse(Assert.Single(_rest.Server.LogEntries).RequestMessage.Body!).RootElement;
        Assert.Equal(["ok-1", "ok-2"], sentWithout.EnumerateArray().Select(o => o.GetProperty("clientOid").GetString()));
        _rest.Server.ResetLogEntries();

        var repeated = await Send(entry, new OrderEntryProtocol.Place([Ticket("dup"), Ticket("dup")]));
        Assert.All(repeated.Items, r => Assert.Equal("configuration: the command repeats client order id dup", Assert.IsType<OrderRejected>(r).Error.ToString()));
        Assert.Empty(_rest.Server.LogEntries);
    }

    [Fact]
    public async Task The_websocket_route_sends_batches_on_the_trading_socket_and_what_it_cannot_carry_by_rest()
    {
        await using var socket = await TradingSocketVenue.StartAsync(request =>
        {
            var args = request.GetProperty("args").GetRawText();
            var data = JsonDocument.Parse(BatchAnswer(args)).RootElement.GetProperty("data").GetRawText();
            return $$"""{"id":"{{request.GetProperty("id").GetString()}}","op":"futures.multi_order","code":"200000","data":{{data}},"inTime":1,"outTime":2}""";
        });
        var client = Sys.ActorOf(WsOrderClient.Props(new KuCoinWsApiAdapter(TradingSocketVenue.Credentials, socket.Uri)));
        var futures = Entry(new KuCoinOrderEntryAdapter(MarketKind.Futures), OrderRoute.WebSocket, client);

        var results = await Send(futures, new OrderEntryProtocol.Place([Ticket("w-1"), Ticket("poor-w")]));
        Assert.Equal(new OrderAccepted(new ClientOrderId("w-1"), "order-w-1"), results.Items[0]);
        Assert.Equal("300003", Assert.IsType<ApiError>(Assert.IsType<OrderRejected>(results.Items[1]).Error).VenueCode);
        var sent = Assert.Single(socket.Received, m => m.Text.Contains("futures.multi_order", StringComparison.Ordinal));
        Assert.Contains("\"clientOid\":\"w-1\"", sent.Text, StringComparison.Ordinal);
        Assert.Empty(_rest.Server.LogEntries);

        // The socket has no spot batch op: that call goes by REST even on the WebSocket route.
        _rest.Server.Given(Request.Create().WithPath("/api/v1/hf/orders/multi").UsingPost()).RespondWith(Response.Create().WithHeader("Content-Type", "application/json")
            .WithBody("""{"code":"200000","data":[{"orderId":"s1","clientOid":"s-1","success":true},{"orderId":"s2","clientOid":"s-2","success":true}]}"""));
        var spot = Entry(new KuCoinOrderEntryAdapter(MarketKind.Spot), OrderRoute.WebSocket, client);
        var spotResults = await Send(spot, new OrderEntryProtocol.Place([Ticket("s-1", "BTC-USDT"), Ticket("s-2", "BTC-USDT")]));
        Assert.Equal(["s1", "s2"], spotResults.Items.Select(r => Assert.IsType<OrderAccepted>(r).VenueOrderId));
        Assert.Equal("/api/v1/hf/orders/multi", Assert.Single(_rest.Server.LogEntries).RequestMessage.Path);
    }

    [Fact]
    public async Task Orders_on_the_websocket_route_spend_the_venue_budget_and_none_goes_out_during_an_ip_ban()
    {
        await using var socket = await TradingSocketVenue.StartAsync(request =>
            $$"""{"id":"{{request.GetProperty("id").GetString()}}","op":"futures.order","code":"200000","data":{"orderId":"o-1","clientOid":"b-1"},"inTime":1,"outTime":2}""");
        var client = Sys.ActorOf(WsOrderClient.Props(new KuCoinWsApiAdapter(TradingSocketVenue.Credentials, socket.Uri)));
        var limiter = Sys.ActorOf(RateLimiter.Props(KuCoinVenue.Vip0Quota, KuCoinVenue.QuotaWindow));
        var futures = Entry(new KuCoinOrderEntryAdapter(MarketKind.Futures), OrderRoute.WebSocket, client, limiter: limiter);
        limiter.Tell(new RateLimiterProtocol.Banned(TimeSpan.FromMinutes(2)));

        // The socket is another door to the same venue: a ban closes it too, and the order is refused unsent.
        var results = await Send(futures, new OrderEntryProtocol.Place([Ticket("b-1")]));
        var refused = Assert.IsType<OrderRejected>(Assert.Single(results.Items));
        Assert.Contains("banned", refused.Error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(socket.Received, m => m.Text.Contains("futures.order", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_placement_that_never_left_the_machine_is_rejected_not_unknown()
    {
        // A closed port on loopback: the connection is refused before any byte of the request goes out.
        var client = new RestClient(_http, new KuCoinRestAdapter(new Uri("http://127.0.0.1:1/"), TradingSocketVenue.Credentials),
            new RestClientOptions { MaxRetries = 1, BaseDelay = TimeSpan.FromMilliseconds(10) });
        var gateway = Sys.ActorOf(RestGateway.Props(client, Sys.ActorOf(RateLimiter.Props(KuCoinVenue.Vip0Quota, KuCoinVenue.QuotaWindow))));
        var entry = Sys.ActorOf(VenueOrderEntry.Props(new KuCoinOrderEntryAdapter(MarketKind.Futures), gateway, null, new OrderEntrySettings { Route = OrderRoute.Rest }));

        var results = await Send(entry, new OrderEntryProtocol.Place([Ticket("refused-1")]));

        var rejected = Assert.IsType<OrderRejected>(Assert.Single(results.Items));
        Assert.Equal(new ClientOrderId("refused-1"), rejected.ClientOrderId);
        var error = Assert.IsType<NetworkError>(rejected.Error);
        Assert.True(error.NeverSent);
        Assert.Equal("network", error.Code);
    }

    [Fact]
    public async Task A_placement_without_an_answer_is_unknown_and_never_sent_twice()
    {
        _rest.Server.Given(Request.Create().WithPath("/api/v1/orders").UsingPost())
            .RespondWith(Response.Create().WithDelay(TimeSpan.FromMilliseconds(800)).WithBody("{}"));
        var results = await Send(Entry(new KuCoinOrderEntryAdapter(MarketKind.Futures), attemptTimeout: TimeSpan.FromMilliseconds(200)),
            new OrderEntryProtocol.Place([Ticket("slow-1")]));
        var unknown = Assert.IsType<OrderStatusUnknown>(Assert.Single(results.Items));
        Assert.Equal(new ClientOrderId("slow-1"), unknown.ClientOrderId);
        Assert.StartsWith("timeout:", unknown.Reason);
        await Task.Delay(900);
        Assert.Single(_rest.Server.LogEntries);
    }

    [Fact]
    public async Task A_venue_refusal_carries_its_code_and_a_bad_ticket_is_refused_without_a_request()
    {
        _rest.ServeJson("/api/v1/orders/client-order/c-1", """{"code":"100004","msg":"The order is not exist"}""");
        var entry = Entry(new KuCoinOrderEntryAdapter(MarketKind.Futures));
        var cancel = await Send(entry, new OrderEntryProtocol.Cancel([new CancelTicket(new ClientOrderId("c-1"), new Symbol("XBTUSDTM"))]));
        Assert.Equal(new OrderRejected(new ClientOrderId("c-1"), new ApiError("100004", "The order is not exist", 200)), Assert.Single(cancel.Items));
        _rest.Server.ResetLogEntries();

        var place = await Send(entry, new OrderEntryProtocol.Place([Ticket("ok") with { Size = 2.5m }]));
        Assert.Equal("configuration: KuCoin futures sizes are whole contracts, got 2.5 for ok", Assert.IsType<OrderRejected>(Assert.Single(place.Items)).Error.ToString());
        var amend = await Send(entry, new OrderEntryProtocol.Amend(new AmendTicket(new ClientOrderId("ok"), new Symbol("XBTUSDTM"), 1m, null)));
        Assert.IsType<ConfigurationError>(Assert.IsType<OrderRejected>(Assert.Single(amend.Items)).Error);
        Assert.Empty(_rest.Server.LogEntries);
    }

    [Fact]
    public async Task A_snapshot_reads_open_and_untriggered_stop_orders_and_fills_and_reports_unreadable_positions_as_an_error_not_as_flat()
    {
        // Untriggered stop orders are not in the active list: without their own list they would look vanished.
        _rest.ServeJson("/api/v1/stopOrders", Fixtures.KuCoin("futures_rest_GET_api_v1_stopOrders.response"));
        _rest.ServeJson("/api/v1/orders", """
            {"code":"200000","data":{"currentPage":1,"pageSize":1000,"totalNum":1,"totalPage":1,"items":[
              {"id":"v-1","symbol":"XBTUSDTM","type":"limit","side":"buy","price":"60000","size":3,"value":"180","dealValue":"60","dealSize":1,"stp":"","stop":"","stopPriceType":"",
               "stopTriggered":false,"stopPrice":null,"timeInForce":"GTC","postOnly":false,"hidden":false,"iceberg":false,"leverage":"3","forceHold":false,"closeOrder":false,
               "visibleSize":0,"clientOid":"c-1","remark":null,"tags":"","isActive":true,"cancelExist":false,"createdAt":1732523858568,"updatedAt":1732523858568,"endAt":null,
               "orderTime":1732523858550892322,"settleCurrency":"USDT","marginMode":"ISOLATED","avgDealPrice":"60000","filledSize":1,"filledValue":"60","status":"open","reduceOnly":false}]}}
            """);
        _rest.ServeJson("/api/v1/recentFills", """
            {"code":"200000","data":[{"symbol":"XBTUSDTM","tradeId":"1784277229880","orderId":"v-1","side":"buy","liquidity":"maker","forceTaker":false,"price":"60000","size":1,
              "value":"60","feeRate":"0.0002","fixFee":"0","feeCurrency":"USDT","stop":"","fee":"0.012","orderType":"limit","tradeType":"trade","createdAt":1729155616320,
              "settleCurrency":"USDT","openFeePay":"0.012","closeFeePay":"0","tradeTime":1729155616320000000,"marginMode":"ISOLATED"}]}
            """);
        _rest.ServeJson("/api/v1/positions", """{"code":"400100","msg":"positions are being rebuilt"}""", status: 400);

        var snapshot = await Entry(new KuCoinOrderEntryAdapter(MarketKind.Futures)).Ask<OrderEntryProtocol.VenueSnapshot>(new OrderEntryProtocol.Snapshot([]), TimeSpan.FromSeconds(15));
        Assert.Null(snapshot.Error);
        Assert.Equal(
            [
                new VenueOrderReport(new ClientOrderId("c-1"), "v-1", new Symbol("XBTUSDTM"), OrderLifecycle.PartiallyFilled, 3, 1),
                new VenueOrderReport(new ClientOrderId("5a80bd847f1811ef8a7faa665a37b3d7"), "230181737576050688", new Symbol("PEOPLEUSDTM"), OrderLifecycle.Acknowledged, 10, 0),
            ],
            snapshot.OpenOrders);
        var fill = Assert.Single(snapshot.RecentFills);
        Assert.Equal(new VenueFillReport("v-1", new Symbol("XBTUSDTM"), new FillInfo("1784277229880", 60000m, 1, 0.012m, "USDT", Liquidity.Maker), 1729155616320), fill);
        Assert.Null(snapshot.Positions);
        Assert.Equal("400100", Assert.IsType<ApiError>(snapshot.PositionsError).VenueCode);
        Assert.Contains(_rest.Server.LogEntries, e => e.RequestMessage.Url.EndsWith("/api/v1/orders?status=active&pageSize=1000", StringComparison.Ordinal));
        Assert.Contains(_rest.Server.LogEntries, e => e.RequestMessage.Url.EndsWith("/api/v1/stopOrders?pageSize=1000", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_spot_snapshot_asks_per_symbol_and_knows_spot_holds_no_positions()
    {
        _rest.ServeJson("/api/v1/hf/orders/active", """
            {"code":"200000","data":[{"id":"s-1","clientOid":"c-s","symbol":"BTC-USDT","opType":"DEAL","type":"limit","side":"buy","price":"30000","size":"0.002","funds":"0",
              "dealSize":"0.001","dealFunds":"30","fee":"0.03","feeCurrency":"USDT","stp":null,"timeInForce":"GTC","postOnly":false,"hidden":false,"iceberg":false,"visibleSize":"0",
              "cancelAfter":0,"channel":"API","remark":null,"tags":null,"cancelExist":false,"tradeType":"TRADE","inOrderBook":true,"active":true,"createdAt":1729577515444,
              "lastUpdatedAt":1729577515481,"cancelledSize":"0","cancelledFunds":"0","remainSize":"0.001","remainFunds":"30"}]}
            """);
        _rest.ServeJson("/api/v1/hf/fills", """
            {"code":"200000","data":{"items":[{"id":19814995255305,"orderId":"s-1","counterOrderId":"x","tradeId":11029373945659392,"symbol":"BTC-USDT","side":"buy",
              "liquidity":"taker","type":"limit","forceTaker":false,"price":"30000","size":"0.001","funds":"30","fee":"0.03","feeRate":"0.001","feeCurrency":"USDT",
              "stop":"","tradeType":"TRADE","createdAt":1729577515473}],"lastId":19814995255305}}
            """);

        var snapshot = await Entry(new KuCoinOrderEntryAdapter(MarketKind.Spot)).Ask<OrderEntryProtocol.VenueSnapshot>(
            new OrderEntryProtocol.Snapshot([new Symbol("BTC-USDT")]), TimeSpan.FromSeconds(15));
        Assert.Equal(new VenueOrderReport(new ClientOrderId("c-s"), "s-1", new Symbol("BTC-USDT"), OrderLifecycle.PartiallyFilled, 0.002m, 0.001m), Assert.Single(snapshot.OpenOrders));
        Assert.Equal(new VenueFillReport("s-1", new Symbol("BTC-USDT"), new FillInfo("11029373945659392", 30000m, 0.001m, 0.03m, "USDT", Liquidity.Taker), 1729577515473),
            Assert.Single(snapshot.RecentFills));
        Assert.Equal((0, (ExchangeError?)null), (snapshot.Positions!.Count, snapshot.PositionsError));
        Assert.Equal(["/api/v1/hf/fills?symbol=BTC-USDT&limit=100", "/api/v1/hf/orders/active?symbol=BTC-USDT"],
            _rest.Server.LogEntries.Select(e => e.RequestMessage.Path + e.RequestMessage.RawQuery).Order());
    }

    public new void Dispose()
    {
        _rest.Dispose();
        _http.Dispose();
        base.Dispose();
    }
}
