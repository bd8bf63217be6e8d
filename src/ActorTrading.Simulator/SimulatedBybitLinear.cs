using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ActorTrading.Simulator;

/// <summary>
/// A self-running Bybit v5 linear market on 127.0.0.1 (<c>run --simulate bybit</c>, and end-to-end specs): REST
/// <c>GET /v5/market/instruments-info</c>, <c>/v5/market/orderbook</c> and <c>/v5/market/time</c> in Bybit's envelope;
/// a public stream at <c>/v5/public/linear</c> that takes <c>subscribe</c>/<c>unsubscribe</c>/<c>ping</c> ops and
/// streams, per subscribed topic, <c>orderbook.50</c> (a snapshot right after the subscription, then one delta per
/// change with <c>u</c> counting up), <c>publicTrade</c>, <c>tickers</c> (a snapshot, then deltas of what changed) and
/// 1-minute <c>kline</c>s.
/// </summary>
public sealed class SimulatedBybitLinear : SimulatedServer
{
    private readonly SubscribedConnections _connections = new();

    private SimulatedBybitLinear(WebApplication app, IEnumerable<(string Symbol, decimal Mid, decimal Tick, decimal Step)> markets, int seed)
        : base(app, markets, seed)
    {
    }

    /// <summary>The stream host to point the venue at (<c>WsEndpoint</c>): the same server.</summary>
    public Uri StreamBase => new UriBuilder(RestBaseUri) { Scheme = "ws" }.Uri;

    private protected override IEnumerable<WebSocket> OpenSockets => _connections.Sockets;

    /// <param name="tick">How often every market moves (default 100 ms).</param>
    /// <param name="seed">The random seed: the same seed gives the same market.</param>
    /// <param name="moreMarkets">Markets beyond the venue's own two (A01, A02, …).</param>
    public static async Task<SimulatedBybitLinear> StartAsync(TimeSpan? tick = null, int seed = 42, int moreMarkets = 0)
    {
        var app = LoopbackServer.Create();
        var venue = new SimulatedBybitLinear(app, [("BTCUSDT", 90000m, 0.1m, 0.001m), ("ETHUSDT", 3000m, 0.01m, 0.001m), .. MoreMarkets(moreMarkets, coin => coin + "USDT", 0.01m)], seed);
        app.MapGet("/v5/market/instruments-info", venue.Instruments);
        app.MapGet("/v5/market/orderbook", venue.OrderBook);
        app.MapGet("/v5/market/time", () =>
        {
            var now = DateTimeOffset.UtcNow;
            return Envelope($$"""{"timeSecond":"{{now.ToUnixTimeSeconds()}}","timeNano":"{{now.ToUnixTimeMilliseconds() * 1_000_000}}"}""");
        });
        app.Map("/v5/public/linear", (Func<HttpContext, Task>)(http => venue._connections.ServeAsync(http, venue.AnswerAsync)));
        await venue.StartServingAsync(tick ?? TimeSpan.FromMilliseconds(100)).ConfigureAwait(false);
        return venue;
    }

    private static IResult Envelope(string result, int code = 0, string message = "OK") => Results.Text(
        $$"""{"retCode":{{code}},"retMsg":"{{message}}","result":{{result}},"retExtInfo":{},"time":{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}}""", "application/json");

    private IResult Instruments()
    {
        var list = Markets.Values.Select(m => $$$"""
            {"symbol":"{{{m.Symbol}}}","contractType":"LinearPerpetual","status":"Trading","baseCoin":"{{{m.Symbol[..^4]}}}","quoteCoin":"USDT","settleCoin":"USDT","leverageFilter":{"minLeverage":"1","maxLeverage":"100.00","leverageStep":"0.01"},"priceFilter":{"minPrice":"{{{D(m.Tick)}}}","maxPrice":"1999999","tickSize":"{{{D(m.Tick)}}}"},"lotSizeFilter":{"maxOrderQty":"1000","minOrderQty":"{{{D(m.Multiplier)}}}","qtyStep":"{{{D(m.Multiplier)}}}","minNotionalValue":"5"},"fundingInterval":480}
            """.Trim());
        return Envelope($$"""{"category":"linear","list":[{{string.Join(",", list)}}],"nextPageCursor":""}""");
    }

    private IResult OrderBook(string? category, string? symbol)
    {
        if (category != "linear" || symbol is null || !Markets.TryGetValue(symbol, out var market))
        {
            return Envelope("{}", 10001, "params error: symbol invalid");
        }

        return Envelope(BookData(market, market.Snapshot()));
    }

    /// <summary>
    /// The op's answer; a subscription's snapshots (book, ticker) go out before any delta of the topic can, since the
    /// topic joins the connection's set only once they are sent, under the same gate the market's frames take.
    /// </summary>
    private async Task AnswerAsync(SubscribedConnection connection, string frame)
    {
        var connectionId = connection.Id;
        string? op = null, requestId = null;
        string[] topics = [];
        try
        {
            using var document = JsonDocument.Parse(frame);
            var root = document.RootElement;
            op = root.TryGetProperty("op", out var o) ? o.GetString() : null;
            requestId = root.TryGetProperty("req_id", out var r) ? r.GetString() : "";
            topics = root.TryGetProperty("args", out var a) && a.ValueKind == JsonValueKind.Array ? a.EnumerateArray().Select(t => t.GetString() ?? "").ToArray() : [];
        }
        catch (JsonException)
        {
            await connection.Peer.SendAsync($$"""{"success":false,"ret_msg":"error:invalid json","conn_id":"c{{connectionId}}","op":""}""").ConfigureAwait(false);
            return;
        }

        await connection.Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            switch (op)
            {
                case "ping":
                    await connection.Peer.SendAsync($$"""{"success":true,"ret_msg":"pong","conn_id":"c{{connectionId}}","req_id":"{{requestId}}","op":"ping"}""").ConfigureAwait(false);
                    return;
                case "subscribe" or "unsubscribe":
                    var unknown = topics.Where(t => Topic(t) is null).ToArray();
                    if (unknown.Length > 0)
                    {
                        await connection.Peer.SendAsync($$"""{"success":false,"ret_msg":"error:handler not found, topic:{{unknown[0]}}","conn_id":"c{{connectionId}}","req_id":"{{requestId}}","op":"{{op}}"}""").ConfigureAwait(false);
                        return;
                    }

                    await connection.Peer.SendAsync($$"""{"success":true,"ret_msg":"","conn_id":"c{{connectionId}}","req_id":"{{requestId}}","op":"{{op}}"}""").ConfigureAwait(false);
                    foreach (var topic in topics)
                    {
                        if (op == "unsubscribe")
                        {
                            connection.Subscribed.TryRemove(topic, out _);
                            continue;
                        }

                        if (Snapshot(topic) is { } snapshot)
                        {
                            await connection.Peer.SendAsync(snapshot).ConfigureAwait(false);
                        }

                        connection.Subscribed[topic] = true;
                    }

                    return;
                default:
                    await connection.Peer.SendAsync($$"""{"success":false,"ret_msg":"error:handler not found","conn_id":"c{{connectionId}}","req_id":"{{requestId}}","op":"{{op}}"}""").ConfigureAwait(false);
                    return;
            }
        }
        finally
        {
            connection.Gate.Release();
        }
    }

    /// <summary>The market a topic of this server names, or null for one it does not serve.</summary>
    private SimulatedMarket? Topic(string topic) => topic.Split('.') switch
    {
        ["orderbook", "50", var symbol] => Markets.GetValueOrDefault(symbol),
        ["kline", "1", var symbol] => Markets.GetValueOrDefault(symbol),
        ["publicTrade" or "tickers", var symbol] => Markets.GetValueOrDefault(symbol),
        _ => null,
    };

    private string? Snapshot(string topic)
    {
        var market = Topic(topic)!;
        var ms = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        if (topic.StartsWith("orderbook.", StringComparison.Ordinal))
        {
            return $$"""{"topic":"{{topic}}","type":"snapshot","ts":{{ms}},"data":{{BookData(market, market.Snapshot())}},"cts":{{ms}}}""";
        }

        if (topic.StartsWith("tickers.", StringComparison.Ordinal))
        {
            var book = market.Snapshot();
            var (bid, ask) = (book.Bids[0], book.Asks[0]);
            var nextFunding = (ms / 28_800_000 + 1) * 28_800_000;
            return $$"""{"topic":"{{topic}}","type":"snapshot","data":{"symbol":"{{market.Symbol}}","tickDirection":"ZeroPlusTick","lastPrice":"{{D(market.Mid)}}","markPrice":"{{D(market.Mid)}}","indexPrice":"{{D(market.Mid)}}","fundingRate":"0.0001","nextFundingTime":"{{nextFunding}}","bid1Price":"{{D(bid.Price)}}","bid1Size":"{{Qty(market, bid.Size)}}","ask1Price":"{{D(ask.Price)}}","ask1Size":"{{Qty(market, ask.Size)}}","highPrice24h":"{{D(market.Mid)}}","lowPrice24h":"{{D(market.Mid)}}","volume24h":"0","turnover24h":"0","prevPrice24h":"{{D(market.Mid)}}","price24hPcnt":"0"},"cs":{{book.Sequence}},"ts":{{ms}}}""";
        }

        return null;
    }

    private protected override Task PublishAsync(SimulatedMarket market, MarketStep step) =>
        _connections.PublishAsync(Frames(market, step));

    /// <summary>A step as Bybit streams it: one book delta per change, the trade (the taker's side), the ticker's changes; slowly funding and the minute's kline.</summary>
    private static List<(string Topic, string Frame)> Frames(SimulatedMarket m, MarketStep step)
    {
        var (s, ms) = (m.Symbol, step.Ms);
        var frames = new List<(string, string)>();
        foreach (var change in step.Changes)
        {
            var level = $"""[["{D(change.Price)}","{Qty(m, change.Size)}"]]""";
            frames.Add(("orderbook.50." + s,
                $$"""{"topic":"orderbook.50.{{s}}","type":"delta","ts":{{ms}},"data":{"s":"{{s}}","b":{{(change.Bid ? level : "[]")}},"a":{{(change.Bid ? "[]" : level)}},"u":{{change.Sequence}},"seq":{{change.Sequence}}},"cts":{{ms}}}"""));
        }

        var trade = step.Trade;
        frames.Add(("publicTrade." + s,
            $$"""{"topic":"publicTrade.{{s}}","type":"snapshot","ts":{{ms}},"data":[{"T":{{ms}},"s":"{{s}}","S":"{{(trade.Buy ? "Buy" : "Sell")}}","v":"{{Qty(m, trade.Size)}}","p":"{{D(trade.Price)}}","L":"ZeroPlusTick","i":"{{trade.TradeId}}","BT":false,"seq":{{trade.TradeId}}}]}"""));
        var funding = step.Slow is { } facts
            ? $$""","markPrice":"{{D(facts.Mark)}}","indexPrice":"{{D(facts.Index)}}","fundingRate":"{{D(facts.FundingRate)}}","nextFundingTime":"{{(ms / 28_800_000 + 1) * 28_800_000}}" """.TrimEnd()
            : "";
        frames.Add(("tickers." + s,
            $$"""{"topic":"tickers.{{s}}","type":"delta","data":{"symbol":"{{s}}","lastPrice":"{{D(trade.Price)}}","bid1Price":"{{D(step.BestBid.Price)}}","bid1Size":"{{Qty(m, step.BestBid.Size)}}","ask1Price":"{{D(step.BestAsk.Price)}}","ask1Size":"{{Qty(m, step.BestAsk.Size)}}"{{funding}}},"cs":{{step.Sequence}},"ts":{{ms}}}"""));
        if (step.Slow is { } slow)
        {
            var start = slow.MinuteStartSeconds * 1000;
            frames.Add(("kline.1." + s,
                $$"""{"topic":"kline.1.{{s}}","data":[{"start":{{start}},"end":{{start + 59_999}},"interval":"1","open":"{{D(slow.Open)}}","close":"{{D(slow.Mark)}}","high":"{{D(step.BestAsk.Price)}}","low":"{{D(step.BestBid.Price)}}","volume":"{{Qty(m, slow.Volume)}}","turnover":"{{D(slow.Volume * m.Multiplier * slow.Open)}}","confirm":false,"timestamp":{{ms}}}],"ts":{{ms}},"type":"snapshot"}"""));
        }

        return frames;
    }

    private static string BookData(SimulatedMarket m, MarketSnapshot book) =>
        $$"""{"s":"{{m.Symbol}}","b":[{{Levels(m, book.Bids)}}],"a":[{{Levels(m, book.Asks)}}],"ts":{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}},"u":{{book.Sequence}},"seq":{{book.Sequence}}}""";

    private static string Levels(SimulatedMarket m, IReadOnlyList<(decimal Price, decimal Size)> side) =>
        string.Join(",", side.Select(l => $"""["{D(l.Price)}","{Qty(m, l.Size)}"]"""));

    /// <summary>A size in whole units as a base-coin quantity.</summary>
    private static string Qty(SimulatedMarket m, decimal units) => D(units * m.Multiplier);

    private static string D(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
