using ActorTrading.Core.Adapters;

namespace ActorTrading.Runtime.Feeds;

/// <summary>One socket of a venue's feed: its name (in actor names, topics and captures), route, adapter and streams.</summary>
public sealed record FeedShard(string Name, string Route, IFeedAdapter Adapter, IReadOnlyList<Subscription> Subscriptions);

/// <summary>
/// Spreads a feed's subscriptions over sockets: one per route the adapter names, and more on a route whose streams
/// pass one socket's limit. A venue with one route and few streams keeps one socket named as the feed
/// (<c>public</c>); otherwise sockets are named <c>public-market</c>, <c>public-market-2</c>, ….
/// </summary>
public static class FeedShards
{
    public static IReadOnlyList<FeedShard> Plan(IFeedAdapter adapter, string feed, IReadOnlyList<Subscription> subscriptions)
    {
        var limit = Math.Max(1, adapter.MaxStreamsPerConnection);
        var byRoute = subscriptions.GroupBy(adapter.RouteOf).ToArray();
        if (byRoute.Length == 0)
        {
            return [new FeedShard(feed, string.Empty, adapter, [])];
        }

        var shards = new List<FeedShard>();
        foreach (var route in byRoute)
        {
            var routed = adapter.ForRoute(route.Key);
            var chunks = route.Chunk(limit).ToArray();
            for (var i = 0; i < chunks.Length; i++)
            {
                shards.Add(new FeedShard(NameOf(feed, route.Key, i + 1), route.Key, routed, chunks[i]));
            }
        }

        return shards.Count == 1 ? [shards[0] with { Name = feed }] : shards;
    }

    /// <summary>The name of the <paramref name="n"/>th socket of a route.</summary>
    public static string NameOf(string feed, string route, int n)
    {
        var name = route.Length == 0 ? feed : $"{feed}-{route}";
        return n == 1 ? name : $"{name}-{n}";
    }
}
