using System.Globalization;
using System.Text.Json;

namespace ActorTrading.TestExchange;

/// <summary>
/// A USDⓈ-M account on the <see cref="FakeBinanceVenue"/> that keeps the truth a node is checked against: orders taken
/// by signed <c>POST /fapi/v1/order</c>, fills made by the test (pushed as <c>ORDER_TRADE_UPDATE</c> on the user-data
/// sockets, or only recorded, as when they happen while the node is down), and the queries reconciliation reads
/// (<c>openOrders</c>, <c>userTrades</c>, <c>order</c> with -2013 for an unknown one, <c>positionRisk</c>) answered from it.
/// </summary>
public sealed class FakeBinanceFuturesAccount
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Order> _orders = new(StringComparer.Ordinal);
    private readonly List<Trade> _trades = [];
    private readonly FakeBinanceVenue _venue;
    private long _nextOrderId = 7000;

    public FakeBinanceFuturesAccount(FakeBinanceVenue venue)
    {
        _venue = venue;
        venue.ServeSigned("/fapi/v1/leverage", "POST", p => (200, $$"""{"leverage":{{p["leverage"]}},"maxNotionalValue":"1000000","symbol":"{{p["symbol"]}}"}"""));
        venue.ServeSigned("/fapi/v1/order", "POST", Place);
        venue.ServeSigned("/fapi/v1/order", "GET", p => Locked(() => Find(p) is { } order ? (200, Json(order)) : (400, """{"code":-2013,"msg":"Order does not exist."}""")));
        venue.ServeSigned("/fapi/v1/order", "DELETE", Cancel);
        venue.ServeSigned("/fapi/v1/openOrders", "GET", _ => Locked(() => (200, "[" + string.Join(",", _orders.Values.Where(o => o.IsOpen).Select(Json)) + "]")));
        venue.ServeSigned("/fapi/v1/userTrades", "GET", UserTrades);
        venue.ServeSigned("/fapi/v3/positionRisk", "GET", _ => Locked(Positions));
    }

    /// <summary>Placements the venue took, in order (a repeated client id is refused, as Binance does).</summary>
    public int Placements { get; private set; }

    /// <summary>The order's fill of <paramref name="size"/> at <paramref name="price"/> as trade <paramref name="tradeId"/>; pushed <paramref name="pushes"/> times (0: recorded only).</summary>
    public async Task FillAsync(string clientOrderId, decimal size, decimal price, long tradeId, int pushes = 1)
    {
        string frame;
        lock (_gate)
        {
            var order = _orders[clientOrderId];
            order.Executed += size;
            order.Status = order.Executed == order.Quantity ? "FILLED" : "PARTIALLY_FILLED";
            _trades.Add(new Trade(tradeId, order, price, size, Math.Round(price * size * 0.0002m, 8)));
            frame = $$$"""
                {"e":"ORDER_TRADE_UPDATE","E":1800000000000,"T":1800000000000,"o":{"s":"{{{order.Symbol}}}","c":"{{{order.ClientOrderId}}}","S":"{{{order.Side}}}","o":"LIMIT","f":"GTC","q":"{{{D(order.Quantity)}}}","p":"{{{D(order.Price)}}}","ap":"{{{D(price)}}}","sp":"0","x":"TRADE","X":"{{{order.Status}}}","i":{{{order.Id}}},"l":"{{{D(size)}}}","z":"{{{D(order.Executed)}}}","L":"{{{D(price)}}}","N":"USDT","n":"{{{D(_trades[^1].Commission)}}}","T":1800000000000,"t":{{{tradeId}}},"b":"0","a":"0","m":true,"R":false,"wt":"CONTRACT_PRICE","ot":"LIMIT","ps":"BOTH","cp":false,"rp":"0","pP":false,"si":0,"ss":0,"V":"NONE","pm":"NONE","gtd":0}}
                """;
        }

        for (var i = 0; i < pushes; i++)
        {
            await _venue.Ws.SendToPathAsync("/private/ws/", frame).ConfigureAwait(false);
        }
    }

    private (int, string) Place(IReadOnlyDictionary<string, string> p) => Locked(() =>
    {
        var id = p["newClientOrderId"];
        if (_orders.ContainsKey(id))
        {
            return (400, """{"code":-4116,"msg":"ClientOrderId is duplicated."}""");
        }

        Placements++;
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
        return (200, "[" + string.Join(",", trades.Select(t => $$"""
            {"buyer":{{(t.Order.Side == "BUY" ? "true" : "false")}},"commission":"{{D(t.Commission)}}","commissionAsset":"USDT","id":{{t.Id}},"maker":true,"orderId":{{t.Order.Id}},"price":"{{D(t.Price)}}","qty":"{{D(t.Size)}}","quoteQty":"{{D(t.Price * t.Size)}}","realizedPnl":"0","side":"{{t.Order.Side}}","positionSide":"BOTH","symbol":"{{t.Order.Symbol}}","time":1800000000000}
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
