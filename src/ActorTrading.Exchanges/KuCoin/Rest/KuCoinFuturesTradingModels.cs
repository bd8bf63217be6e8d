using System.Text.Json.Serialization;
using ActorTrading.Core.Json;
using ActorTrading.Core.Market;

namespace ActorTrading.Exchanges.KuCoin.Rest;

[JsonConverter(typeof(JsonStringEnumConverter<FuturesOrderType>))]
public enum FuturesOrderType
{
    [JsonStringEnumMemberName("limit")]
    Limit,
    [JsonStringEnumMemberName("market")]
    Market,
}

[JsonConverter(typeof(JsonStringEnumConverter<FuturesMarginMode>))]
public enum FuturesMarginMode
{
    [JsonStringEnumMemberName("ISOLATED")]
    Isolated,
    [JsonStringEnumMemberName("CROSS")]
    Cross,
}

/// <summary>KuCoin Futures supports GTC (default) and IOC only; FOK does not exist there.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FuturesTimeInForce>))]
public enum FuturesTimeInForce
{
    [JsonStringEnumMemberName("GTC")]
    GoodTillCanceled,
    [JsonStringEnumMemberName("IOC")]
    ImmediateOrCancel,
}

/// <summary>Self-trade prevention: cancel newest, cancel oldest, cancel both.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SelfTradePrevention>))]
public enum SelfTradePrevention
{
    [JsonStringEnumMemberName("CN")]
    CancelNewest,
    [JsonStringEnumMemberName("CO")]
    CancelOldest,
    [JsonStringEnumMemberName("CB")]
    CancelBoth,
}

/// <summary>A stop order triggers when the price goes <c>up</c> to or <c>down</c> to the stop price.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StopDirection>))]
public enum StopDirection
{
    [JsonStringEnumMemberName("up")]
    Up,
    [JsonStringEnumMemberName("down")]
    Down,
}

/// <summary>Which price triggers a stop: trade price, mark price or index price.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StopPriceType>))]
public enum StopPriceType
{
    [JsonStringEnumMemberName("TP")]
    TradePrice,
    [JsonStringEnumMemberName("MP")]
    MarkPrice,
    [JsonStringEnumMemberName("IP")]
    IndexPrice,
}

[JsonConverter(typeof(JsonStringEnumConverter<FuturesPositionSide>))]
public enum FuturesPositionSide
{
    [JsonStringEnumMemberName("BOTH")]
    Both,
    [JsonStringEnumMemberName("LONG")]
    Long,
    [JsonStringEnumMemberName("SHORT")]
    Short,
}

/// <summary>
/// <c>POST /api/v1/orders</c> body (docs-new "Add Order"). Fields are written in the docs' order and only when set,
/// so the signed body is exactly what is sent. Exactly one of <see cref="Size"/> (contracts), <see cref="Qty"/>
/// (base currency) or <see cref="ValueQty"/> (quote value) is required.
/// </summary>
public sealed record FuturesOrderRequest
{
    public required string ClientOid { get; init; }

    /// <summary>Required, except on a close-position order where the venue works it out.</summary>
    public Side? Side { get; init; }

    public required string Symbol { get; init; }

    public int? Leverage { get; init; }

    public FuturesOrderType Type { get; init; } = FuturesOrderType.Limit;

    public string? Remark { get; init; }

    public StopDirection? Stop { get; init; }

    public StopPriceType? StopPriceType { get; init; }

    [JsonConverter(typeof(DecimalStringConverter))]
    public decimal? StopPrice { get; init; }

    public bool? ReduceOnly { get; init; }

    public bool? CloseOrder { get; init; }

    public bool? ForceHold { get; init; }

    public SelfTradePrevention? Stp { get; init; }

    public FuturesMarginMode? MarginMode { get; init; }

    [JsonConverter(typeof(DecimalStringConverter))]
    public decimal? Price { get; init; }

    public long? Size { get; init; }

    [JsonConverter(typeof(DecimalStringConverter))]
    public decimal? Qty { get; init; }

    [JsonConverter(typeof(DecimalStringConverter))]
    public decimal? ValueQty { get; init; }

    public FuturesTimeInForce? TimeInForce { get; init; }

    public bool? PostOnly { get; init; }

    public bool? Hidden { get; init; }

    public bool? Iceberg { get; init; }

    [JsonConverter(typeof(DecimalStringConverter))]
    public decimal? VisibleSize { get; init; }

    public FuturesPositionSide? PositionSide { get; init; }
}

/// <summary>Answer to an order placement.</summary>
public sealed record FuturesOrderAck(string OrderId, string? ClientOid);

public sealed record CancelledOrders(IReadOnlyList<string> CancelledOrderIds);

public sealed record CancelledClientOrder(string ClientOid);

/// <summary>
/// One order's answer inside a batch (<c>POST /api/v1/orders/multi</c>, <c>DELETE /api/v1/orders/multi-cancel</c> and
/// their trading-socket ops): the venue answers each order on its own, with its own code. Batch placement says
/// <c>"200000"</c> on success, batch cancel <c>"200"</c> (both as the docs show).
/// </summary>
public sealed record BatchOrderResult(string? OrderId, string? ClientOid, string? Symbol, string Code, string? Msg)
{
    public bool IsSuccess => Code is KuCoinVenue.SuccessCode or "200";
}

/// <summary>A futures order named by its clientOid, for batch cancel.</summary>
public sealed record FuturesClientOrderRef(string Symbol, string ClientOid);

/// <summary>
/// <c>DELETE /api/v1/orders/multi-cancel</c> body: one of the two lists (the venue prefers orderIdsList when both come).
/// </summary>
public sealed record FuturesBatchCancelRequest(IReadOnlyList<string>? OrderIdsList, IReadOnlyList<FuturesClientOrderRef>? ClientOidsList);

/// <summary>A page of a paginated list.</summary>
public sealed record KuCoinPage<T>(int CurrentPage, int PageSize, int TotalNum, int TotalPage, IReadOnlyList<T> Items);

/// <summary><c>GET /api/v1/account-overview</c>.</summary>
public sealed record FuturesAccountOverview(
    decimal AccountEquity, decimal UnrealisedPNL, decimal MarginBalance, decimal PositionMargin, decimal OrderMargin,
    decimal FrozenFunds, decimal AvailableBalance, string Currency, decimal? RiskRatio, decimal? MaxWithdrawAmount);

/// <summary>Totals of <c>GET /api/v1/account-overview-all</c>.</summary>
public sealed record FuturesAccountSummary(
    decimal AccountEquityTotal, decimal UnrealisedPNLTotal, decimal MarginBalanceTotal, decimal PositionMarginTotal,
    decimal OrderMarginTotal, decimal FrozenFundsTotal, decimal AvailableBalanceTotal, string Currency);

public sealed record FuturesSubAccountOverview(
    string AccountName, decimal AccountEquity, decimal UnrealisedPNL, decimal MarginBalance, decimal PositionMargin,
    decimal OrderMargin, decimal FrozenFunds, decimal AvailableBalance, string Currency);

/// <summary><c>GET /api/v1/account-overview-all</c>: the master and every sub-account.</summary>
public sealed record FuturesAccountOverviewAll(FuturesAccountSummary Summary, IReadOnlyList<FuturesSubAccountOverview> Accounts);

/// <summary><c>GET /api/v1/position</c> and the items of <c>/api/v1/positions</c>.</summary>
public sealed record FuturesPosition(
    string Id, string Symbol, bool CrossMode, bool? AutoDeposit, decimal? MaintMarginReq, decimal? RiskLimit,
    decimal? RealLeverage, decimal? DelevPercentage, long? OpeningTimestamp, long CurrentTimestamp, decimal CurrentQty,
    decimal CurrentCost, decimal CurrentComm, decimal UnrealisedCost, decimal RealisedGrossCost, decimal RealisedCost,
    bool IsOpen, decimal MarkPrice, decimal MarkValue, decimal PosCost, decimal? PosInit, decimal? PosMargin,
    decimal? PosMaint, decimal? MaintMargin, decimal RealisedGrossPnl, decimal RealisedPnl, decimal UnrealisedPnl,
    decimal UnrealisedPnlPcnt, decimal UnrealisedRoePcnt, decimal AvgEntryPrice, decimal LiquidationPrice,
    decimal BankruptPrice, string SettleCurrency, int? RiskLimitLevel, string? MarginMode, string? PositionSide,
    decimal? Leverage, decimal? PosFunding);

/// <summary>One level of <c>GET /api/v1/contracts/risk-limit/{symbol}</c>.</summary>
public sealed record FuturesRiskLimitLevel(
    string Symbol, int Level, decimal MaxRiskLimit, decimal MinRiskLimit, decimal MaxLeverage, decimal InitialMargin, decimal MaintainMargin);

/// <summary>
/// An order of <c>GET /api/v1/orders/{orderId}</c> and the order lists; <see cref="OrderTime"/> is in ns.
/// <see cref="StopTriggered"/> is null for an untriggered stop order (the venue's own example of the stop-order list).
/// </summary>
public sealed record FuturesOrder(
    string Id, string Symbol, string Type, Side Side, decimal? Price, decimal Size, decimal? Value, decimal? DealValue,
    decimal DealSize, string? Stp, string? Stop, string? StopPriceType, bool? StopTriggered, decimal? StopPrice,
    string? TimeInForce, bool PostOnly, bool Hidden, bool Iceberg, decimal? Leverage, bool ForceHold, bool CloseOrder,
    decimal? VisibleSize, string? ClientOid, string? Remark, string? Tags, bool IsActive, bool CancelExist, long CreatedAt,
    long UpdatedAt, long? EndAt, long? OrderTime, string SettleCurrency, string? MarginMode, decimal? AvgDealPrice,
    decimal FilledSize, decimal? FilledValue, string Status, bool ReduceOnly);

/// <summary>A fill of <c>GET /api/v1/fills</c> and <c>/api/v1/recentFills</c>; <see cref="TradeTime"/> is in ns.</summary>
public sealed record FuturesFill(
    string Symbol, string TradeId, string OrderId, Side Side, string Liquidity, bool ForceTaker, decimal Price, decimal Size,
    decimal Value, decimal? FeeRate, decimal? FixFee, string FeeCurrency, string? Stop, decimal Fee, string OrderType,
    string TradeType, long CreatedAt, string SettleCurrency, decimal? OpenFeePay, decimal? CloseFeePay, long TradeTime,
    string? MarginMode, string? SubTradeType = null, string? DisplayType = null, decimal? OpenFeeTaxPay = null, decimal? CloseFeeTaxPay = null);

/// <summary><c>POST /api/v1/position/margin/deposit-margin</c> body.</summary>
public sealed record AddMarginRequest(string Symbol, decimal Margin, string BizNo);

public sealed record AutoDepositRequest(string Symbol, bool Status);

public sealed record RiskLimitLevelRequest(string Symbol, int Level);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FuturesOrderRequest))]
[JsonSerializable(typeof(FuturesOrderAck))]
[JsonSerializable(typeof(CancelledOrders))]
[JsonSerializable(typeof(CancelledClientOrder))]
[JsonSerializable(typeof(IReadOnlyList<FuturesOrderRequest>))]
[JsonSerializable(typeof(IReadOnlyList<BatchOrderResult>))]
[JsonSerializable(typeof(FuturesBatchCancelRequest))]
[JsonSerializable(typeof(FuturesAccountOverview))]
[JsonSerializable(typeof(FuturesAccountOverviewAll))]
[JsonSerializable(typeof(FuturesPosition))]
[JsonSerializable(typeof(IReadOnlyList<FuturesPosition>))]
[JsonSerializable(typeof(IReadOnlyList<FuturesRiskLimitLevel>))]
[JsonSerializable(typeof(FuturesOrder))]
[JsonSerializable(typeof(IReadOnlyList<FuturesOrder>))]
[JsonSerializable(typeof(KuCoinPage<FuturesOrder>))]
[JsonSerializable(typeof(KuCoinPage<FuturesFill>))]
[JsonSerializable(typeof(IReadOnlyList<FuturesFill>))]
[JsonSerializable(typeof(AddMarginRequest))]
[JsonSerializable(typeof(AutoDepositRequest))]
[JsonSerializable(typeof(RiskLimitLevelRequest))]
[JsonSerializable(typeof(bool))]
public sealed partial class KuCoinJsonContext : JsonSerializerContext;
