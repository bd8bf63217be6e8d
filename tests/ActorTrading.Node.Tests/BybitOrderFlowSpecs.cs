using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Journal;
using ActorTrading.Node.Hosting;
using ActorTrading.TestExchange;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace ActorTrading.Node.Tests;

/// <summary>
/// Orders through a running node on Bybit spot and linear (the Bybit fake keeps the truth): gateway → journal → signed
/// placement → private-stream execution → journal exactly once per <c>execId</c>; a fill whose push was lost comes by
/// reconciliation when the private stream reconnects, and fills made while the node was down when it starts again.
/// </summary>
public sealed class BybitOrderFlowSpecs : IAsyncLifetime
{
    private static readonly VenueId Bybit = new("bybit");
    private static readonly Symbol Btc = new("BTCUSDT");
    private readonly string _journal = "sqlite:" + Path.Combine(Directory.CreateTempSubdirectory("actortrading-bybit-flow-").FullName, "journal.db");

    private JournalCli Audit => new(_journal);
    private FakeBybitVenue _venue = null!;
    private FakeBybitAccount _account = null!;
    private MarketKind _market;

    public async Task InitializeAsync() => _venue = await FakeBybitVenue.StartAsync();

    public async Task DisposeAsync() => await _venue.DisposeAsync();

    [Theory]
    [InlineData(MarketKind.Futures)]
    [InlineData(MarketKind.Spot)]
    public async Task A_fill_pushed_twice_is_journaled_once_and_a_fill_made_while_the_node_was_down_is_reconciled_at_its_next_start(MarketKind market)
    {
        _market = market;
        _account = new FakeBybitAccount(_venue, market == MarketKind.Futures ? "linear" : "spot");
        var orderId = string.Empty;
        await RunningNode.WithAsync(Node(), async (gateway, inbox) =>
        {
            var acknowledged = await GatewayAnswers.PlaceUntilAcknowledgedAsync(inbox, gateway,
                attempt => new OrderGatewayProtocol.PlaceOrder("desk", "f" + attempt, Bybit, market, Btc, Side.Buy, OrderType.Limit, 0.01m, 60000.5m));

            Assert.NotNull(acknowledged);
            var id = orderId = acknowledged!.State.ClientOrderId.Value;
            Assert.Equal(1, _account.Placements);
            Assert.StartsWith("13210037493863270", acknowledged.State.VenueOrderId, StringComparison.Ordinal);
            Assert.Equal(market == MarketKind.Futures ? 1 : 0, _account.LeverageChanges);

            await OrderFlowSteps.FillPushedTwiceCountsOnceAsync(_account, gateway, inbox, id, 0.004m, "e-5001");

            // A fill the private stream never brought (its push lost), then the sockets drop: the reconnected private
            // stream reconciles, and the fill comes by REST.
            await OrderFlowSteps.LostFillComesAfterReconnectAsync(_account, _venue.Ws, gateway, id, 0.003m, "e-5003", 0.007m, 2);
        });

        var fills = Audit.Rows("audit", "fills", "--format", "csv");
        Assert.Equal(2, fills.Length);
        Assert.Contains(fills, f => f.Contains(",e-5001,", StringComparison.Ordinal));
        Assert.Contains(fills, f => f.Contains(",e-5003,", StringComparison.Ordinal) && f.Contains("reconciliation", StringComparison.Ordinal));

        // The rest fills while no node runs: only the venue knows.
        await _account.FillAsync(orderId, 0.003m, 60000.5m, execId: "e-5002", pushes: 0);
        await RunningNode.WithAsync(Node(), async (_, _) =>
        {
            await Eventually.Until(() => Audit.Rows("audit", "fills", "--format", "csv").Length == 3, 30);
        });

        fills = Audit.Rows("audit", "fills", "--format", "csv");
        Assert.Equal(3, fills.Length);
        Assert.Contains(fills, f => f.Contains(",e-5002,", StringComparison.Ordinal) && f.Contains("reconciliation", StringComparison.Ordinal));
        Assert.Contains(",Filled", Assert.Single(Audit.Rows("audit", "orders", "--format", "csv"), r => r.StartsWith(orderId + ",", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Equal(1, _account.Placements);   // nothing was placed again
        Assert.Equal(1, _account.SubmitsOf(orderId));
        Assert.Equal(0, Audit.Run("audit", "verify").Exit);
    }

    private IHost Node()
    {
        var overrides = BybitNodeSettings.Overrides(_venue, _journal, ["trades"], _market == MarketKind.Futures ? ["orders", "positions"] : ["orders", "balances"],
            _market == MarketKind.Futures ? "futures" : "spot");
        overrides["Venues:1:Orders:Enabled"] = "true";
        overrides["Venues:1:Orders:Route"] = "rest";
        return NodeHost.Build(NodeHost.LoadConfiguration(null, overrides), TextWriter.Null, BybitNodeSettings.Credentials.GetValueOrDefault);
    }

}
