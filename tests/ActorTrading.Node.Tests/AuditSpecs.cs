using System.CommandLine;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Journal;
using ActorTrading.Simulator;
using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using Xunit;
using Xunit.Abstractions;
using Symbol = ActorTrading.Core.Ids.Symbol;

namespace ActorTrading.Node.Tests;

/// <summary>
/// A scripted trading session journaled to a SQLite file, then read back by <c>actortrading audit</c>: the output must
/// match the expected files exactly.
/// </summary>
public sealed class AuditSpecs : TestKit
{
    private static readonly string JournalDir = Directory.CreateTempSubdirectory("actortrading-audit-").FullName;
    private static readonly string JournalPath = Path.Combine(JournalDir, "journal.db");
    private readonly ManualClock _clock = new(1729163000000);

    public AuditSpecs(ITestOutputHelper output)
        : base(Config(), output: output)
    {
    }

    private static Config Config()
    {
        var journal = JournalSettings.Sqlite(JournalPath);
        journal.Prepare();
        return journal.ToHocon().WithFallback(ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "hocon.conf"))));
    }

    private sealed class ManualClock(long startMs) : TimeProvider
    {
        public long Now { get; set; } = startMs;

        public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(Now);
    }

    private (int Exit, string Output) Audit(params string[] args)
    {
        var stdout = new StringWriter();
        var exit = Program.BuildCommandLine(stdout, TextWriter.Null).Parse(["audit", .. args, "--journal", "sqlite:" + JournalPath])
            .Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        return (exit, stdout.ToString());
    }

    private void Step(IActorRef gateway, object message, Func<OrderState, bool> until, long advanceMs = 1000)
    {
        _clock.Now += advanceMs;
        gateway.Tell(message, TestActor);
        FishForMessage<OrderGatewayProtocol.OrderStatus>(s => until(s.State), TimeSpan.FromSeconds(15));
    }

    private void RunScriptedSession()
    {
        var venue = Sys.ActorOf(Props.Create(() => new AcceptingVenue()));
        var doors = VenueDoors.Direct(new Dictionary<(VenueId, MarketKind), IActorRef> { [(VenueId.KuCoin, MarketKind.Futures)] = venue });
        var gateway = Sys.ActorOf(OrderGateway.Props(doors, s => s == "risky" ? new RiskLimits { MaxOrderSize = 10 } : RiskLimits.None, clock: _clock));
        var xbt = new Symbol("XBTUSDTM");
        OrderGatewayProtocol.PlaceOrder Place(string strategy, string request, Side side, decimal size, decimal price) =>
            new(strategy, request, VenueId.KuCoin, MarketKind.Futures, xbt, side, OrderType.Limit, size, price);
        FillInfo Fill(string trade, decimal size, decimal price, decimal fee, Liquidity liquidity) => new(trade, price, size, fee, "USDT", liquidity);

        Step(gateway, Place("quoter", "1", Side.Buy, 2, 100), s => s.Status == OrderLifecycle.Acknowledged);
        var first = ClientOrderIds.For("quoter", "1");
        Step(gateway, new OrderUpdate(VenueId.KuCoin, MarketKind.Futures, xbt, 1729163002500, 0, "v-quoter-1", first, Side.Buy, OrderStatus.PartiallyFilled, 100, 2, 1,
            Fill("t-1", 1, 100, 0.02m, Liquidity.Maker)), s => s.FilledSize == 1);
        Step(gateway, new OrderActorProtocol.ReportFill(first, Fill("t-2", 1, 100, 0.02m, Liquidity.Maker), FillSource.Rest, "v-quoter-1", 1729163003500), s => s.Status == OrderLifecycle.Filled);

        Step(gateway, Place("quoter", "2", Side.Sell, 3, 105), s => s.Status == OrderLifecycle.Acknowledged);
        Step(gateway, new OrderActorProtocol.ReportFill(ClientOrderIds.For("quoter", "2"), Fill("t-3", 3, 105, 0.0315m, Liquidity.Taker), FillSource.Reconciliation, null, 1729163005500),
            s => s.Status == OrderLifecycle.Filled);

        Step(gateway, Place("quoter", "3", Side.Buy, 1, 103), s => s.Status == OrderLifecycle.Acknowledged);
        Step(gateway, new OrderGatewayProtocol.CancelOrder("quoter", ClientOrderIds.For("quoter", "3")), s => s.Status == OrderLifecycle.Canceled);

        Step(gateway, Place("risky", "1", Side.Buy, 50, 100), s => s.Status == OrderLifecycle.Rejected);
    }

    [Fact]
    public void A_scripted_session_reads_back_exactly_through_every_audit_report()
    {
        RunScriptedSession();
        var fixtures = Path.Combine(AppContext.BaseDirectory, "fixtures", "audit");

        var (exit, fills) = Audit("fills", "--format", "csv");
        Assert.Equal(0, exit);
        Assert.Equal(File.ReadAllText(Path.Combine(fixtures, "session.fills.csv")), fills);

        (exit, var orders) = Audit("orders", "--format", "csv");
        Assert.Equal(0, exit);
        Assert.Equal(File.ReadAllText(Path.Combine(fixtures, "session.orders.csv")), orders);

        (exit, var summary) = Audit("summary", "--format", "csv");
        Assert.Equal(0, exit);
        Assert.Equal(File.ReadAllText(Path.Combine(fixtures, "session.summary.csv")), summary);

        (exit, var verify) = Audit("verify");
        Assert.Equal((0, "journal OK: 4 orders, 13 events (" + JournalPath + ")\n"), (exit, verify.Replace("\r\n", "\n", StringComparison.Ordinal)));

        // Filters: one strategy, one order, a time window.
        Assert.Equal(3, Audit("fills", "--format", "csv", "--from", "2024-10-17T11:03:23Z").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("risk:max-order-size", Audit("orders", "--strategy", "risky").Output);
        Assert.Equal(5, Audit("events", "--format", "csv", "--order", "quoter-1").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        var json = System.Text.Json.JsonDocument.Parse(Audit("fills", "--format", "json").Output).RootElement;
        Assert.Equal(("t-3", "105", "reconciliation"), (json[2].GetProperty("tradeId").GetString(), json[2].GetProperty("price").GetString(), json[2].GetProperty("source").GetString()));
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(JournalDir, recursive: true);
    }
}
