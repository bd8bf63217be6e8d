using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Json;
using ActorTrading.Core.Market;
using ActorTrading.Core.Time;

namespace ActorTrading.Exchanges.KuCoin.Rest;

/// <summary>
/// KuCoin Futures public REST, one typed method per endpoint (docs-new "futures-trading/market-data" and
/// "funding-fees"). Weights are the docs' per-endpoint costs in the Public pool.
/// </summary>
public sealed class KuCoinFuturesMarketData(IRestExecutor rest)
{
    private const string Pool = KuCoinVenue.Pools.Public;

    public async Task<long> GetServerTimeAsync(CancellationToken ct = default)
    {
        var data = await rest.SendAsync(RestRequest.Get("/api/v1/timestamp", Pool, 2), ct).ConfigureAwait(false);
        return Parse(() => data.GetLong("data"));
    }

    public async Task<IReadOnlyList<FuturesKline>> GetKlinesAsync(string symbol, int granularityMinutes, long? fromMs = null, long? toMs = null, CancellationToken ct = default)
    {
        ValidateGranularity(granularityMinutes);
        var request = RestRequest.Get("/api/v1/kline/query", Pool, 3,
            ("symbol", symbol), ("granularity", Invariant(granularityMinutes)), ("from", fromMs is { } f ? Invariant(f) : null), ("to", toMs is { } t ? Invariant(t) : null));
        var data = await rest.SendAsync(request, ct).ConfigureAwait(false);
        return Parse(() => ParseKlines(data));
    }

    /// <summary>
    /// Klines over any range: the venue returns at most 500 rows per call, so the range is walked in windows of
    /// 500 intervals, oldest first, de-duplicated by open time.
    /// </summary>
    public async Task<IReadOnlyList<FuturesKline>> GetKlinesExtendedAsync(string symbol, int granularityMinutes, long fromMs, long toMs, CancellationToken ct = default)
    {
        ValidateGranularity(granularityMinutes);
        if (toMs <= fromMs)
        {
            throw new ExchangeException(new ConfigurationError("kline range: 'to' must be after 'from'"));
        }

        var step = (long)granularityMinutes * 60_000 * FuturesGranularity.MaxRows;
        var rows = new SortedDictionary<long, FuturesKline>();
        for (var windowStart = fromMs; windowStart < toMs; windowStart += step)
        {
            var windowEnd = Math.Min(toMs, windowStart + step);
            foreach (var row in await GetKlinesAsync(symbol, granularityMinutes, windowStart, windowEnd, ct).ConfigureAwait(false))
            {
                if (row.Time >= fromMs && row.Time <= toMs)
                {
                    rows[row.Time] = row;
                }
            }
        }

        return rows.Values.ToArray();
    }

    public async Task<FuturesLevel2Snapshot> GetLevel2SnapshotAsync(string symbol, CancellationToken ct = default)
    {
        var data = await rest.SendAsync(RestRequest.Get("/api/v1/level2/snapshot", Pool, 3, ("symbol", symbol)), ct).ConfigureAwait(false);
        return Parse(() => ParseLevel2Snapshot(data));
    }

    /// <summary>Top 20 or 100 levels (<c>GET /api/v1/level2/depth{size}</c>).</summary>
    public async Task<FuturesLevel2Snapshot> GetLevel2DepthAsync(string symbol, int size, CancellationToken ct = default)
    {
        if (size is not (20 or 100))
        {
            throw new ExchangeException(new ConfigurationError("KuCoin Futures partial depth is 20 or 100"));
        }

        var request = RestRequest.Get($"/api/v1/level2/depth{size}", Pool, size == 20 ? 5 : 10, ("symbol", symbol));
        var data = await rest.SendAsync(request, ct).ConfigureAwait(false);
        return Parse(() => ParseLevel2Snapshot(data));
    }

    public async Task<FuturesCurrentFundingRate> GetCurrentFundingRateAsync(string symbol, CancellationToken ct = default)
    {
        var request = RestRequest.Get($"/api/v1/funding-rate/{Uri.EscapeDataString(symbol)}/current", Pool, 2);
        var data = await rest.SendAsync(request, ct).ConfigureAwait(false);
        return Parse(() => new FuturesCurrentFundingRate(
            data.Required("symbol").GetString()!,
            data.Required("granularity").GetLong("granularity"),
            data.Required("timePoint").GetLong("timePoint"),
            data.Required("value").GetDecimal("value"),
            data.Field("predictedValue").GetNullableDecimal("predictedValue"),
            data.Field("fundingRateCap").GetNullableDecimal("fundingRateCap"),
            data.Field("fundingRateFloor").GetNullableDecimal("fundingRateFloor"),
            data.Field("period").GetNullableLong("period") is { } p ? (int)p : null,
            data.Field("fundingTime").GetNullableLong("fundingTime")));
    }

    /// <summary>
    /// Settled funding rates between two times: the public <c>GET /api/v1/contract/funding-rates</c>
    /// (the seed's <c>/api/v1/funding-history</c> is the private per-account funding-fee ledger).
    /// </summary>
    public async Task<IReadOnlyList<FuturesFundingHistoryEntry>> GetFundingHistoryAsync(string symbol, long fromMs, long toMs, CancellationToken ct = default)
    {
        var request = RestRequest.Get("/api/v1/contract/funding-rates", Pool, 5, ("symbol", symbol), ("from", Invariant(fromMs)), ("to", Invariant(toMs)));
        var data = await rest.SendAsync(request, ct).ConfigureAwait(false);
        return Parse(() => data.EnumerateArray().Select(e => new FuturesFundingHistoryEntry(
            e.Required("symbol").GetString()!,
            e.Required("fundingRate").GetDecimal("fundingRate"),
            e.Required("timepoint").GetLong("timepoint"))).ToArray());
    }

    public async Task<FuturesMarkPrice> GetMarkPriceAsync(string symbol, CancellationToken ct = default)
    {
        var request = RestRequest.Get($"/api/v1/mark-price/{Uri.EscapeDataString(symbol)}/current", Pool, 3);
        var data = await rest.SendAsync(request, ct).ConfigureAwait(false);
        return Parse(() => new FuturesMarkPrice(
            data.Required("symbol").GetString()!,
            data.Required("granularity").GetLong("granularity"),
            data.Required("timePoint").GetLong("timePoint"),
            data.Required("value").GetDecimal("value"),
            data.Required("indexPrice").GetDecimal("indexPrice")));
    }

    public async Task<IReadOnlyList<FuturesContract>> GetActiveContractsAsync(CancellationToken ct = default)
    {
        var data = await rest.SendAsync(RestRequest.Get("/api/v1/contracts/active", Pool, 3), ct).ConfigureAwait(false);
        return Parse(() => data.EnumerateArray().Select(ParseContract).ToArray());
    }

    public async Task<FuturesContract> GetContractAsync(string symbol, CancellationToken ct = default)
    {
        var data = await rest.SendAsync(RestRequest.Get($"/api/v1/contracts/{Uri.EscapeDataString(symbol)}", Pool, 3), ct).ConfigureAwait(false);
        return Parse(() => ParseContract(data));
    }

    public async Task<FuturesTicker> GetTickerAsync(string symbol, CancellationToken ct = default)
    {
        var data = await rest.SendAsync(RestRequest.Get("/api/v1/ticker", Pool, 2, ("symbol", symbol)), ct).ConfigureAwait(false);
        return Parse(() => new FuturesTicker(
            data.Required("symbol").GetString()!,
            data.Required("sequence").GetLong("sequence"),
            data.Required("side").GetString() == "buy" ? Side.Buy : Side.Sell,
            data.Required("size").GetDecimal("size"),
            data.Required("tradeId").GetNullableString()!,
            data.Required("price").GetDecimal("price"),
            data.Required("bestBidPrice").GetDecimal("bestBidPrice"),
            data.Required("bestBidSize").GetDecimal("bestBidSize"),
            data.Required("bestAskPrice").GetDecimal("bestAskPrice"),
            data.Required("bestAskSize").GetDecimal("bestAskSize"),
            UnixTime.FromNanoseconds(data.Required("ts").GetLong("ts"))));
    }

    /// <summary>Contracts for a quote-currency notional, fetching the contract's multiplier (see <see cref="ContractMath"/>).</summary>
    public async Task<decimal> CalcContractsAsync(string symbol, decimal notional, decimal price, CancellationToken ct = default)
    {
        var contract = await GetContractAsync(symbol, ct).ConfigureAwait(false);
        return ContractMath.CalcContracts(contract, notional, price);
    }

    public static IReadOnlyList<FuturesKline> ParseKlines(JsonElement data) =>
        data.EnumerateArray().Select(row =>
        {
            if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() < 6)
            {
                throw new FrameFormatException("kline row must have 6 values");
            }

            return new FuturesKline(row[0].GetLong("time"), row[1].GetDecimal("open"), row[2].GetDecimal("high"),
                row[3].GetDecimal("low"), row[4].GetDecimal("close"), row[5].GetDecimal("volume"));
        }).ToArray();

    public static FuturesLevel2Snapshot ParseLevel2Snapshot(JsonElement data) => new(
        data.Required("symbol").GetString()!,
        data.Required("sequence").GetLong("sequence"),
        ParseLevels(data.Required("bids"), "bids"),
        ParseLevels(data.Required("asks"), "asks"),
        UnixTime.FromNanoseconds(data.Required("ts").GetLong("ts")));

    private static ImmutableArray<BookLevel> ParseLevels(JsonElement levels, string field) =>
        levels.EnumerateArray().Select(l => new BookLevel(l[0].GetDecimal(field + ".price"), l[1].GetDecimal(field + ".size"))).ToImmutableArray();

    internal static FuturesContract ParseContract(JsonElement c) => new(
        c.Required("symbol").GetString()!,
        c.Field("rootSymbol").GetNullableString() ?? string.Empty,
        c.Field("type").GetNullableString() ?? string.Empty,
        c.Field("firstOpenDate").GetNullableLong("firstOpenDate"),
        c.Field("expireDate").GetNullableLong("expireDate"),
        c.Field("settleDate").GetNullableLong("settleDate"),
        c.Required("baseCurrency").GetString()!,
        c.Required("quoteCurrency").GetString()!,
        c.Field("settleCurrency").GetNullableString() ?? string.Empty,
        c.Required("maxOrderQty").GetDecimal("maxOrderQty"),
        c.Required("maxPrice").GetDecimal("maxPrice"),
        c.Required("lotSize").GetDecimal("lotSize"),
        c.Required("tickSize").GetDecimal("tickSize"),
        c.Field("indexPriceTickSize").GetNullableDecimal("indexPriceTickSize") ?? 0m,
        c.Required("multiplier").GetDecimal("multiplier"),
        c.Required("initialMargin").GetDecimal("initialMargin"),
        c.Required("maintainMargin").GetDecimal("maintainMargin"),
        c.Field("maxRiskLimit").GetNullableDecimal("maxRiskLimit") ?? 0m,
        c.Field("minRiskLimit").GetNullableDecimal("minRiskLimit") ?? 0m,
        c.Field("riskStep").GetNullableDecimal("riskStep") ?? 0m,
        c.Required("makerFeeRate").GetDecimal("makerFeeRate"),
        c.Required("takerFeeRate").GetDecimal("takerFeeRate"),
        c.Field("takerFixFee").GetNullableDecimal("takerFixFee") ?? 0m,
        c.Field("makerFixFee").GetNullableDecimal("makerFixFee") ?? 0m,
        c.Field("isDeleverage").ValueKind == JsonValueKind.True,
        c.Field("isQuanto").ValueKind == JsonValueKind.True,
        c.Required("isInverse").ValueKind == JsonValueKind.True,
        c.Field("markMethod").GetNullableString() ?? string.Empty,
        c.Field("fairMethod").GetNullableString(),
        c.Field("fundingRateSymbol").GetNullableString(),
        c.Field("indexSymbol").GetNullableString(),
        c.Required("status").GetString()!,
        c.Field("fundingFeeRate").GetNullableDecimal("fundingFeeRate"),
        c.Field("predictedFundingFeeRate").GetNullableDecimal("predictedFundingFeeRate"),
        c.Field("fundingRateGranularity").GetNullableLong("fundingRateGranularity"),
        c.Field("openInterest").GetNullableDecimal("openInterest"),
        c.Field("turnoverOf24h").GetNullableDecimal("turnoverOf24h"),
        c.Field("volumeOf24h").GetNullableDecimal("volumeOf24h"),
        c.Field("markPrice").GetNullableDecimal("markPrice"),
        c.Field("indexPrice").GetNullableDecimal("indexPrice"),
        c.Field("lastTradePrice").GetNullableDecimal("lastTradePrice"),
        c.Field("nextFundingRateTime").GetNullableLong("nextFundingRateTime"),
        c.Field("maxLeverage").GetNullableDecimal("maxLeverage"),
        c.Field("lowPrice").GetNullableDecimal("lowPrice"),
        c.Field("highPrice").GetNullableDecimal("highPrice"),
        c.Field("priceChgPct").GetNullableDecimal("priceChgPct"),
        c.Field("priceChg").GetNullableDecimal("priceChg"),
        c.Field("supportCross").ValueKind switch { JsonValueKind.True => true, JsonValueKind.False => false, _ => null });

    private static T Parse<T>(Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (Exception e) when (e is FrameFormatException or InvalidOperationException or IndexOutOfRangeException or FormatException)
        {
            throw new ExchangeException(new ProtocolError("unexpected KuCoin response: " + e.Message, "(response data)"), e);
        }
    }

    private static void ValidateGranularity(int minutes)
    {
        if (!FuturesGranularity.Minutes.Contains(minutes))
        {
            throw new ExchangeException(new ConfigurationError(
                $"granularity {minutes} is not one of {string.Join(", ", FuturesGranularity.Minutes)} minutes"));
        }
    }

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Contract arithmetic for KuCoin Futures.</summary>
public static class ContractMath
{
    /// <summary>
    /// Whole contracts (rounded down to the lot size) worth <paramref name="notional"/> in the quote currency.
    /// Linear (e.g. XBTUSDTM, multiplier 0.001 XBT): notional / (price × multiplier).
    /// Inverse (e.g. XBTUSDM, multiplier -1 = 1 USD per contract): notional / |multiplier|, price-independent.
    /// </summary>
    public static decimal CalcContracts(FuturesContract contract, decimal notional, decimal price)
    {
        if (notional <= 0)
        {
            throw new ExchangeException(new ConfigurationError("notional must be positive"));
        }

        var multiplier = Math.Abs(contract.Multiplier);
        if (multiplier == 0)
        {
            throw new ExchangeException(new ProtocolError($"contract {contract.Symbol} has multiplier 0", contract.Symbol));
        }

        decimal raw;
        if (contract.IsInverse)
        {
            raw = notional / multiplier;
        }
        else
        {
            if (price <= 0)
            {
                throw new ExchangeException(new ConfigurationError("price must be positive for a linear contract"));
            }

            raw = notional / (price * multiplier);
        }

        var lot = contract.LotSize > 0 ? contract.LotSize : 1m;
        return Math.Floor(raw / lot) * lot;
    }
}
