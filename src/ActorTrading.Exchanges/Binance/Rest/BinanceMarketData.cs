using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Json;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges.Binance.Ws;

namespace ActorTrading.Exchanges.Binance.Rest;

/// <summary>
/// Binance public REST for Spot (<c>/api/v3</c>, rest-api.md "Market Data endpoints") and USDⓈ-M (<c>/fapi/v1</c>),
/// one typed method per endpoint; weights are the docs' costs in the IP's request-weight pool.
/// </summary>
public sealed class BinanceMarketData(IRestExecutor rest, MarketKind market)
{
    private const string Pool = BinanceVenue.Pools.Weight;

    private bool Futures => market == MarketKind.Futures;

    private string Api => Futures ? "/fapi/v1" : "/api/v3";

    public async Task<long> GetServerTimeAsync(CancellationToken ct = default) =>
        (await rest.SendAsync(RestRequest.Get(Api + "/time", Pool, 1), BinanceJsonContext.Default.BinanceServerTime, ct).ConfigureAwait(false)).ServerTime;

    /// <summary>The symbols' trading rules; one symbol when given (spot weight 20, USDⓈ-M 1).</summary>
    public async Task<IReadOnlyList<BinanceInstrument>> GetExchangeInfoAsync(string? symbol = null, CancellationToken ct = default)
    {
        var request = RestRequest.Get(Api + "/exchangeInfo", Pool, Futures ? 1 : 20, ("symbol", Futures ? null : symbol));
        var data = await rest.SendAsync(request, ct).ConfigureAwait(false);
        var instruments = BinanceAnswers.Read(request, () => ParseExchangeInfo(data));

        // USDⓈ-M takes no symbol filter: every contract comes, and the one asked for is picked here.
        return symbol is null ? instruments : instruments.Where(i => i.Symbol == symbol).ToArray();
    }

    /// <summary>
    /// The book to <paramref name="limit"/> levels a side: spot 1–5,000 (weight 5/25/50/250 up to 100/500/1,000/5,000),
    /// USDⓈ-M 5, 10, 20, 50, 100, 500 or 1,000 (weight 2/5/10/20).
    /// </summary>
    public async Task<OrderBookUpdate> GetOrderBookAsync(string symbol, int limit = 1000, long receivedTs = 0, CancellationToken ct = default)
    {
        var request = RestRequest.Get(Api + "/depth", Pool, DepthWeight(limit), ("symbol", symbol), ("limit", Invariant(limit)));
        var data = await rest.SendAsync(request, ct).ConfigureAwait(false);
        return BinanceAnswers.Read(request, () => ParseDepth(data, market, new Symbol(symbol), receivedTs));
    }

    private int DepthWeight(int limit)
    {
        if (Futures)
        {
            return limit switch
            {
                5 or 10 or 20 or 50 => 2,
                100 => 5,
                500 => 10,
                1000 => 20,
                _ => throw new ExchangeException(new ConfigurationError($"USDⓈ-M depth limit {limit}: one of 5, 10, 20, 50, 100, 500, 1000")),
            };
        }

        return limit switch
        {
            >= 1 and <= 100 => 5,
            <= 500 and > 100 => 25,
            <= 1000 and > 500 => 50,
            <= 5000 and > 1000 => 250,
            _ => throw new ExchangeException(new ConfigurationError($"spot depth limit {limit}: 1 to 5000")),
        };
    }

    public Task<IReadOnlyList<BinanceTrade>> GetTradesAsync(string symbol, int? limit = null, CancellationToken ct = default) =>
        rest.SendAsync(RestRequest.Get(Api + "/trades", Pool, Futures ? 5 : 25, ("symbol", symbol), ("limit", Invariant(limit))),
            BinanceJsonContext.Default.IReadOnlyListBinanceTrade, ct);

    public Task<IReadOnlyList<BinanceAggTrade>> GetAggTradesAsync(string symbol, long? fromId = null, long? startTime = null, long? endTime = null, int? limit = null, CancellationToken ct = default) =>
        rest.SendAsync(RestRequest.Get(Api + "/aggTrades", Pool, Futures ? 20 : 4, ("symbol", symbol), ("fromId", Invariant(fromId)),
            ("startTime", Invariant(startTime)), ("endTime", Invariant(endTime)), ("limit", Invariant(limit))),
            BinanceJsonContext.Default.IReadOnlyListBinanceAggTrade, ct);

    /// <summary>Klines, oldest first; <paramref name="interval"/> is Binance's (<c>1m</c>, <c>1h</c>, <c>1d</c>, …).</summary>
    public async Task<IReadOnlyList<BinanceKline>> GetKlinesAsync(string symbol, string interval, long? startTime = null, long? endTime = null, int? limit = null, CancellationToken ct = default)
    {
        BinanceStreams.ValidateInterval(interval, market);
        var weight = Futures ? limit switch { null or < 100 => 1, < 500 => 2, <= 1000 => 5, _ => 10 } : 2;
        var request = RestRequest.Get(Api + "/klines", Pool, weight, ("symbol", symbol), ("interval", interval),
            ("startTime", Invariant(startTime)), ("endTime", Invariant(endTime)), ("limit", Invariant(limit)));
        var data = await rest.SendAsync(request, ct).ConfigureAwait(false);
        return BinanceAnswers.Read(request, () => data.EnumerateArray().Select(ParseKline).ToArray());
    }

    public Task<BinanceTicker24h> GetTicker24hAsync(string symbol, CancellationToken ct = default) =>
        rest.SendAsync(RestRequest.Get(Api + "/ticker/24hr", Pool, Futures ? 1 : 2, ("symbol", symbol)), BinanceJsonContext.Default.BinanceTicker24h, ct);

    public Task<BinanceBookTicker> GetBookTickerAsync(string symbol, CancellationToken ct = default) =>
        rest.SendAsync(RestRequest.Get(Api + "/ticker/bookTicker", Pool, 2, ("symbol", symbol)), BinanceJsonContext.Default.BinanceBookTicker, ct);

    /// <summary>USDⓈ-M mark and index price and funding (<c>GET /fapi/v1/premiumIndex</c>, weight 1).</summary>
    public Task<BinancePremiumIndex> GetPremiumIndexAsync(string symbol, CancellationToken ct = default) =>
        rest.SendAsync(RestRequest.Get(FuturesOnly("/fapi/v1/premiumIndex"), Pool, 1, ("symbol", symbol)), BinanceJsonContext.Default.BinancePremiumIndex, ct);

    /// <summary>USDⓈ-M funding history, oldest first (<c>GET /fapi/v1/fundingRate</c>, at most 1,000).</summary>
    public Task<IReadOnlyList<BinanceFundingRate>> GetFundingRateHistoryAsync(string symbol, long? startTime = null, long? endTime = null, int? limit = null, CancellationToken ct = default) =>
        rest.SendAsync(RestRequest.Get(FuturesOnly("/fapi/v1/fundingRate"), Pool, 1, ("symbol", symbol), ("startTime", Invariant(startTime)),
            ("endTime", Invariant(endTime)), ("limit", Invariant(limit))), BinanceJsonContext.Default.IReadOnlyListBinanceFundingRate, ct);

    public Task<BinanceOpenInterest> GetOpenInterestAsync(string symbol, CancellationToken ct = default) =>
        rest.SendAsync(RestRequest.Get(FuturesOnly("/fapi/v1/openInterest"), Pool, 1, ("symbol", symbol)), BinanceJsonContext.Default.BinanceOpenInterest, ct);

    private string FuturesOnly(string path) => Futures
        ? path
        : throw new ExchangeException(new ConfigurationError($"{path} is a USDⓈ-M endpoint: use --market futures"));

    /// <summary>
    /// A depth body (<c>{"lastUpdateId":1027024,"bids":[["4.00000000","431.00000000"]],"asks":[…]}</c>; USDⓈ-M adds
    /// <c>E</c> and <c>T</c>) as a snapshot of a delta book at <c>lastUpdateId</c>. Spot gives no time: the arrival stands in.
    /// </summary>
    public static OrderBookUpdate ParseDepth(JsonElement data, MarketKind market, Symbol symbol, long receivedTs)
    {
        var id = data.Required("lastUpdateId").GetLong("lastUpdateId");
        var ts = data.Field("T").GetNullableLong("T") ?? data.Field("E").GetNullableLong("E") ?? receivedTs;
        return new OrderBookUpdate(BinanceVenue.Id, market, symbol, ts, receivedTs, DataChannel.BookDelta, BookUpdateKind.Snapshot,
            id, id, Levels(data.Required("bids"), "bids"), Levels(data.Required("asks"), "asks"));
    }

    private static ImmutableArray<BookLevel> Levels(JsonElement rows, string field)
    {
        if (rows.ValueKind != JsonValueKind.Array)
        {
            throw new FrameFormatException($"'{field}' must be an array");
        }

        var levels = ImmutableArray.CreateBuilder<BookLevel>(rows.GetArrayLength());
        foreach (var row in rows.EnumerateArray())
        {
            if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() < 2)
            {
                throw new FrameFormatException($"'{field}' level must be [price, quantity]");
            }

            levels.Add(JsonReading.Level(row[0].GetDecimal(field + ".price"), row[1].GetDecimal(field + ".quantity"), field));
        }

        return levels.MoveToImmutable();
    }

    private static BinanceKline ParseKline(JsonElement row)
    {
        if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() < 11)
        {
            throw new FrameFormatException("a kline row has 12 fields");
        }

        return new BinanceKline(row[0].GetLong("openTime"), row[1].GetDecimal("open"), row[2].GetDecimal("high"), row[3].GetDecimal("low"),
            row[4].GetDecimal("close"), row[5].GetDecimal("volume"), row[6].GetLong("closeTime"), row[7].GetDecimal("quoteVolume"),
            row[8].GetLong("trades"), row[9].GetDecimal("takerBuyBaseVolume"), row[10].GetDecimal("takerBuyQuoteVolume"));
    }

    /// <summary>The <c>symbols</c> of <c>exchangeInfo</c> with the filters the node checks orders against.</summary>
    public static IReadOnlyList<BinanceInstrument> ParseExchangeInfo(JsonElement data)
    {
        var symbols = data.Required("symbols");
        var instruments = new List<BinanceInstrument>(symbols.GetArrayLength());
        foreach (var s in symbols.EnumerateArray())
        {
            var name = s.Required("symbol").GetString() ?? throw new FrameFormatException("symbol is null");
            JsonElement Filter(string type) => s.Required("filters").EnumerateArray()
                .FirstOrDefault(f => f.Field("filterType").GetNullableString() == type);
            var price = Filter("PRICE_FILTER");
            var lot = Filter("LOT_SIZE");
            if (price.ValueKind == JsonValueKind.Undefined || lot.ValueKind == JsonValueKind.Undefined)
            {
                throw new FrameFormatException($"{name}: PRICE_FILTER and LOT_SIZE are required");
            }

            var notional = Filter("NOTIONAL") is { ValueKind: JsonValueKind.Object } n ? n.Field("minNotional").GetNullableDecimal("minNotional")
                : Filter("MIN_NOTIONAL") is { ValueKind: JsonValueKind.Object } m ? (m.Field("notional").ValueKind != JsonValueKind.Undefined
                    ? m.Field("notional").GetNullableDecimal("notional")
                    : m.Field("minNotional").GetNullableDecimal("minNotional"))
                : null;
            instruments.Add(new BinanceInstrument(
                name,
                (s.Field("status").GetNullableString() ?? s.Field("contractStatus").GetNullableString()) ?? throw new FrameFormatException($"{name}: no status"),
                s.Required("baseAsset").GetString()!, s.Required("quoteAsset").GetString()!,
                price.Required("tickSize").GetDecimal("tickSize"), price.Required("minPrice").GetDecimal("minPrice"), price.Required("maxPrice").GetDecimal("maxPrice"),
                lot.Required("stepSize").GetDecimal("stepSize"), lot.Required("minQty").GetDecimal("minQty"), lot.Required("maxQty").GetDecimal("maxQty"),
                notional,
                s.Field("pricePrecision").ValueKind == JsonValueKind.Number ? s.Field("pricePrecision").GetInt32() : null,
                s.Field("quantityPrecision").ValueKind == JsonValueKind.Number ? s.Field("quantityPrecision").GetInt32() : null,
                s.Field("contractType").GetNullableString()));
        }

        return instruments;
    }

    internal static string? Invariant(long? value) => value?.ToString(CultureInfo.InvariantCulture);
}
