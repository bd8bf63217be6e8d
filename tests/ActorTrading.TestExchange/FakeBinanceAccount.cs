using System.Globalization;
using System.Text.Json;

namespace ActorTrading.TestExchange;

/// <summary>
/// A spot or USDⓈ-M account on the <see cref="FakeBinanceVenue"/> that keeps the truth a node is checked against: orders
/// taken by signed <c>POST …/order</c>, fills made by the test (pushed on the user-data sockets — USDⓈ-M
/// <c>ORDER_TRADE_UPDATE</c> on the listen key's, spot <c>executionReport</c> on the WebSocket API's subscription — or
/// only recorded, as when they happen while the node is down), and the queries reconciliation reads (open orders,
/// account trades, one order with -2013 for an unknown one, USDⓈ-M positions) answered from it.
/// </summary>
public sealed class FakeBinanceAccount : IFakeAccount
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Order> _orders = new(StringComparer.Ordinal);
    private readonly List<Trade> _trades = [];
    private readonly List<DateTimeOffset> _placementTimes = [];
    private readonly Dictionary<string, int> _submits = new();
    private readonly FakeBinanceVenue _venue;
    private readonly bool _futures;
    private long _nextOrderId = 7000;

    public FakeBinanceAccount(FakeBinanceVenue venue, bool futures)
    {
        (_venue, _futures) = (venue, futures);
        var api = futures ? "/fapi/v1" : "/api/v3";
        venue.ServeSigned(api + "/order", "POST", Place);
        venue.ServeSigned(api + "/order", "GET", p => Locked(() => Find(p) is { } order ? (200, Json(order)) : (400, """{"code":-2013,"msg":"Order does not exist."}""")));
        venue.ServeSigned(api + "/order", "DELETE", Cancel);
        venue.ServeSigned(api + "/openOrders", "GET", _ => Locked(() => (200, "[" + string.Join(",", _orders.Values.Where(o => o.IsOpen).Select(Json)) + "]")));
        venue.ServeSigned(futures ? "/fapi/v1/userTrades" : "/api/v3/myTrades", "GET", UserTrades);
        if (!futures)
        {
            // The same orders by the WebSocket API (the ws order route): same parameters, same answers.
            venue.ServeWebSocketApi("order.place", Place).ServeWebSocketApi("order.cancel", Cancel);
        }

        if (futures)
        {
            venue.ServeSigned("/fapi/v1/leverage", "POST", p => (200, $$"""{"leverage":{{p["leverage"]}},"maxNotionalValue":"1000000","symbol":"{{p["symbol"]}}"}"""));
            venue.ServeSigned("/fapi/v3/positionRisk", "GET", _ => Locked(Positions));
        }
    }

    /// <summary>Placements the venue took, in order (a repeated client id is refused, as Binance does).</summary>
    public int Placements { get; private set; }

    /// <summary>How many placement requests named <paramref name="clientOrderId"/>, refused duplicates included.</summary>
    public int SubmitsOf(string clientOrderId)
    {
        lock (_gate)
        {
            return _submits.GetValueOrDefault(clientOrderId);
        }
    }

    /// <summary>When each placement arrived, in order (to check the order rate a venue saw).</summary>
    public IReadOnlyList<DateTimeOffset> PlacementTimes
    {
        get
        {
            lock (_gate)
            {
                return _placementTimes.ToArray();
            }
        }
    }

    /// <summary>The order's fill of <paramref name="size"/> at <paramref name="price"/> as trade <paramref name="tradeId"/>; pushed <paramref name="pushes"/> times (0: recorded only).</summary>
    public async Task<bool> FillAsync(string clientOrderId, decimal size, decimal price, long tradeId, int pushes = 1)
    {
        string frame;
        lock (_gate)
        {
            var order = _orders[clientOrderId];
            if (!order.IsOpen)
            {
                return false;
            }

            order.Executed += size;
            order.Status = order.Executed == order.Quantity ? "FILLED" : "PARTIALLY_FILLED";
            _trades.Add(new Trade(tradeId, order, price, size, Math.Round(price * size * 0.0002m, 8)));
            frame = _futures ? FuturesPush(order, _trades[^1]) : SpotPush(order, _trades[^1]);
        }

        for (var i = 0; i < pushes; i++)
        {
            // USDⓈ-M events come on the listen key's socket; spot's inside the WebSocket API subscription's envelope.
            await _venue.Ws.SendToPathAsync(_futures ? "/private/ws/" : "/ws-api/", frame).ConfigureAwait(false);
        }

        return true;
    }

    private static string FuturesPush(Order order, Trade trade)
    {
        var (size, price, tradeId) = (trade.Size, trade.Price, trade.Id);
        return $$$"""
                {"e":"ORDER_TRADE_UPDATE","E":1800000000000,"T":1800000000000,"o":{"s":"{{{order.Symbol}}}","c":"{{{order.ClientOrderId}}}","S":"{{{order.Side}}}","o":"LIMIT","f":"GTC","q":"{{{D(order.Quantity)}}}","p":"{{{D(order.Price)}}}","ap":"{{{D(price)}}}","sp":"0","x":"TRADE","X":"{{{order.Status}}}","i":{{{order.Id}}},"l":"{{{D(size)}}}","z":"{{{D(order.Executed)}}}","L":"{{{D(price)}}}","N":"USDT","n":"{{{D(trade.Commission)}}}","T":1800000000000,"t":{{{tradeId}}},"b":"0","a":"0","m":true,"R":false,"wt":"CONTRACT_PRICE","ot":"LIMIT","ps":"BOTH","cp":false,"rp":"0","pP":false,"si":0,"ss":0,"V":"NONE","pm":"NONE","gtd":0}}
                """;
    }

    private static string SpotPush(Order order, Trade trade) => $$$"""
        {"subscriptionId":0,"event":{"e":"executionReport","E":1800000000000,"s":"{{{order.Symbol}}}","c":"{{{order.ClientOrderId}}}","S":"{{{order.Side}}}","o":"LIMIT","f":"GTC","q":"{{{D(order.Quantity)}}}","p":"{{{D(order.Price)}}}","P":"0.00000000","F":"0.00000000","g":-1,"C":"","x":"TRADE","X":"{{{order.Status}}}","r":"NONE","i":{{{order.Id}}},"l":"{{{D(trade.Size)}}}","z":"{{{D(order.Executed)}}}","L":"{{{D(trade.Price)}}}","n":"{{{D(trade.Commission)}}}","N":"USDT","T":1800000000000,"t":{{{trade.Id}}},"I":1,"w":false,"m":true,"M":true,"O":1799999999000,"Z":"{{{D(order.Executed * order.Price)}}}","Y":"{{{D(trade.Size * trade.Price)}}}","Q":"0.00000000","W":1799999999000,"V":"EXPIRE_MAKER"}}
        """.Trim();

    public IReadOnlyList<FakeOrder> Orders
    {
        get
        {
            lock (_gate)
            {
                return _orders.Values.Select(o => new FakeOrder(o.ClientOrderId, o.Symbol, o.Quantity, o.Price, o.Executed, o.IsOpen,
                    _trades.Where(t => t.Order == o).Select(t => (t.Id.ToString(CultureInfo.InvariantCulture), t.Size)).ToArray())).ToArray();
            }
        }
    }

    Task<bool> IFakeAccount.FillAsync(string clientOrderId, decimal size, decimal price, string tradeId, int pushes) =>
        FillAsync(clientOrderId, size, price, long.Parse(tradeId, CultureInfo.InvariantCulture), pushes);

    /// <summary>The placement of this client order id is taken at once but answered only after the delay (an answer a crash can lose).</summary>
    public (string ClientOrderId, TimeSpan Delay)? DelayAnswerTo { get; set; }

    private (int, string) Place(IReadOnlyDictionary<string, string> p)
    {
        var answer = Take(p);
        if (DelayAnswerTo is { } slow && slow.ClientOrderId == p["newClientOrderId"])
        {
            Thread.Sleep(slow.Delay);
        }

        return answer;
    }

    private (int, string) Take(IReadOnlyDictionary<string, string> p) => Locked(() =>
    {
        var id = p["newClientOrderId"];
        _submits[id] = _submits.GetValueOrDefault(id) + 1;
        if (_orders.ContainsKey(id))
        {
            return (400, """{"code":-4116,"msg":"ClientOrderId is duplicated."}""");
        }

        Placements++;
        _placementTimes.Add(DateTimeOffset.UtcNow);
        var order = new Order(++_nextOrderId, id, p["symbol"], p["side"], decimal.Parse(p["quantity"], CultureInfo.InvariantCulture),
            p.TryGetValue("price", out var price) ? decimal.Parse(price, CultureInfo.InvariantCulture) : 0m);
        _orders[id] = order;
        return (200, Json(order));
    });

    private (int, string) Cancel(IReadOnlyDictionary<string, string> p) => Locked(() =>
    {
        if (Find(p) is not { IsOpen: true } order)
        {
            return (400, """{"code":-2011,"msg":"Unknown order sent."}""");
        }

        order.Status = "CANCELED";
        return (200, Json(order));
    });

    private (int, string) UserTrades(IReadOnlyDictionary<string, string> p) => Locked(() =>
    {
        var trades = _trades.Where(t => t.Order.Symbol == p["symbol"]
            && (!p.TryGetValue("orderId", out var orderId) || t.Order.Id.ToString(CultureInfo.InvariantCulture) == orderId)
            && (!p.TryGetValue("fromId", out var fromId) || t.Id >= long.Parse(fromId, CultureInfo.InvariantCulture)));
        return (200, "[" + string.Join(",", trades.Select(t => _futures ? $$"""
            {"buyer":{{(t.Order.Side == "BUY" ? "true" : "false")}},"commission":"{{D(t.Commission)}}","commissionAsset":"USDT","id":{{t.Id}},"maker":true,"orderId":{{t.Order.Id}},"price":"{{D(t.Price)}}","qty":"{{D(t.Size)}}","quoteQty":"{{D(t.Price * t.Size)}}","realizedPnl":"0","side":"{{t.Order.Side}}","positionSide":"BOTH","symbol":"{{t.Order.Symbol}}","time":1800000000000}
            """.Trim() : $$"""
            {"symbol":"{{t.Order.Symbol}}","id":{{t.Id}},"orderId":{{t.Order.Id}},"orderListId":-1,"price":"{{D(t.Price)}}","qty":"{{D(t.Size)}}","quoteQty":"{{D(t.Price * t.Size)}}","commission":"{{D(t.Commission)}}","commissionAsset":"USDT","time":1800000000000,"isBuyer":{{(t.Order.Side == "BUY" ? "true" : "false")}},"isMaker":true,"isBestMatch":true}
            """.Trim())) + "]");
    });

    private (int, string) Positions()
    {
        var bySymbol = _trades.GroupBy(t => t.Order.Symbol).Select(g => (Symbol: g.Key, Amount: g.Sum(t => t.Order.Side == "BUY" ? t.Size : -t.Size), Entry: g.Last().Price));
        return (200, "[" + string.Join(",", bySymbol.Select(p => $$"""
            {"symbol":"{{p.Symbol}}","positionSide":"BOTH","positionAmt":"{{D(p.Amount)}}","entryPrice":"{{D(p.Entry)}}","markPrice":"{{D(p.Entry)}}","unRealizedProfit":"0","liquidationPrice":"0","updateTime":1800000000000}
            """.Trim())) + "]");
    }

    private Order? Find(IReadOnlyDictionary<string, string> p) =>
        p.TryGetValue("origClientOrderId", out var clientId) ? _orders.GetValueOrDefault(clientId)
        : p.TryGetValue("orderId", out var orderId) ? _orders.Values.FirstOrDefault(o => o.Id.ToString(CultureInfo.InvariantCulture) == orderId)
        : null;

    private (int, string) Locked(Func<(int, string)> answer)
    {
        lock (_gate)
        {
            return answer();
        }
    }

    private static string Json(Order o) => JsonSerializer.Serialize(new
    {
        symbol = o.Symbol,
        orderId = o.Id,
        clientOrderId = o.ClientOrderId,
        price = D(o.Price),
        origQty = D(o.Quantity),
        executedQty = D(o.Executed),
        status = o.Status,
        type = "LIMIT",
        side = o.Side,
        timeInForce = "GTC",
        positionSide = "BOTH",
        updateTime = 1800000000000,
    });

    private static string D(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed class Order(long id, string clientOrderId, string symbol, string side, decimal quantity, decimal price)
    {
        public long Id { get; } = id;

        public string ClientOrderId { get; } = clientOrderId;

        public string Symbol { get; } = symbol;

        public string Side { get; } = side;

        public decimal Quantity { get; } = quantity;

        public decimal Price { get; } = price;

        public decimal Executed { get; set; }

        public string Status { get; set; } = "NEW";

        public bool IsOpen => Status is "NEW" or "PARTIALLY_FILLED";
    }

    private sealed record Trade(long Id, Order Order, decimal Price, decimal Size, decimal Commission);
}
