using System.Collections.Immutable;
using ActorTrading.Core.Market;

namespace ActorTrading.Exchanges.KuCoin.Rest;

/// <summary>One kline row of <c>GET /api/v1/kline/query</c>: <c>[time(ms), open, high, low, close, volume]</c>.</summary>
public sealed record FuturesKline(long Time, decimal Open, decimal High, decimal Low, decimal Close, decimal Volume);

/// <summary><c>GET /api/v1/level2/snapshot</c> and <c>/api/v1/level2/depth{20|100}</c>; <see cref="Ts"/> converted from ns to ms.</summary>
public sealed record FuturesLevel2Snapshot(string Symbol, long Sequence, ImmutableArray<BookLevel> Bids, ImmutableArray<BookLevel> Asks, long Ts);

/// <summary><c>GET /api/v1/funding-rate/{symbol}/current</c>. <see cref="Symbol"/> is the funding-rate symbol (".XBTUSDTMFPI8H").</summary>
public sealed record FuturesCurrentFundingRate(
    string Symbol, long Granularity, long TimePoint, decimal Value, decimal? PredictedValue,
    decimal? FundingRateCap, decimal? FundingRateFloor, int? Period, long? FundingTime);

/// <summary>One settled rate of the public <c>GET /api/v1/contract/funding-rates</c>.</summary>
public sealed record FuturesFundingHistoryEntry(string Symbol, decimal FundingRate, long Timepoint);

/// <summary><c>GET /api/v1/mark-price/{symbol}/current</c>.</summary>
public sealed record FuturesMarkPrice(string Symbol, long Granularity, long TimePoint, decimal Value, decimal IndexPrice);

/// <summary><c>GET /api/v1/ticker</c>; <see cref="Ts"/> converted from ns to ms.</summary>
public sealed record FuturesTicker(
    string Symbol, long Sequence, Side Side, decimal Size, string TradeId, decimal Price,
    decimal BestBidPrice, decimal BestBidSize, decimal BestAskPrice, decimal BestAskSize, long Ts);

/// <summary>
/// A contract of <c>GET /api/v1/contracts/{symbol}</c> and <c>/api/v1/contracts/active</c>. Null where the venue sends
/// null (a perpetual's expireDate, settleDate, settlementFee); <see cref="BuyLimit"/> and <see cref="SellLimit"/> are the
/// price limits orders must stay within.
/// </summary>
public sealed record FuturesContract(
    string Symbol,
    string RootSymbol,
    string Type,
    long? FirstOpenDate,
    long? ExpireDate,
    long? SettleDate,
    string BaseCurrency,
    string QuoteCurrency,
    string SettleCurrency,
    decimal MaxOrderQty,
    decimal MaxPrice,
    decimal LotSize,
    decimal TickSize,
    decimal IndexPriceTickSize,
    decimal Multiplier,
    decimal InitialMargin,
    decimal MaintainMargin,
    decimal MaxRiskLimit,
    decimal MinRiskLimit,
    decimal RiskStep,
    decimal MakerFeeRate,
    decimal TakerFeeRate,
    decimal TakerFixFee,
    decimal MakerFixFee,
    bool IsDeleverage,
    bool IsQuanto,
    bool IsInverse,
    string MarkMethod,
    string? FairMethod,
    string? FundingRateSymbol,
    string? IndexSymbol,
    string Status,
    decimal? FundingFeeRate,
    decimal? PredictedFundingFeeRate,
    long? FundingRateGranularity,
    decimal? OpenInterest,
    decimal? TurnoverOf24h,
    decimal? VolumeOf24h,
    decimal? MarkPrice,
    decimal? IndexPrice,
    decimal? LastTradePrice,
    long? NextFundingRateTime,
    decimal? MaxLeverage,
    decimal? LowPrice,
    decimal? HighPrice,
    decimal? PriceChgPct,
    decimal? PriceChg,
    bool? SupportCross,
    decimal? SettlementFee = null,
    string? SettlementSymbol = null,
    decimal? BuyLimit = null,
    decimal? SellLimit = null);

/// <summary>Kline granularities of the futures REST API, in minutes.</summary>
public static class FuturesGranularity
{
    public static readonly IReadOnlySet<int> Minutes = new HashSet<int> { 1, 5, 15, 30, 60, 120, 240, 480, 720, 1440, 10080 };

    /// <summary>Rows per request the venue returns at most.</summary>
    public const int MaxRows = 500;
}
