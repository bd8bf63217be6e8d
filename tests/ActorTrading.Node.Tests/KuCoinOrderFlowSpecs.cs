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
/// Orders through a running node on KuCoin Futures (the fake account keeps the truth and checks every signature):
/// gateway → journal → signed placement → <c>open</c> and <c>match</c> pushes on the private socket → journal exactly
/// once; a fill made while the node was down comes back by reconciliation when it starts again.
/// </summary>
public sealed class KuCoinOrderFlowSpecs : IAsyncLifetime
{
    private static readonly VenueId KuCoin = VenueId.KuCoin;
    private static readonly Symbol Xbt = new("XBTUSDTM");
    private readonly string _journal = "sqlite:" + Path.Combine(Directory.CreateTempSubdirectory("actortrading-kucoin-flow-").FullName, "journal.db");
    private FakeKuCoinVenue _venue = null!;

    private JournalCli Audit => new(_journal);

    private FakeKuCoinAccount Account => _venue.Account;

    public async Task InitializeAsync() => _venue = await FakeKuCoinVenue.StartAsync();

    public async Task DisposeAsync() => await _venue.DisposeAsync();

    [Fact]
    public async Task A_fill_pushed_twice_is_journaled_once_and_a_fill_made_while_the_node_was_down_is_reconciled_at_its_next_start()
    {
        var orderId = string.Empty;
        await RunningNode.WithAsync(Node(), async (gateway, inbox) =>
        {
            var acknowledged = await GatewayAnswers.PlaceUntilAcknowledgedAsync(inbox, gateway,
                attempt => new OrderGatewayProtocol.PlaceOrder("desk", "k" + attempt, KuCoin, MarketKind.Futures, Xbt, Side.Buy, OrderType.Limit, 10, 60000.5m));

            Assert.NotNull(acknowledged);
            var id = orderId = acknowledged!.State.ClientOrderId.Value;
            Assert.Equal((1, "300000000000000001", 0), (Account.Placements, acknowledged.State.VenueOrderId, Account.SignatureRefusals));
            Assert.NotNull(Account.ArrivalOf(id));

            await OrderFlowSteps.FillPushedTwiceCountsOnceAsync(Account, gateway, inbox, id, 4, "880001");
        });

        Assert.Contains(",880001,", Assert.Single(Audit.Rows("audit", "fills", "--format", "csv")), StringComparison.Ordinal);

        // The rest fills while no node runs: only the venue knows.
        Assert.True(await Account.FillAsync(orderId, 6, 60000.5m, "880002", pushes: 0));
        await RunningNode.WithAsync(Node(), async (_, _) =>
        {
            await Eventually.Until(() => Audit.Rows("audit", "fills", "--format", "csv").Length == 2, 30);
        });

        var fills = Audit.Rows("audit", "fills", "--format", "csv");
        Assert.Contains(fills, f => f.Contains(",880002,", StringComparison.Ordinal) && f.Contains("reconciliation", StringComparison.Ordinal));
        Assert.Contains(",Filled", Assert.Single(Audit.Rows("audit", "orders", "--format", "csv"), r => r.StartsWith(orderId + ",", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Equal((1, 0), (Account.Placements, Account.SignatureRefusals));   // nothing placed again, every request signed right
        Assert.Equal(0, Audit.Run("audit", "verify").Exit);
    }

    private IHost Node()
    {
        var overrides = KuCoinNodeSettings.Overrides(_venue.Rest, _journal, ["trades"], ["orders", "positions"]);
        overrides["Venues:1:Orders:Enabled"] = "true";
        return NodeHost.Build(NodeHost.LoadConfiguration(null, overrides), TextWriter.Null, FakeKuCoinVenue.Credentials.GetValueOrDefault);
    }
}
