namespace ActorTrading.Simulator;

/// <summary>The top of a simulated book as a venue with a fixed-depth book channel streams it (Kraken's 10, Crypto.com's 10 or 50).</summary>
internal static class TopOfBook
{
    /// <summary>What a client holding <paramref name="before"/> needs to reach <paramref name="after"/>: new and changed levels, and removals of levels gone from the market.</summary>
    public static List<(decimal Price, decimal Size)> Diff(
        IReadOnlyList<(decimal Price, decimal Size)> before, IReadOnlyList<(decimal Price, decimal Size)> after, IReadOnlyList<(decimal Price, decimal Size)> market)
    {
        var changes = after.Where(level => !before.Contains(level)).ToList();
        changes.AddRange(before.Where(level => after.All(a => a.Price != level.Price) && market.All(m => m.Price != level.Price)).Select(level => (level.Price, 0m)));
        return changes;
    }

    /// <summary>The book's best <paramref name="depth"/> levels a side (all: null), sizes in base units (the market's whole units times its step).</summary>
    public static MarketSnapshot Scaled(SimulatedMarket m, MarketSnapshot book, int? depth) => book with
    {
        Bids = book.Bids.Take(depth ?? int.MaxValue).Select(l => (l.Price, l.Size * m.Multiplier)).ToArray(),
        Asks = book.Asks.Take(depth ?? int.MaxValue).Select(l => (l.Price, l.Size * m.Multiplier)).ToArray(),
    };
}
