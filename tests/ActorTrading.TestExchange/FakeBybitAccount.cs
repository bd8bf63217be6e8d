using System.Globalization;
using System.Text.Json;

namespace ActorTrading.TestExchange;

/// <summary>
/// A Unified account on the <see cref="FakeBybitVenue"/> for one category (<c>spot</c> or <c>linear</c>) that keeps the
/// truth a node is checked against: orders taken by signed <c>POST /v5/order/create</c> (a repeated
/// <c>orderLinkId</c> refused with 110072), cancels (110001 for an order it does not know), fills made by the test
/// (pushed on the private stream as <c>order.{category}</c> and <c>execution.{category}</c>, or only recorded, as when
/// they happen while the node is down), and the queries reconciliation reads: <c>/v5/order/realtime</c>,
/// <c>/v5/execution/list</c>, <c>/v5/position/list</c>, and <c>/v5/position/set-leverage</c> (110043 when unchanged).
/// </summary>
public sealed class FakeBybitAccount : IFakeAccount
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Order> _orders = new(StringComparer.Ordinal);
    private readonly List<Execution> _executions = [];
    private readonly Dictionary<string, int> _submits = new();
    private readonly Dictionary<string, string> _leverage = new();
    private readonly FakeBybitVenue _venue;
    private readonly string _category;
    private long _nextOrderId = 1_321_003_749_386_327_000;

    public FakeBybitAccount(FakeBybitVenue venue, string category)
    {
        (_venue, _category) = (venue, category);
        venue.ServeSigned("/v5/order/create", "POST", Place)
            .ServeSigned("/v5/order/cancel", "POST", Cancel)
            .ServeSigned("/v5/order/realtime", "GET", Realtime)
            .ServeSigned("/v5/execution/list", "GET", Executions)
            .ServeSigned("/v5/position/list", "GET", _ => Locked(Positions))
            .ServeSigned("/v5/position/set-leverage", "POST", SetLeverage)
            .ServeSigned("/v5/account/wallet-balance", "GET", _ => FakeBybitVenue.Envelope(
                """{"list":[{"accountType":"UNIFIED","totalEquity":"1000","totalAvailableBalance":"900","coin":[{"coin":"USDT","walletBalance":"1000","equity":"1000","locked":"0"}]}]}"""));
    }

    /// <summary>Placements the venue took, in order.</summary>
    public int Placements { get; private set; }

    /// <summary>Leverage settings that changed something.</summary>
    public int LeverageChanges { get; private set; }

    /// <summary>How many placement requests named <paramref name="orderLinkId"/>, refused duplicates included.</summary>
    public int SubmitsOf(string orderLinkId)
    {
        lock (_gate)
        {
            return _submits.GetValueOrDefault(orderLinkId);
        }
    }

    /// <summary>The order's fill of <paramref name="qty"/> at <paramref name="price"/> as <paramref name="execId"/>; pushed <paramref name="pushes"/> times (0: recorded only).</summary>
    public async Task<bool> FillAsync(string orderLinkId, decimal qty, decimal price, string execId, int pushes = 1)
    {
        string orderFrame, executionFrame;
        lock (_gate)
        {
            var order = _orders[orderLinkId];
            if (!order.IsOpen)
            {
                return false;
            }

            order.Executed += qty;
            order.Status = order.Executed == order.Qty ? "Filled" : "PartiallyFilled";
            var execution = new Execution(execId, order, price, qty, Math.Round(price * qty * 0.0002m, 8), 1_800_000_000_000 + _executions.Count);
            _executions.Add(execution);
            orderFrame = $$"""{"id":"o-{{execId}}","topic":"order.{{_category}}","creationTime":{{execution.Time}},"data":[{{OrderJson(order)}}]}""";
            executionFrame = $$"""{"id":"x-{{execId}}","topic":"execution.{{_category}}","creationTime":{{execution.Time}},"data":[{{ExecutionJson(execution)}}]}""";
        }

        for (var i = 0; i < pushes; i++)
        {
            await _venue.PushPrivateAsync(executionFrame).ConfigureAwait(false);
            await _venue.PushPrivateAsync(orderFrame).ConfigureAwait(false);
        }

        return true;
    }

    public IReadOnlyList<FakeOrder> Orders
    {
        get
        {
            lock (_gate)
            {
                return _orders.Values.Select(o => new FakeOrder(o.LinkId, o.Symbol, o.Qty, o.Price, o.Executed, o.IsOpen,
                    _executions.Where(e => e.Order == o).Select(e => (e.Id, e.Qty)).ToArray())).ToArray();
            }
        }
    }

    private string Place(IReadOnlyDictionary<string, string> p) => Locked(() =>
    {
        var id = p["orderLinkId"];
        _submits[id] = _submits.GetValueOrDefault(id) + 1;
        if (p["category"] != _category)
        {
            return FakeBybitVenue.Envelope("{}", 10001, "params error: category");
        }

        if (_orders.ContainsKey(id))
        {
            return FakeBybitVenue.Envelope("{}", 110072, "OrderLinkedID is duplicate");
        }

        Placements++;
        var order = new Order((++_nextOrderId).ToString(CultureInfo.InvariantCulture), id, p["symbol"], p["side"], D(p["qty"]), p.TryGetValue("price", out var price) ? D(price) : null);
        _orders[id] = order;
        return FakeBybitVenue.Envelope($$"""{"orderId":"{{order.Id}}","orderLinkId":"{{id}}"}""");
    });

    private string Cancel(IReadOnlyDictionary<string, string> p) => Locked(() =>
    {
        if (Find(p) is not { IsOpen: true } order)
        {
            return FakeBybitVenue.Envelope("{}", 110001, "Order does not exist.");
        }

        order.Status = order.Executed > 0 ? "PartiallyFilledCanceled" : "Cancelled";
        return FakeBybitVenue.Envelope($$"""{"orderId":"{{order.Id}}","orderLinkId":"{{order.LinkId}}"}""");
    });

    private string Realtime(IReadOnlyDictionary<string, string> p) => Locked(() =>
    {
        var closedToo = p.GetValueOrDefault("openOnly") == "1";
        var orders = _orders.Values.Where(o => (closedToo || o.IsOpen)
            && (!p.TryGetValue("symbol", out var symbol) || o.Symbol == symbol)
            && (!p.TryGetValue("orderLinkId", out var link) || o.LinkId == link)
            && (!p.TryGetValue("orderId", out var orderId) || o.Id == orderId));
        return FakeBybitVenue.Envelope($$"""{"list":[{{string.Join(",", orders.Select(OrderJson))}}],"nextPageCursor":"","category":"{{_category}}"}""");
    });

    private string Executions(IReadOnlyDictionary<string, string> p) => Locked(() =>
    {
        var rows = _executions.Where(x => (!p.TryGetValue("symbol", out var symbol) || x.Order.Symbol == symbol)
            && (!p.TryGetValue("orderId", out var orderId) || x.Order.Id == orderId));
        return FakeBybitVenue.Envelope($$"""{"list":[{{string.Join(",", rows.Select(ExecutionJson))}}],"nextPageCursor":"","category":"{{_category}}"}""");
    });

    private string Positions()
    {
        var positions = _executions.GroupBy(x => x.Order.Symbol).Select(g =>
        {
            var amount = g.Sum(x => x.Order.Side == "Buy" ? x.Qty : -x.Qty);
            return $$"""{"positionIdx":0,"symbol":"{{g.Key}}","side":"{{(amount == 0 ? "" : amount > 0 ? "Buy" : "Sell")}}","size":"{{Math.Abs(amount).ToString(CultureInfo.InvariantCulture)}}","avgPrice":"{{g.Last().Price.ToString(CultureInfo.InvariantCulture)}}","markPrice":"{{g.Last().Price.ToString(CultureInfo.InvariantCulture)}}","unrealisedPnl":"0","cumRealisedPnl":"0","leverage":"1","liqPrice":""}""";
        });
        return FakeBybitVenue.Envelope($$"""{"list":[{{string.Join(",", positions)}}],"nextPageCursor":"","category":"linear"}""");
    }

    private string SetLeverage(IReadOnlyDictionary<string, string> p) => Locked(() =>
    {
        if (_leverage.GetValueOrDefault(p["symbol"]) == p["buyLeverage"])
        {
            return FakeBybitVenue.Envelope("{}", 110043, "Set leverage has not been modified.");
        }

        _leverage[p["symbol"]] = p["buyLeverage"];
        LeverageChanges++;
        return FakeBybitVenue.Envelope("{}");
    });

    private Order? Find(IReadOnlyDictionary<string, string> p) =>
        p.TryGetValue("orderLinkId", out var link) ? _orders.GetValueOrDefault(link)
        : p.TryGetValue("orderId", out var orderId) ? _orders.Values.FirstOrDefault(o => o.Id == orderId)
        : null;

    private string Locked(Func<string> answer)
    {
        lock (_gate)
        {
            return answer();
        }
    }

    private string OrderJson(Order o) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["category"] = _category,
        ["orderId"] = o.Id,
        ["orderLinkId"] = o.LinkId,
        ["symbol"] = o.Symbol,
        ["side"] = o.Side,
        ["orderType"] = o.Price is null ? "Market" : "Limit",
        ["orderStatus"] = o.Status,
        ["price"] = o.Price?.ToString(CultureInfo.InvariantCulture) ?? "",
        ["qty"] = o.Qty.ToString(CultureInfo.InvariantCulture),
        ["cumExecQty"] = o.Executed.ToString(CultureInfo.InvariantCulture),
        ["leavesQty"] = (o.IsOpen ? o.Qty - o.Executed : 0m).ToString(CultureInfo.InvariantCulture),
        ["avgPrice"] = "",
        ["timeInForce"] = "GTC",
        ["createdTime"] = "1799999999000",
        ["updatedTime"] = "1800000000000",
    });

    private string ExecutionJson(Execution x) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["category"] = _category,
        ["symbol"] = x.Order.Symbol,
        ["orderId"] = x.Order.Id,
        ["orderLinkId"] = x.Order.LinkId,
        ["side"] = x.Order.Side,
        ["orderPrice"] = x.Order.Price?.ToString(CultureInfo.InvariantCulture) ?? "",
        ["orderQty"] = x.Order.Qty.ToString(CultureInfo.InvariantCulture),
        ["execId"] = x.Id,
        ["execPrice"] = x.Price.ToString(CultureInfo.InvariantCulture),
        ["execQty"] = x.Qty.ToString(CultureInfo.InvariantCulture),
        ["execFee"] = x.Fee.ToString(CultureInfo.InvariantCulture),
        ["feeCurrency"] = "USDT",
        ["execType"] = "Trade",
        ["execTime"] = x.Time.ToString(CultureInfo.InvariantCulture),
        ["isMaker"] = true,
        ["leavesQty"] = (x.Order.Qty - x.Order.Executed).ToString(CultureInfo.InvariantCulture),
    });

    private static decimal D(string text) => decimal.Parse(text, CultureInfo.InvariantCulture);

    private sealed class Order(string id, string linkId, string symbol, string side, decimal qty, decimal? price)
    {
        public string Id { get; } = id;

        public string LinkId { get; } = linkId;

        public string Symbol { get; } = symbol;

        public string Side { get; } = side;

        public decimal Qty { get; } = qty;

        public decimal? Price { get; } = price;

        public decimal Executed { get; set; }

        public string Status { get; set; } = "New";

        public bool IsOpen => Status is "New" or "PartiallyFilled";
    }

    private sealed record Execution(string Id, Order Order, decimal Price, decimal Qty, decimal Fee, long Time);
}
