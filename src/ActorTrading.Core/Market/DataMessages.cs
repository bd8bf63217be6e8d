using System.Collections.Immutable;
using System.Text.Json.Serialization;
using ActorTrading.Core.Ids;

namespace ActorTrading.Core.Market;

/// <summary>Order or trade side; <c>buy</c>/<c>sell</c> on the wire, as most venues and our CLI write it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Side>))]
public enum Side
{
    [JsonStringEnumMemberName("buy")]
    Buy,
    [JsonStringEnumMemberName("sell")]
    Sell,
}

public enum BookUpdateKind
{
    Snapshot,
    Delta,

    /// <summary>
    /// The venue's own integrity check failed (Kraken's CRC32 over the top of the book): the book is wrong and must be
    /// rebuilt; <see cref="OrderBookUpdate.Reason"/> says why. Carries no levels.
    /// </summary>
    Invalidated,
}

/// <summary>One price level. A size of zero in a delta removes the level.</summary>
public readonly record struct BookLevel(decimal Price, decimal Size);

/// <summary>
/// A normalized market or account event. Timestamps are Unix milliseconds, UTC:
/// <see cref="ExchangeTs"/> is the venue's event time, <see cref="ReceivedTs"/> when the frame arrived.
/// </summary>
public abstract record DataMessage(VenueId Venue, MarketKind Market, Symbol Symbol, long ExchangeTs, long ReceivedTs) : ICrossNodeMessage
{
    /// <summary>The bus channel this message is published on.</summary>
    [JsonIgnore]
    public abstract DataChannel Channel { get; }
}

public sealed record Trade(
    VenueId Venue, MarketKind Market, Symbol Symbol, long ExchangeTs, long ReceivedTs,
    string TradeId, Side Side, decimal Price, decimal Size, long Sequence)
    : DataMessage(Venue, Market, Symbol, ExchangeTs, ReceivedTs)
{
    public override DataChannel Channel => DataChannel.Trades;
}

public sealed record Ticker(
    VenueId Venue, MarketKind Market, Symbol Symbol, long ExchangeTs, long ReceivedTs,
    decimal BidPrice, decimal BidSize, decimal AskPrice, decimal AskSize, decimal? LastPrice, long Sequence)
    : DataMessage(Venue, Market, Symbol, ExchangeTs, ReceivedTs)
{
    public override DataChannel Channel => DataChannel.Ticker;
}

/// <summary>
/// A book snapshot or delta. <see cref="FirstSequence"/>..<see cref="LastSequence"/> is the range of venue
/// sequence numbers it covers (equal for venues that number each change). Venues that number each level
/// (KuCoin Spot) also give <see cref="BidSequences"/>/<see cref="AskSequences"/>, aligned with the levels.
/// Venues whose sequence numbers are not contiguous chain each delta to the one before it instead (Binance USDⓈ-M
/// <c>pu</c>): <see cref="PreviousSequence"/> is then that delta's last sequence, and the book checks the chain.
/// </summary>
public sealed record OrderBookUpdate(
    VenueId Venue, MarketKind Market, Symbol Symbol, long ExchangeTs, long ReceivedTs,
    DataChannel SourceChannel, BookUpdateKind Kind, long FirstSequence, long LastSequence,
    ImmutableArray<BookLevel> Bids, ImmutableArray<BookLevel> Asks,
    ImmutableArray<long> BidSequences = default, ImmutableArray<long> AskSequences = default,
    long PreviousSequence = OrderBookUpdate.Unchained)
    : DataMessage(Venue, Market, Symbol, ExchangeTs, ReceivedTs)
{
    /// <summary>The <see cref="PreviousSequence"/> of a venue that numbers its deltas contiguously (no chain to check).</summary>
    public const long Unchained = -1;

    public override DataChannel Channel => SourceChannel;

    /// <summary>The venue links this delta to the previous one by its last sequence (<see cref="PreviousSequence"/>).</summary>
    public bool IsChained => PreviousSequence != Unchained;

    /// <summary>Why an <see cref="BookUpdateKind.Invalidated"/> update invalidates the book (a checksum that did not match).</summary>
    public string? Reason { get; init; }
}

/// <summary>A candle; <see cref="IsClosed"/> is true once the venue has moved on to the next interval.</summary>
public sealed record Candle(
    VenueId Venue, MarketKind Market, Symbol Symbol, long ExchangeTs, long ReceivedTs,
    string Interval, long OpenTs, decimal Open, decimal High, decimal Low, decimal Close, decimal Volume, bool IsClosed)
    : DataMessage(Venue, Market, Symbol, ExchangeTs, ReceivedTs)
{
    public override DataChannel Channel => DataChannel.Candles;
}

/// <summary>Funding and reference prices of a perpetual; each field is null when the venue's push does not carry it.</summary>
public sealed record FundingRate(
    VenueId Venue, MarketKind Market, Symbol Symbol, long ExchangeTs, long ReceivedTs,
    decimal? Rate, decimal? PredictedRate, decimal? MarkPrice, decimal? IndexPrice, long? NextFundingTs)
    : DataMessage(Venue, Market, Symbol, ExchangeTs, ReceivedTs)
{
    public override DataChannel Channel => DataChannel.Funding;
}

public enum OrderStatus
{
    Open,
    PartiallyFilled,
    Filled,
    Canceled,
    Rejected,
    Expired,
}

public enum Liquidity
{
    Maker,
    Taker,
}

/// <summary>A fill carried by an order update; fee fields are null when the venue's push does not carry them.</summary>
public sealed record FillInfo(string TradeId, decimal Price, decimal Size, decimal? Fee, string? FeeCurrency, Liquidity? Liquidity);

/// <summary>An order as the venue's private feed tells it; sizes are null when the push does not carry them.</summary>
public sealed record OrderUpdate(
    VenueId Venue, MarketKind Market, Symbol Symbol, long ExchangeTs, long ReceivedTs,
    string OrderId, ClientOrderId? ClientOrderId, Side Side, OrderStatus Status,
    decimal? Price, decimal? Size, decimal? FilledSize, FillInfo? Fill)
    : DataMessage(Venue, Market, Symbol, ExchangeTs, ReceivedTs)
{
    public override DataChannel Channel => DataChannel.Orders;
}

/// <summary>A position push; <see cref="Quantity"/> is null when the push carries none (a mark-price change), never flat.</summary>
public sealed record PositionChange(
    VenueId Venue, MarketKind Market, Symbol Symbol, long ExchangeTs, long ReceivedTs,
    decimal? Quantity, decimal? EntryPrice, decimal? MarkPrice, decimal? UnrealizedPnl, decimal? RealizedPnl)
    : DataMessage(Venue, Market, Symbol, ExchangeTs, ReceivedTs)
{
    public override DataChannel Channel => DataChannel.Positions;
}

/// <summary>
/// Balance of one currency; <see cref="DataMessage.Symbol"/> holds the currency code. <see cref="Available"/> and
/// <see cref="Hold"/> are null when the push carries the wallet balance only (Binance USDⓈ-M <c>ACCOUNT_UPDATE</c>).
/// </summary>
public sealed record BalanceUpdate(
    VenueId Venue, MarketKind Market, Symbol Symbol, long ExchangeTs, long ReceivedTs,
    decimal Total, decimal? Available, decimal? Hold)
    : DataMessage(Venue, Market, Symbol, ExchangeTs, ReceivedTs)
{
    public override DataChannel Channel => DataChannel.Balances;
}

/// <summary>
/// Rolling 24-hour statistics of a symbol (KuCoin <c>/contractMarket/snapshot</c>, <c>/market/snapshot</c>); each
/// figure is null when the push does not carry it. <see cref="ChangeRate"/> is a fraction (0.0049 = 0.49 %).
/// </summary>
public sealed record MarketStatistics(
    VenueId Venue, MarketKind Market, Symbol Symbol, long ExchangeTs, long ReceivedTs,
    decimal? LastPrice, decimal? High, decimal? Low, decimal? Volume, decimal? Turnover, decimal? ChangePrice, decimal? ChangeRate)
    : DataMessage(Venue, Market, Symbol, ExchangeTs, ReceivedTs)
{
    public override DataChannel Channel => DataChannel.Statistics;
}

/// <summary>
/// A venue announcement about a symbol (KuCoin <c>/contract/announcement</c>: <c>funding.begin</c>, <c>funding.end</c>):
/// <see cref="Subject"/> as the venue names it, with the funding time and rate when it concerns a settlement.
/// </summary>
public sealed record VenueNotice(
    VenueId Venue, MarketKind Market, Symbol Symbol, long ExchangeTs, long ReceivedTs,
    string Subject, long? FundingTime, decimal? FundingRate)
    : DataMessage(Venue, Market, Symbol, ExchangeTs, ReceivedTs)
{
    public override DataChannel Channel => DataChannel.Notices;
}

/// <summary>
/// An account setting for a symbol changed (KuCoin <c>/contract/marginMode</c>, <c>/contract/crossLeverage</c>): the
/// margin mode (<c>ISOLATED</c>, <c>CROSS</c>) or the cross leverage, whichever the push carries. The venue sends no
/// time with these: <see cref="DataMessage.ExchangeTs"/> is the receive time.
/// </summary>
public sealed record AccountSetting(
    VenueId Venue, MarketKind Market, Symbol Symbol, long ExchangeTs, long ReceivedTs, string? MarginMode, decimal? CrossLeverage)
    : DataMessage(Venue, Market, Symbol, ExchangeTs, ReceivedTs)
{
    public override DataChannel Channel => DataChannel.AccountSettings;
}

/// <summary>
/// A funding payment settled on a position (KuCoin <c>position.settlement</c>): the position size it was charged on,
/// the settlement (mark) price, the rate and the fee as the venue states it, in <see cref="SettleCurrency"/>.
/// </summary>
public sealed record FundingSettlement(
    VenueId Venue, MarketKind Market, Symbol Symbol, long ExchangeTs, long ReceivedTs,
    decimal Quantity, decimal SettlementPrice, decimal Rate, decimal Fee, string SettleCurrency, long FundingTs)
    : DataMessage(Venue, Market, Symbol, ExchangeTs, ReceivedTs)
{
    public override DataChannel Channel => DataChannel.Positions;
}

/// <summary>
/// The outcome of a risk-limit level change (KuCoin <c>position.adjustRiskLimit</c>): the level now in force and, when
/// the change failed, the venue's reason. The push carries no time: <see cref="DataMessage.ExchangeTs"/> is the receive time.
/// </summary>
public sealed record RiskLimitChange(
    VenueId Venue, MarketKind Market, Symbol Symbol, long ExchangeTs, long ReceivedTs, bool Succeeded, int Level, string? Reason)
    : DataMessage(Venue, Market, Symbol, ExchangeTs, ReceivedTs)
{
    public override DataChannel Channel => DataChannel.AccountSettings;
}

/// <summary>What happened to a stop order before it became a live order.</summary>
public enum StopOrderEvent
{
    Placed,
    Triggered,
    Canceled,
}

/// <summary>
/// A stop order's life before it triggers (KuCoin <c>/contractMarket/advancedOrders</c>, <c>/spotMarket/advancedOrders</c>):
/// <see cref="Trigger"/> as the venue names it (futures <c>up</c>/<c>down</c>, spot <c>loss</c>/<c>entry</c>/...),
/// the order price (null for a market order) and size. Once triggered, the order's fills arrive as order updates.
/// </summary>
public sealed record StopOrderUpdate(
    VenueId Venue, MarketKind Market, Symbol Symbol, long ExchangeTs, long ReceivedTs,
    string OrderId, Side Side, StopOrderEvent Event, string Trigger, decimal StopPrice, string? StopPriceType, decimal? OrderPrice, decimal Size,
    long CreatedTs)
    : DataMessage(Venue, Market, Symbol, ExchangeTs, ReceivedTs)
{
    public override DataChannel Channel => DataChannel.StopOrders;
}

/// <summary>One currency of a margin position; liabilities only where the venue reports them (isolated positions).</summary>
public sealed record MarginBalance(string Currency, decimal Total, decimal? Available, decimal Hold, decimal? LiabilityPrincipal, decimal? LiabilityInterest);

/// <summary>A currency's debt in a cross margin account, interest included.</summary>
public sealed record MarginDebt(string Currency, decimal Amount);

/// <summary>
/// A margin position. Cross (<see cref="DataMessage.Symbol"/> <c>*</c>, KuCoin <c>/margin/position</c>): the debt
/// ratio, total assets and debt in BTC, balances and debts; or a status event alone (<c>FROZEN_FL</c>, <c>LIABILITY</c>, ...).
/// Isolated (the pair, KuCoin <c>/margin/isolatedPosition</c>): the status (<c>DEBT</c>, <c>CLEAR</c>, ...) with its
/// cause, the accumulated principal and the changed balances with their liabilities. What a push does not carry is null or empty.
/// </summary>
public sealed record MarginPosition(
    VenueId Venue, MarketKind Market, Symbol Symbol, long ExchangeTs, long ReceivedTs,
    string? Status, string? StatusCause, decimal? DebtRatio, decimal? TotalAssetBtc, decimal? TotalDebtBtc, decimal? AccumulatedPrincipal,
    ImmutableArray<MarginBalance> Balances, ImmutableArray<MarginDebt> Debts)
    : DataMessage(Venue, Market, Symbol, ExchangeTs, ReceivedTs)
{
    public override DataChannel Channel => DataChannel.MarginPositions;
}

/// <summary>
/// A call auction's state before a symbol opens (KuCoin <c>/callauction/callauctionData</c>): the estimated opening
/// price and size, and the price ranges within which sell and buy orders are accepted.
/// </summary>
public sealed record CallAuction(
    VenueId Venue, MarketKind Market, Symbol Symbol, long ExchangeTs, long ReceivedTs,
    decimal EstimatedPrice, decimal EstimatedSize, decimal SellLow, decimal SellHigh, decimal BuyLow, decimal BuyHigh)
    : DataMessage(Venue, Market, Symbol, ExchangeTs, ReceivedTs)
{
    public override DataChannel Channel => DataChannel.Auction;
}

/// <summary>
/// The margin lending market, by currency (<see cref="DataMessage.Symbol"/>): a level of its book (KuCoin
/// <c>/margin/fundingBook</c>, <see cref="Subject"/> <c>funding.update</c>; a size of 0 removes the level) or one of the
/// account's lend orders (<c>/margin/loan</c>: <c>order.open</c>, <c>order.update</c>, <c>order.done</c> with its reason).
/// </summary>
public sealed record LendingUpdate(
    VenueId Venue, MarketKind Market, Symbol Symbol, long ExchangeTs, long ReceivedTs,
    string Subject, string Side, string? OrderId, long? Sequence, decimal? DailyRate, decimal? AnnualRate, int? TermDays, decimal? Size,
    decimal? LentSize, string? Reason)
    : DataMessage(Venue, Market, Symbol, ExchangeTs, ReceivedTs)
{
    public override DataChannel Channel => DataChannel.Lending;
}
