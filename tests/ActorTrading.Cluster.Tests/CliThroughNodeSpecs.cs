using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using ActorTrading.Core.Errors;
using ActorTrading.Journal;
using ActorTrading.TestExchange;
using Xunit;

namespace ActorTrading.Cluster.Tests;

/// <summary>
/// <c>order</c> and <c>audit</c> while a node runs: they go to the node (found by its address file, or <c>--node</c>),
/// which stays the journal's only writer; they refuse clearly when it does not answer.
/// </summary>
public sealed class CliThroughNodeSpecs
{
    private static Task<(int Exit, string Output)> Cli(IReadOnlyDictionary<string, string?> settings, params string[] args) => CommandLine.RunAsync(settings, args);

    private static string[] Place(string request) =>
        ["order", "place", "binance", "--market", "spot", "--symbol", "BTCUSDT", "--side", "buy", "--size", "0.01", "--price", "60000.5", "--request-id", request];

    [Fact]
    public async Task Order_and_audit_go_to_the_running_node_which_journals_and_places_once()
    {
        await using var venue = await FakeBinanceVenue.StartAsync();
        var account = new FakeBinanceAccount(venue, futures: false);
        await using var cluster = await ClusterNodes.StartAsync(2, ClusterRateBudgetSpecs.SpotAt(venue, "orders", "balances"), ClusterRateBudgetSpecs.Credentials);
        await cluster.UntilAsync(() => File.Exists(cluster.AddressFile(1)), 5, "the second node's address file");
        var second = new Dictionary<string, string?> { ["Node:AddressFile"] = cluster.AddressFile(1) };

        // No --journal: the command finds the second node by its address file; its order desk runs on the first. The
        // command has no credentials of its own: the node's venue places the order. Until the node's first
        // reconciliation has read the positions, orders are refused (exit 1): try until taken.
        var (exit, output, request) = (1, "", "");
        for (var attempt = 0; attempt < 40 && exit != 0; attempt++)
        {
            request = "n" + attempt;
            (exit, output) = await Cli(second, Place(request));
            if (exit != 0)
            {
                Assert.Contains("risk:position-unknown", output);
                await Task.Delay(250);
            }
        }

        Assert.Equal(0, exit);
        using (var placed = JsonDocument.Parse(output))
        {
            Assert.Equal(("cli-" + request, "Acknowledged", "7001"),
                (placed.RootElement.GetProperty("clientOrderId").GetString(), placed.RootElement.GetProperty("status").GetString(), placed.RootElement.GetProperty("venueOrderId").GetString()));
        }

        Assert.Equal(1, account.Placements);
        Assert.Equal(["order-submitted.v3", "order-acknowledged.v1"], cluster.Journal.Rows(OrderActor.PersistenceIdFor(new("cli-" + request))).Select(r => r.Manifest));

        // The same request again, to the first node by address: the node knows it, nothing is placed twice.
        var first = ClusterNodes.SelfAddress(cluster.Hosts[0]).ToString();
        (exit, output) = await Cli(new Dictionary<string, string?>(), [.. Place(request), "--node", first]);
        Assert.Equal(0, exit);
        Assert.Equal("Acknowledged", JsonDocument.Parse(output).RootElement.GetProperty("status").GetString());
        Assert.Equal(1, account.Placements);

        (exit, output) = await Cli(second, "order", "status", "binance", "--market", "spot", "--order", "cli-" + request);
        Assert.Equal((0, "7001"), (exit, JsonDocument.Parse(output).RootElement.GetProperty("venueOrderId").GetString()));

        // The audit: the node reads its own journal (PostgreSQL here; the command was given no connection).
        (exit, output) = await Cli(new Dictionary<string, string?>(), "audit", "orders", "--node", first, "--format", "json", "--strategy", "cli");
        Assert.Equal(0, exit);
        var orders = JsonDocument.Parse(output).RootElement.EnumerateArray().ToArray();
        var order = Assert.Single(orders, o => o.GetProperty("status").GetString() == "Acknowledged");
        Assert.Equal(("cli-" + request, "binance", "BTCUSDT"),
            (order.GetProperty("clientOrderId").GetString(), order.GetProperty("venue").GetString(), order.GetProperty("symbol").GetString()));
        (exit, output) = await Cli(new Dictionary<string, string?>(), "audit", "verify", "--node", first);
        Assert.Equal(0, exit);
        Assert.StartsWith($"journal OK: {orders.Length} orders, ", output);
    }

    [Fact]
    public async Task Without_an_answering_node_order_and_audit_refuse_in_one_error()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var silent = $"akka.tcp://actortrading@127.0.0.1:{port}";
        var none = new Dictionary<string, string?>();

        var order = await Assert.ThrowsAsync<ExchangeException>(() => Cli(none, [.. Place("x"), "--node", silent]));
        Assert.Equal($"timeout: no node answered at {silent} within 5 s (is it running? `run` writes its address to data/node.address)", order.Error.ToString());
        var audit = await Assert.ThrowsAsync<ExchangeException>(() => Cli(none, "audit", "fills", "--node", silent));
        Assert.Equal(order.Error.ToString(), audit.Error.ToString());

        // A stale address file (its node was killed) is refused the same way, never bypassed with a second writer.
        var stale = Path.Combine(Directory.CreateTempSubdirectory("actortrading-stale-").FullName, "node.address");
        await File.WriteAllTextAsync(stale, silent + "\n");
        var staleOrder = await Assert.ThrowsAsync<ExchangeException>(() => Cli(new Dictionary<string, string?> { ["Node:AddressFile"] = stale }, Place("y")));
        Assert.Equal(order.Error.ToString(), staleOrder.Error.ToString());

        var both = await Assert.ThrowsAsync<ExchangeException>(() => Cli(none, [.. Place("z"), "--node", silent, "--journal", "sqlite:/tmp/x.db"]));
        Assert.Equal("configuration: --node and --journal exclude each other: the node writes its own journal", both.Error.ToString());
        var unknown = await Assert.ThrowsAsync<ExchangeException>(() => Cli(none, "audit", "trades", "--node", silent));
        Assert.Equal("configuration: unknown audit 'trades' (orders, fills, events, summary, verify)", unknown.Error.ToString());
    }
}
