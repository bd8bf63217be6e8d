using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using static ActorTrading.Simulator.TopOfBook;

namespace ActorTrading.Simulator;

/// <summary>
/// A self-running Crypto.com Exchange spot market on 127.0.0.1 (<c>run --simulate cryptocom</c>, and end-to-end specs):
/// REST <c>GET /exchange/v1/public/get-instruments</c> and <c>public/get-tickers</c> in the venue's envelope; a market
/// stream at <c>/exchange/v1/market</c> that takes <c>subscribe</c>/<c>unsubscribe</c> and streams, per subscribed
/// channel, <c>book.{i}.{10|50}</c> (a snapshot, then a <c>book.update</c> every step naming the update before it by
/// <c>pu</c>; at depth 10 the top ten's changes, a level pushed out removed), <c>trade.{i}</c>, <c>ticker.{i}</c> and
/// <c>candlestick.1m.{i}</c>. It sends <c>public/heartbeat</c> at its interval and closes a connection that has not
/// answered the previous one by the next, as the venue does.
/// </summary>
public sealed class SimulatedCryptoComSpot : SimulatedServer
{
    private static readonly int[] Depths = [10, 50];
    private readonly SubscribedConnections _connections = new();
    private readonly ConcurrentDictionary<string, long> _lastUpdate = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, MarketSnapshot> _topTen = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, long> _unanswered = new();
    private readonly TimeSpan _heartbeat;
    private long _lastHeartbeatMs;

    private SimulatedCryptoComSpot(WebApplication app, IEnumerable<(string Symbol, decimal Mid, decimal Tick, decimal Step)> markets, int seed, TimeSpan heartbeat)
        : base(app, markets, seed)
    {
        _heartbeat = heartbeat;
        _lastHeartbeatMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var market in Markets.Values)
        {
            var snapshot = market.Snapshot();
            _lastUpdate[market.Symbol] = snapshot.Sequence;
            _topTen[market.Symbol] = Scaled(market, snapshot, 10);
        }
    }

    /// <summary>The stream host to point the venue at (<c>WsEndpoint</c>): the same server, market data at <c>/exchange/v1/market</c>.</summary>
    public Uri StreamBase => new UriBuilder(RestBaseUri) { Scheme = "ws" }.Uri;

    private protected override IEnumerable<WebSocket> OpenSockets => _connections.Sockets;

    /// <param name="tick">How often every market moves (default 100 ms).</param>
    /// <param name="seed">The random seed: the same seed gives the same market.</param>
    /// <param name="moreMarkets">Markets beyond the venue's own two (A01, A02, …).</param>
    /// <param name="heartbeat">How often the server sends <c>public/heartbeat</c> (the venue: 30 s).</param>
    public static async Task<SimulatedCryptoComSpot> StartAsync(TimeSpan? tick = null, int seed = 42, TimeSpan? heartbeat = null, int moreMarkets = 0)
    {
        var app = LoopbackServer.Create();
        var venue = new SimulatedCryptoComSpot(app, [("BTC_USDT", 90000m, 0.01m, 0.0001m), ("ETH_USDT", 3000m, 0.01m, 0.001m), .. MoreMarkets(moreMarkets, coin => coin + "_USDT", 0.01m)], seed, heartbeat ?? TimeSpan.FromSeconds(30));
        app.MapGet("/exchange/v1/public/get-instruments", venue.Instruments);
        app.MapGet("/exchange/v1/public/get-tickers", venue.Tickers);
        app.Map("/exchange/v1/market", (Func<HttpContext, Task>)(http => venue._connections.ServeAsync(http, venue.AnswerAsync)));
        await venue.StartServingAsync(tick ?? TimeSpan.FromMilliseconds(100)).ConfigureAwait(false);
        return venue;
    }

    private static IResult Envelope(string method, string result) =>
        Results.Text($$"""{"id":-1,"method":"{{method}}","code":0,"result":{{result}}}""", "application/json");

    private IResult Instruments() => Envelope("public/get-instruments", """{"data":[""" + string.Join(",", Markets.Values.Select(m => $$"""
        {"symbol":"{{m.Symbol}}","inst_type":"CCY_PAIR","display_name":"{{m.Symbol.Replace('_', '/')}}","base_ccy":"{{m.Symbol[..m.Symbol.IndexOf('_')]}}","quote_ccy":"USDT","quote_decimals":2,"quantity_decimals":{{Decimals(m.Multiplier)}},"price_tick_size":"{{D(m.Tick)}}","qty_tick_size":"{{D(m.Multiplier)}}","max_leverage":"1","tradable":true,"expiry_timestamp_ms":0,"underlying_symbol":""}
        """.Trim())) + "]}");

    private IResult Tickers(HttpRequest request)
    {
        var instrument = request.Query["instrument_name"].FirstOrDefault();
        var markets = instrument is null ? Markets.Values : Markets.TryGetValue(instrument, out var one) ? [one] : [];
        if (instrument is not null && !markets.Any())
        {
            return Results.Text($$"""{"id":-1,"method":"public/get-tickers","code":40004,"message":"Invalid instrument_name: {{instrument}}"}""", "application/json", statusCode: 400);
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return Envelope("public/get-tickers", """{"data":[""" + string.Join(",", markets.Select(m =>
        {
            var book = Scaled(m, m.Snapshot(), 1);
            return $$"""{"i":"{{m.Symbol}}","h":"{{D(m.Mid)}}","l":"{{D(m.Mid)}}","a":"{{D(m.Mid)}}","v":"0","vv":"0","c":"0","b":"{{D(book.Bids[0].Price)}}","bs":"{{D(book.Bids[0].Size)}}","k":"{{D(book.Asks[0].Price)}}","ks":"{{D(book.Asks[0].Size)}}","t":{{now}}}""";
        })) + "]}");
    }

    /// <summary>A request's answer; a book subscription's snapshot goes out before any of its updates can, under the connection's gate.</summary>
    private async Task AnswerAsync(SubscribedConnection connection, string frame)
    {
        string? method;
        long id;
        string[] channels;
        try
        {
            using var document = JsonDocument.Parse(frame);
            var root = document.RootElement;
            method = root.GetProperty("method").GetString();
            id = root.GetProperty("id").GetInt64();
            channels = root.TryGetProperty("params", out var p) && p.TryGetProperty("channels", out var c) ? c.EnumerateArray().Select(x => x.GetString()!).ToArray() : [];
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            await connection.SendAsync("""{"id":0,"method":"","code":10004,"message":"BAD_REQUEST"}""").ConfigureAwait(false);
            return;
        }

        if (method == "public/respond-heartbeat")
        {
            _unanswered.TryRemove(new KeyValuePair<int, long>(connection.Id, id));
            return;
        }

        var unknown = channels.FirstOrDefault(channel => !Known(channel));
        if (method is not ("subscribe" or "unsubscribe") || channels.Length == 0 || unknown is not null)
        {
            await connection.SendAsync($$"""{"id":{{id}},"code":10004,"method":"{{method}}","message":"invalid channel {{unknown}}"}""").ConfigureAwait(false);
            return;
        }

        await connection.Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await connection.Peer.SendAsync($$"""{"id":{{id}},"method":"{{method}}","code":0}""").ConfigureAwait(false);
            foreach (var channel in channels)
            {
                if (method == "unsubscribe")
                {
                    connection.Subscribed.TryRemove(channel, out _);
                    continue;
                }

                if (channel.StartsWith("book.", StringComparison.Ordinal))
                {
                    await connection.Peer.SendAsync(Snapshot(channel)).ConfigureAwait(false);
                }

                connection.Subscribed[channel] = true;
            }
        }
        finally
        {
            connection.Gate.Release();
        }
    }

    /// <summary><c>trade.{i}</c>, <c>ticker.{i}</c>, <c>book.{i}.{10|50}</c>, <c>candlestick.1m.{i}</c> of a simulated instrument.</summary>
    private bool Known(string channel) => channel.Split('.') switch
    {
        ["trade" or "ticker", var symbol] => Markets.ContainsKey(symbol),
        ["book", var symbol, var depth] => Markets.ContainsKey(symbol) && Depths.Any(d => d.ToString(CultureInfo.InvariantCulture) == depth),
        ["candlestick", "1m", var symbol] => Markets.ContainsKey(symbol),
        _ => false,
    };

    private string Snapshot(string channel)
    {
        var parts = channel.Split('.');
        var market = Markets[parts[1]];
        var depth = int.Parse(parts[2], CultureInfo.InvariantCulture);
        var book = Scaled(market, market.Snapshot(), depth);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return Push(market.Symbol, channel, "book", $$"""{"asks":[{{Levels(book.Asks)}}],"bids":[{{Levels(book.Bids)}}],"t":{{now}},"tt":{{now}},"u":{{book.Sequence}}}""", $",\"depth\":{depth}");
    }

    private protected override async Task PublishAsync(SimulatedMarket market, MarketStep step)
    {
        await _connections.PublishAsync(Frames(market, step)).ConfigureAwait(false);
        if (step.Ms - Interlocked.Read(ref _lastHeartbeatMs) >= _heartbeat.TotalMilliseconds)
        {
            Interlocked.Exchange(ref _lastHeartbeatMs, step.Ms);
            await HeartbeatAsync(step.Ms).ConfigureAwait(false);
        }
    }

    /// <summary>A heartbeat to every connection; one that left the previous unanswered is closed ("usually when the heartbeat isn't handled properly").</summary>
    private async Task HeartbeatAsync(long id)
    {
        var open = _connections.All.ToArray();
        foreach (var gone in _unanswered.Keys.Except(open.Select(c => c.Id)))
        {
            _unanswered.TryRemove(gone, out _);
        }

        foreach (var connection in open)
        {
            if (_unanswered.TryRemove(connection.Id, out _))
            {
                connection.Peer.Socket.Abort();
                continue;
            }

            _unanswered[connection.Id] = id;
            await connection.SendAsync($$"""{"id":{{id}},"method":"public/heartbeat","code":0}""").ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A step as Crypto.com streams it: per book depth, the update (<c>u</c> the step's, <c>pu</c> the one before; at
    /// depth 10 the top ten's changes, at 50 every change); the trade (the taker's side); the ticker; the minute's candle.
    /// </summary>
    private List<(string Name, string Frame)> Frames(SimulatedMarket m, MarketStep step)
    {
        var s = m.Symbol;
        var previous = _lastUpdate.TryGetValue(s, out var last) ? last : step.Sequence - step.Changes.Count;
        _lastUpdate[s] = step.Sequence;
        var frames = new List<(string, string)>();

        var topTen = Scaled(m, m.Snapshot(), 10);
        var before = _topTen.TryGetValue(s, out var published) ? published : topTen;
        _topTen[s] = topTen;
        frames.Add(BookUpdate(s, 10, step, previous, Diff(before.Bids, topTen.Bids, topTen.Bids), Diff(before.Asks, topTen.Asks, topTen.Asks)));
        frames.Add(BookUpdate(s, 50, step, previous,
            step.Changes.Where(c => c.Bid).Select(c => (c.Price, c.Size * m.Multiplier)), step.Changes.Where(c => !c.Bid).Select(c => (c.Price, c.Size * m.Multiplier))));

        var trade = step.Trade;
        frames.Add(("trade." + s, Push(s, "trade." + s, "trade",
            $$"""{"d":"{{trade.TradeId}}","t":{{step.Ms}},"p":"{{D(trade.Price)}}","q":"{{D(trade.Size * m.Multiplier)}}","s":"{{(trade.Buy ? "BUY" : "SELL")}}","i":"{{s}}","m":"{{trade.TradeId}}"}""")));
        frames.Add(("ticker." + s, Push(s, "ticker." + s, "ticker",
            $$"""{"h":"{{D(m.Mid)}}","l":"{{D(m.Mid)}}","a":"{{D(trade.Price)}}","c":"0","b":"{{D(step.BestBid.Price)}}","bs":"{{D(step.BestBid.Size * m.Multiplier)}}","k":"{{D(step.BestAsk.Price)}}","ks":"{{D(step.BestAsk.Size * m.Multiplier)}}","i":"{{s}}","v":"0","vv":"0","oi":"0","t":{{step.Ms}}}""")));
        if (step.Slow is { } slow)
        {
            frames.Add(("candlestick.1m." + s, Push(s, "candlestick.1m." + s, "candlestick",
                $$"""{"o":"{{D(slow.Open)}}","h":"{{D(step.BestAsk.Price)}}","l":"{{D(step.BestBid.Price)}}","c":"{{D(slow.Mark)}}","v":"{{D(slow.Volume * m.Multiplier)}}","t":{{slow.MinuteStartSeconds * 1000}}}""",
                ",\"interval\":\"1m\"")));
        }

        return frames;
    }

    private static (string, string) BookUpdate(string symbol, int depth, MarketStep step, long previous, IEnumerable<(decimal Price, decimal Size)> bids, IEnumerable<(decimal Price, decimal Size)> asks)
    {
        var channel = $"book.{symbol}.{depth}";
        return (channel, Push(symbol, channel, "book.update",
            $$"""{"update":{"asks":[{{Levels(asks)}}],"bids":[{{Levels(bids)}}]},"t":{{step.Ms}},"tt":{{step.Ms}},"u":{{step.Sequence}},"pu":{{previous}}}""", $",\"depth\":{depth}"));
    }

    /// <summary><c>{"id":-1,"method":"subscribe","code":0,"result":{"instrument_name","subscription","channel",…,"data":[item]}}</c>.</summary>
    private static string Push(string symbol, string subscription, string channel, string item, string extra = "") =>
        $$$"""{"id":-1,"method":"subscribe","code":0,"result":{"instrument_name":"{{{symbol}}}","subscription":"{{{subscription}}}","channel":"{{{channel}}}"{{{extra}}},"data":[{{{item}}}]}}""";

    private static string Levels(IEnumerable<(decimal Price, decimal Size)> levels) =>
        string.Join(",", levels.Select(l => $$"""["{{D(l.Price)}}","{{D(l.Size)}}","{{(l.Size == 0 ? 0 : 1)}}"]"""));

    private static int Decimals(decimal step) => (decimal.GetBits(step)[3] >> 16) & 0xFF;

    private static string D(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
