using System.Diagnostics;
using Xunit;

namespace ActorTrading.Cluster.Tests;

public sealed class VenueSingletonSpecs
{
    [Fact]
    public async Task Two_nodes_stream_a_venue_over_one_connection_and_when_its_node_leaves_the_other_streams_it_synced_within_10_s()
    {
        await using var cluster = await ClusterNodes.StartAsync(2);
        var (first, second) = (cluster.Hosts[0], cluster.Hosts[1]);

        // Both nodes reach the one supervisor (on the oldest node): the second through its proxy, over the wire.
        await cluster.UntilAsync(() => ClusterNodes.StreamingAndSyncedAsync(second), 20, "the venue streaming, seen from the second node");
        Assert.True(await ClusterNodes.StreamingAndSyncedAsync(first));
        Assert.Equal(1, cluster.Venue.OpenConnections);
        var before = (await ClusterNodes.VenueStatusAsync(second))!.Books.Select(b => b.Sequence).ToArray();

        var clock = Stopwatch.StartNew();
        await cluster.StopAsync(first);
        await cluster.UntilAsync(() => ClusterNodes.StreamingAndSyncedAsync(second), 10, "the venue streaming again on the second node");

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Equal(1, ClusterNodes.UpMembers(second));
        await cluster.UntilAsync(() => cluster.Venue.OpenConnections == 1, 5, "one connection to the venue");
        var after = (await ClusterNodes.VenueStatusAsync(second))!;
        Assert.All(after.Books, b => Assert.True(b.Sequence > before.Min(), $"book {b.Symbol} at {b.Sequence}, before the move {before.Min()}"));
    }
}
