using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Runtime.Bus;
using Akka.Actor;

namespace ActorTrading.Node.Http;

public static class ActivityProtocol
{
    public sealed class GetActivity
    {
        public static readonly GetActivity Instance = new();

        private GetActivity()
        {
        }
    }

    /// <summary>One fill as the dashboard shows it: where, which order, the trade, its price and size.</summary>
    public sealed record Fill(long Ts, string Venue, string Market, string Symbol, string? ClientOrderId, string Side, string TradeId, decimal Price, decimal Size, decimal? Fee,
        string? FeeCurrency);

    /// <summary>A book's health change and why.</summary>
    public sealed record BookEvent(long Ts, string Venue, string Market, string Symbol, string Health, string Reason, long Sequence);

    /// <summary>The latest of each, newest first.</summary>
    public sealed record Activity(IReadOnlyList<Fill> Fills, IReadOnlyList<BookEvent> BookEvents);
}

/// <summary>
/// <c>/user/activity</c>: keeps what the dashboard lists from the bus — the latest fills (live and paper, once per trade
/// id and venue) and book health changes — so a page that opens late still sees them.
/// </summary>
public sealed class ActivityRecorder : ReceiveActor
{
    public const int Kept = 50;

    private readonly LinkedList<ActivityProtocol.Fill> _fills = new();
    private readonly LinkedList<ActivityProtocol.BookEvent> _bookEvents = new();
    private readonly HashSet<(string Venue, string TradeId)> _seen = new();
    private readonly IMarketDataBus _bus;

    public ActivityRecorder(IMarketDataBus bus)
    {
        _bus = bus;
        Receive<OrderUpdate>(u =>
        {
            var fill = u.Fill!;
            if (!_seen.Add((u.Venue.Value, fill.TradeId)))
            {
                return;   // the same fill pushed again
            }

            Keep(_fills, new ActivityProtocol.Fill(u.ExchangeTs, u.Venue.Value, u.Market.ToWire(), u.Symbol.Value, u.ClientOrderId?.Value, u.Side.ToString().ToLowerInvariant(),
                fill.TradeId, fill.Price, fill.Size, fill.Fee, fill.FeeCurrency));
            if (_seen.Count > Kept * 20)
            {
                _seen.Clear();   // bounded: a fill repeated after this many others is a venue's bug, not a case to remember forever
                foreach (var kept in _fills)
                {
                    _seen.Add((kept.Venue, kept.TradeId));
                }
            }
        }, u => u.Fill is not null);
        Receive<OrderUpdate>(_ => { });
        Receive<BookHealthChanged>(h => Keep(_bookEvents,
            new ActivityProtocol.BookEvent(h.Ts, h.Venue.Value, h.Market.ToWire(), h.Symbol.Value, h.Health.ToString(), h.Reason, h.Sequence)));
        Receive<ActivityProtocol.GetActivity>(_ => Sender.Tell(new ActivityProtocol.Activity(_fills.ToArray(), _bookEvents.ToArray())));
        ReceiveAny(_ => { });
    }

    public static Props Props(IMarketDataBus bus) => Akka.Actor.Props.Create(() => new ActivityRecorder(bus));

    protected override void PreStart()
    {
        _bus.Subscribe(Self, new TopicFilter(null, null, DataChannel.Orders, null));
        _bus.Subscribe(Self, new TopicFilter(null, null, DataChannel.Book, null));
    }

    protected override void PostStop() => _bus.Unsubscribe(Self);

    private static void Keep<T>(LinkedList<T> list, T item)
    {
        list.AddFirst(item);
        if (list.Count > Kept)
        {
            list.RemoveLast();
        }
    }
}
