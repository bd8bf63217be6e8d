using ActorTrading.Core.Ids;
using ActorTrading.Journal;
using ActorTrading.Node.Hosting;
using ActorTrading.Runtime.Books;
using ActorTrading.Runtime.Venues;
using Akka.Actor;
using Akka.Hosting;

namespace ActorTrading.Node.Http;

/// <summary>What the HTTP endpoint reads of the node: the status view, the venues' books, the activity recorder, the journal, the cluster.</summary>
public sealed record NodeSources(
    StatusConsole Status, ActorSystem System, IRequiredActor<ExchangesRoot> Exchanges, IRequiredActor<ActivityRecorder> Activity, IRequiredActor<OrderGateway> Orders,
    JournalSettings Journal, RunId Run, TimeSpan Interval)
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The top <paramref name="depth"/> levels of a book (<paramref name="venue"/> as the status names it, <c>kucoin.futures</c>); null when there is none.</summary>
    public async Task<BookJson?> BookAsync(string venue, string symbol, int depth)
    {
        var parts = venue.Split('.', 2);
        if (parts.Length != 2 || !MarketKindNames.TryParse(parts[1], out var market) || depth is < 1 or > 500)
        {
            return null;
        }

        var exchanges = await Exchanges.GetAsync().ConfigureAwait(false);
        try
        {
            return await exchanges.Ask<object>(new ExchangesRootProtocol.ToVenue(new VenueId(parts[0]), market, new ExchangeSupervisorProtocol.GetBook(new Symbol(symbol), depth)), AskTimeout)
                .ConfigureAwait(false) is OrderBookProtocol.BookView view
                ? new BookJson(venue, symbol, view.Health.ToString(), view.Sequence, view.Bids.Select(l => new[] { l.Price, l.Size }).ToArray(),
                    view.Asks.Select(l => new[] { l.Price, l.Size }).ToArray(), view.Resyncs)
                : null;
        }
        catch (AskTimeoutException)
        {
            return null;
        }
    }

    /// <summary>The latest fills and book events; none when the recorder does not answer in time (a busy node still serves the rest).</summary>
    public async Task<ActivityProtocol.Activity> ActivityAsync()
    {
        var activity = await Activity.GetAsync().ConfigureAwait(false);
        try
        {
            return await activity.Ask<ActivityProtocol.Activity>(ActivityProtocol.GetActivity.Instance, AskTimeout).ConfigureAwait(false);
        }
        catch (AskTimeoutException)
        {
            return new ActivityProtocol.Activity([], []);
        }
    }

    /// <summary>The orders open now, as the order desk has them (all strategies, live and paper), oldest first; null when the desk does not answer in time.</summary>
    public async Task<IReadOnlyList<OrderJson>?> OpenOrdersAsync()
    {
        var desk = await Orders.GetAsync().ConfigureAwait(false);
        try
        {
            var open = await desk.Ask<OrderGatewayProtocol.OpenOrders>(OrderGatewayProtocol.GetOpenOrders.Instance, AskTimeout).ConfigureAwait(false);
            var states = await Task.WhenAll(open.ClientOrderIds.Select(id => desk.Ask<OrderState>(new OrderGatewayProtocol.GetOrder(id), AskTimeout))).ConfigureAwait(false);
            return states.Where(o => !o.IsTerminal).OrderBy(o => o.SubmittedAt).Select(o => new OrderJson(o.ClientOrderId.Value, o.StrategyId, $"{o.Venue}.{o.Market.ToWire()}",
                o.Symbol.Value, o.Side.ToString().ToLowerInvariant(), o.Type.ToString().ToLowerInvariant(), o.Price, o.Size, o.FilledSize, o.Status.ToString(), o.VenueOrderId,
                o.SubmittedAt)).ToArray();
        }
        catch (AskTimeoutException)
        {
            return null;
        }
    }

    /// <summary>An open order as JSON.</summary>
    public sealed record OrderJson(string ClientOrderId, string Strategy, string Venue, string Symbol, string Side, string Type, decimal? Price, decimal Size,
        decimal Filled, string Status, string? VenueOrderId, long SubmittedAt);

    /// <summary>A book as JSON: levels as <c>[price, size]</c>, best first.</summary>
    public sealed record BookJson(string Venue, string Symbol, string Health, long Sequence, decimal[][] Bids, decimal[][] Asks, int Resyncs);
}
