using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ActorTrading.Simulator;

/// <summary>
/// A self-running KuCoin Futures on 127.0.0.1 (<c>run --simulate</c>, and end-to-end specs): one Kestrel server with
/// the token endpoints (<c>POST /api/v1/bullet-public</c>, <c>/bullet-private</c>), the level-2 snapshot
/// (<c>GET /api/v1/level2/snapshot</c>) and the WebSocket feed, which welcomes, answers pings, acknowledges
/// subscriptions and streams trades, tickers, sequenced level-2 deltas consistent with the snapshot, mark/index prices,
/// funding and candles for every subscribed topic.
/// </summary>
public sealed class SimulatedKuCoinFutures : SimulatedServer
{
    private const string FeedPath = "/feed";
    private readonly ConcurrentDictionary<string, bool> _topics = new();
    private readonly ConcurrentDictionary<int, WebSocketPeer> _connections = new();
    private int _nextConnection;
    private long _tokens;

    private SimulatedKuCoinFutures(WebApplication app, IEnumerable<(string Symbol, decimal Mid, decimal Tick, decimal Multiplier)> contracts, int seed)
        : base(app, contracts, seed)
    {
    }

    public int OpenConnections => _connections.Count;

    private protected override IEnumerable<WebSocket> OpenSockets => _connections.Values.Select(c => c.Socket);

    /// <param name="tick">How often every contract moves (default 100 ms).</param>
    /// <param name="seed">The random seed: the same seed gives the same market.</param>
    /// <param name="moreMarkets">Markets beyond the venue's own two (A01, A02, …).</param>
    public static async Task<SimulatedKuCoinFutures> StartAsync(TimeSpan? tick = null, int seed = 42, int moreMarkets = 0)
    {
        var app = LoopbackServer.Create();
        var venue = new SimulatedKuCoinFutures(app, [("XBTUSDTM", 90000m, 0.1m, 0.001m), ("ETHUSDTM", 3000m, 0.01m, 0.01m), .. MoreMarkets(moreMarkets, coin => coin + "USDTM", 0.01m)], seed);
        app.MapPost("/api/v1/bullet-public", venue.Bullet);
        app.MapPost("/api/v1/bullet-private", venue.Bullet);
        app.MapGet("/api/v1/level2/snapshot", venue.Snapshot);
        app.MapGet("/api/v1/contracts/active", venue.ActiveContracts);
        app.Map(FeedPath, (Func<HttpContext, Task>)venue.FeedAsync);
        await venue.StartServingAsync(tick ?? TimeSpan.FromMilliseconds(100)).ConfigureAwait(false);
        return venue;
    }

    private IResult Bullet(HttpContext http)
    {
        var feed = new UriBuilder(RestBaseUri) { Scheme = "ws", Path = FeedPath };
        var token = "sim-token-" + Interlocked.Increment(ref _tokens);
        return Results.Text(
            $$$"""{"code":"200000","data":{"token":"{{{token}}}","instanceServers":[{"endpoint":"{{{feed.Uri}}}","encrypt":false,"protocol":"websocket","pingInterval":18000,"pingTimeout":10000}]}}""",
            "application/json");
    }

    private IResult ActiveContracts() =>
        Results.Text($$"""{"code":"200000","data":[{{string.Join(",", Markets.Values.Select(ContractJson))}}]}""", "application/json");

    private IResult Snapshot(string? symbol) =>
        Results.Text(symbol is not null && Markets.TryGetValue(symbol, out var contract)
            ? $$"""{"code":"200000","data":{{SnapshotJson(contract)}}}"""
            : """{"code":"100001","msg":"Unsupported symbol"}""", "application/json");

    private async Task FeedAsync(HttpContext http)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var connection = new WebSocketPeer(socket);
        var id = Interlocked.Increment(ref _nextConnection);
        _connections[id] = connection;
        try
        {
            await connection.SendAsync($$"""{"id":"{{http.Request.Query["connectId"]}}","type":"welcome"}""").ConfigureAwait(false);
            while (await connection.ReceiveAsync(http.RequestAborted).ConfigureAwait(false) is { } frame)
            {
                if (Answer(frame) is { } answer)
                {
                    await connection.SendAsync(answer).ConfigureAwait(false);
                }
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

    /// <summary>A pong for a ping, an ack for a (un)subscribe (noting its topics); null for anything else.</summary>
    private string? Answer(string frame)
    {
        string? type, id, topic;
        try
        {
            using var document = JsonDocument.Parse(frame);
            var root = document.RootElement;
            type = root.TryGetProperty("type", out var t) ? t.GetString() : null;
            id = root.TryGetProperty("id", out var i) ? i.ToString() : null;
            topic = root.TryGetProperty("topic", out var p) ? p.GetString() : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return """{"type":"error","code":400,"data":"malformed frame"}""";
        }

        switch (type)
        {
            case "ping":
                return $$"""{"id":"{{id}}","type":"pong"}""";
            case "subscribe" or "unsubscribe":
                foreach (var one in Topics(topic))
                {
                    if (type == "subscribe")
                    {
                        _topics[one] = true;
                    }
                    else
                    {
                        _topics.TryRemove(one, out _);
                    }
                }

                return $$"""{"id":"{{id}}","type":"ack"}""";
            default:
                return null;
        }
    }

    /// <summary>A KuCoin topic may name several symbols: <c>/contractMarket/level2:XBTUSDTM,ETHUSDTM</c>.</summary>
    private static IEnumerable<string> Topics(string? topic)
    {
        if (topic?.Split(':', 2) is not [var channel, var symbols])
        {
            yield break;
        }

        foreach (var symbol in symbols.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            yield return $"{channel}:{symbol}";
        }
    }

    /// <summary>KuCoin Futures writes sizes in contracts: the market's whole units.</summary>
    private protected override decimal WireSize(SimulatedMarket market, decimal units) => units;

    private protected override async Task PublishAsync(SimulatedMarket market, MarketStep step)
    {
        foreach (var (topic, frame) in Frames(market, step))
        {
            if (_topics.ContainsKey(topic))
            {
                foreach (var connection in _connections.Values)
                {
                    await connection.SendAsync(frame).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>The contract as <c>GET /api/v1/contracts/active</c> lists it: the fields of the docs' example, with this contract's rules.</summary>
    private static string ContractJson(SimulatedMarket c) =>
        $$"""{"symbol":"{{c.Symbol}}","rootSymbol":"USDT","type":"FFWCSX","baseCurrency":"{{c.Symbol[..^5]}}","quoteCurrency":"USDT","settleCurrency":"USDT","maxOrderQty":1000000,"maxPrice":1000000,"lotSize":1,"tickSize":{{D(c.Tick)}},"indexPriceTickSize":0.01,"multiplier":{{D(c.Multiplier)}},"initialMargin":0.008,"maintainMargin":0.004,"maxRiskLimit":100000,"minRiskLimit":100000,"riskStep":50000,"makerFeeRate":0.0002,"takerFeeRate":0.0006,"takerFixFee":0,"makerFixFee":0,"isDeleverage":true,"isQuanto":true,"isInverse":false,"markMethod":"FairPrice","status":"Open","markPrice":{{D(c.Mid)}},"indexPrice":{{D(c.Mid)}},"lastTradePrice":{{D(c.Mid)}}}""";

    private static string SnapshotJson(SimulatedMarket c)
    {
        var book = c.Snapshot();
        var ns = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
        return $$"""{"sequence":{{book.Sequence}},"symbol":"{{c.Symbol}}","bids":[{{Levels(book.Bids)}}],"asks":[{{Levels(book.Asks)}}],"ts":{{ns}}}""";
    }

    /// <summary>A step as KuCoin Futures sends it: sequenced level-2 changes, the match, tickerV2; slowly mark/index, funding and the candle.</summary>
    private static List<(string Topic, string Frame)> Frames(SimulatedMarket c, MarketStep step)
    {
        var symbol = c.Symbol;
        var frames = new List<(string, string)>();
        foreach (var change in step.Changes)
        {
            frames.Add(($"/contractMarket/level2:{symbol}",
                $$$"""{"topic":"/contractMarket/level2:{{{symbol}}}","type":"message","subject":"level2","sn":{{{change.Sequence}}},"data":{"sequence":{{{change.Sequence}}},"change":"{{{D(change.Price)}}},{{{(change.Bid ? "buy" : "sell")}}},{{{D(change.Size)}}}","timestamp":{{{step.Ms}}}}}"""));
        }

        var (trade, ns, seq) = (step.Trade, step.Ms * 1_000_000, step.Sequence);
        frames.Add(($"/contractMarket/execution:{symbol}",
            $$$"""{"topic":"/contractMarket/execution:{{{symbol}}}","type":"message","subject":"match","sn":{{{seq}}},"data":{"symbol":"{{{symbol}}}","sequence":{{{seq}}},"side":"{{{(trade.Buy ? "buy" : "sell")}}}","size":{{{trade.Size}}},"price":"{{{D(trade.Price)}}}","takerOrderId":"t{{{trade.TradeId}}}","makerOrderId":"m{{{trade.TradeId}}}","tradeId":"{{{trade.TradeId}}}","ts":{{{ns}}}}}"""));
        frames.Add(($"/contractMarket/tickerV2:{symbol}",
            $$$"""{"topic":"/contractMarket/tickerV2:{{{symbol}}}","type":"message","subject":"tickerV2","sn":{{{seq}}},"data":{"symbol":"{{{symbol}}}","sequence":{{{seq}}},"bestBidSize":{{{D(step.BestBid.Size)}}},"bestBidPrice":"{{{D(step.BestBid.Price)}}}","bestAskPrice":"{{{D(step.BestAsk.Price)}}}","bestAskSize":{{{D(step.BestAsk.Size)}}},"ts":{{{ns}}}}}"""));
        if (step.Slow is { } slow)
        {
            frames.Add(($"/contract/instrument:{symbol}",
                $$$"""{"topic":"/contract/instrument:{{{symbol}}}","type":"message","subject":"mark.index.price","data":{"markPrice":{{{D(slow.Mark)}}},"indexPrice":{{{D(slow.Index)}}},"granularity":1000,"timestamp":{{{step.Ms}}}}}"""));
            frames.Add(($"/contract/instrument:{symbol}",
                $$$"""{"topic":"/contract/instrument:{{{symbol}}}","type":"message","subject":"funding.rate","data":{"granularity":60000,"fundingRate":{{{D(slow.FundingRate)}}},"timestamp":{{{step.Ms}}}}}"""));
            frames.Add(($"/contractMarket/limitCandle:{symbol}_1min",
                $$"""{"topic":"/contractMarket/limitCandle:{{symbol}}_1min","type":"message","data":{"symbol":"{{symbol}}","candles":["{{slow.MinuteStartSeconds}}","{{D(slow.Open)}}","{{D(slow.Mark)}}","{{D(step.BestAsk.Price)}}","{{D(step.BestBid.Price)}}","{{D(slow.Volume)}}","{{D(slow.Volume * slow.Open)}}"],"time":{{step.Ms}}},"subject":"candle.stick"}"""));
        }

        return frames;
    }

    private static string Levels(IReadOnlyList<(decimal Price, decimal Size)> side) => string.Join(",", side.Select(l => $"[{D(l.Price)},{D(l.Size)}]"));

    private static string D(decimal value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
