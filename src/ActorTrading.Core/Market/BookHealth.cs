using ActorTrading.Core.Ids;

namespace ActorTrading.Core.Market;

public enum BookHealth
{
    /// <summary>Snapshot applied and every delta since lined up.</summary>
    Synced,
    /// <summary>Waiting for a (new) snapshot; deltas are being buffered.</summary>
    Resyncing,
    /// <summary>No update within the staleness window, or the feed is down.</summary>
    Stale,
    /// <summary>Best bid reached best ask; the book is being rebuilt.</summary>
    Crossed,
}

/// <summary>Published by a book actor whenever its health changes.</summary>
public sealed record BookHealthChanged(
    VenueId Venue, MarketKind Market, Symbol Symbol, BookHealth Health, string Reason, long Sequence, long Ts) : ICrossNodeMessage;

/// <summary>Top of a locally maintained book, published after each applied update that moved it: only while the book is Synced.</summary>
public sealed record BookTop(
    VenueId Venue, MarketKind Market, Symbol Symbol, long Sequence, BookLevel? BestBid, BookLevel? BestAsk, long ExchangeTs) : ICrossNodeMessage;
