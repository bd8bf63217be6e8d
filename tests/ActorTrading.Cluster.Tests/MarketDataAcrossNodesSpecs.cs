using System.Collections.Concurrent;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Runtime.Bus;
using ActorTrading.Runtime.Hosting;
using ActorTrading.Strategies;
using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace ActorTrading.Cluster.Tests;

public sealed class MarketDataAcrossNodesSpecs
{
    /// <summary>Subscribes a collecting actor on <paramref name="host"/>'s bus.</summary>
    private static ConcurrentQueue<object> Collect(IHost host, params string[] patterns)
    {
        var received = new ConcurrentQueue<object>();
        var collector = ClusterNodes.System(host).ActorOf(Props.Create(() => new Collector(received)));
        var bus = host.Services.GetRequiredService<MarketDataBusHolder>().Bus!;
        foreach (var pattern in patterns)
        {
            bus.Subscribe(collector, TopicFilter.Parse(pattern));
        }

        return received;
    }

    [Fact]
    public async Task A_subscriber_on_another_node_gets_the_venues_trades_and_book_tops_once_each_and_no_raw_deltas()
    {
        await using var cluster = await ClusterNodes.StartAsync(2);
        var (venueNode, otherNode) = (cluster.Hosts[0], cluster.Hosts[1]);
        await cluster.UntilAsync(() => ClusterNodes.StreamingAndSyncedAsync(otherNode), 20, "the venue streaming");

        var remote = Collect(otherNode, "kucoin.futures/trades/*", "kucoin.futures/book/XBTUSDTM", "kucoin.futures/book-delta/*");
        var local = Collect(venueNode, "kucoin.futures/trades/*");
        await cluster.UntilAsync(() => remote.OfType<Trade>().Select(t => t.Symbol.Value).Distinct().Count() == 2 && remote.OfType<BookTop>().Any(), 15,
            "trades of both symbols and a book top on the other node");
        await Task.Delay(1000);

        var remoteTrades = remote.OfType<Trade>().ToArray();
        Assert.All(remoteTrades, t => Assert.Equal(("kucoin", MarketKind.Futures), (t.Venue.Value, t.Market)));
        Assert.Equal(remoteTrades.Length, remoteTrades.Select(t => (t.Symbol, t.TradeId)).Distinct().Count());
        foreach (var bySymbol in remoteTrades.GroupBy(t => t.Symbol))
        {
            var sequences = bySymbol.Select(t => t.Sequence).ToArray();
            Assert.Equal(sequences.Order(), sequences);   // in the order the venue sent them
        }

        var top = remote.OfType<BookTop>().Last();
        Assert.Equal("XBTUSDTM", top.Symbol.Value);
        Assert.True(top.BestBid!.Value.Price < top.BestAsk!.Value.Price);
        Assert.Empty(remote.OfType<OrderBookUpdate>());   // raw deltas stay with their book

        var localTrades = local.OfType<Trade>().ToArray();
        Assert.NotEmpty(localTrades);
        Assert.Equal(localTrades.Length, localTrades.Select(t => (t.Symbol, t.TradeId)).Distinct().Count());   // the venue's node hears each once
    }

    [Fact]
    public async Task A_strategy_on_the_node_of_its_role_trades_on_paper_with_the_other_nodes_venue_data_through_the_order_desk()
    {
        // Every node has the same settings: the quoter (paper) runs on the nodes with role "strategies".
        await using var cluster = await ClusterNodes.StartAsync(1, settings =>
        {
            settings["Strategies:0:Enabled"] = "true";
            settings["Strategies:0:Role"] = "strategies";
        });
        var strategyNode = await cluster.AddNodeAsync(settings => settings["Cluster:Roles:0"] = "strategies");
        await cluster.UntilAsync(() => ClusterNodes.UpMembers(strategyNode) == 2, 20, "two members Up");

        // The venue and the order desk run on the first (oldest) node; the quoter runs only on the second.
        var status = strategyNode.Services.GetRequiredService<ActorTrading.Node.Hosting.StatusConsole>();
        await cluster.UntilAsync(() => status.LastStrategies?.Items.FirstOrDefault(s => s.Id == "quoter") is { Fills: > 0 }, 40, "the quoter's first paper fill");

        var quoter = status.LastStrategies!.Items.Single(s => s.Id == "quoter");
        Assert.Equal(("paper-kucoin", true), (quoter.TradingVenue.Value, quoter.Ready));
        Assert.True(quoter.Orders >= quoter.Fills);
        var firstNodeStrategies = cluster.Hosts[0].Services.GetRequiredService<ActorTrading.Node.Hosting.StatusConsole>().LastStrategies;
        Assert.DoesNotContain(firstNodeStrategies?.Items ?? [], s => s.Id == "quoter");
        Assert.Equal(1, cluster.Venue.OpenConnections);
    }

    [Fact]
    public async Task A_strategy_runs_once_among_the_nodes_of_its_role_and_starts_on_another_with_its_ledger_when_its_node_leaves()
    {
        await using var cluster = await ClusterNodes.StartAsync(1, settings =>
        {
            settings["Strategies:0:Enabled"] = "true";
            settings["Strategies:0:Role"] = "strategies";
        });
        await cluster.AddNodeAsync(settings => settings["Cluster:Roles:0"] = "strategies");
        await cluster.AddNodeAsync(settings => settings["Cluster:Roles:0"] = "strategies");
        await cluster.UntilAsync(() => cluster.Hosts.All(h => ClusterNodes.UpMembers(h) == 3), 20, "three members Up");

        // The quoter runs on one node of its role only (the oldest of the two).
        static StrategyProtocol.Status? Quoter(IHost host) =>
            host.Services.GetRequiredService<ActorTrading.Node.Hosting.StatusConsole>().LastStrategies?.Items.FirstOrDefault(s => s.Id == "quoter");
        await cluster.UntilAsync(() => cluster.Hosts.Any(h => Quoter(h) is { Fills: > 0 }), 40, "the quoter's first paper fill");
        await Task.Delay(1500);
        var first = cluster.Hosts.Single(h => Quoter(h) is not null);
        var second = cluster.Hosts.Skip(1).Single(h => h != first);
        var before = Quoter(first)!;

        // Its node leaves: it cancels its quotes there, and starts on the other node of its role with the orders and
        // fills of its previous incarnation (another node's run) in its ledger.
        await cluster.StopAsync(first);
        await cluster.UntilAsync(() => Quoter(second) is { Ready: true }, 30, "the quoter ready on the other node");
        var after = Quoter(second)!;
        Assert.True(after.Orders >= before.Orders, $"{after.Orders} orders after the move, {before.Orders} before");
        Assert.True(after.Fills >= before.Fills, $"{after.Fills} fills after the move, {before.Fills} before");
        if (after.Fills == before.Fills)
        {
            Assert.Equal(before.Positions.Sum(p => p.Size), after.Positions.Sum(p => p.Size));   // no fill since: the same position
        }

        Assert.Null(Quoter(cluster.Hosts[0]));
    }

    private sealed class Collector : ReceiveActor
    {
        public Collector(ConcurrentQueue<object> received) => ReceiveAny(received.Enqueue);
    }
}
