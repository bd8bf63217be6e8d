using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace ActorTrading.TestExchange;

/// <summary>
/// Kraken Spot on loopback: WebSocket v2 on a <see cref="FakeWebSocketServer"/> (public data at <c>/v2</c>, the
/// account's at <c>/auth/v2</c>), REST on WireMock.Net. It checks what the venue checks: each private request's
/// <c>API-Key</c>, its <c>API-Sign</c> over the form body exactly as received and a nonce above the key's last
/// (answering <c>EAPI:Invalid key</c>, <c>EAPI:Invalid signature</c>, <c>EAPI:Invalid nonce</c>), and that every
/// private subscription carries a token <c>GetWebSocketsToken</c> issued. It keeps each book it serves at depth 10
/// and sends every update with the CRC32 of its top ten levels, written here from the docs' recipe (or a wrong one
/// when asked to).
/// </summary>
public sealed class FakeKrakenVenue : IAsyncDisposable
{
    public const string ApiKey = "kraken-fake-key";

    /// <summary>The docs' example private key (base64).</summary>
    public const string Secret = "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==";

    private const int Depth = 10;
    private readonly ConcurrentQueue<(int Connection, string Method, string Channel, string? Symbol, string? Token)> _requests = new();
    private readonly ConcurrentQueue<string> _tokens = new();
    private readonly ConcurrentQueue<(string Method, string Params)> _orderRequests = new();
    private readonly ConcurrentQueue<(string Path, IReadOnlyDictionary<string, string> Form)> _signed = new();
    private readonly ConcurrentDictionary<string, Book> _books = new();
    private readonly object _nonceLock = new();
    private long _lastNonce;

    private FakeKrakenVenue(FakeWebSocketServer ws)
    {
        Ws = ws;
        Rest = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });
        ws.SendWelcome = false;
        ws.AckSubscriptions = false;
        ws.AnswerPings = false;
        ws.OnClientMessage = Answer;
        Rest.Given(Request.Create().WithPath("/0/public/Time").UsingGet()).AtPriority(100).RespondWith(Response.Create().WithCallback(_ =>
            WireMockAnswers.Json(200, $$$"""{"error":[],"result":{"unixtime":{{{(DateTimeOffset.UtcNow + ClockAhead).ToUnixTimeSeconds()}}},"rfc1123":"now"}}""")));
        Rest.Given(Request.Create().WithPath("/0/public/AssetPairs").UsingGet()).AtPriority(100).RespondWith(Response.Create().WithCallback(_ =>
            WireMockAnswers.Json(200, """
                {"error":[],"result":{
                "XXBTZUSD":{"altname":"XBTUSD","wsname":"XBT/USD","base":"XXBT","quote":"ZUSD","cost_decimals":5,"pair_decimals":1,"lot_decimals":8,"ordermin":"0.0001","costmin":"0.5","tick_size":"0.1","status":"online"},
                "XETHZUSD":{"altname":"ETHUSD","wsname":"ETH/USD","base":"XETH","quote":"ZUSD","cost_decimals":5,"pair_decimals":2,"lot_decimals":8,"ordermin":"0.002","costmin":"0.5","tick_size":"0.01","status":"online"}}}
                """)));
        ServeSigned("GetWebSocketsToken", _ =>
        {
            var token = "kraken-ws-token-" + (_tokens.Count + 1).ToString("D3", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N");
            _tokens.Enqueue(token);
            return $$"""{"token":"{{token}}","expires":900}""";
        });
    }

    public FakeWebSocketServer Ws { get; }

    public WireMockServer Rest { get; }

    public Uri RestUri => new(Rest.Url!);

    /// <summary>How far the venue's clock is ahead of this machine's (its <c>Time</c> answer).</summary>
    public TimeSpan ClockAhead { get; set; }

    /// <summary>Nonces at or below this are refused (a key another client used with higher nonces).</summary>
    public void RaiseNonceFloor(long nonce)
    {
        lock (_nonceLock)
        {
            _lastNonce = Math.Max(_lastNonce, nonce);
        }
    }

    /// <summary>The stream host as the adapters take it (scheme, host, port).</summary>
    public Uri StreamBase => new(Ws.Uri.GetLeftPart(UriPartial.Authority));

    /// <summary>Pairs and their price and quantity precision, as the instrument channel tells them.</summary>
    public Dictionary<string, (int Price, int Qty)> Precisions { get; } = new() { ["BTC/USD"] = (1, 8), ["ETH/USD"] = (2, 8) };

    /// <summary>The snapshot an <c>executions</c> subscription gets (the account's open orders and last fills), when an account is set up.</summary>
    public Func<string>? ExecutionsSnapshot { get; set; }

    /// <summary>Answers an order request on the account's socket (<c>add_order</c>, …) given its params: the result's JSON, or an error text.</summary>
    public Func<string, JsonElement, (string? Result, string? Error)>? OrderRequests { get; set; }

    /// <summary>Order requests received on the account's socket whose token held: the method and its params.</summary>
    public IReadOnlyList<(string Method, string Params)> OrderRequestsReceived => _orderRequests.ToArray();

    /// <summary>Every subscribe and unsubscribe, in order: the connection, the method, the channel, the symbol and the token.</summary>
    public IReadOnlyList<(int Connection, string Method, string Channel, string? Symbol, string? Token)> Requests => _requests.ToArray();

    /// <summary>The WebSocket tokens issued, in order.</summary>
    public IReadOnlyList<string> Tokens => _tokens.ToArray();

    /// <summary>Private requests whose key, signature and nonce held: the path and the form fields.</summary>
    public IReadOnlyList<(string Path, IReadOnlyDictionary<string, string> Form)> Signed => _signed.ToArray();

    public static async Task<FakeKrakenVenue> StartAsync() => new(await FakeWebSocketServer.StartAsync().ConfigureAwait(false));

    /// <summary>The book a subscription's snapshot starts from.</summary>
    public void SetBook(string symbol, IEnumerable<(decimal Price, decimal Qty)> bids, IEnumerable<(decimal Price, decimal Qty)> asks)
    {
        var book = new Book();
        foreach (var (price, qty) in bids)
        {
            book.Bids[price] = qty;
        }

        foreach (var (price, qty) in asks)
        {
            book.Asks[price] = qty;
        }

        _books[symbol] = book;
    }

    /// <summary>Applies levels (qty 0 removes), keeps depth 10 and sends the update to the public sockets with its checksum, or a wrong one.</summary>
    public Task PushBookUpdateAsync(string symbol, IEnumerable<(decimal Price, decimal Qty)> bids, IEnumerable<(decimal Price, decimal Qty)> asks, bool wrongChecksum = false)
    {
        var book = _books[symbol];
        var bidLevels = bids.ToArray();
        var askLevels = asks.ToArray();
        lock (book)
        {
            Apply(book.Bids, bidLevels);
            Apply(book.Asks, askLevels);
        }

        var checksum = Checksum(symbol, book) + (wrongChecksum ? 1u : 0u);
        return Ws.SendToPathAsync("/v2", $$"""
            {"channel":"book","type":"update","data":[{"symbol":"{{symbol}}","bids":[{{Levels(bidLevels)}}],"asks":[{{Levels(askLevels)}}],"checksum":{{checksum}},"timestamp":"{{DateTimeOffset.UtcNow:O}}"}]}
            """);
    }

    /// <summary>Sends a frame to the account's sockets.</summary>
    public Task PushPrivateAsync(string frame) => Ws.SendToPathAsync("/auth/v2", frame);

    /// <summary>
    /// Answers a private endpoint: the callback runs only for requests whose key, signature and nonce hold, with the form's
    /// fields, and gives the result (or a whole <c>{"error":[…]}</c> envelope).
    /// </summary>
    public FakeKrakenVenue ServeSigned(string method, Func<IReadOnlyDictionary<string, string>, string> result)
    {
        var path = "/0/private/" + method;
        Rest.Given(Request.Create().WithPath(path).UsingPost()).RespondWith(Response.Create().WithCallback(request =>
        {
            var body = request.Body ?? string.Empty;
            var form = body.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2))
                .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : string.Empty);
            var header = (string name) => request.Headers is { } h && h.TryGetValue(name, out var values) ? values.FirstOrDefault() : null;
            if (header("API-Key") != ApiKey)
            {
                return Error("EAPI:Invalid key");
            }

            if (!form.TryGetValue("nonce", out var nonceText) || !long.TryParse(nonceText, NumberStyles.None, CultureInfo.InvariantCulture, out var nonce)
                || header("API-Sign") != Sign(path, nonceText, body))
            {
                return Error("EAPI:Invalid signature");
            }

            lock (_nonceLock)
            {
                if (nonce <= _lastNonce)
                {
                    return Error("EAPI:Invalid nonce");
                }

                _lastNonce = nonce;
            }

            _signed.Enqueue((path, form));
            var answer = result(form);

            // An answer that is already an error envelope goes as it is; anything else is the result.
            return WireMockAnswers.Json(200, answer.StartsWith("""{"error":[""", StringComparison.Ordinal) ? answer : $$"""{"error":[],"result":{{answer}}}""");
        }));
        return this;
    }

    /// <summary>API-Sign as the docs define it: base64(HMAC-SHA512(base64-decoded secret, path + SHA256(nonce + body))).</summary>
    public static string Sign(string path, string nonce, string body)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(nonce + body));
        return Convert.ToBase64String(HMACSHA512.HashData(Convert.FromBase64String(Secret), Encoding.UTF8.GetBytes(path).Concat(hash).ToArray()));
    }

    public async ValueTask DisposeAsync()
    {
        Rest.Stop();
        await Ws.DisposeAsync().ConfigureAwait(false);
    }

    private static ResponseMessage Error(string error) => WireMockAnswers.Json(200, $$"""{"error":["{{error}}"]}""");

    private IEnumerable<string> Answer(ClientMessage message)
    {
        using var document = JsonDocument.Parse(message.Text);
        var root = document.RootElement;
        var method = root.GetProperty("method").GetString()!;
        var id = root.TryGetProperty("req_id", out var r) ? r.GetInt64() : 0;
        var isPrivate = Ws.PathOf(message.ConnectionId) == "/auth/v2";
        if (method == "ping")
        {
            return [$$"""{"method":"pong","req_id":{{id}},"time_in":"{{DateTimeOffset.UtcNow:O}}","time_out":"{{DateTimeOffset.UtcNow:O}}"}"""];
        }

        var parameters = root.GetProperty("params");
        if (method is "add_order" or "cancel_order" or "amend_order")
        {
            var now = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
            var orderToken = parameters.TryGetProperty("token", out var ot) ? ot.GetString() : null;
            if (!isPrivate || orderToken is null || !_tokens.Contains(orderToken) || OrderRequests is not { } handle)
            {
                return [$$"""{"error":"EAccount:Invalid token","method":"{{method}}","success":false,"req_id":{{id}},"time_in":"{{now}}","time_out":"{{now}}"}"""];
            }

            _orderRequests.Enqueue((method, parameters.GetRawText()));
            var (answer, error) = handle(method, parameters);
            return [error is null
                ? $$"""{"method":"{{method}}","req_id":{{id}},"result":{{answer}},"success":true,"time_in":"{{now}}","time_out":"{{now}}"}"""
                : $$"""{"error":"{{error}}","method":"{{method}}","req_id":{{id}},"success":false,"time_in":"{{now}}","time_out":"{{now}}"}"""];
        }

        var channel = parameters.GetProperty("channel").GetString()!;
        var symbol = parameters.TryGetProperty("symbol", out var s) ? s[0].GetString() : null;
        var token = parameters.TryGetProperty("token", out var t) ? t.GetString() : null;
        _requests.Enqueue((message.ConnectionId, method, channel, symbol, token));
        if (isPrivate && (token is null || !_tokens.Contains(token)))
        {
            return [$$"""{"error":"EAccount:Invalid token","method":"{{method}}","success":false,"req_id":{{id}},"time_in":"{{DateTimeOffset.UtcNow:O}}","time_out":"{{DateTimeOffset.UtcNow:O}}"}"""];
        }

        var result = channel == "book" ? $$"""{"channel":"book","depth":{{Depth}},"snapshot":true,"symbol":"{{symbol}}"}"""
            : symbol is null ? $$"""{"channel":"{{channel}}","snapshot":true}"""
            : $$"""{"channel":"{{channel}}","snapshot":true,"symbol":"{{symbol}}"}""";
        var ack = $$"""{"method":"{{method}}","result":{{result}},"success":true,"time_in":"{{DateTimeOffset.UtcNow:O}}","time_out":"{{DateTimeOffset.UtcNow:O}}","req_id":{{id}}}""";
        if (method != "subscribe")
        {
            return [ack];
        }

        return channel switch
        {
            "instrument" => [ack, Instruments()],
            "book" when symbol is not null && _books.TryGetValue(symbol, out var book) => [ack, Snapshot(symbol, book)],
            "executions" when ExecutionsSnapshot is { } executions => [ack, executions()],
            _ => [ack],
        };
    }

    private string Instruments() =>
        """{"channel":"instrument","type":"snapshot","data":{"assets":[],"pairs":["""
        + string.Join(",", Precisions.Select(p => $$"""{"symbol":"{{p.Key}}","status":"online","price_precision":{{p.Value.Price}},"qty_precision":{{p.Value.Qty}}}"""))
        + "]}}";

    private string Snapshot(string symbol, Book book)
    {
        (decimal, decimal)[] bids, asks;
        lock (book)
        {
            bids = book.Bids.Take(Depth).Select(l => (l.Key, l.Value)).ToArray();
            asks = book.Asks.Take(Depth).Select(l => (l.Key, l.Value)).ToArray();
        }

        return $$"""{"channel":"book","type":"snapshot","data":[{"symbol":"{{symbol}}","bids":[{{Levels(bids)}}],"asks":[{{Levels(asks)}}],"checksum":{{Checksum(symbol, book)}}}]}""";
    }

    private static void Apply(SortedDictionary<decimal, decimal> side, IEnumerable<(decimal Price, decimal Qty)> levels)
    {
        foreach (var (price, qty) in levels)
        {
            if (qty == 0)
            {
                side.Remove(price);
            }
            else
            {
                side[price] = qty;
            }
        }

        foreach (var beyond in side.Keys.Skip(Depth).ToArray())
        {
            side.Remove(beyond);
        }
    }

    /// <summary>The docs' recipe: asks then bids, top ten each, price and qty at the pair's precision, point and leading zeros gone, CRC32.</summary>
    private uint Checksum(string symbol, Book book)
    {
        var (priceDecimals, qtyDecimals) = Precisions[symbol];
        var text = new StringBuilder();
        lock (book)
        {
            foreach (var (price, qty) in book.Asks.Take(10).Concat(book.Bids.Take(10)))
            {
                text.Append(Digits(price, priceDecimals)).Append(Digits(qty, qtyDecimals));
            }
        }

        return Crc32.HashToUInt32(Encoding.ASCII.GetBytes(text.ToString()));
    }

    private static string Digits(decimal value, int decimals) =>
        value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture).Replace(".", string.Empty, StringComparison.Ordinal).TrimStart('0');

    private static string Levels(IEnumerable<(decimal Price, decimal Qty)> levels) =>
        string.Join(",", levels.Select(l => $$"""{"price":{{l.Price.ToString(CultureInfo.InvariantCulture)}},"qty":{{l.Qty.ToString(CultureInfo.InvariantCulture)}}}"""));

    private sealed class Book
    {
        public SortedDictionary<decimal, decimal> Bids { get; } = new(Comparer<decimal>.Create((a, b) => b.CompareTo(a)));

        public SortedDictionary<decimal, decimal> Asks { get; } = new();
    }
}
