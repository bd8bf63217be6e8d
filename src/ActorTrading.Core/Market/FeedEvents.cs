using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;

namespace ActorTrading.Core.Market;

/// <summary>Lifecycle of a feed connection as seen by everyone else.</summary>
public abstract record FeedStateChanged(VenueId Venue, MarketKind Market, string Feed, long Ts) : ICrossNodeMessage;

public sealed record FeedConnecting(VenueId Venue, MarketKind Market, string Feed, long Ts, int Attempt)
    : FeedStateChanged(Venue, Market, Feed, Ts);

public sealed record FeedStreaming(VenueId Venue, MarketKind Market, string Feed, long Ts, long Generation)
    : FeedStateChanged(Venue, Market, Feed, Ts);

public sealed record FeedBackoff(VenueId Venue, MarketKind Market, string Feed, long Ts, string Reason, TimeSpan Delay)
    : FeedStateChanged(Venue, Market, Feed, Ts);

/// <summary>The feed gave up for good (authentication, ban, bad configuration); it will not reconnect on its own.</summary>
public sealed record FeedStopped(VenueId Venue, MarketKind Market, string Feed, long Ts, ExchangeError Error)
    : FeedStateChanged(Venue, Market, Feed, Ts);

/// <summary>A frame or request that could not be turned into data; the feed keeps running.</summary>
public sealed record FeedError(VenueId Venue, MarketKind Market, string Feed, long Ts, ExchangeError Error) : ICrossNodeMessage;
