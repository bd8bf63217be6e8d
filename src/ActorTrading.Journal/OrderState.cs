using System.Collections.Immutable;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;

namespace ActorTrading.Journal;

/// <summary>
/// An order as its events tell it: a pure fold (<see cref="Apply"/>), used by the order actor, its snapshots, the
/// audit and recovery alike. Terminal states never change; fills are facts and are always counted, once per trade id.
/// </summary>
public sealed record OrderState(
    ClientOrderId ClientOrderId,
    string StrategyId,
    VenueId Venue,
    MarketKind Market,
    Symbol Symbol,
    Side Side,
    OrderType Type,
    decimal Size,
    decimal? Price,
    OrderLifecycle Status,
    string? VenueOrderId,
    decimal FilledSize,
    decimal FilledNotional,
    decimal Fees,
    ImmutableSortedSet<string> TradeIds,
    bool CancelRequested,
    long SubmittedAt,
    long UpdatedAt,
    string? LastReason,
    string? RunId = null,
    decimal VenueFilledSize = 0) : IJournalSnapshot
{
    public bool IsTerminal => Status.IsTerminal();

    public decimal? AveragePrice => FilledSize == 0 ? null : FilledNotional / FilledSize;

    /// <summary>What is left to fill by the venue's count too: fills it reported that the journal lacks are not open.</summary>
    public decimal RemainingSize => Math.Max(0, Size - Math.Max(FilledSize, VenueFilledSize));

    public static OrderState Start(OrderEvents.Submitted s) => new(
        s.ClientOrderId, s.StrategyId, s.Venue, s.Market, s.Symbol, s.Side, s.Type, s.Size, s.Price, OrderLifecycle.Submitted,
        null, 0, 0, 0, ImmutableSortedSet<string>.Empty, false, s.Timestamp, s.Timestamp, null, s.RunId);

    public bool HasFill(string tradeId) => TradeIds.Contains(tradeId);

    public OrderState Apply(IJournalEvent e)
    {
        var next = e switch
        {
            OrderEvents.Acknowledged a => this with { VenueOrderId = a.VenueOrderId ?? VenueOrderId, Status = Status is OrderLifecycle.Submitted or OrderLifecycle.Unknown ? OrderLifecycle.Acknowledged : Status },
            OrderEvents.Rejected r => Finish(OrderLifecycle.Rejected, $"{r.Code}: {r.Reason}"),
            OrderEvents.FillRecorded f => WithFill(f),
            OrderEvents.CancelRequested => this with { CancelRequested = true },
            OrderEvents.Canceled c => Finish(OrderLifecycle.Canceled, c.Reason),
            OrderEvents.Expired => Finish(OrderLifecycle.Expired, "expired"),
            OrderEvents.Amended m => this with { Price = m.NewPrice ?? Price, Size = m.NewSize ?? Size, VenueOrderId = m.VenueOrderId ?? VenueOrderId },
            OrderEvents.StatusUnknown u => IsTerminal ? this : this with { Status = OrderLifecycle.Unknown, LastReason = u.Reason },
            OrderEvents.Reconciled r => this with
            {
                Status = IsTerminal ? Status : Forward(r.Status, Math.Max(VenueFilledSize, r.VenueFilledSize)),
                VenueFilledSize = Math.Max(VenueFilledSize, r.VenueFilledSize),
                VenueOrderId = r.VenueOrderId ?? VenueOrderId,
            },
            OrderEvents.Submitted => this,
            _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "not an order event"),
        };
        return next with { UpdatedAt = Math.Max(UpdatedAt, e.Timestamp) };
    }

    /// <summary>
    /// The venue's view as a query saw it, which can be older than what the feed already told: an order only moves on
    /// (open, part filled, finished), and one the venue counts fills for is at least part filled.
    /// </summary>
    private OrderLifecycle Forward(OrderLifecycle reported, decimal venueFilled)
    {
        if (reported.IsTerminal())
        {
            return reported;
        }

        if (reported == OrderLifecycle.Acknowledged && (venueFilled > 0 || FilledSize > 0))
        {
            reported = OrderLifecycle.PartiallyFilled;
        }

        return Progress(reported) >= Progress(Status) ? reported : Status;
    }

    private static int Progress(OrderLifecycle status) => status switch
    {
        OrderLifecycle.Submitted or OrderLifecycle.Unknown => 0,
        OrderLifecycle.Acknowledged => 1,
        OrderLifecycle.PartiallyFilled => 2,
        _ => 3,
    };

    private OrderState Finish(OrderLifecycle status, string reason) => IsTerminal ? this : this with { Status = status, LastReason = reason };

    private OrderState WithFill(OrderEvents.FillRecorded f)
    {
        if (TradeIds.Contains(f.TradeId))
        {
            return this;
        }

        var filled = FilledSize + f.Size;
        var status = IsTerminal ? Status : filled >= Size ? OrderLifecycle.Filled : OrderLifecycle.PartiallyFilled;
        return this with
        {
            TradeIds = TradeIds.Add(f.TradeId),
            FilledSize = filled,
            FilledNotional = FilledNotional + (f.Price * f.Size),
            Fees = Fees + (f.Fee ?? 0),
            Status = status,
            VenueOrderId = VenueOrderId ?? f.VenueOrderId,
        };
    }
}

/// <summary>Marker of journaled snapshots, bound to the same serializer as the events.</summary>
public interface IJournalSnapshot;

public static class OrderLifecycleExtensions
{
    public static bool IsTerminal(this OrderLifecycle status) =>
        status is OrderLifecycle.Filled or OrderLifecycle.Canceled or OrderLifecycle.Rejected or OrderLifecycle.Expired;
}
