using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Runtime.Bus;
using Akka.Actor;

namespace ActorTrading.Soak;

/// <summary>
/// Watches every book's health on the node's bus: each time a Synced book leaves Synced (a fault hit it) until it is
/// Synced again is one recovery, timed from the book's own events.
/// </summary>
public sealed class BookWatch : ReceiveActor
{
    private readonly Dictionary<string, (BookHealth Health, long Since, string Reason)> _books = new();
    private readonly List<Recovery> _recoveries = [];
    private readonly IMarketDataBus _bus;

    public BookWatch(IMarketDataBus bus)
    {
        _bus = bus;
        Receive<BookHealthChanged>(OnHealth);
        Receive<BookTop>(_ => { });
        Receive<GetRecoveries>(_ => Sender.Tell(new Recoveries(_recoveries.ToArray(),
            _books.Where(b => b.Value.Health != BookHealth.Synced).Select(b => $"{b.Key} ({b.Value.Health}: {b.Value.Reason})").Order(StringComparer.Ordinal).ToArray())));
    }

    public static Props Props(IMarketDataBus bus) => Akka.Actor.Props.Create(() => new BookWatch(bus));

    protected override void PreStart() => _bus.Subscribe(Self, new TopicFilter(null, null, DataChannel.Book, null));

    protected override void PostStop() => _bus.Unsubscribe(Self);

    private void OnHealth(BookHealthChanged change)
    {
        var book = $"{change.Venue}.{change.Market.ToWire()}/{change.Symbol}";
        var now = Environment.TickCount64;
        var known = _books.TryGetValue(book, out var last);
        if (known && last.Health == change.Health)
        {
            return;
        }

        if (known && last.Since > 0 && change.Health == BookHealth.Synced)
        {
            _recoveries.Add(new Recovery(book, TimeSpan.FromMilliseconds(now - last.Since), last.Health.ToString()));
        }

        // Leaving Synced starts the clock; a book that has not been Synced yet (starting) is not recovering.
        var since = change.Health == BookHealth.Synced ? 0 : known && last.Health == BookHealth.Synced ? now : known ? last.Since : 0;
        _books[book] = (change.Health, since, change.Reason);
    }

    public sealed record Recovery(string Book, TimeSpan Took, string From);

    public sealed record GetRecoveries
    {
        public static readonly GetRecoveries Instance = new();
    }

    /// <summary>Every recovery so far, and the books not Synced now (with their health and its reason).</summary>
    public sealed record Recoveries(IReadOnlyList<Recovery> Done, IReadOnlyList<string> NotSynced);
}
