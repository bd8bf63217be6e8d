using System.Text.Json.Serialization;
using ActorTrading.Core.Json;

namespace ActorTrading.Exchanges.Bybit.Rest;

// Constructor parameters without a default are required (RespectRequiredConstructorParameters): a field the venue
// leaves out is an error, never a zero. Bybit sends "" for a number it has no value for: those are optional decimals.

/// <summary>A page of a list answer: <c>{"category":…,"list":[…],"nextPageCursor":…}</c>.</summary>
public sealed record BybitPage<T>(IReadOnlyList<T> List, string? Category = null, string? NextPageCursor = null);

/// <summary><c>lotSizeFilter</c>: linear <c>qtyStep</c>/<c>minNotionalValue</c>, spot <c>basePrecision</c>/<c>minOrderAmt</c>.</summary>
public sealed record BybitLotSizeFilter(
    decimal MinOrderQty, decimal MaxOrderQty,
    [property: JsonConverter(typeof(OptionalDecimalConverter))] decimal? QtyStep = null,
    [property: JsonConverter(typeof(OptionalDecimalConverter))] decimal? BasePrecision = null,
    [property: JsonConverter(typeof(OptionalDecimalConverter))] decimal? MinNotionalValue = null,
    [property: JsonConverter(typeof(OptionalDecimalConverter))] decimal? MinOrderAmt = null,
    [property: JsonConverter(typeof(OptionalDecimalConverter))] decimal? MaxMktOrderQty = null);

public sealed record BybitPriceFilter(
    decimal TickSize,
    [property: JsonConverter(typeof(OptionalDecimalConverter))] decimal? MinPrice = null,
    [property: JsonConverter(typeof(OptionalDecimalConverter))] decimal? MaxPrice = null);

public sealed record BybitLeverageFilter(decimal MinLeverage, decimal MaxLeverage, decimal LeverageStep);

/// <summary>One instrument of <c>GET /v5/market/instruments-info</c> (spot and linear share these fields).</summary>
public sealed record BybitInstrument(
    string Symbol, string Status, string BaseCoin, string QuoteCoin, BybitLotSizeFilter LotSizeFilter, BybitPriceFilter PriceFilter,
    string? ContractType = null, string? SettleCoin = null, BybitLeverageFilter? LeverageFilter = null, int? FundingInterval = null)
{
    /// <summary>The quantity step: linear <c>qtyStep</c>, spot <c>basePrecision</c>.</summary>
    public decimal QtyStep => LotSizeFilter.QtyStep ?? LotSizeFilter.BasePrecision
        ?? throw new System.Text.Json.JsonException($"{Symbol}: lotSizeFilter has neither qtyStep nor basePrecision");

    public decimal? MinNotional => LotSizeFilter.MinNotionalValue ?? LotSizeFilter.MinOrderAmt;

    public bool IsTrading => Status == "Trading";
}

/// <summary>
/// One ticker of <c>GET /v5/market/tickers</c>: spot has the 24-hour figures and the best quote; linear adds mark,
/// index, open interest and funding.
/// </summary>
public sealed record BybitTicker(
    string Symbol, decimal LastPrice,
    [property: JsonConverter(typeof(OptionalDecimalConverter))] decimal? Bid1Price = null,
    [property: JsonConverter(typeof(OptionalDecimalConverter))] decimal? Bid1Size = null,
    [property: JsonConverter(typeof(OptionalDecimalConverter))] decimal? Ask1Price = null,
    [property: JsonConverter(typeof(OptionalDecimalConverter))] decimal? Ask1Size = null,
    [property: JsonConverter(typeof(OptionalDecimalConverter))] decimal? PrevPrice24h = null,
    [property: JsonConverter(typeof(OptionalDecimalConverter))] decimal? Price24hPcnt = null,
    [property: JsonConverter(typeof(OptionalDecimalConverter))] decimal? HighPrice24h = null,
    [property: JsonConverter(typeof(OptionalDecimalConverter))] decimal? LowPrice24h = null,
    [property: JsonConverter(typeof(OptionalDecimalConverter))] decimal? Volume24h = null,
    [property: JsonConverter(typeof(OptionalDecimalConverter))] decimal? Turnover24h = null,
    [property: JsonConverter(typeof(OptionalDecimalConverter))] decimal? MarkPrice = null,
    [property: JsonConverter(typeof(OptionalDecimalConverter))] decimal? IndexPrice = null,
    [property: JsonConverter(typeof(OptionalDecimalConverter))] decimal? OpenInterest = null,
    [property: JsonConverter(typeof(OptionalDecimalConverter))] decimal? OpenInterestValue = null,
    [property: JsonConverter(typeof(OptionalDecimalConverter))] decimal? FundingRate = null,
    string? NextFundingTime = null, string? FundingIntervalHour = null);

/// <summary>A kline row: <c>[startTime, open, high, low, close, volume, turnover]</c>.</summary>
public sealed record BybitKline(long Start, decimal Open, decimal High, decimal Low, decimal Close, decimal Volume, decimal Turnover);

/// <summary>A public trade of <c>GET /v5/market/recent-trade</c>; <c>side</c> is the taker's.</summary>
public sealed record BybitPublicTrade(string ExecId, string Symbol, decimal Price, decimal Size, string Side, long Time, bool? IsBlockTrade = null);

/// <summary>A settled funding rate of <c>GET /v5/market/funding/history</c>.</summary>
public sealed record BybitFundingRate(string Symbol, decimal FundingRate, long FundingRateTimestamp);

/// <summary>An open-interest point of <c>GET /v5/market/open-interest</c>.</summary>
public sealed record BybitOpenInterest(decimal OpenInterest, long Timestamp);

/// <summary><c>GET /v5/market/time</c>.</summary>
public sealed record BybitServerTime(string TimeSecond, string TimeNano);

/// <summary>An order of <c>/v5/order/realtime</c> or <c>/v5/order/history</c>.</summary>
public sealed record BybitOrder(
    string OrderId, string OrderLinkId, string Symbol, string Side, string OrderType, string OrderStatus, decimal Qty,
    decimal CumExecQty,
    [property: JsonConverter(typeof(OptionalDecimalConverter))] decimal? Price = null,
    [property: JsonConverter(typeof(OptionalDecimalConverter))] decimal? AvgPrice = null,
    [property: JsonConverter(typeof(OptionalDecimalConverter))] decimal? LeavesQty = null,
    [property: JsonConverter(typeof(OptionalDecimalConverter))] decimal? CumExecFee = null,
    string? TimeInForce = null, bool? ReduceOnly = null, string? RejectReason = null, string? CreatedTime = null, string? UpdatedTime = null);

/// <summary>The answer of create, amend and cancel: which order.</summary>
public sealed record BybitOrderAck(string OrderId, string OrderLinkId);

/// <summary>A fill of <c>GET /v5/execution/list</c>.</summary>
public sealed record BybitExecution(
    string Symbol, string OrderId, string OrderLinkId, string Side, string ExecId, decimal ExecPrice, decimal ExecQty, string ExecType,
    long ExecTime, bool IsMaker,
    [property: JsonConverter(typeof(OptionalDecimalConverter))] decimal? ExecFee = null,
    string? FeeCurrency = null,
    [property: JsonConverter(typeof(OptionalDecimalConverter))] decimal? LeavesQty = null);

/// <summary>A position of <c>GET /v5/position/list</c> (one-way mode: <c>positionIdx</c> 0).</summary>
public sealed record BybitPosition(
    string Symbol, string Side, decimal Size, int PositionIdx,
    [property: JsonConverter(typeof(OptionalDecimalConverter))] decimal? AvgPrice = null,
    [property: JsonConverter(typeof(OptionalDecimalConverter))] decimal? MarkPrice = null,
    [property: JsonConverter(typeof(OptionalDecimalConverter))] decimal? UnrealisedPnl = null,
    [property: JsonConverter(typeof(OptionalDecimalConverter))] decimal? CumRealisedPnl = null,
    [property: JsonConverter(typeof(OptionalDecimalConverter))] decimal? Leverage = null,
    [property: JsonConverter(typeof(OptionalDecimalConverter))] decimal? LiqPrice = null)
{
    /// <summary>Signed: a <c>Sell</c> position is short.</summary>
    public decimal SignedSize => Side == "Sell" ? -Size : Size;
}

/// <summary>A coin of the Unified account's wallet (<c>GET /v5/account/wallet-balance</c>).</summary>
public sealed record BybitCoinBalance(
    string Coin, decimal WalletBalance,
    [property: JsonConverter(typeof(OptionalDecimalConverter))] decimal? Equity = null,
    [property: JsonConverter(typeof(OptionalDecimalConverter))] decimal? Locked = null,
    [property: JsonConverter(typeof(OptionalDecimalConverter))] decimal? UnrealisedPnl = null,
    [property: JsonConverter(typeof(OptionalDecimalConverter))] decimal? UsdValue = null);

public sealed record BybitWallet(
    string AccountType, IReadOnlyList<BybitCoinBalance> Coin,
    [property: JsonConverter(typeof(OptionalDecimalConverter))] decimal? TotalEquity = null,
    [property: JsonConverter(typeof(OptionalDecimalConverter))] decimal? TotalAvailableBalance = null);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    RespectRequiredConstructorParameters = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BybitPage<BybitInstrument>))]
[JsonSerializable(typeof(BybitPage<BybitTicker>))]
[JsonSerializable(typeof(BybitPage<BybitPublicTrade>))]
[JsonSerializable(typeof(BybitPage<BybitFundingRate>))]
[JsonSerializable(typeof(BybitPage<BybitOpenInterest>))]
[JsonSerializable(typeof(BybitPage<BybitOrder>))]
[JsonSerializable(typeof(BybitPage<BybitExecution>))]
[JsonSerializable(typeof(BybitPage<BybitPosition>))]
[JsonSerializable(typeof(BybitPage<BybitWallet>))]
[JsonSerializable(typeof(BybitPage<BybitOrderAck>))]
[JsonSerializable(typeof(BybitOrderAck))]
[JsonSerializable(typeof(BybitServerTime))]
internal sealed partial class BybitJsonContext : JsonSerializerContext;
