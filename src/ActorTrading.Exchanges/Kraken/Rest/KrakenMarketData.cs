using System.Collections.Immutable;
using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Json;
using ActorTrading.Core.Market;
using static ActorTrading.Exchanges.JsonItems;

namespace ActorTrading.Exchanges.Kraken.Rest;

/// <summary>A pair's trading rules from <c>AssetPairs</c>, under its v2 name (<see cref="Symbol"/>) and its REST names.</summary>
public sealed record KrakenAssetPair(
    string Symbol, string PairId, string Altname, string? Wsname, string Base, string Quote, int PriceDecimals, int LotDecimals, int CostDecimals,
    decimal? OrderMin, decimal? CostMin, decimal? TickSize, string Status);

/// <summary>A pair's ticker (<c>Ticker</c>): best quote with whole-lot volumes, last trade, today's and the last 24 hours' figures.</summary>
public sealed record KrakenTicker(
    string Pair, decimal Ask, decimal AskVolume, decimal Bid, decimal BidVolume, decimal Last, decimal LastVolume,
    decimal Volume24h, decimal Vwap24h, long Trades24h, decimal Low24h, decimal High24h, decimal Open);

/// <summary>An OHLC row: its start (Unix s), prices, VWAP, volume and trade count.</summary>
public sealed record KrakenCandle(long Time, decimal Open, decimal High, decimal Low, decimal Close, decimal Vwap, decimal Volume, long Count);

/// <summary>OHLC rows oldest first, and the cursor (<c>last</c>) to ask for newer ones with <c>since</c>.</summary>
public sealed record KrakenCandles(string Pair, IReadOnlyList<KrakenCandle> Rows, long Last);

/// <summary>A public trade: <c>b</c>/<c>s</c> is the taker's side, <c>m</c>/<c>l</c> a market or limit order.</summary>
public sealed record KrakenPublicTrade(decimal Price, decimal Volume, decimal Time, Side Side, string OrderType, long TradeId);

/// <summary>Trades oldest first and the cursor (<c>last</c>, nanoseconds as text) for <c>since</c>.</summary>
public sealed record KrakenTrades(string Pair, IReadOnlyList<KrakenPublicTrade> Rows, string Last);

/// <summary>
/// Kraken's public REST (<c>/0/public/*</c>): Time, AssetPairs, Ticker, Depth, OHLC, Trades. Pairs go by their REST
/// name (<see cref="KrakenPairs.RestName"/>); answers are keyed by the pair id, each read into typed records.
/// </summary>
public sealed class KrakenMarketData(IRestExecutor rest)
{
    public const string Venue = KrakenVenue.Name;

    public static RestRequest TimeRequest() => RestRequest.Get("/0/public/Time", KrakenVenue.Pools.Public, 1);

    public static RestRequest AssetPairsRequest(string? pairs = null) => RestRequest.Get("/0/public/AssetPairs", KrakenVenue.Pools.Public, 1, ("pair", pairs));

    public static RestRequest TickerRequest(string? pairs) => RestRequest.Get("/0/public/Ticker", KrakenVenue.Pools.Public, 1, ("pair", pairs));

    /// <summary><c>count</c>: 1 to 500 levels a side (0 and absent: 100).</summary>
    public static RestRequest DepthRequest(Symbol symbol, int? count) =>
        RestRequest.Get("/0/public/Depth", KrakenVenue.Pools.Public, 1, ("pair", KrakenPairs.RestName(symbol)), ("count", count?.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public static RestRequest OhlcRequest(Symbol symbol, int? intervalMinutes, long? since) =>
        RestRequest.Get("/0/public/OHLC", KrakenVenue.Pools.Public, 1, ("pair", KrakenPairs.RestName(symbol)),
            ("interval", intervalMinutes?.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("since", since?.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public static RestRequest TradesRequest(Symbol symbol, string? since, int? count) =>
        RestRequest.Get("/0/public/Trades", KrakenVenue.Pools.Public, 1, ("pair", KrakenPairs.RestName(symbol)), ("since", since),
            ("count", count?.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public async Task<long> GetServerTimeAsync(CancellationToken ct)
    {
        var data = await rest.SendAsync(TimeRequest(), ct).ConfigureAwait(false);
        return VenueAnswers.Read(Venue, "Time", () => data.Required("unixtime").GetLong("unixtime") * 1000);
    }

    public async Task<IReadOnlyList<KrakenAssetPair>> GetAssetPairsAsync(string? pairs, CancellationToken ct)
    {
        var data = await rest.SendAsync(AssetPairsRequest(pairs), ct).ConfigureAwait(false);
        return VenueAnswers.Read(Venue, "AssetPairs", () => ReadAssetPairs(data));
    }

    public async Task<IReadOnlyList<KrakenTicker>> GetTickersAsync(Symbol? symbol, CancellationToken ct)
    {
        var data = await rest.SendAsync(TickerRequest(symbol is { } s ? KrakenPairs.RestName(s) : null), ct).ConfigureAwait(false);
        return VenueAnswers.Read(Venue, "Ticker", () => ReadTickers(data));
    }

    public async Task<OrderBookUpdate> GetOrderBookAsync(Symbol symbol, int? count, long receivedTs, CancellationToken ct)
    {
        var data = await rest.SendAsync(DepthRequest(symbol, count), ct).ConfigureAwait(false);
        return VenueAnswers.Read(Venue, "Depth", () => ReadDepth(data, symbol, receivedTs));
    }

    public async Task<KrakenCandles> GetCandlesAsync(Symbol symbol, int? intervalMinutes, long? since, CancellationToken ct)
    {
        var data = await rest.SendAsync(OhlcRequest(symbol, intervalMinutes, since), ct).ConfigureAwait(false);
        return VenueAnswers.Read(Venue, "OHLC", () => ReadCandles(data));
    }

    public async Task<KrakenTrades> GetTradesAsync(Symbol symbol, string? since, int? count, CancellationToken ct)
    {
        var data = await rest.SendAsync(TradesRequest(symbol, since, count), ct).ConfigureAwait(false);
        return VenueAnswers.Read(Venue, "Trades", () => ReadTrades(data));
    }

    /// <summary>
    /// <c>{"XXBTZUSD":{"altname":"XBTUSD","wsname":"XBT/USD","pair_decimals":1,"lot_decimals":8,…}}</c>; the v2 name is
    /// the <c>wsname</c> with v2's asset names (XBT is BTC).
    /// </summary>
    public static IReadOnlyList<KrakenAssetPair> ReadAssetPairs(JsonElement data)
    {
        var pairs = new List<KrakenAssetPair>();
        foreach (var pair in Object(data, "AssetPairs").EnumerateObject())
        {
            var p = pair.Value;
            var wsname = p.TryGetProperty("wsname", out var ws) ? ws.GetNullableString() : null;
            var altname = Text(p, "altname");
            var symbol = wsname is null ? altname : string.Join('/', wsname.Split('/').Select(KrakenPairs.V2Asset));
            pairs.Add(new KrakenAssetPair(symbol, pair.Name, altname, wsname, Text(p, "base"), Text(p, "quote"),
                (int)p.Required("pair_decimals").GetLong("pair_decimals"), (int)p.Required("lot_decimals").GetLong("lot_decimals"),
                p.TryGetProperty("cost_decimals", out var cost) ? (int)cost.GetLong("cost_decimals") : (int)p.Required("pair_decimals").GetLong("pair_decimals"),
                Optional(p, "ordermin"), Optional(p, "costmin"), Optional(p, "tick_size"),
                p.TryGetProperty("status", out var status) && status.GetNullableString() is { } s ? s : "online"));
        }

        return pairs;
    }

    /// <summary><c>a</c>/<c>b</c> = [price, whole-lot volume, lot volume], <c>c</c> = [price, volume], <c>v</c>/<c>p</c>/<c>t</c>/<c>l</c>/<c>h</c> = [today, last 24 h], <c>o</c> = today's open.</summary>
    public static IReadOnlyList<KrakenTicker> ReadTickers(JsonElement data) =>
        Object(data, "Ticker").EnumerateObject().Select(pair =>
        {
            var t = pair.Value;
            return new KrakenTicker(pair.Name, At(t, "a", 0), At(t, "a", 2), At(t, "b", 0), At(t, "b", 2), At(t, "c", 0), At(t, "c", 1),
                At(t, "v", 1), At(t, "p", 1), t.Required("t")[1].GetLong("t"), At(t, "l", 1), At(t, "h", 1), t.Required("o").GetDecimal("o"));
        }).ToArray();

    /// <summary><c>{"XXBTZUSD":{"asks":[[price, volume, time],…],"bids":[…]}}</c> as a snapshot (REST books carry no sequence).</summary>
    public static OrderBookUpdate ReadDepth(JsonElement data, Symbol symbol, long receivedTs)
    {
        var book = Object(data, "Depth").EnumerateObject().FirstOrDefault().Value;
        if (book.ValueKind != JsonValueKind.Object)
        {
            throw new FrameFormatException("Depth answer names no pair");
        }

        var bids = Levels(book.Required("bids"), out var bidTime);
        var asks = Levels(book.Required("asks"), out var askTime);
        return new OrderBookUpdate(KrakenVenue.Id, MarketKind.Spot, symbol, Math.Max(bidTime, askTime), receivedTs, DataChannel.BookDelta, BookUpdateKind.Snapshot,
            0, 0, bids, asks);
    }

    /// <summary><c>{"XXBTZUSD":[[time, open, high, low, close, vwap, volume, count],…],"last":…}</c>.</summary>
    public static KrakenCandles ReadCandles(JsonElement data)
    {
        var (pair, rows) = Series(data, "OHLC");
        return new KrakenCandles(pair, rows.EnumerateArray().Select(r => new KrakenCandle(r[0].GetLong("time"), r[1].GetDecimal("open"), r[2].GetDecimal("high"),
            r[3].GetDecimal("low"), r[4].GetDecimal("close"), r[5].GetDecimal("vwap"), r[6].GetDecimal("volume"), r[7].GetLong("count"))).ToArray(),
            data.Required("last").GetLong("last"));
    }

    /// <summary><c>{"XXBTZUSD":[[price, volume, time, "b"|"s", "m"|"l", misc, trade_id],…],"last":"…"}</c>.</summary>
    public static KrakenTrades ReadTrades(JsonElement data)
    {
        var (pair, rows) = Series(data, "Trades");
        return new KrakenTrades(pair, rows.EnumerateArray().Select(r => new KrakenPublicTrade(r[0].GetDecimal("price"), r[1].GetDecimal("volume"),
            r[2].GetDecimal("time"), r[3].GetString() switch
            {
                "b" => Side.Buy,
                "s" => Side.Sell,
                var other => throw new FrameFormatException($"trade side '{other}' is neither b nor s"),
            }, r[4].GetString() == "m" ? "market" : "limit", r.GetArrayLength() > 6 ? r[6].GetLong("trade_id") : 0)).ToArray(),
            data.Required("last").GetNullableString() ?? data.Required("last").GetRawText());
    }

    private static ImmutableArray<BookLevel> Levels(JsonElement side, out long latestMs)
    {
        var levels = ImmutableArray.CreateBuilder<BookLevel>(side.GetArrayLength());
        latestMs = 0;
        foreach (var level in side.EnumerateArray())
        {
            levels.Add(JsonReading.Level(level[0].GetDecimal("price"), level[1].GetDecimal("volume"), "level"));
            latestMs = Math.Max(latestMs, level[2].GetLong("time") * 1000);
        }

        return levels.MoveToImmutable();
    }

    private static (string Pair, JsonElement Rows) Series(JsonElement data, string what)
    {
        foreach (var member in Object(data, what).EnumerateObject())
        {
            if (member.Name != "last")
            {
                return (member.Name, member.Value.ValueKind == JsonValueKind.Array ? member.Value : throw new FrameFormatException($"{what} rows are not an array"));
            }
        }

        throw new FrameFormatException($"{what} answer names no pair");
    }

    private static JsonElement Object(JsonElement data, string what) =>
        data.ValueKind == JsonValueKind.Object ? data : throw new FrameFormatException($"{what} answer is not an object");

    private static decimal At(JsonElement t, string field, int index) => t.Required(field)[index].GetDecimal(field);

}
