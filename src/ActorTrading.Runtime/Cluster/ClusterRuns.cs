using Akka.Actor;
using Akka.DistributedData;

namespace ActorTrading.Runtime.Cluster;

/// <summary>
/// The node runs of this cluster's life, as a grow-only set in Distributed Data: every member adds its run id when it
/// starts, and gossip gives every member the whole set. A strategy that moves to another node counts the orders of
/// every run in it, so it comes back with the ledger it had; a cluster started anew (every member gone) starts empty.
/// </summary>
public static class ClusterRuns
{
    private static readonly GSetKey<string> Key = new("actortrading-runs");

    public static void Add(ActorSystem system, string run) =>
        DistributedData.Get(system).Replicator.Tell(Dsl.Update(Key, GSet<string>.Empty, WriteLocal.Instance, runs => runs.Add(run)));

    /// <summary>The runs this member knows of (empty when the set cannot be read in time).</summary>
    public static async Task<IReadOnlyCollection<string>> ReadAsync(ActorSystem system, CancellationToken ct)
    {
        var answer = await DistributedData.Get(system).Replicator.Ask<IGetResponse>(Dsl.Get(Key, ReadLocal.Instance), TimeSpan.FromSeconds(5), ct).ConfigureAwait(false);
        return answer is GetSuccess success ? success.Get(Key).Elements : [];
    }
}
