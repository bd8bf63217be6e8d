using ActorTrading.Core.Market;
using ActorTrading.Runtime.Status;

namespace ActorTrading.Node.Http;

/// <summary>
/// Whether the node is ready, from its status snapshots: every feed Streaming — or back on its way within the grace
/// once it had been —, every book Synced on the same terms, the journal reachable, the cluster member Up. A feed or
/// book that never got there since the start is not ready (starting is not recovering). Called by one request at a
/// time per snapshot; the first-seen-down times are kept between calls.
/// </summary>
public sealed class NodeReadiness(TimeSpan grace, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _downSince = new(StringComparer.Ordinal);
    private readonly HashSet<string> _wasUp = new(StringComparer.Ordinal);

    public sealed record Verdict(bool Ready, IReadOnlyList<string> Problems);

    /// <param name="snapshot">The latest status (null: none taken yet).</param>
    /// <param name="journalProblem">Why the journal cannot be reached, or null.</param>
    /// <param name="clusterProblem">Why this member is not Up, or null.</param>
    public Verdict Evaluate(StatusProtocol.Snapshot? snapshot, string? journalProblem, string? clusterProblem)
    {
        var problems = new List<string>();
        if (journalProblem is not null)
        {
            problems.Add("journal: " + journalProblem);
        }

        if (clusterProblem is not null)
        {
            problems.Add("cluster: " + clusterProblem);
        }

        if (snapshot is null)
        {
            problems.Add("status: no snapshot yet (the node is starting)");
            return new Verdict(false, problems);
        }

        lock (_gate)
        {
            var now = clock.GetUtcNow();
            foreach (var feed in snapshot.Feeds)
            {
                Check(problems, now, $"feed {feed.Venue}/{feed.Feed}", feed.State == "Streaming", $"{feed.State}{(feed.LastProblem is { } p ? " (" + p + ")" : "")}");
            }

            foreach (var symbol in snapshot.Symbols.Where(s => s.Health is not null))
            {
                Check(problems, now, $"book {symbol.Venue}/{symbol.Symbol}", symbol.Health == BookHealth.Synced, symbol.Health!.Value.ToString());
            }
        }

        return new Verdict(problems.Count == 0, problems);
    }

    private void Check(List<string> problems, DateTimeOffset now, string name, bool ok, string state)
    {
        if (ok)
        {
            _wasUp.Add(name);
            _downSince.Remove(name);
            return;
        }

        var since = _downSince.TryGetValue(name, out var at) ? at : _downSince[name] = now;
        if (!_wasUp.Contains(name))
        {
            problems.Add($"{name}: {state}, not yet up since the start");
        }
        else if (now - since > grace)
        {
            problems.Add($"{name}: {state} for {(now - since).TotalSeconds:0} s (grace {grace.TotalSeconds:0} s)");
        }
    }
}
