using ActorTrading.Core.Ids;
using ActorTrading.Runtime.Status;
using ActorTrading.Strategies;

namespace ActorTrading.Node.Http;

/// <summary>The JSON of <c>/api/status</c>: the node's feeds, symbols (top of book, health, rates) and strategies, as of the status view's last snapshot.</summary>
public sealed record StatusView(string Run, DateTimeOffset? At, IReadOnlyList<StatusView.Feed> Feeds, IReadOnlyList<StatusView.Book> Symbols, IReadOnlyList<StatusView.Strategy> Strategies, long ProtocolErrors)
{
    public sealed record Feed(string Venue, string Name, string State, int Reconnects, string? LastProblem);

    public sealed record Level(decimal Price, decimal Size);

    public sealed record Book(string Venue, string Symbol, double MessagesPerSecond, long Messages, Level? BestBid, Level? BestAsk, string? Health, long Sequence,
        decimal? LastPrice, decimal? MarkPrice, decimal? FundingRate);

    public sealed record Position(string Symbol, decimal Size, decimal RealizedPnl, decimal? UnrealizedPnl);

    public sealed record Strategy(string Id, string Type, string Venue, bool Ready, int OpenOrders, int Orders, int Fills, decimal Fees, decimal RealizedPnl,
        decimal UnrealizedPnl, IReadOnlyList<Position> Positions, IReadOnlyDictionary<string, string> Halted);

    public static StatusView Of(RunId run, StatusProtocol.Snapshot? snapshot, StrategiesProtocol.Statuses? strategies) => new(
        run.Value,
        snapshot?.At,
        snapshot?.Feeds.Select(f => new Feed(f.Venue, f.Feed, f.State, f.Reconnects, f.LastProblem)).ToArray() ?? [],
        snapshot?.Symbols.Select(s => new Book(s.Venue, s.Symbol, Math.Round(s.MessagesPerSecond, 2), s.Messages,
            s.BestBid is { } bid ? new Level(bid.Price, bid.Size) : null, s.BestAsk is { } ask ? new Level(ask.Price, ask.Size) : null,
            s.Health?.ToString(), s.BookSequence, s.LastPrice, s.MarkPrice, s.FundingRate)).ToArray() ?? [],
        strategies?.Items.Select(s => new Strategy(s.Id, s.Type, s.TradingVenue.Value, s.Ready, s.OpenOrders, s.Orders, s.Fills, s.Fees, s.RealizedPnl, s.UnrealizedPnl,
            s.Positions.Select(p => new Position(p.Symbol.Value, p.Size, p.RealizedPnl, p.UnrealizedPnl)).ToArray(),
            s.Halted.ToDictionary(h => h.Key.Value, h => h.Value))).ToArray() ?? [],
        snapshot?.ErrorCount ?? 0);
}
