using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ActorTrading.Simulator;

/// <summary>
/// A self-running Binance USDⓈ-M Futures on 127.0.0.1 (<c>run --simulate binance</c>, and end-to-end specs): REST
/// <c>GET /fapi/v1/exchangeInfo</c>, <c>/fapi/v1/depth</c> (its <c>lastUpdateId</c> consistent with the stream) and
/// <c>/fapi/v1/time</c>; combined-stream sockets on the routed paths (<c>/public/stream</c>, <c>/market/stream</c>)
/// that take <c>SUBSCRIBE</c>/<c>UNSUBSCRIBE</c> and stream, per subscribed stream, <c>depthUpdate</c> chained by
/// <c>pu</c>, <c>aggTrade</c>, <c>bookTicker</c>, <c>markPriceUpdate</c> and 1-minute klines. WebSocket pings are
/// answered by Kestrel.
/// </summary>
public sealed class SimulatedBinanceFutures : SimulatedServer
{
    private readonly ConcurrentDictionary<int, (WebSocketPeer Peer, ConcurrentDictionary<string, bool> Streams)> _connections = new();
    private int _nextConnection;

    // A market's multiplier is its lot step: the simulated whole units become base-asset quantities.
    private SimulatedBinanceFutures(WebApplication app, IEnumerable<(string Symbol, decimal Mid, decimal Tick, decimal Step)> markets, int seed)
        : base(app, markets, seed)
    {
    }

    /// <summary>The stream host to point the venue at (<c>WsEndpoint</c>): the same server.</summary>
    public Uri StreamBase => new UriBuilder(RestBaseUri) { Scheme = "ws" }.Uri;

    public int OpenConnections => _connections.Count;

    private protected override IEnumerable<WebSocket> OpenSockets => _connections.Values.Select(c => c.Peer.Socket);

    /// <param name="tick">How often every market moves (default 100 ms).</param>
    /// <param name="seed">The random seed: the same seed gives the same market.</param>
    /// <param name="moreMarkets">Markets beyond the venue's own two (A01, A02, …).</param>
    public static async Task<SimulatedBinanceFutures> StartAsync(TimeSpan? tick = null, int seed = 42, int moreMarkets = 0)
    {
        var app = LoopbackServer.Create();
        var venue = new SimulatedBinanceFutures(app, [("BTCUSDT", 90000m, 0.1m, 0.001m), ("ETHUSDT", 3000m, 0.01m, 0.001m), .. MoreMarkets(moreMarkets, coin => coin + "USDT", 0.01m)], seed);
        app.MapGet("/fapi/v1/exchangeInfo", venue.ExchangeInfo);
        app.MapGet("/fapi/v1/depth", venue.Depth);
        app.MapGet("/fapi/v1/time", () => Results.Text($$"""{"serverTime":{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}}""", "application/json"));
        app.Map("/public/stream", (Func<HttpContext, Task>)venue.StreamAsync);
        app.Map("/market/stream", (Func<HttpContext, Task>)venue.StreamAsync);
        await venue.StartServingAsync(tick ?? TimeSpan.FromMilliseconds(100)).ConfigureAwait(false);
        return venue;
    }

    private IResult ExchangeInfo()
    {
        var symbols = Markets.Values.Select(m => $$"""
            {"symbol":"{{m.Symbol}}","pair":"{{m.Symbol}}","contractType":"PERPETUAL","status":"TRADING","baseAsset":"{{m.Symbol[..^4]}}","quoteAsset":"USDT","marginAsset":"USDT","pricePrecision":2,"quantityPrecision":3,"filters":[{"filterType":"PRICE_FILTER","minPrice":"{{D(m.Tick)}}","maxPrice":"1000000","tickSize":"{{D(m.Tick)}}"},{"filterType":"LOT_SIZE","minQty":"{{D(m.Multiplier)}}","maxQty":"1000","stepSize":"{{D(m.Multiplier)}}"},{"filterType":"MIN_NOTIONAL","notional":"5"}]}
            """.Trim());
        return Results.Text($$"""{"timezone":"UTC","serverTime":{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}},"rateLimits":[],"symbols":[{{string.Join(",", symbols)}}]}""", "application/json");
    }

    private IResult Depth(string? symbol)
    {
        if (symbol is null || !Markets.TryGetValue(symbol, out var market))
        {
            return Results.Text("""{"code":-1121,"msg":"Invalid symbol."}""", "application/json", statusCode: 400);
        }

        var book = market.Snapshot();
        var ms = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return Results.Text(
            $$"""{"lastUpdateId":{{book.Sequence}},"E":{{ms}},"T":{{ms}},"bids":[{{Levels(market, book.Bids)}}],"asks":[{{Levels(market, book.Asks)}}]}""",
            "application/json");
    }

    private async Task StreamAsync(HttpContext http)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var peer = new WebSocketPeer(socket);
        var streams = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        foreach (var stream in http.Request.Query["streams"].ToString().Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            streams[stream] = true;
        }

        var id = Interlocked.Increment(ref _nextConnection);
        _connections[id] = (peer, streams);
        try
        {
            while (await peer.ReceiveAsync(http.RequestAborted).ConfigureAwait(false) is { } frame)
            {
                await peer.SendAsync(Answer(frame, streams)).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // A client that drops or aborts is normal for a venue.
        }
        finally
        {
            _connections.TryRemove(id, out _);
        }
    }

    /// <summary><c>{"result":null,"id":…}</c> for a (un)subscribe, noting its streams; Binance's error for anything else.</summary>
    private static string Answer(string frame, ConcurrentDictionary<string, bool> streams)
    {
        try
        {
            using var document = JsonDocument.Parse(frame);
            var root = document.RootElement;
            var id = root.TryGetProperty("id", out var i) ? i.GetRawText() : "null";
            var method = root.TryGetProperty("method", out var m) ? m.GetString() : null;
            if (method is not ("SUBSCRIBE" or "UNSUBSCRIBE") || !root.TryGetProperty("params", out var names) || names.ValueKind != JsonValueKind.Array)
            {
                return $$"""{"error":{"code":2,"msg":"Invalid request: unknown method"},"id":{{id}}}""";
            }

            foreach (var name in names.EnumerateArray().Select(n => n.GetString()).OfType<string>())
            {
                if (method == "SUBSCRIBE")
                {
                    streams[name] = true;
                }
                else
                {
                    streams.TryRemove(name, out _);
                }
            }

            return $$"""{"result":null,"id":{{id}}}""";
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return """{"error":{"code":3,"msg":"Invalid JSON"},"id":null}""";
        }
    }

    private protected override async Task PublishAsync(SimulatedMarket market, MarketStep step)
    {
        foreach (var (stream, data) in Frames(market, step))
        {
            foreach (var (peer, streams) in _connections.Values)
            {
                if (streams.ContainsKey(stream))
                {
                    await peer.SendAsync($$"""{"stream":"{{stream}}","data":{{data}}}""").ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>A step as USDⓈ-M streams it: one <c>depthUpdate</c> per change (<c>pu</c> = the previous <c>u</c>), the trade, the top; slowly the mark price and the kline.</summary>
    private static List<(string Stream, string Data)> Frames(SimulatedMarket m, MarketStep step)
    {
        var (s, name, ms) = (m.Symbol, m.Symbol.ToLowerInvariant(), step.Ms);
        var frames = new List<(string, string)>();
        foreach (var change in step.Changes)
        {
            var level = $"""[["{D(change.Price)}","{Qty(m, change.Size)}"]]""";
            frames.Add((name + "@depth@100ms",
                $$"""{"e":"depthUpdate","E":{{ms}},"T":{{ms}},"s":"{{s}}","U":{{change.Sequence}},"u":{{change.Sequence}},"pu":{{change.Sequence - 1}},"b":{{(change.Bid ? level : "[]")}},"a":{{(change.Bid ? "[]" : level)}}}"""));
        }

        var trade = step.Trade;
        frames.Add((name + "@aggTrade",
            $$"""{"e":"aggTrade","E":{{ms}},"a":{{trade.TradeId}},"s":"{{s}}","p":"{{D(trade.Price)}}","q":"{{Qty(m, trade.Size)}}","f":{{trade.TradeId}},"l":{{trade.TradeId}},"T":{{ms}},"m":{{(trade.Buy ? "false" : "true")}}}"""));
        frames.Add((name + "@bookTicker",
            $$"""{"e":"bookTicker","u":{{step.Sequence}},"s":"{{s}}","b":"{{D(step.BestBid.Price)}}","B":"{{Qty(m, step.BestBid.Size)}}","a":"{{D(step.BestAsk.Price)}}","A":"{{Qty(m, step.BestAsk.Size)}}","T":{{ms}},"E":{{ms}}}"""));
        if (step.Slow is { } slow)
        {
            var nextFunding = (ms / 28_800_000 + 1) * 28_800_000;
            frames.Add((name + "@markPrice@1s",
                $$"""{"e":"markPriceUpdate","E":{{ms}},"s":"{{s}}","p":"{{D(slow.Mark)}}","i":"{{D(slow.Index)}}","P":"{{D(slow.Mark)}}","r":"{{D(slow.FundingRate)}}","T":{{nextFunding}}}"""));
            var start = slow.MinuteStartSeconds * 1000;
            frames.Add((name + "@kline_1m",
                $$$"""{"e":"kline","E":{{{ms}}},"s":"{{{s}}}","k":{"t":{{{start}}},"T":{{{start + 59_999}}},"s":"{{{s}}}","i":"1m","f":1,"L":2,"o":"{{{D(slow.Open)}}}","c":"{{{D(slow.Mark)}}}","h":"{{{D(step.BestAsk.Price)}}}","l":"{{{D(step.BestBid.Price)}}}","v":"{{{Qty(m, slow.Volume)}}}","n":2,"x":false,"q":"{{{D(slow.Volume * m.Multiplier * slow.Open)}}}","V":"0","Q":"0","B":"0"}}"""));
        }

        return frames;
    }

    private static string Levels(SimulatedMarket m, IReadOnlyList<(decimal Price, decimal Size)> side) =>
        string.Join(",", side.Select(l => $"""["{D(l.Price)}","{Qty(m, l.Size)}"]"""));

    /// <summary>A size in whole units as a base-asset quantity.</summary>
    private static string Qty(SimulatedMarket m, decimal units) => D(units * m.Multiplier);

    private static string D(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
