using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;

namespace ActorTrading.Runtime.Bus;

/// <summary>
/// Where a message is published: <c>{venue}.{market}/{channel}/{symbol}</c>, e.g. <c>kucoin.futures/trades/XBTUSDTM</c>.
/// </summary>
public readonly record struct MarketDataTopic(VenueId Venue, MarketKind Market, DataChannel Channel, Symbol Symbol)
{
    public static MarketDataTopic Of(DataMessage message) => new(message.Venue, message.Market, message.Channel, message.Symbol);

    public static MarketDataTopic ForFeed(VenueId venue, MarketKind market, string feed) => new(venue, market, DataChannel.Feed, new Symbol(feed));

    public override string ToString() => $"{Venue}.{Market.ToWire()}/{Channel.ToWire()}/{Symbol}";
}

/// <summary>
/// A subscription pattern: each segment is a value or <c>*</c>. <c>kucoin.*/trades/*</c> is every KuCoin trade,
/// <c>*/*/XBTUSDTM</c> everything about one symbol.
/// </summary>
public sealed record TopicFilter(string? Venue, MarketKind? Market, DataChannel? Channel, string? Symbol)
{
    public static readonly TopicFilter All = new(null, null, null, null);

    public static TopicFilter Exact(MarketDataTopic topic) => new(topic.Venue.Value, topic.Market, topic.Channel, topic.Symbol.Value);

    public bool Matches(in MarketDataTopic topic) =>
        (Venue is null || Venue == topic.Venue.Value)
        && (Market is null || Market == topic.Market)
        && (Channel is null || Channel == topic.Channel)
        && (Symbol is null || Symbol == topic.Symbol.Value);

    /// <summary>Parses <c>venue[.market]/channel/symbol</c> with <c>*</c> wildcards.</summary>
    public static TopicFilter Parse(string pattern)
    {
        var parts = pattern.Split('/');
        if (parts.Length != 3)
        {
            throw new FormatException($"topic pattern '{pattern}' must have three segments: venue[.market]/channel/symbol");
        }

        string? venue = null;
        MarketKind? market = null;
        var venueParts = parts[0].Split('.', 2);
        if (venueParts[0] != "*")
        {
            venue = venueParts[0];
        }

        if (venueParts.Length == 2 && venueParts[1] != "*")
        {
            market = MarketKindNames.TryParse(venueParts[1], out var m) ? m : throw new FormatException($"unknown market '{venueParts[1]}'");
        }

        DataChannel? channel = null;
        if (parts[1] != "*")
        {
            channel = DataChannelNames.TryParse(parts[1], out var c) ? c : throw new FormatException($"unknown channel '{parts[1]}'");
        }

        return new TopicFilter(venue, market, channel, parts[2] == "*" ? null : parts[2]);
    }

    public override string ToString() =>
        $"{Venue ?? "*"}.{Market?.ToWire() ?? "*"}/{Channel?.ToWire() ?? "*"}/{Symbol ?? "*"}";
}
