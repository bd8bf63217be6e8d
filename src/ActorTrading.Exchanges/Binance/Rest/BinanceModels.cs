using System.Text.Json;
using System.Text.Json.Serialization;
using ActorTrading.Core.Json;

namespace ActorTrading.Exchanges.Binance.Rest;

// Constructor parameters without a default are required (RespectRequiredConstructorParameters): a field the venue
// leaves out is an error, never a zero.

/// <summary>
/// The trading rules of one symbol from <c>exchangeInfo</c> (filters.md): <c>PRICE_FILTER</c> tick size,
/// <c>LOT_SIZE</c> step and bounds, <c>NOTIONAL</c> (spot) or <c>MIN_NOTIONAL</c> (USDⓈ-M) minimum notional; USDⓈ-M adds
/// the contract type and the price and quantity precisions. A linear contract is one unit of the base asset.
/// </summary>
public sealed record BinanceInstrument(
    string Symbol, string Status, string BaseAsset, string QuoteAsset,
    decimal TickSize, decimal MinPrice, decimal MaxPrice, decimal StepSize, decimal MinQty, decimal MaxQty,
    decimal? MinNotional, int? PricePrecision, int? QuantityPrecision, string? ContractType)
{
    public bool IsTrading => Status == "TRADING";
}

/// <summary>One kline row: <c>[openTime, open, high, low, close, volume, closeTime, quoteVolume, trades, takerBuyBase, takerBuyQuote, ignore]</c>.</summary>
public sealed record BinanceKline(
    long OpenTime, decimal Open, decimal High, decimal Low, decimal Close, decimal Volume, long CloseTime,
    decimal QuoteVolume, long Trades, decimal TakerBuyBaseVolume, decimal TakerBuyQuoteVolume);

/// <summary><c>GET /api/v3/trades</c>, <c>/fapi/v1/trades</c>.</summary>
public sealed record BinanceTrade(
    long Id, decimal Price, decimal Qty,
    long Time, bool IsBuyerMaker, decimal? QuoteQty = null);

/// <summary><c>GET /api/v3/aggTrades</c>, <c>/fapi/v1/aggTrades</c>: <c>a</c> id, <c>p</c>, <c>q</c>, <c>f</c>/<c>l</c> trade ids, <c>T</c>, <c>m</c>.</summary>
public sealed record BinanceAggTrade(
    [property: JsonPropertyName("a")] long Id,
    [property: JsonPropertyName("p")] decimal Price,
    [property: JsonPropertyName("q")] decimal Qty,
    [property: JsonPropertyName("f")] long FirstTradeId,
    [property: JsonPropertyName("l")] long LastTradeId,
    [property: JsonPropertyName("T")] long Time,
    [property: JsonPropertyName("m")] bool IsBuyerMaker);

/// <summary><c>GET /api/v3/ticker/24hr</c>, <c>/fapi/v1/ticker/24hr</c> for one symbol (the fields both markets share).</summary>
public sealed record BinanceTicker24h(
    string Symbol, decimal PriceChange, decimal PriceChangePercent,
    decimal LastPrice, decimal OpenPrice, decimal HighPrice,
    decimal LowPrice, decimal Volume, decimal QuoteVolume,
    long OpenTime, long CloseTime, long? Count = null);

/// <summary><c>GET /api/v3/ticker/bookTicker</c>, <c>/fapi/v1/ticker/bookTicker</c>.</summary>
public sealed record BinanceBookTicker(
    string Symbol, decimal BidPrice, decimal BidQty,
    decimal AskPrice, decimal AskQty, long? Time = null);

/// <summary><c>GET /fapi/v1/premiumIndex</c>: mark and index price, the last funding rate and the next funding time.</summary>
public sealed record BinancePremiumIndex(
    string Symbol, decimal MarkPrice, decimal IndexPrice, long NextFundingTime, long Time,
    [property: JsonConverter(typeof(OptionalDecimalConverter))] decimal? EstimatedSettlePrice = null,
    [property: JsonConverter(typeof(OptionalDecimalConverter))] decimal? LastFundingRate = null,
    [property: JsonConverter(typeof(OptionalDecimalConverter))] decimal? InterestRate = null);

/// <summary><c>GET /fapi/v1/fundingRate</c>: one settled funding.</summary>
public sealed record BinanceFundingRate(
    string Symbol, decimal FundingRate, long FundingTime, [property: JsonConverter(typeof(OptionalDecimalConverter))] decimal? MarkPrice = null);

/// <summary><c>GET /fapi/v1/openInterest</c>.</summary>
public sealed record BinanceOpenInterest(
    string Symbol, decimal OpenInterest, long Time);

/// <summary><c>GET /api/v3/time</c>, <c>/fapi/v1/time</c>.</summary>
public sealed record BinanceServerTime(long ServerTime);

/// <summary>A listen key (<c>POST /fapi/v1/listenKey</c>).</summary>
public sealed record BinanceListenKey(string ListenKey);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    RespectRequiredConstructorParameters = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IReadOnlyList<BinanceTrade>))]
[JsonSerializable(typeof(IReadOnlyList<BinanceAggTrade>))]
[JsonSerializable(typeof(BinanceTicker24h))]
[JsonSerializable(typeof(BinanceBookTicker))]
[JsonSerializable(typeof(BinancePremiumIndex))]
[JsonSerializable(typeof(IReadOnlyList<BinanceFundingRate>))]
[JsonSerializable(typeof(BinanceOpenInterest))]
[JsonSerializable(typeof(BinanceServerTime))]
[JsonSerializable(typeof(BinanceListenKey))]
internal sealed partial class BinanceJsonContext : JsonSerializerContext;

/// <summary>
/// An order as spot (<c>/api/v3/order</c>, <c>openOrders</c>, <c>allOrders</c>) and USDⓈ-M (<c>/fapi/v1/order</c>, …)
/// report it; the fields both share.
/// </summary>
public sealed record BinanceOrder(
    string Symbol, long OrderId, string ClientOrderId, decimal Price, decimal OrigQty, decimal ExecutedQty, string Status,
    string Type, string Side, long? Time = null, long? UpdateTime = null, string? TimeInForce = null, decimal? AvgPrice = null,
    decimal? StopPrice = null, bool? ReduceOnly = null, string? PositionSide = null);

/// <summary>The acknowledgement of a placement (<c>newOrderRespType=ACK</c>) or a cancel: which order, and its id.</summary>
public sealed record BinanceOrderAck(string Symbol, long OrderId, string? ClientOrderId = null, string? OrigClientOrderId = null, string? Status = null);

/// <summary>One fill: spot <c>/api/v3/myTrades</c> (<c>isMaker</c>), USDⓈ-M <c>/fapi/v1/userTrades</c> (<c>maker</c>).</summary>
public sealed record BinanceAccountTrade(
    string Symbol, long Id, long OrderId, decimal Price, decimal Qty, decimal Commission, string CommissionAsset, long Time,
    bool? IsMaker = null, bool? Maker = null, bool? IsBuyer = null, bool? Buyer = null, string? Side = null, decimal? RealizedPnl = null)
{
    public bool WasMaker => IsMaker ?? Maker ?? throw new JsonException($"trade {Id}: neither isMaker nor maker");
}

/// <summary>A USDⓈ-M position (<c>GET /fapi/v3/positionRisk</c>): signed amount, entry and mark price.</summary>
public sealed record BinancePosition(
    string Symbol, decimal PositionAmt, decimal EntryPrice, string PositionSide, decimal? MarkPrice = null,
    decimal? UnRealizedProfit = null, decimal? LiquidationPrice = null, string? MarginType = null, long? UpdateTime = null);

/// <summary>A spot balance (<c>GET /api/v3/account</c> <c>balances</c>).</summary>
public sealed record BinanceSpotBalance(string Asset, decimal Free, decimal Locked);

/// <summary>The spot account (<c>GET /api/v3/account</c>), the parts the node reads.</summary>
public sealed record BinanceSpotAccount(bool CanTrade, IReadOnlyList<BinanceSpotBalance> Balances, long? UpdateTime = null, string? AccountType = null);

/// <summary>A USDⓈ-M asset balance (<c>GET /fapi/v3/balance</c>).</summary>
public sealed record BinanceFuturesBalance(
    string Asset, decimal Balance, decimal AvailableBalance, decimal? CrossWalletBalance = null, decimal? CrossUnPnl = null,
    decimal? MaxWithdrawAmount = null, long? UpdateTime = null);

/// <summary>The answer of <c>POST /fapi/v1/leverage</c>.</summary>
public sealed record BinanceLeverage(string Symbol, int Leverage, decimal? MaxNotionalValue = null);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    RespectRequiredConstructorParameters = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BinanceOrder))]
[JsonSerializable(typeof(IReadOnlyList<BinanceOrder>))]
[JsonSerializable(typeof(BinanceOrderAck))]
[JsonSerializable(typeof(IReadOnlyList<BinanceAccountTrade>))]
[JsonSerializable(typeof(IReadOnlyList<BinancePosition>))]
[JsonSerializable(typeof(BinanceSpotAccount))]
[JsonSerializable(typeof(IReadOnlyList<BinanceFuturesBalance>))]
[JsonSerializable(typeof(BinanceLeverage))]
internal sealed partial class BinanceTradingJsonContext : JsonSerializerContext;
