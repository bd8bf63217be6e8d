using System.Globalization;
using System.Text.Json;

namespace ActorTrading.TestExchange;

/// <summary>
/// A Crypto.com account on the <see cref="FakeCryptoComVenue"/> that keeps the truth a node is checked against: orders
/// taken by signed <c>private/create-order</c> (a <c>client_oid</c> already used is refused with 204 DUPLICATE_CLORDID),
/// cancels, fills made by the test (pushed on the user stream as <c>user.trade</c> and <c>user.order</c>, or only
/// recorded, as when they happen while the node is down), and the queries reconciliation reads: <c>get-open-orders</c>,
/// <c>get-order-detail</c>, <c>get-trades</c>, <c>get-positions</c>, <c>user-balance</c>.
/// </summary>
public sealed class FakeCryptoComAccount : IFakeAccount
{
    private readonly Lock _gate = new();
    private readonly List<Order> _orders = [];
    private readonly List<Fill> _fills = [];
    private readonly Dictionary<string, int> _submits = new(StringComparer.Ordinal);
    private readonly FakeCryptoComVenue _venue;
    private long _nextId = 6_530_219_466_236_720_000;

    public FakeCryptoComAccount(FakeCryptoComVenue venue)
    {
        _venue = venue;
        venue.ServeSigned("private/create-order", Place)
            .ServeSigned("private/cancel-order", Cancel)
            .ServeSigned("private/get-open-orders", p => Locked(() => """{"data":[""" + string.Join(",", _orders.Where(o => o.IsOpen && Instrument(p, o)).Select(OrderJson)) + "]}"))
            .ServeSigned("private/get-order-detail", p => Locked(() => _orders.FirstOrDefault(o => Matches(o, p)) is { } order ? OrderJson(order) : """{"code":40401,"message":"NOT_FOUND"}"""))
            .ServeSigned("private/get-trades", p => Locked(() => """{"data":[""" + string.Join(",", _fills.Where(f => Instrument(p, f.Order)).Reverse().Take(100).Select(FillJson)) + "]}"))
            .ServeSigned("private/get-positions", _ => """{"data":[]}""")
            .ServeSigned("private/user-balance", _ => """{"data":[{"instrument_name":"USD","total_available_balance":"1000","position_balances":[{"instrument_name":"USDT","quantity":"1000","reserved_qty":"0","max_withdrawal_balance":"1000"}]}]}""");
    }

    /// <summary>Placements the venue took, in order.</summary>
    public int Placements { get; private set; }

    /// <summary>How many placement requests named <paramref name="clientOrderId"/>, refused ones included.</summary>
    public int SubmitsOf(string clientOrderId)
    {
        lock (_gate)
        {
            return _submits.GetValueOrDefault(clientOrderId);
        }
    }

    /// <summary>The order's fill of <paramref name="qty"/> at <paramref name="price"/> as <paramref name="tradeId"/>; pushed <paramref name="pushes"/> times (0: recorded only).</summary>
    public async Task<bool> FillAsync(string clientOrderId, decimal qty, decimal price, string tradeId, int pushes = 1)
    {
        string trade, order;
        lock (_gate)
        {
            var o = _orders.Single(x => x.ClientId == clientOrderId);
            if (!o.IsOpen)
            {
                return false;
            }

            o.Executed += qty;
            if (o.Executed == o.Quantity)
            {
                o.Status = "FILLED";
            }

            var fill = new Fill(tradeId, o, price, qty, 1_800_000_000_000 + _fills.Count);
            _fills.Add(fill);
            trade = Push("user.trade", o.Symbol, FillJson(fill));
            order = Push("user.order", o.Symbol, OrderJson(o));
        }

        for (var i = 0; i < pushes; i++)
        {
            await _venue.PushUserAsync(trade).ConfigureAwait(false);
            await _venue.PushUserAsync(order).ConfigureAwait(false);
        }

        return true;
    }

    public IReadOnlyList<FakeOrder> Orders
    {
        get
        {
            lock (_gate)
            {
                return _orders.Select(o => new FakeOrder(o.ClientId, o.Symbol, o.Quantity, o.Price, o.Executed, o.IsOpen,
                    _fills.Where(f => f.Order == o).Select(f => (f.Id, f.Quantity)).ToArray())).ToArray();
            }
        }
    }

    private string Place(JsonElement p)
    {
        Order order;
        lock (_gate)
        {
            var clientId = p.GetProperty("client_oid").GetString()!;
            _submits[clientId] = _submits.GetValueOrDefault(clientId) + 1;
            if (_orders.Any(o => o.ClientId == clientId))
            {
                return """{"code":204,"message":"DUPLICATE_CLORDID"}""";
            }

            Placements++;
            order = new Order((++_nextId).ToString(CultureInfo.InvariantCulture), clientId, p.GetProperty("instrument_name").GetString()!, p.GetProperty("side").GetString()!,
                D(p.GetProperty("quantity").GetString()!), p.TryGetProperty("price", out var price) ? D(price.GetString()!) : null);
            _orders.Add(order);
        }

        _ = _venue.PushUserAsync(Push("user.order", order.Symbol, OrderJson(order)));
        return $$"""{"client_oid":"{{order.ClientId}}","order_id":"{{order.Id}}"}""";
    }

    private string Cancel(JsonElement p) => Locked(() =>
    {
        if (_orders.FirstOrDefault(o => o.IsOpen && Matches(o, p)) is not { } order)
        {
            return """{"code":40401,"message":"NOT_FOUND"}""";
        }

        order.Status = "CANCELED";
        return $$"""{"client_oid":"{{order.ClientId}}","order_id":"{{order.Id}}"}""";
    });

    private static bool Matches(Order o, JsonElement p) =>
        (p.TryGetProperty("order_id", out var id) && id.GetString() == o.Id) || (p.TryGetProperty("client_oid", out var c) && c.GetString() == o.ClientId);

    private static bool Instrument(JsonElement p, Order o) => !p.TryGetProperty("instrument_name", out var i) || i.GetString() == o.Symbol;

    private static string Push(string channel, string symbol, string item) =>
        $$$"""{"id":-1,"method":"subscribe","code":0,"result":{"instrument_name":"{{{symbol}}}","subscription":"{{{channel}}}.{{{symbol}}}","channel":"{{{channel}}}","data":[{{{item}}}]}}""";

    private string Locked(Func<string> answer)
    {
        lock (_gate)
        {
            return answer();
        }
    }

    private static string OrderJson(Order o) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["account_id"] = "52e7c00f-1324-5a6z-bfgt-de445bde21a5",
        ["order_id"] = o.Id,
        ["client_oid"] = o.ClientId,
        ["order_type"] = o.Price is null ? "MARKET" : "LIMIT",
        ["time_in_force"] = "GOOD_TILL_CANCEL",
        ["side"] = o.Side,
        ["exec_inst"] = Array.Empty<string>(),
        ["quantity"] = D(o.Quantity),
        ["limit_price"] = D(o.Price ?? 0m),
        ["avg_price"] = "0",
        ["cumulative_quantity"] = D(o.Executed),
        ["cumulative_value"] = "0",
        ["cumulative_fee"] = "0",
        ["status"] = o.Status,
        ["instrument_name"] = o.Symbol,
        ["fee_instrument_name"] = "USDT",
        ["create_time"] = 1_799_999_999_000,
        ["update_time"] = 1_800_000_000_000,
    });

    private static string FillJson(Fill f) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["account_id"] = "52e7c00f-1324-5a6z-bfgt-de445bde21a5",
        ["journal_type"] = "TRADING",
        ["traded_quantity"] = D(f.Quantity),
        ["traded_price"] = D(f.Price),
        ["fees"] = D(-Math.Round(f.Price * f.Quantity * 0.00075m, 8)),
        ["order_id"] = f.Order.Id,
        ["trade_id"] = f.Id,
        ["client_oid"] = f.Order.ClientId,
        ["taker_side"] = "MAKER",
        ["side"] = f.Order.Side,
        ["instrument_name"] = f.Order.Symbol,
        ["fee_instrument_name"] = "USDT",
        ["create_time"] = f.Time,
    });

    private static decimal D(string text) => decimal.Parse(text, CultureInfo.InvariantCulture);

    private static string D(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed class Order(string id, string clientId, string symbol, string side, decimal quantity, decimal? price)
    {
        public string Id { get; } = id;

        public string ClientId { get; } = clientId;

        public string Symbol { get; } = symbol;

        public string Side { get; } = side;

        public decimal Quantity { get; } = quantity;

        public decimal? Price { get; } = price;

        public decimal Executed { get; set; }

        public string Status { get; set; } = "ACTIVE";

        public bool IsOpen => Status is "ACTIVE" or "NEW" or "PENDING";
    }

    private sealed record Fill(string Id, Order Order, decimal Price, decimal Quantity, long Time);
}
