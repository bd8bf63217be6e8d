using System.Collections.Concurrent;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Runtime.Bus;
using ActorTrading.Runtime.Hosting;
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

    private sealed class Collector : ReceiveActor
    {
        public Collector(ConcurrentQueue<object> received) => ReceiveAny(received.Enqueue);
    }
}
