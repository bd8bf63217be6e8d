using System.Globalization;
using System.Text.Json;

namespace ActorTrading.TestExchange;

/// <summary>
/// A Kraken Spot account on the <see cref="FakeKrakenVenue"/> that keeps the truth a node is checked against: orders
/// taken by signed <c>AddOrder</c> (a <c>cl_ord_id</c> an open order already has is refused), cancels and amends by txid
/// or client id, fills made by the test (pushed on the private stream as an <c>executions</c> trade report, sparse as
/// Kraken sends them, or only recorded, as when they happen while the node is down), the queries reconciliation reads
/// (<c>OpenOrders</c>, <c>ClosedOrders</c>, <c>TradesHistory</c>, <c>QueryOrders</c>, <c>QueryTrades</c>), and on every
/// <c>executions</c> subscription a snapshot of the open orders and the last fills.
/// </summary>
public sealed class FakeKrakenAccount : IFakeAccount
{
    private static readonly Dictionary<string, (string Symbol, string PairId)> Pairs = new()
    {
        ["XBTUSD"] = ("BTC/USD", "XXBTZUSD"),
        ["ETHUSD"] = ("ETH/USD", "XETHZUSD"),
    };

    private readonly Lock _gate = new();
    private readonly List<Order> _orders = [];
    private readonly List<Fill> _fills = [];
    private readonly Dictionary<string, int> _submits = new(StringComparer.Ordinal);
    private readonly FakeKrakenVenue _venue;
    private int _nextId;

    public FakeKrakenAccount(FakeKrakenVenue venue)
    {
        _venue = venue;
        venue.ExecutionsSnapshot = Snapshot;
        venue.OrderRequests = OnSocket;
        venue.ServeSigned("AddOrder", Place)
            .ServeSigned("CancelOrder", Cancel)
            .ServeSigned("OpenOrders", p => Locked(() => """{"open":{""" + OrdersJson(_orders.Where(o => o.IsOpen && Matches(o, p))) + "}}"))
            .ServeSigned("ClosedOrders", p => Locked(() =>
            {
                var closed = _orders.Where(o => !o.IsOpen && Matches(o, p)).ToArray();
                return """{"closed":{""" + OrdersJson(closed) + "},\"count\":" + closed.Length + "}";
            }))
            .ServeSigned("QueryOrders", p => Locked(() => "{" + OrdersJson(_orders.Where(o => p["txid"].Split(',').Contains(o.Id))) + "}"))
            .ServeSigned("TradesHistory", _ => Locked(() => """{"trades":{""" + Trades(_fills.AsEnumerable().Reverse().Take(50)) + "},\"count\":" + _fills.Count + "}"))
            .ServeSigned("QueryTrades", p => Locked(() => "{" + Trades(_fills.Where(f => p["txid"].Split(',').Contains(f.Id))) + "}"))
            .ServeSigned("Balance", _ => """{"ZUSD":"10000.0000","XXBT":"1.0000000000"}""");
    }

    /// <summary>Placements the venue took, in order.</summary>
    public int Placements { get; private set; }

    public IReadOnlyList<FakeOrder> Orders
    {
        get
        {
            lock (_gate)
            {
                return _orders.Select(o => new FakeOrder(o.ClientId, o.Pair, o.Volume, o.Price, o.Executed, o.IsOpen, o.Fills.Select(f => (f.Id, f.Qty)).ToArray())).ToArray();
            }
        }
    }

    /// <summary>How many placement requests named <paramref name="clientOrderId"/>, refused ones included.</summary>
    public int SubmitsOf(string clientOrderId)
    {
        lock (_gate)
        {
            return _submits.GetValueOrDefault(clientOrderId);
        }
    }

    /// <summary>The order's fill of <paramref name="qty"/> at <paramref name="price"/> as <paramref name="execId"/>; pushed <paramref name="pushes"/> times (0: recorded only).</summary>
    public async Task<bool> FillAsync(string clientOrderId, decimal qty, decimal price, string execId, int pushes = 1)
    {
        string frame;
        lock (_gate)
        {
            var order = _orders.Single(o => o.ClientId == clientOrderId);
            if (!order.IsOpen)
            {
                return false;
            }

            order.Executed += qty;
            var fill = new Fill(execId, order, price, qty, Math.Round(price * qty * 0.0016m, 5), 1_800_000_000m + _fills.Count);
            _fills.Add(fill);
            order.Fills.Add(fill);
            frame = $$"""{"channel":"executions","type":"update","data":[{{FillReport(fill, sparse: true)}}],"sequence":{{_fills.Count + 10}}}""";
            if (order.Executed == order.Volume)
            {
                order.Status = "closed";
            }
        }

        for (var i = 0; i < pushes; i++)
        {
            await _venue.PushPrivateAsync(frame).ConfigureAwait(false);
        }

        return true;
    }

    private string Place(IReadOnlyDictionary<string, string> p)
    {
        var (order, error) = PlaceCore(p.GetValueOrDefault("cl_ord_id") ?? string.Empty, p["pair"], p["type"], p["ordertype"], D(p["volume"]),
            p.TryGetValue("price", out var price) ? D(price) : null);
        return order is null
            ? $$"""{"error":["{{error}}"]}"""
            : $$"""{"descr":{"order":"{{order.Type}} {{order.Volume}} {{order.Pair}} @ {{order.OrderType}}"},"txid":["{{order.Id}}"]}""";
    }

    /// <summary>The account socket's order requests, as Kraken answers them.</summary>
    private (string? Result, string? Error) OnSocket(string method, JsonElement p)
    {
        switch (method)
        {
            case "add_order":
                var pair = Pairs.FirstOrDefault(x => x.Value.Symbol == p.GetProperty("symbol").GetString()).Key ?? "?";
                var (order, error) = PlaceCore(p.TryGetProperty("cl_ord_id", out var c) ? c.GetString()! : string.Empty, pair, p.GetProperty("side").GetString()!,
                    p.GetProperty("order_type").GetString()!, p.GetProperty("order_qty").GetDecimal(), p.TryGetProperty("limit_price", out var l) ? l.GetDecimal() : null);
                return order is null ? (null, error) : ($$"""{"order_id":"{{order.Id}}","cl_ord_id":"{{order.ClientId}}"}""", null);
            case "cancel_order":
                var form = new Dictionary<string, string>();
                if (p.TryGetProperty("cl_ord_id", out var ids))
                {
                    form["cl_ord_id"] = ids[0].GetString()!;
                }

                if (p.TryGetProperty("order_id", out var orderIds))
                {
                    form["txid"] = orderIds[0].GetString()!;
                }

                var canceled = Locked(() =>
                {
                    var found = _orders.FirstOrDefault(o => o.IsOpen && Matches(o, form));
                    if (found is not null)
                    {
                        found.Status = "canceled";
                    }

                    return found?.Id ?? string.Empty;
                });
                return canceled.Length > 0 ? ($$"""{"order_id":"{{canceled}}"}""", null) : (null, "EOrder:Unknown order");
            default:
                return (null, "EGeneral:Invalid arguments");
        }
    }

    private (Order? Order, string? Error) PlaceCore(string clientId, string pair, string type, string orderType, decimal volume, decimal? price)
    {
        Order order;
        lock (_gate)
        {
            _submits[clientId] = _submits.GetValueOrDefault(clientId) + 1;
            if (_orders.Any(o => o.IsOpen && o.ClientId == clientId))
            {
                return (null, "EOrder:Duplicate cl_ord_id");
            }

            if (!Pairs.ContainsKey(pair))
            {
                return (null, "EQuery:Unknown asset pair");
            }

            Placements++;
            order = new Order($"O{++_nextId:D5}-FAKE-KRKN", clientId, pair, type, orderType, volume, price);
            _orders.Add(order);
        }

        _ = _venue.PushPrivateAsync($$"""{"channel":"executions","type":"update","data":[{{Report(order, "pending_new", "pending_new")}}],"sequence":1}""");
        return (order, null);
    }

    private string Cancel(IReadOnlyDictionary<string, string> p) => Locked(() =>
    {
        var order = _orders.FirstOrDefault(o => o.IsOpen && Matches(o, p));
        if (order is null)
        {
            return """{"error":["EOrder:Unknown order"]}""";
        }

        order.Status = "canceled";
        return """{"count":1,"pending":false}""";
    });

    /// <summary>What a new <c>executions</c> subscription gets: every open order in full, and the last fills.</summary>
    private string Snapshot() => Locked(() =>
    {
        var entries = _orders.Where(o => o.IsOpen).Select(o => Report(o, "new", o.Executed > 0 ? "partially_filled" : "new"))
            .Concat(_fills.TakeLast(50).Select(f => FillReport(f, sparse: false)));
        return $$"""{"channel":"executions","type":"snapshot","data":[{{string.Join(",", entries)}}],"sequence":1}""";
    });

    private static bool Matches(Order o, IReadOnlyDictionary<string, string> p) =>
        (!p.TryGetValue("cl_ord_id", out var client) || o.ClientId == client) && (!p.TryGetValue("txid", out var txid) || o.Id == txid);

    private string Locked(Func<string> answer)
    {
        lock (_gate)
        {
            return answer();
        }
    }

    private static string Report(Order o, string execType, string status) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["order_id"] = o.Id,
        ["cl_ord_id"] = o.ClientId,
        ["symbol"] = Pairs[o.Pair].Symbol,
        ["side"] = o.Type,
        ["order_type"] = o.OrderType,
        ["order_qty"] = o.Volume,
        ["limit_price"] = o.Price ?? 0m,
        ["cum_qty"] = o.Executed,
        ["exec_type"] = execType,
        ["order_status"] = status,
        ["time_in_force"] = "GTC",
        ["timestamp"] = "2027-01-15T08:00:00.000000Z",
    });

    private static string FillReport(Fill f, bool sparse)
    {
        var report = new Dictionary<string, object>
        {
            ["order_id"] = f.Order.Id,
            ["exec_id"] = f.Id,
            ["exec_type"] = "trade",
            ["trade_id"] = 1000 + f.Time,
            ["last_qty"] = f.Qty,
            ["last_price"] = f.Price,
            ["liquidity_ind"] = "m",
            ["cost"] = f.Price * f.Qty,
            ["order_status"] = f.Order.Executed >= f.Order.Volume ? "filled" : "partially_filled",
            ["fees"] = new[] { new Dictionary<string, object> { ["asset"] = "USD", ["qty"] = f.Fee } },
            ["timestamp"] = DateTimeOffset.FromUnixTimeMilliseconds((long)(f.Time * 1000)).ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture),
        };
        if (!sparse)
        {
            report["symbol"] = Pairs[f.Order.Pair].Symbol;
            report["side"] = f.Order.Type;
            report["cl_ord_id"] = f.Order.ClientId;
        }

        return JsonSerializer.Serialize(report);
    }

    private static string OrdersJson(IEnumerable<Order> orders) => string.Join(",", orders.Select(o => $"\"{o.Id}\":" + JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["refid"] = null,
        ["userref"] = 0,
        ["cl_ord_id"] = o.ClientId,
        ["status"] = o.Status,
        ["opentm"] = 1_799_999_999.5m,
        ["starttm"] = 0,
        ["expiretm"] = 0,
        ["descr"] = new Dictionary<string, string>
        {
            ["pair"] = o.Pair,
            ["type"] = o.Type,
            ["ordertype"] = o.OrderType,
            ["price"] = (o.Price ?? 0m).ToString(CultureInfo.InvariantCulture),
            ["price2"] = "0",
            ["leverage"] = "none",
            ["order"] = $"{o.Type} {o.Volume} {o.Pair}",
            ["close"] = "",
        },
        ["vol"] = o.Volume.ToString(CultureInfo.InvariantCulture),
        ["vol_exec"] = o.Executed.ToString(CultureInfo.InvariantCulture),
        ["cost"] = "0",
        ["fee"] = "0",
        ["price"] = "0",
        ["misc"] = "",
        ["oflags"] = "fciq",
        ["trades"] = o.IsOpen && o.Executed == 0 ? null : FillsOf(o),
    })));

    private static string[] FillsOf(Order o) => o.Fills.Select(f => f.Id).ToArray();

    private static string Trades(IEnumerable<Fill> fills) => string.Join(",", fills.Select(f => $"\"{f.Id}\":" + JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["ordertxid"] = f.Order.Id,
        ["postxid"] = "TKH2SE-M7IF5-CFI7LT",
        ["pair"] = Pairs[f.Order.Pair].PairId,
        ["time"] = f.Time,
        ["type"] = f.Order.Type,
        ["ordertype"] = f.Order.OrderType,
        ["price"] = f.Price.ToString(CultureInfo.InvariantCulture),
        ["cost"] = (f.Price * f.Qty).ToString(CultureInfo.InvariantCulture),
        ["fee"] = f.Fee.ToString(CultureInfo.InvariantCulture),
        ["vol"] = f.Qty.ToString(CultureInfo.InvariantCulture),
        ["margin"] = "0",
        ["misc"] = "",
        ["trade_id"] = 1000 + (long)f.Time,
        ["maker"] = true,
    })));

    private static decimal D(string text) => decimal.Parse(text, CultureInfo.InvariantCulture);

    private sealed class Order(string id, string clientId, string pair, string type, string orderType, decimal volume, decimal? price)
    {
        public string Id { get; } = id;

        public string ClientId { get; } = clientId;

        public string Pair { get; } = pair;

        public string Type { get; } = type;

        public string OrderType { get; } = orderType;

        public decimal Volume { get; } = volume;

        public decimal? Price { get; } = price;

        public decimal Executed { get; set; }

        public string Status { get; set; } = "open";

        public List<Fill> Fills { get; } = [];

        public bool IsOpen => Status is "open" or "pending";
    }

    private sealed record Fill(string Id, Order Order, decimal Price, decimal Qty, decimal Fee, decimal Time);
}
