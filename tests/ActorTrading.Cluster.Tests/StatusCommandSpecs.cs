using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using ActorTrading.Core.Errors;
using Xunit;

namespace ActorTrading.Cluster.Tests;

public sealed class StatusCommandSpecs
{
    private static Task<(int Exit, string Output)> Status(IReadOnlyDictionary<string, string?> settings, params string[] args) =>
        CommandLine.RunAsync(settings, ["status", .. args]);

    [Fact]
    public async Task Status_asks_the_running_node_it_finds_by_its_address_file_for_the_cluster_and_the_venue_wherever_that_runs()
    {
        await using var cluster = await ClusterNodes.StartAsync(2);
        await cluster.UntilAsync(() => ClusterNodes.StreamingAndSyncedAsync(cluster.Hosts[1]), 20, "the venue streaming");
        await cluster.UntilAsync(() => File.Exists(cluster.AddressFile(1)), 5, "the second node's address file");

        // The second node does not run the venue: it answers through its proxy.
        var (exit, table) = await Status(new Dictionary<string, string?> { ["Node:AddressFile"] = cluster.AddressFile(1) });

        Assert.Equal(0, exit);
        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"node {ClusterNodes.SelfAddress(cluster.Hosts[1])}: a cluster of 2 (2 up and reachable)", lines[0]);
        Assert.Equal(2, lines.Count(l => l.StartsWith("member akka.tcp://actortrading@127.0.0.1:", StringComparison.Ordinal) && l.EndsWith(" Up", StringComparison.Ordinal)));
        Assert.Contains("venue kucoin-futures", lines);
        Assert.Contains(lines, l => l.StartsWith("  feed public Streaming streams=10 frames=", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("  book XBTUSDTM Synced seq=", StringComparison.Ordinal));

        var (jsonExit, json) = await Status(new Dictionary<string, string?>(), "--node", ClusterNodes.SelfAddress(cluster.Hosts[0]).ToString(), "--format", "json");
        Assert.Equal(0, jsonExit);
        using var document = JsonDocument.Parse(json);
        Assert.Equal(2, document.RootElement.GetProperty("members").GetArrayLength());
        var books = document.RootElement.GetProperty("venues")[0].GetProperty("books");
        Assert.All(books.EnumerateArray(), b =>
        {
            Assert.Equal("Synced", b.GetProperty("health").GetString());
            Assert.True(b.GetProperty("bid").GetDecimal() < b.GetProperty("ask").GetDecimal());
        });

        await cluster.StopAsync(cluster.Hosts[0]);
        Assert.False(File.Exists(cluster.AddressFile(0)));   // a stopped node leaves no address behind
    }

    [Fact]
    public async Task Status_with_no_node_running_says_so_in_one_error()
    {
        var missing = Path.Combine(Path.GetTempPath(), "actortrading-no-node-" + Guid.NewGuid().ToString("N"), "node.address");
        var none = await Assert.ThrowsAsync<ExchangeException>(() => Status(new Dictionary<string, string?> { ["Node:AddressFile"] = missing }));
        Assert.Equal($"configuration: no running node found: {missing} does not exist (start one with `run`, or pass --node akka.tcp://actortrading@host:port)", none.Error.ToString());

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var silent = await Assert.ThrowsAsync<ExchangeException>(() => Status(new Dictionary<string, string?>(), "--node", $"akka.tcp://actortrading@127.0.0.1:{port}"));
        Assert.Equal($"timeout: no node answered at akka.tcp://actortrading@127.0.0.1:{port} within 5 s (is it running? `run` writes its address to data/node.address)", silent.Error.ToString());

        var bad = await Assert.ThrowsAsync<ExchangeException>(() => Status(new Dictionary<string, string?>(), "--node", "node-a:4053"));
        Assert.Equal("configuration: --node 'node-a:4053' is not a node address (akka.tcp://actortrading@host:port)", bad.Error.ToString());
    }
}
