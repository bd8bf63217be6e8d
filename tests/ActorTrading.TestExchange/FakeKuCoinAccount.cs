using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using WireMock;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using static ActorTrading.TestExchange.WireMockAnswers;

namespace ActorTrading.TestExchange;

/// <summary>
/// A KuCoin Futures account on a <see cref="FakeKuCoinRest"/> that keeps the truth a node is checked against. It checks
/// what the venue checks on every private request — <c>KC-API-KEY</c>, the passphrase HMAC-signed with the secret, and
/// <c>KC-API-SIGN</c> = base64(HMAC-SHA256(secret, timestamp + METHOD + path?query + body)) — and answers KuCoin's codes
/// when they are wrong. Orders are taken by <c>POST /api/v1/orders</c> and <c>/orders/multi</c>, canceled by
/// <c>DELETE /api/v1/orders/client-order/{clientOid}</c>, <c>/orders/{orderId}</c> and <c>/orders/multi-cancel</c>; the
/// queries reconciliation reads (active orders, stop orders, recent fills, one order by clientOid, one order's fills,
/// positions) are answered from it. Its private socket (<c>POST /api/v1/bullet-private</c>) carries
/// <c>/contractMarket/tradeOrders</c> pushes: <c>open</c> when an order is taken, <c>match</c> for each fill the test
/// makes, <c>canceled</c> on a cancel.
/// </summary>
public sealed class FakeKuCoinAccount : IFakeAccount
{
    public const string ApiKey = "fake-kucoin-key";

    public const string Secret = "fake-kucoin-secret-0123456789abcdef";

    public const string Passphrase = "fake-kucoin-passphrase";

    /// <summary>The path of the private socket on the stream server (public sockets use others).</summary>
    public const string PrivatePath = "/kucoin-private";

    private static readonly byte[] SecretBytes = Encoding.UTF8.GetBytes(Secret);
    private static readonly string SignedPassphrase = Sign(Passphrase);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Order> _orders = new(StringComparer.Ordinal);
    private readonly List<Trade> _trades = [];
    private readonly ConcurrentDictionary<string, long> _arrivals = new(StringComparer.Ordinal);
    private readonly FakeWebSocketServer _ws;
    private long _nextOrderId = 300_000_000_000_000_000;
    private int _tokens;

    /// <summary>The account on <paramref name="rest"/>; its private socket is on <paramref name="ws"/> at <see cref="PrivatePath"/>.</summary>
    public FakeKuCoinAccount(FakeKuCoinRest rest, FakeWebSocketServer ws)
    {
        _ws = ws;
        var server = rest.Server;
        Serve(server, "/api/v1/bullet-private", "POST", PrivateBullet);
        Serve(server, "/api/v1/orders", "POST", Place);
        Serve(server, "/api/v1/orders/multi", "POST", PlaceBatch);
        Serve(server, "/api/v1/orders/multi-cancel", "DELETE", CancelBatch);
        Serve(server, "/api/v1/orders/client-order/*", "DELETE", r => Locked(() => Cancel(_orders.GetValueOrDefault(Uri.UnescapeDataString(r.Path.Split('/')[^1])))
            is { } order ? (200, Ok($$"""{"clientOid":"{{order.ClientOid}}"}""")) : NotFound()));
        Serve(server, "/api/v1/orders/byClientOid", "GET", r => Locked(() => _orders.GetValueOrDefault(Query(r, "clientOid") ?? string.Empty) is { } order
            ? (200, Ok(OrderJson(order)))
            : (200, Ok("null"))));
        Serve(server, "/api/v1/orders", "GET", r => Locked(() => (200, Ok(Page(_orders.Values.Where(o => Query(r, "status") != "active" || o.IsOpen).Select(OrderJson))))));
        Serve(server, "/api/v1/stopOrders", "GET", _ => (200, Ok(Page([]))));
        Serve(server, "/api/v1/recentFills", "GET", _ => Locked(() => (200, Ok("[" + string.Join(",", _trades.Select(FillJson)) + "]"))));
        Serve(server, "/api/v1/fills", "GET", r => Locked(() => (200, Ok(Page(_trades.Where(t => t.Order.Id == Query(r, "orderId")).Select(FillJson))))));
        Serve(server, "/api/v1/positions", "GET", _ => Locked(() => (200, Ok("[" + string.Join(",", Positions()) + "]"))));
        Serve(server, "/api/v1/orders/*", "DELETE", r => Locked(() => Cancel(_orders.Values.FirstOrDefault(o => o.Id == r.Path.Split('/')[^1]))
            is { } order ? (200, Ok($$"""{"cancelledOrderIds":["{{order.Id}}"]}""")) : NotFound()), priority: 5);
    }

    /// <summary>Orders the venue took, in the order it took them.</summary>
    public int Placements { get; private set; }

    /// <summary>Private requests refused for a wrong key, passphrase or signature.</summary>
    public int SignatureRefusals { get; private set; }

    /// <summary>
    /// The account's request quota per 30 s, sent in <c>gw-ratelimit-limit</c> as the venue tells each account its own
    /// (its VIP level's); null sends no rate-limit headers.
    /// </summary>
    public int? QuotaLimit { get; set; }

    /// <summary>Whether a placement pushes <c>open</c> on the private socket, as the venue does (on by default).</summary>
    public bool PushOpen { get; set; } = true;

    /// <summary>
    /// When the placement of <paramref name="clientOid"/> reached the venue (<see cref="Stopwatch.GetTimestamp"/>, taken as
    /// its request is handled, before anything is checked), or null.
    /// </summary>
    public long? ArrivalOf(string clientOid) => _arrivals.TryGetValue(clientOid, out var at) ? at : null;

    /// <summary>Called with each order's clientOid the moment its placement reaches the venue (a benchmark's stopwatch).</summary>
    public Action<string>? Arrived { get; set; }

    public IReadOnlyList<FakeOrder> Orders
    {
        get
        {
            lock (_gate)
            {
                return _orders.Values.Select(o => new FakeOrder(o.ClientOid, o.Symbol, o.Size, o.Price, o.Filled, o.IsOpen,
                    _trades.Where(t => t.Order == o).Select(t => (t.Id, t.Size)).ToArray())).ToArray();
            }
        }
    }

    /// <summary>Fills <paramref name="size"/> lots of the order as trade <paramref name="tradeId"/>, pushed <paramref name="pushes"/> times (0: recorded only).</summary>
    public async Task<bool> FillAsync(string clientOrderId, decimal size, decimal price, string tradeId, int pushes = 1)
    {
        string frame;
        lock (_gate)
        {
            if (_orders.GetValueOrDefault(clientOrderId) is not { IsOpen: true } order)
            {
                return false;
            }

            order.Filled += size;
            if (order.Filled == order.Size)
            {
                order.Status = "done";
            }

            var trade = new Trade(tradeId, order, price, size, Math.Round(price * size * 0.001m * 0.0002m, 8), Nanoseconds());
            _trades.Add(trade);
            frame = Push(order, "match", trade);
        }

        for (var i = 0; i < pushes; i++)
        {
            await _ws.SendToPathAsync(PrivatePath, frame).ConfigureAwait(false);
        }

        return true;
    }

    private void Serve(WireMock.Server.WireMockServer server, string path, string method, Func<IRequestMessage, (int Status, string Body)> answer, int priority = 1)
    {
        var request = path.Contains('*') ? Request.Create().WithPath(new WildcardMatcher(path)) : Request.Create().WithPath(path);
        server.Given(request.UsingMethod(method)).AtPriority(priority).RespondWith(Response.Create().WithCallback(r =>
        {
            if (Refusal(r) is { } refused)
            {
                lock (_gate)
                {
                    SignatureRefusals++;
                }

                return Json(401, refused);
            }

            var (status, body) = answer(r);
            var response = Json(status, body);
            if (QuotaLimit is { } quota)
            {
                response.Headers!["gw-ratelimit-limit"] = new WireMock.Types.WireMockList<string>(quota.ToString(CultureInfo.InvariantCulture));
            }

            return response;
        }));
    }

    private (int, string) Place(IRequestMessage request)
    {
        var body = JsonDocument.Parse(request.Body!).RootElement;
        Stamp(body);
        var (status, answer, push) = Locked(() => Take(body));
        PushLater(push);
        return (status, answer);
    }

    private (int, string) PlaceBatch(IRequestMessage request)
    {
        var orders = JsonDocument.Parse(request.Body!).RootElement.EnumerateArray().ToArray();
        foreach (var order in orders)
        {
            Stamp(order);
        }

        var results = new List<string>();
        var pushes = new List<string?>();
        lock (_gate)
        {
            foreach (var order in orders)
            {
                var (_, _, push) = Take(order);
                var clientOid = order.GetProperty("clientOid").GetString();
                var taken = push is not null ? _orders[clientOid!] : null;
                results.Add(taken is not null
                    ? $$"""{"orderId":"{{taken.Id}}","clientOid":"{{clientOid}}","symbol":"{{taken.Symbol}}","code":"200000","msg":"success"}"""
                    : $$"""{"orderId":null,"clientOid":"{{clientOid}}","symbol":"{{order.GetProperty("symbol").GetString()}}","code":"400100","msg":"clientOid duplicated"}""");
                pushes.Add(push);
            }
        }

        foreach (var push in pushes)
        {
            PushLater(push);
        }

        return (200, Ok("[" + string.Join(",", results) + "]"));
    }

    private (int, string) CancelBatch(IRequestMessage request)
    {
        var refs = JsonDocument.Parse(request.Body!).RootElement.GetProperty("clientOidsList").EnumerateArray()
            .Select(r => r.GetProperty("clientOid").GetString()!).ToArray();
        return Locked(() => (200, Ok("[" + string.Join(",", refs.Select(id => Cancel(_orders.GetValueOrDefault(id)) is { } order
            ? $$"""{"orderId":"{{order.Id}}","clientOid":"{{id}}","code":"200","msg":"success"}"""
            : $$"""{"orderId":null,"clientOid":"{{id}}","code":"100004","msg":"The order cannot be canceled"}""")) + "]")));
    }

    private void Stamp(JsonElement order)
    {
        if (order.TryGetProperty("clientOid", out var id) && id.GetString() is { } clientOid)
        {
            _arrivals.TryAdd(clientOid, Stopwatch.GetTimestamp());
            Arrived?.Invoke(clientOid);
        }
    }

    /// <summary>Takes one order (under the lock): the answer, and the <c>open</c> push to send (null: refused).</summary>
    private (int Status, string Body, string? Push) Take(JsonElement body)
    {
        var clientOid = body.GetProperty("clientOid").GetString()!;
        if (_orders.ContainsKey(clientOid))
        {
            // The fake's own refusal of a repeated clientOid: a node must never send one twice.
            return (200, """{"code":"400100","msg":"clientOid duplicated"}""", null);
        }

        Placements++;
        var order = new Order((++_nextOrderId).ToString(CultureInfo.InvariantCulture), clientOid, body.GetProperty("symbol").GetString()!,
            body.GetProperty("side").GetString()!, body.GetProperty("size").GetDecimal(),
            body.TryGetProperty("price", out var price) ? decimal.Parse(price.GetString()!, CultureInfo.InvariantCulture) : null, Nanoseconds());
        _orders[clientOid] = order;
        return (200, Ok($$"""{"orderId":"{{order.Id}}","clientOid":"{{clientOid}}"}"""), PushOpen ? Push(order, "open", null) : null);
    }

    /// <summary>Cancels an open order (under the lock) and pushes <c>canceled</c>; null when there is no open order.</summary>
    private Order? Cancel(Order? order)
    {
        if (order is not { IsOpen: true })
        {
            return null;
        }

        order.Status = "done";
        order.Canceled = true;
        PushLater(Push(order, "canceled", null));
        return order;
    }

    /// <summary>Sends a push after the answer is on its way, as the venue's own pushes come apart from the answers.</summary>
    private void PushLater(string? frame)
    {
        if (frame is not null)
        {
            _ = Task.Run(() => _ws.SendToPathAsync(PrivatePath, frame));
        }
    }

    private static string Push(Order o, string type, Trade? trade)
    {
        var match = trade is null ? string.Empty
            : ",\"tradeId\":\"" + trade.Id + "\",\"matchPrice\":\"" + D(trade.Price) + "\",\"matchSize\":\"" + D(trade.Size) + "\",\"liquidity\":\"maker\"";
        var status = type == "match" && o.IsOpen ? "match" : o.Status;
        return $$"""
            {"topic":"/contractMarket/tradeOrders","type":"message","subject":"symbolOrderChange","channelType":"private","data":{"symbol":"{{o.Symbol}}","side":"{{o.Side}}","orderType":"limit","orderId":"{{o.Id}}","clientOid":"{{o.ClientOid}}","marginMode":"ISOLATED","type":"{{type}}","orderTime":{{o.OrderTime}},"size":"{{D(o.Size)}}","filledSize":"{{D(o.Filled)}}","price":"{{D(o.Price ?? 0)}}","remainSize":"{{D(o.IsOpen ? o.Size - o.Filled : 0)}}","canceledSize":"{{D(o.Canceled ? o.Size - o.Filled : 0)}}","status":"{{status}}","ts":{{Nanoseconds()}}{{match}}
            """.Trim() + "}}";
    }

    private (int, string) PrivateBullet(IRequestMessage request)
    {
        var endpoint = new Uri(_ws.Uri, PrivatePath);
        return (200, Ok($$"""{"token":"private-token-{{Interlocked.Increment(ref _tokens)}}","instanceServers":[{"endpoint":"{{endpoint}}","encrypt":false,"protocol":"websocket","pingInterval":18000,"pingTimeout":10000}]}"""));
    }

    /// <summary>KuCoin's answer to a private request with a wrong key, passphrase or signature (null: it passes).</summary>
    private static string? Refusal(IRequestMessage request)
    {
        string? Header(string name) => request.Headers?.TryGetValue(name, out var values) == true ? values.FirstOrDefault() : null;
        if (Header("KC-API-KEY") != ApiKey)
        {
            return """{"code":"400003","msg":"KC-API-KEY not exists"}""";
        }

        if (Header("KC-API-PASSPHRASE") != SignedPassphrase)
        {
            return """{"code":"400004","msg":"Invalid KC-API-PASSPHRASE"}""";
        }

        var query = string.IsNullOrEmpty(request.RawQuery) ? string.Empty : "?" + Uri.UnescapeDataString(request.RawQuery.TrimStart('?'));
        var prehash = Header("KC-API-TIMESTAMP") + request.Method.ToUpperInvariant() + request.Path + query + (request.Body ?? string.Empty);
        return Header("KC-API-SIGN") == Sign(prehash) ? null : """{"code":"400005","msg":"Invalid KC-API-SIGN"}""";
    }

    private static string Sign(string payload) => Convert.ToBase64String(HMACSHA256.HashData(SecretBytes, Encoding.UTF8.GetBytes(payload)));

    private IEnumerable<string> Positions() =>
        _trades.GroupBy(t => t.Order.Symbol).Select(g =>
        {
            var quantity = g.Sum(t => t.Order.Side == "buy" ? t.Size : -t.Size);
            var entry = g.Last().Price;
            return $$"""
                {"id":"pos-{{g.Key}}","symbol":"{{g.Key}}","crossMode":false,"autoDeposit":false,"maintMarginReq":0.005,"riskLimit":500000,"realLeverage":1,"delevPercentage":0.5,"openingTimestamp":1729155616322,"currentTimestamp":1730636040926,"currentQty":{{D(quantity)}},"currentCost":0,"currentComm":0,"unrealisedCost":0,"realisedGrossCost":0,"realisedCost":0,"isOpen":{{(quantity != 0 ? "true" : "false")}},"markPrice":{{D(entry)}},"markValue":0,"posCost":0,"posInit":0,"posMargin":0,"posMaint":0,"maintMargin":0,"realisedGrossPnl":0,"realisedPnl":0,"unrealisedPnl":0,"unrealisedPnlPcnt":0,"unrealisedRoePcnt":0,"avgEntryPrice":{{D(entry)}},"liquidationPrice":0,"bankruptPrice":0,"settleCurrency":"USDT","isInverse":false,"marginMode":"ISOLATED","positionSide":"BOTH","leverage":1}
                """.Trim();
        });

    private static string OrderJson(Order o) => $$"""
        {"id":"{{o.Id}}","symbol":"{{o.Symbol}}","type":"limit","side":"{{o.Side}}","price":"{{D(o.Price ?? 0)}}","size":{{D(o.Size)}},"value":"0","dealValue":"0","dealSize":{{D(o.Filled)}},"stp":"","stop":"","stopPriceType":"","stopTriggered":false,"stopPrice":null,"timeInForce":"GTC","postOnly":false,"hidden":false,"iceberg":false,"leverage":"1","forceHold":false,"closeOrder":false,"visibleSize":0,"clientOid":"{{o.ClientOid}}","remark":null,"tags":"","isActive":{{(o.IsOpen ? "true" : "false")}},"cancelExist":{{(o.Canceled ? "true" : "false")}},"createdAt":{{o.OrderTime / 1_000_000}},"updatedAt":{{o.OrderTime / 1_000_000}},"endAt":null,"orderTime":{{o.OrderTime}},"settleCurrency":"USDT","marginMode":"ISOLATED","avgDealPrice":"0","filledSize":{{D(o.Filled)}},"filledValue":"0","status":"{{o.Status}}","reduceOnly":false}
        """.Trim();

    private static string FillJson(Trade t) => $$"""
        {"symbol":"{{t.Order.Symbol}}","tradeId":"{{t.Id}}","orderId":"{{t.Order.Id}}","side":"{{t.Order.Side}}","liquidity":"maker","forceTaker":false,"price":"{{D(t.Price)}}","size":{{D(t.Size)}},"value":"{{D(t.Price * t.Size * 0.001m)}}","openFeePay":"{{D(t.Fee)}}","closeFeePay":"0","stop":"","feeRate":"0.00020","fixFee":"0","feeCurrency":"USDT","marginMode":"ISOLATED","fee":"{{D(t.Fee)}}","settleCurrency":"USDT","orderType":"limit","displayType":"limit","tradeType":"trade","subTradeType":null,"tradeTime":{{t.Time}},"createdAt":{{t.Time / 1_000_000}}}
        """.Trim();

    private static string Page(IEnumerable<string> items)
    {
        var all = items.ToArray();
        return $$"""{"currentPage":1,"pageSize":1000,"totalNum":{{all.Length}},"totalPage":1,"items":[{{string.Join(",", all)}}]}""";
    }

    private static string Ok(string data) => $$"""{"code":"200000","data":{{data}}}""";

    private static (int, string) NotFound() => (200, """{"code":"100004","msg":"The order cannot be canceled"}""");

    private static string? Query(IRequestMessage request, string name) =>
        request.Query?.TryGetValue(name, out var values) == true ? values.FirstOrDefault() : null;

    private static long Nanoseconds() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;

    private static string D(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private T Locked<T>(Func<T> answer)
    {
        lock (_gate)
        {
            return answer();
        }
    }

    private sealed class Order(string id, string clientOid, string symbol, string side, decimal size, decimal? price, long orderTime)
    {
        public string Id { get; } = id;

        public string ClientOid { get; } = clientOid;

        public string Symbol { get; } = symbol;

        public string Side { get; } = side;

        public decimal Size { get; } = size;

        public decimal? Price { get; } = price;

        public long OrderTime { get; } = orderTime;

        public decimal Filled { get; set; }

        public string Status { get; set; } = "open";

        public bool Canceled { get; set; }

        public bool IsOpen => Status == "open";
    }

    private sealed record Trade(string Id, Order Order, decimal Price, decimal Size, decimal Fee, long Time);
}
