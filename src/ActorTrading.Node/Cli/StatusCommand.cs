using System.Globalization;
using System.Text.Json;
using ActorTrading.Core.Errors;
using ActorTrading.Runtime.Cluster;

namespace ActorTrading.Node.Cli;

/// <summary>
/// <c>actortrading status</c>: asks a running node (the one whose address <c>run</c> wrote to <c>Node.AddressFile</c>,
/// or <c>--node</c>) what it is doing: the cluster's members and every venue's feeds and books. A short-lived remote
/// client, never a cluster member and never a second writer on the journal.
/// </summary>
public static class StatusCommand
{
    public static async Task<int> RunAsync(string? node, string format, string? configPath, CliEnvironment environment, TextWriter output, CancellationToken ct)
    {
        if (format is not ("table" or "json"))
        {
            throw new ExchangeException(new ConfigurationError($"unknown format '{format}' (table, json)"));
        }

        await using var client = NodeClient.Connect(NodeClient.Target(node, configPath, environment), "actortrading-status");
        var status = await client.AskAsync<NodeStatusProtocol.NodeStatus>("node", NodeStatusProtocol.GetNodeStatus.Instance, ct).ConfigureAwait(false);
        await output.WriteAsync(format == "json" ? Json(status) : Table(status)).ConfigureAwait(false);
        return 0;
    }

    private static string Table(NodeStatusProtocol.NodeStatus status)
    {
        var text = new System.Text.StringBuilder();
        var up = status.Members.Count(m => m.Status == "Up" && m.Reachable);
        text.Append(CultureInfo.InvariantCulture, $"node {status.Address}: a cluster of {status.Members.Count} ({up} up and reachable)\n");
        foreach (var member in status.Members)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"member {member.Address} {member.Status}{(member.Reachable ? "" : " UNREACHABLE")}{(member.Roles.Count == 0 ? "" : " roles=" + string.Join(',', member.Roles))}\n");
        }

        foreach (var venue in status.Venues)
        {
            text.Append(CultureInfo.InvariantCulture, $"venue {venue.Venue}{(venue.StoppedReason is null ? "" : " STOPPED: " + venue.StoppedReason)}\n");
            foreach (var feed in venue.Feeds)
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"  feed {feed.Feed} {feed.State} streams={feed.Subscriptions} frames={feed.Frames} reconnects={feed.Reconnects}{(feed.LastError is null ? "" : " last-error=" + feed.LastError)}\n");
            }

            foreach (var book in venue.Books)
            {
                var bid = book.Bids.Count > 0 ? book.Bids[0].Price.ToString(CultureInfo.InvariantCulture) : "-";
                var ask = book.Asks.Count > 0 ? book.Asks[0].Price.ToString(CultureInfo.InvariantCulture) : "-";
                text.Append(CultureInfo.InvariantCulture, $"  book {book.Symbol} {book.Health} seq={book.Sequence} bid={bid} ask={ask} resyncs={book.Resyncs}\n");
            }
        }

        if (status.Unanswered is { } unanswered)
        {
            text.Append(CultureInfo.InvariantCulture, $"venues: {unanswered}\n");
        }

        return text.ToString();
    }

    private static string Json(NodeStatusProtocol.NodeStatus status) =>
        JsonSerializer.Serialize(new
        {
            node = status.Address,
            members = status.Members.Select(m => new { address = m.Address, status = m.Status, reachable = m.Reachable, roles = m.Roles }),
            venues = status.Venues.Select(v => new
            {
                venue = v.Venue,
                stopped = v.StoppedReason,
                feeds = v.Feeds.Select(f => new { feed = f.Feed, state = f.State.ToString(), streams = f.Subscriptions, frames = f.Frames, reconnects = f.Reconnects, lastError = f.LastError }),
                books = v.Books.Select(b => new { symbol = b.Symbol.Value, health = b.Health.ToString(), sequence = b.Sequence, bid = b.Bids.Count > 0 ? b.Bids[0].Price : (decimal?)null, ask = b.Asks.Count > 0 ? b.Asks[0].Price : (decimal?)null, resyncs = b.Resyncs }),
            }),
            venuesUnanswered = status.Unanswered,
        }) + "\n";
}
