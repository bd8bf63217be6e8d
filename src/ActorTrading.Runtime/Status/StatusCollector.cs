using ActorTrading.Core.Market;
using ActorTrading.Runtime.Bus;
using Akka.Actor;

namespace ActorTrading.Runtime.Status;

public static class StatusProtocol
{
    public sealed class GetSnapshot
    {
        public static readonly GetSnapshot Instance = new();

        private GetSnapshot()
        {
        }
    }

    public sealed record FeedRow(string Venue, string Feed, string State, int Reconnects, string? LastProblem);

    public sealed record SymbolRow(
        string Venue, string Symbol, double MessagesPerSecond, long Messages, BookLevel? BestBid, BookLevel? BestAsk,
        BookHealth? Health, long BookSequence, decimal? LastPrice, decimal? MarkPrice, decimal? FundingRate);

    public sealed record Snapshot(DateTimeOffset At, IReadOnlyList<FeedRow> Feeds, IReadOnlyList<SymbolRow> Symbols, long ErrorCount);
}

/// <summary>
/// Watches the whole bus and keeps the numbers an operator wants every second: feed states and reconnects,
/// per-symbol message rates, top of book, book health, last trade, mark price and funding.
/// </summary>
public sealed class StatusCollector : ReceiveActor
{
    private readonly Dictionary<(string Venue, string Feed), FeedState> _feeds = new();
    private readonly Dictionary<(string Venue, string Symbol), SymbolState> _symbols = new();
    private readonly IMarketDataBus _bus;
    private readonly TimeProvider _clock;
    private long _errors;

    public StatusCollector(IMarketDataBus bus, TimeProvider clock)
    {
        _bus = bus;
        _clock = clock;
        // Account updates (orders, positions, balances, settings) are not market data: they get no symbol row.
        Receive<DataMessage>(m => m.Channel.IsAccount(), _ => { });
        Receive<DataMessage>(m =>
        {
            var state = Symbol(VenueKey(m.Venue, m.Market), m.Symbol.Value);
            state.Messages++;
            switch (m)
            {
                case Trade t:
                    state.LastPrice = t.Price;
                    break;
                case FundingRate f:
                    state.MarkPrice = f.MarkPrice ?? state.MarkPrice;
                    state.FundingRate = f.Rate ?? f.PredictedRate ?? state.FundingRate;
                    break;
            }
        });
        Receive<BookTop>(t =>
        {
            var state = Symbol(VenueKey(t.Venue, t.Market), t.Symbol.Value);
            (state.BestBid, state.BestAsk, state.BookSequence) = (t.BestBid, t.BestAsk, t.Sequence);

            // Tops come only from a Synced book: a node that started listening after the book's last health change
            // (a node that joined later, the book on another node) learns it from them.
            state.Health ??= BookHealth.Synced;
        });
        Receive<BookHealthChanged>(h => Symbol(VenueKey(h.Venue, h.Market), h.Symbol.Value).Health = h.Health);
        Receive<FeedStateChanged>(f =>
        {
            var key = (VenueKey(f.Venue, f.Market), f.Feed);
            if (!_feeds.TryGetValue(key, out var feed))
            {
                _feeds[key] = feed = new FeedState();
            }

            switch (f)
            {
                case FeedConnecting:
                    feed.State = "Connecting";
                    break;
                case FeedStreaming:
                    feed.State = "Streaming";
                    break;
                case FeedBackoff b:
                    feed.State = "Backoff";
                    feed.Reconnects++;
                    feed.LastProblem = b.Reason;
                    break;
                case FeedStopped s:
                    feed.State = "Stopped";
                    feed.LastProblem = s.Error.ToString();
                    break;
            }
        });
        Receive<FeedError>(e =>
        {
            _errors++;
            if (_feeds.TryGetValue((VenueKey(e.Venue, e.Market), e.Feed), out var feed))
            {
                feed.LastProblem = e.Error.ToString();
            }
        });
        Receive<StatusProtocol.GetSnapshot>(_ => Sender.Tell(TakeSnapshot()));
    }

    public static Props Props(IMarketDataBus bus, TimeProvider? clock = null) =>
        Akka.Actor.Props.Create(() => new StatusCollector(bus, clock ?? TimeProvider.System));

    protected override void PreStart() => _bus.Subscribe(Self, TopicFilter.All);

    protected override void PostStop() => _bus.Unsubscribe(Self);

    private static string VenueKey(Core.Ids.VenueId venue, Core.Ids.MarketKind market) => venue.Value + "." + Core.Ids.MarketKindNames.ToWire(market);

    private SymbolState Symbol(string venue, string symbol)
    {
        if (!_symbols.TryGetValue((venue, symbol), out var state))
        {
            _symbols[(venue, symbol)] = state = new SymbolState { RateSince = _clock.GetUtcNow() };
        }

        return state;
    }

    private StatusProtocol.Snapshot TakeSnapshot()
    {
        var now = _clock.GetUtcNow();
        var symbols = _symbols.OrderBy(s => s.Key).Select(s =>
        {
            var state = s.Value;
            var elapsed = (now - state.RateSince).TotalSeconds;
            var rate = elapsed > 0 ? (state.Messages - state.RateBase) / elapsed : 0;
            (state.RateBase, state.RateSince) = (state.Messages, now);
            return new StatusProtocol.SymbolRow(s.Key.Venue, s.Key.Symbol, rate, state.Messages, state.BestBid, state.BestAsk,
                state.Health, state.BookSequence, state.LastPrice, state.MarkPrice, state.FundingRate);
        }).ToArray();
        var feeds = _feeds.OrderBy(f => f.Key).Select(f => new StatusProtocol.FeedRow(f.Key.Venue, f.Key.Feed, f.Value.State, f.Value.Reconnects, f.Value.LastProblem)).ToArray();
        return new StatusProtocol.Snapshot(now, feeds, symbols, _errors);
    }

    private sealed class FeedState
    {
        public string State { get; set; } = "Resolving";

        public int Reconnects { get; set; }

        public string? LastProblem { get; set; }
    }

    private sealed class SymbolState
    {
        public long Messages { get; set; }

        public long RateBase { get; set; }

        public DateTimeOffset RateSince { get; set; }

        public BookLevel? BestBid { get; set; }

        public BookLevel? BestAsk { get; set; }

        public BookHealth? Health { get; set; }

        public long BookSequence { get; set; }

        public decimal? LastPrice { get; set; }

        public decimal? MarkPrice { get; set; }

        public decimal? FundingRate { get; set; }
    }
}
