using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges.Kraken.Ws;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using static ActorTrading.Simulator.TopOfBook;

namespace ActorTrading.Simulator;

/// <summary>
/// A self-running Kraken Spot market on 127.0.0.1 (<c>run --simulate kraken</c>, and end-to-end specs): REST
/// <c>GET /0/public/AssetPairs</c> and <c>/0/public/Time</c> in Kraken's envelope; a WebSocket v2 server at <c>/v2</c>
/// that takes <c>subscribe</c>/<c>unsubscribe</c>/<c>ping</c> and streams, per subscribed channel and symbol,
/// <c>instrument</c> (a snapshot), <c>book</c> at depth 10 (a snapshot, then the levels each step changed within the
/// top ten, each message with the CRC32 of the resulting top ten), <c>trade</c>, <c>ticker</c> and 1-minute <c>ohlc</c>.
/// </summary>
public sealed class SimulatedKrakenSpot : SimulatedServer
{
    private const int Depth = 10;
    private static readonly Dictionary<string, (string Pair, string Altname, string Wsname, int PriceDecimals)> Pairs = new()
    {
        ["BTC/USD"] = ("XXBTZUSD", "XBTUSD", "XBT/USD", 1),
        ["ETH/USD"] = ("XETHZUSD", "ETHUSD", "ETH/USD", 2),
    };

    /// <summary>A market's REST names: Kraken's own for BTC and ETH, the X…Z… form for the soak's extra coins (A01/USD → XA01ZUSD).</summary>
    private static (string Pair, string Altname, string Wsname, int PriceDecimals) PairOf(string symbol) =>
        Pairs.TryGetValue(symbol, out var known) ? known : ($"X{symbol[..^4]}ZUSD", symbol.Replace("/", "", StringComparison.Ordinal), symbol, 2);

    private const int QtyDecimals = 8;
    private readonly SubscribedConnections _connections = new();
    private readonly ConcurrentDictionary<string, MarketSnapshot> _published = new();

    private SimulatedKrakenSpot(WebApplication app, IEnumerable<(string Symbol, decimal Mid, decimal Tick, decimal Step)> markets, int seed)
        : base(app, markets, seed)
    {
        foreach (var market in Markets.Values)
        {
            _published[market.Symbol] = Scaled(market, market.Snapshot(), Depth);
        }
    }

    /// <summary>The stream host to point the venue at (<c>WsEndpoint</c>): the same server, public data at <c>/v2</c>.</summary>
    public Uri StreamBase => new UriBuilder(RestBaseUri) { Scheme = "ws" }.Uri;

    private protected override IEnumerable<WebSocket> OpenSockets => _connections.Sockets;

    /// <param name="tick">How often every market moves (default 100 ms).</param>
    /// <param name="seed">The random seed: the same seed gives the same market.</param>
    /// <param name="moreMarkets">Markets beyond the venue's own two (A01, A02, …).</param>
    public static async Task<SimulatedKrakenSpot> StartAsync(TimeSpan? tick = null, int seed = 42, int moreMarkets = 0)
    {
        var app = LoopbackServer.Create();
        var venue = new SimulatedKrakenSpot(app, [("BTC/USD", 90000m, 0.1m, 0.001m), ("ETH/USD", 3000m, 0.01m, 0.001m), .. MoreMarkets(moreMarkets, coin => coin + "/USD", 0.01m)], seed);
        app.MapGet("/0/public/AssetPairs", venue.AssetPairs);
        app.MapGet("/0/public/Time", () => Results.Text(
            $$$"""{"error":[],"result":{"unixtime":{{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}},"rfc1123":"{{{DateTimeOffset.UtcNow:R}}}"}}""", "application/json"));
        app.Map("/v2", (Func<HttpContext, Task>)(http => venue._connections.ServeAsync(http, venue.AnswerAsync,
            connection => connection.Peer.SendAsync("""{"channel":"status","type":"update","data":[{"version":"2.0.0","system":"online","api_version":"v2","connection_id":1}]}"""))));
        await venue.StartServingAsync(tick ?? TimeSpan.FromMilliseconds(100)).ConfigureAwait(false);
        return venue;
    }

    private IResult AssetPairs()
    {
        var pairs = Markets.Values.Select(m =>
        {
            var p = PairOf(m.Symbol);
            return $$$"""
                "{{{p.Pair}}}":{"altname":"{{{p.Altname}}}","wsname":"{{{p.Wsname}}}","aclass_base":"currency","base":"{{{p.Pair[..4]}}}","aclass_quote":"currency","quote":"{{{p.Pair[4..]}}}","cost_decimals":5,"pair_decimals":{{{p.PriceDecimals}}},"lot_decimals":{{{QtyDecimals}}},"lot_multiplier":1,"ordermin":"{{{D(m.Multiplier)}}}","costmin":"0.5","tick_size":"{{{D(m.Tick)}}}","status":"online"}
                """.Trim();
        });
        return Results.Text("""{"error":[],"result":{""" + string.Join(",", pairs) + "}}", "application/json");
    }

    /// <summary>The request's answer; a subscription's snapshot goes out before any update can, under the connection's gate.</summary>
    private async Task AnswerAsync(SubscribedConnection connection, string frame)
    {
        string? method = null, channel = null, symbol = null;
        long requestId = 0;
        try
        {
            using var document = JsonDocument.Parse(frame);
            var root = document.RootElement;
            method = root.GetProperty("method").GetString();
            requestId = root.TryGetProperty("req_id", out var r) ? r.GetInt64() : 0;
            if (root.TryGetProperty("params", out var parameters))
            {
                channel = parameters.GetProperty("channel").GetString();
                symbol = parameters.TryGetProperty("symbol", out var s) ? s[0].GetString() : null;
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            await connection.Peer.SendAsync("""{"error":"Malformed request","method":"","success":false}""").ConfigureAwait(false);
            return;
        }

        var now = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        await connection.Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (method == "ping")
            {
                await connection.Peer.SendAsync($$"""{"method":"pong","req_id":{{requestId}},"time_in":"{{now}}","time_out":"{{now}}"}""").ConfigureAwait(false);
                return;
            }

            var known = channel == "instrument" || (channel is "book" or "trade" or "ticker" or "ohlc" && symbol is not null && Markets.ContainsKey(symbol));
            if (method is not ("subscribe" or "unsubscribe") || !known)
            {
                await connection.Peer.SendAsync($$"""{"error":"Currency pair not supported {{symbol}}","method":"{{method}}","success":false,"req_id":{{requestId}},"time_in":"{{now}}","time_out":"{{now}}"}""").ConfigureAwait(false);
                return;
            }

            var result = channel == "book" ? $$"""{"channel":"book","depth":{{Depth}},"snapshot":true,"symbol":"{{symbol}}"}"""
                : symbol is null ? $$"""{"channel":"{{channel}}","snapshot":true}""" : $$"""{"channel":"{{channel}}","snapshot":true,"symbol":"{{symbol}}"}""";
            await connection.Peer.SendAsync($$"""{"method":"{{method}}","result":{{result}},"success":true,"time_in":"{{now}}","time_out":"{{now}}","req_id":{{requestId}}}""").ConfigureAwait(false);
            var key = channel + ":" + symbol;
            if (method == "unsubscribe")
            {
                connection.Subscribed.TryRemove(key, out _);
                return;
            }

            if (channel == "instrument")
            {
                await connection.Peer.SendAsync(Instruments()).ConfigureAwait(false);
            }
            else if (channel == "book")
            {
                var market = Markets[symbol!];
                var book = Scaled(market, market.Snapshot(), Depth);
                await connection.Peer.SendAsync($$"""{"channel":"book","type":"snapshot","data":[{"symbol":"{{symbol}}","bids":[{{Levels(book.Bids)}}],"asks":[{{Levels(book.Asks)}}],"checksum":{{Checksum(symbol!, book)}}}]}""").ConfigureAwait(false);
            }

            connection.Subscribed[key] = true;
        }
        finally
        {
            connection.Gate.Release();
        }
    }

    private string Instruments() =>
        """{"channel":"instrument","type":"snapshot","data":{"assets":[],"pairs":["""
        + string.Join(",", Markets.Values.Select(m => $$"""{"symbol":"{{m.Symbol}}","base":"{{m.Symbol[..3]}}","quote":"USD","status":"online","qty_precision":{{QtyDecimals}},"qty_increment":{{D(m.Multiplier)}},"price_precision":{{PairOf(m.Symbol).PriceDecimals}},"price_increment":{{D(m.Tick)}},"qty_min":{{D(m.Multiplier)}}}"""))
        + "]}}";

    private protected override Task PublishAsync(SimulatedMarket market, MarketStep step) =>
        _connections.PublishAsync(Frames(market, step));

    /// <summary>
    /// A step as Kraken streams it: the top ten's changed levels (a level gone is qty 0; one pushed past the tenth is not
    /// sent, the client cuts it) with the new top ten's checksum; the trade (the taker's side); the ticker; the minute's candle.
    /// </summary>
    private List<(string Key, string Frame)> Frames(SimulatedMarket m, MarketStep step)
    {
        var s = m.Symbol;
        var time = DateTimeOffset.FromUnixTimeMilliseconds(step.Ms).ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture);
        var frames = new List<(string, string)>();
        var snapshot = m.Snapshot();
        var (now, all) = (Scaled(m, snapshot, Depth), Scaled(m, snapshot, null));
        var before = _published.TryGetValue(s, out var published) ? published : now;
        _published[s] = now;
        var bids = Diff(before.Bids, now.Bids, all.Bids);
        var asks = Diff(before.Asks, now.Asks, all.Asks);
        if (bids.Count + asks.Count > 0)
        {
            frames.Add(("book:" + s,
                $$"""{"channel":"book","type":"update","data":[{"symbol":"{{s}}","bids":[{{Levels(bids)}}],"asks":[{{Levels(asks)}}],"checksum":{{Checksum(s, now)}},"timestamp":"{{time}}"}]}"""));
        }

        var trade = step.Trade;
        frames.Add(("trade:" + s,
            $$"""{"channel":"trade","type":"update","data":[{"symbol":"{{s}}","side":"{{(trade.Buy ? "buy" : "sell")}}","price":{{D(trade.Price)}},"qty":{{D(trade.Size * m.Multiplier)}},"ord_type":"market","trade_id":{{trade.TradeId}},"timestamp":"{{time}}"}]}"""));
        frames.Add(("ticker:" + s,
            $$"""{"channel":"ticker","type":"update","data":[{"symbol":"{{s}}","bid":{{D(step.BestBid.Price)}},"bid_qty":{{D(step.BestBid.Size * m.Multiplier)}},"ask":{{D(step.BestAsk.Price)}},"ask_qty":{{D(step.BestAsk.Size * m.Multiplier)}},"last":{{D(trade.Price)}},"volume":0,"vwap":{{D(m.Mid)}},"low":{{D(m.Mid)}},"high":{{D(m.Mid)}},"change":0,"change_pct":0}]}"""));
        if (step.Slow is { } slow)
        {
            // Kraken writes the interval's start with nine fractional digits.
            var begin = DateTimeOffset.FromUnixTimeSeconds(slow.MinuteStartSeconds).ToString("yyyy-MM-ddTHH:mm:ss.fffffff", CultureInfo.InvariantCulture) + "00Z";
            frames.Add(("ohlc:" + s,
                $$"""{"channel":"ohlc","type":"update","timestamp":"{{time}}","data":[{"symbol":"{{s}}","open":{{D(slow.Open)}},"high":{{D(step.BestAsk.Price)}},"low":{{D(step.BestBid.Price)}},"close":{{D(slow.Mark)}},"trades":1,"volume":{{D(slow.Volume * m.Multiplier)}},"vwap":{{D(slow.Mark)}},"interval_begin":"{{begin}}","interval":1,"timestamp":"{{time}}"}]}"""));
        }

        return frames;
    }

    private static string Levels(IEnumerable<(decimal Price, decimal Size)> levels) =>
        string.Join(",", levels.Select(l => $$"""{"price":{{D(l.Price)}},"qty":{{D(l.Size)}}}"""));

    private static uint Checksum(string symbol, MarketSnapshot top) =>
        KrakenBookChecksum.Compute(top.Asks.Select(l => new BookLevel(l.Price, l.Size)).ToArray(), top.Bids.Select(l => new BookLevel(l.Price, l.Size)).ToArray(),
            PairOf(symbol).PriceDecimals, QtyDecimals);

    private static string D(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
