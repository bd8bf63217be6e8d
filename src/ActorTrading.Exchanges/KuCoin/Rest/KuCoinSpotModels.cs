using System.Text.Json.Serialization;
using ActorTrading.Core.Json;
using ActorTrading.Core.Market;

namespace ActorTrading.Exchanges.KuCoin.Rest;

/// <summary>Spot time in force: GTC (default), GTT (with <c>cancelAfter</c>), IOC, FOK.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SpotTimeInForce>))]
public enum SpotTimeInForce
{
    [JsonStringEnumMemberName("GTC")]
    GoodTillCanceled,
    [JsonStringEnumMemberName("GTT")]
    GoodTillTime,
    [JsonStringEnumMemberName("IOC")]
    ImmediateOrCancel,
    [JsonStringEnumMemberName("FOK")]
    FillOrKill,
}

/// <summary>Spot self-trade prevention adds DC (decrease and cancel) to CN, CO, CB.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SpotSelfTradePrevention>))]
public enum SpotSelfTradePrevention
{
    [JsonStringEnumMemberName("DC")]
    DecreaseAndCancel,
    [JsonStringEnumMemberName("CO")]
    CancelOldest,
    [JsonStringEnumMemberName("CN")]
    CancelNewest,
    [JsonStringEnumMemberName("CB")]
    CancelBoth,
}

/// <summary>
/// <c>POST /api/v1/hf/orders</c> body (docs-new "Add Order" HF), fields in the docs' order. A market order takes
/// <see cref="Size"/> (base) or <see cref="Funds"/> (quote), not both.
/// </summary>
public sealed record SpotOrderRequest
{
    public FuturesOrderType Type { get; init; } = FuturesOrderType.Limit;

    public required string Symbol { get; init; }

    public required Side Side { get; init; }

    [JsonConverter(typeof(DecimalStringConverter))]
    public decimal? Price { get; init; }

    [JsonConverter(typeof(DecimalStringConverter))]
    public decimal? Size { get; init; }

    [JsonConverter(typeof(DecimalStringConverter))]
    public decimal? Funds { get; init; }

    public required string ClientOid { get; init; }

    public SpotSelfTradePrevention? Stp { get; init; }

    public string? Tags { get; init; }

    public string? Remark { get; init; }

    public SpotTimeInForce? TimeInForce { get; init; }

    /// <summary>Seconds until a GTT order is canceled.</summary>
    public long? CancelAfter { get; init; }

    public bool? PostOnly { get; init; }

    public bool? Hidden { get; init; }

    public bool? Iceberg { get; init; }

    [JsonConverter(typeof(DecimalStringConverter))]
    public decimal? VisibleSize { get; init; }

    /// <summary>Margin only: isolated (true) or cross (false, default) margin.</summary>
    public bool? IsIsolated { get; init; }

    /// <summary>Margin only: borrow what the order needs.</summary>
    public bool? AutoBorrow { get; init; }

    /// <summary>Margin only: repay the loan with the proceeds.</summary>
    public bool? AutoRepay { get; init; }
}

/// <summary>A spot HF order (<c>GET /api/v1/hf/orders/{orderId}</c> and the lists).</summary>
public sealed record SpotOrder(
    string Id, string? ClientOid, string Symbol, string? OpType, string Type, Side Side, decimal? Price, decimal? Size,
    decimal? Funds, decimal DealSize, decimal DealFunds, decimal? Fee, string? FeeCurrency, string? Stp, string? TimeInForce,
    bool PostOnly, bool Hidden, bool Iceberg, decimal? VisibleSize, long? CancelAfter, string? Channel, string? Remark,
    string? Tags, bool CancelExist, string? TradeType, bool? InOrderBook, bool Active, long CreatedAt, long LastUpdatedAt,
    decimal? CancelledSize, decimal? CancelledFunds, decimal? RemainSize, decimal? RemainFunds);

/// <summary>A spot HF fill (<c>GET /api/v1/hf/fills</c>).</summary>
public sealed record SpotFill(
    long Id, string OrderId, string? CounterOrderId, long TradeId, string Symbol, Side Side, string Liquidity, string Type,
    bool? ForceTaker, decimal Price, decimal Size, decimal Funds, decimal Fee, decimal? FeeRate, string FeeCurrency,
    string? Stop, string? TradeType, long CreatedAt);

/// <summary>A page of a cursor-paginated HF list: pass <see cref="LastId"/> back to get the next one.</summary>
public sealed record SpotCursorPage<T>(long? LastId, IReadOnlyList<T> Items);

public sealed record SpotOrderAck(string OrderId, string? ClientOid);

/// <summary>A margin order placement: the venue says what it borrowed for it.</summary>
public sealed record MarginOrderAck(string OrderId, string? ClientOid, decimal? BorrowSize, string? LoanApplyId);

/// <summary>One currency of the cross margin account (<c>GET /api/v3/margin/accounts</c>).</summary>
public sealed record CrossMarginAsset(
    string Currency, decimal Total, decimal Available, decimal Hold, decimal Liability, decimal? MaxBorrowSize, bool BorrowEnabled, bool TransferInEnabled);

public sealed record CrossMarginAccount(
    decimal TotalAssetOfQuoteCurrency, decimal TotalLiabilityOfQuoteCurrency, decimal DebtRatio, string Status, IReadOnlyList<CrossMarginAsset> Accounts);

public sealed record IsolatedMarginAsset(
    string Currency, bool BorrowEnabled, bool TransferInEnabled, decimal Liability, decimal Total, decimal Available, decimal Hold, decimal? MaxBorrowSize);

public sealed record IsolatedMarginPair(string Symbol, string Status, decimal DebtRatio, IsolatedMarginAsset BaseAsset, IsolatedMarginAsset QuoteAsset);

/// <summary><c>GET /api/v3/isolated/accounts</c>.</summary>
public sealed record IsolatedMarginAccount(
    decimal TotalAssetOfQuoteCurrency, decimal TotalLiabilityOfQuoteCurrency, long? Timestamp, IReadOnlyList<IsolatedMarginPair> Assets);

/// <summary>
/// A borrow or repay (<c>POST /api/v3/margin/borrow|repay</c>); <see cref="Size"/> goes out as a JSON number, as
/// documented; <see cref="IsHf"/> selects the HF margin account.
/// </summary>
public sealed record MarginLoanRequest(string Currency, decimal Size)
{
    public string? TimeInForce { get; init; }

    public string? Symbol { get; init; }

    public bool? IsIsolated { get; init; }

    public bool? IsHf { get; init; }
}

public sealed record MarginBorrowAck(string OrderNo, decimal ActualSize);

public sealed record MarginRepayAck(long Timestamp, string OrderNo, decimal ActualSize);

/// <summary>Filters of the borrow, repay and interest histories; times in ms, pages from 1 (size 10–500, default 50).</summary>
public sealed record MarginHistoryQuery(
    string? Currency = null, bool? IsIsolated = null, string? Symbol = null, string? OrderNo = null,
    long? StartTime = null, long? EndTime = null, int? CurrentPage = null, int? PageSize = null);

public sealed record MarginHistoryPage<T>(long Timestamp, int CurrentPage, int PageSize, int TotalNum, int TotalPage, IReadOnlyList<T> Items);

/// <summary><see cref="Status"/>: PENDING, SUCCESS or FAILED; <see cref="Symbol"/> is empty for cross margin.</summary>
public sealed record MarginBorrowRecord(string OrderNo, string? Symbol, string Currency, decimal Size, decimal ActualSize, string Status, long CreatedTime);

public sealed record MarginRepayRecord(string OrderNo, string? Symbol, string Currency, decimal Size, decimal Principal, decimal Interest, string Status, long CreatedTime);

/// <summary><see cref="DayRatio"/> is the daily interest rate.</summary>
public sealed record MarginInterestRecord(string Currency, decimal DayRatio, decimal InterestAmount, long CreatedTime);

/// <summary>Body of <c>POST /api/v3/position/update-user-leverage</c>: the leverage travels as a string, as documented.</summary>
public sealed record MarginLeverageRequest(string? Symbol, bool? IsIsolated, string Leverage);

/// <summary>A pair of <c>GET /api/v3/margin/symbols</c>.</summary>
public sealed record CrossMarginSymbol(
    string Symbol, string Name, bool EnableTrading, string Market, string BaseCurrency, string QuoteCurrency,
    decimal BaseIncrement, decimal BaseMinSize, decimal QuoteIncrement, decimal QuoteMinSize, decimal BaseMaxSize,
    decimal QuoteMaxSize, decimal PriceIncrement, string FeeCurrency, decimal? PriceLimitRate, decimal? MinFunds);

public sealed record CrossMarginSymbols(long Timestamp, IReadOnlyList<CrossMarginSymbol> Items);

/// <summary>A pair of <c>GET /api/v1/isolated/symbols</c>; <see cref="FlDebtRatio"/> is the forced-liquidation debt ratio.</summary>
public sealed record IsolatedMarginSymbol(
    string Symbol, string SymbolName, string BaseCurrency, string QuoteCurrency, int MaxLeverage, decimal FlDebtRatio,
    bool TradeEnable, decimal AutoRenewMaxDebtRatio, bool BaseBorrowEnable, bool QuoteBorrowEnable, bool BaseTransferInEnable,
    bool QuoteTransferInEnable, decimal BaseBorrowCoefficient, decimal QuoteBorrowCoefficient);

public sealed record SpotCancelAck(string? OrderId, string? ClientOid);

/// <summary><c>POST /api/v1/hf/orders/multi</c> body: up to 5 orders.</summary>
public sealed record SpotBatchOrderRequest(IReadOnlyList<SpotOrderRequest> OrderList);

/// <summary>One order's answer inside a spot batch placement.</summary>
public sealed record SpotBatchOrderResult(string? OrderId, string? ClientOid, bool Success, string? FailMsg);

/// <summary>
/// <c>POST /api/v1/hf/orders/alter</c> (and <c>spot.modify</c>): a new price and/or size for an open HF order named by
/// orderId or clientOid. The venue cancels and re-places it, so the answer carries a new order id.
/// </summary>
public sealed record SpotModifyRequest
{
    public required string Symbol { get; init; }

    public string? ClientOid { get; init; }

    public string? OrderId { get; init; }

    [JsonConverter(typeof(DecimalStringConverter))]
    public decimal? NewPrice { get; init; }

    [JsonConverter(typeof(DecimalStringConverter))]
    public decimal? NewSize { get; init; }
}

public sealed record SpotModifyAck(string NewOrderId, string? ClientOid);

/// <summary>The <c>args</c> of the trading socket's cancel ops: the order by orderId or clientOid (+ symbol).</summary>
public sealed record KuCoinCancelArgs(string? Symbol, string? OrderId, string? ClientOid);

/// <summary><c>GET /api/v1/market/orderbook/level1</c>.</summary>
public sealed record SpotLevel1(long Time, string Sequence, decimal Price, decimal Size, decimal BestBid, decimal BestBidSize, decimal BestAsk, decimal BestAskSize);

/// <summary><c>GET /api/v1/market/orderbook/level2_20|100</c> (public partial book).</summary>
public sealed record SpotOrderBook(long Time, string Sequence, IReadOnlyList<IReadOnlyList<decimal>> Bids, IReadOnlyList<IReadOnlyList<decimal>> Asks);

/// <summary>One trade of <c>GET /api/v1/market/histories</c>; <see cref="Time"/> is in ns.</summary>
public sealed record SpotTrade(string Sequence, decimal Price, decimal Size, Side Side, long Time);

/// <summary>
/// A symbol of <c>GET /api/v2/symbols</c>: <see cref="St"/> marks a special-treatment symbol; the call auction fields
/// (price band, stage start times in ms) and <see cref="TradingStartTime"/> are null unless a listing auction is scheduled.
/// </summary>
public sealed record SpotSymbol(
    string Symbol, string Name, string BaseCurrency, string QuoteCurrency, string FeeCurrency, string Market,
    decimal BaseMinSize, decimal QuoteMinSize, decimal BaseMaxSize, decimal QuoteMaxSize, decimal BaseIncrement,
    decimal QuoteIncrement, decimal PriceIncrement, decimal? PriceLimitRate, decimal? MinFunds, bool IsMarginEnabled,
    bool EnableTrading, int? FeeCategory = null, decimal? MakerFeeCoefficient = null, decimal? TakerFeeCoefficient = null, bool? St = null,
    bool? CallauctionIsEnabled = null, decimal? CallauctionPriceFloor = null, decimal? CallauctionPriceCeiling = null,
    long? CallauctionFirstStageStartTime = null, long? CallauctionSecondStageStartTime = null, long? CallauctionThirdStageStartTime = null,
    long? TradingStartTime = null);

/// <summary>A spot account of <c>GET /api/v1/accounts</c>: one currency in one account type (<c>main</c>, <c>trade</c>).</summary>
public sealed record SpotAccount(
    [property: JsonRequired] string Id, [property: JsonRequired] string Currency, [property: JsonRequired] string Type,
    [property: JsonRequired] decimal Balance, [property: JsonRequired] decimal Available, [property: JsonRequired] decimal Holds);

/// <summary>One kline row of <c>GET /api/v1/market/candles</c>: <c>[time(s), open, close, high, low, volume, turnover]</c>.</summary>
public sealed record SpotKline(long Time, decimal Open, decimal Close, decimal High, decimal Low, decimal Volume, decimal Turnover);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SpotOrderRequest))]
[JsonSerializable(typeof(IReadOnlyList<SpotOrderRequest>))]
[JsonSerializable(typeof(SpotOrderAck))]
[JsonSerializable(typeof(MarginOrderAck))]
[JsonSerializable(typeof(CrossMarginAccount))]
[JsonSerializable(typeof(IsolatedMarginAccount))]
[JsonSerializable(typeof(SpotCancelAck))]
[JsonSerializable(typeof(SpotBatchOrderRequest))]
[JsonSerializable(typeof(IReadOnlyList<SpotBatchOrderResult>))]
[JsonSerializable(typeof(SpotModifyRequest))]
[JsonSerializable(typeof(SpotModifyAck))]
[JsonSerializable(typeof(KuCoinCancelArgs))]
[JsonSerializable(typeof(MarginLoanRequest))]
[JsonSerializable(typeof(MarginBorrowAck))]
[JsonSerializable(typeof(MarginRepayAck))]
[JsonSerializable(typeof(CrossMarginSymbols))]
[JsonSerializable(typeof(MarginHistoryPage<MarginBorrowRecord>))]
[JsonSerializable(typeof(MarginHistoryPage<MarginRepayRecord>))]
[JsonSerializable(typeof(MarginHistoryPage<MarginInterestRecord>))]
[JsonSerializable(typeof(MarginLeverageRequest))]
[JsonSerializable(typeof(IReadOnlyList<IsolatedMarginSymbol>))]
[JsonSerializable(typeof(SpotOrder))]
[JsonSerializable(typeof(IReadOnlyList<SpotOrder>))]
[JsonSerializable(typeof(SpotCursorPage<SpotOrder>))]
[JsonSerializable(typeof(SpotCursorPage<SpotFill>))]
[JsonSerializable(typeof(SpotLevel1))]
[JsonSerializable(typeof(SpotOrderBook))]
[JsonSerializable(typeof(IReadOnlyList<SpotTrade>))]
[JsonSerializable(typeof(IReadOnlyList<SpotSymbol>))]
[JsonSerializable(typeof(IReadOnlyList<SpotAccount>))]
[JsonSerializable(typeof(IReadOnlyList<IReadOnlyList<string>>))]
[JsonSerializable(typeof(string))]
public sealed partial class KuCoinSpotJsonContext : JsonSerializerContext;
