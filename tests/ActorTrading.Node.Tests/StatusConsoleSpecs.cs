using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Node.Hosting;
using ActorTrading.Runtime.Status;
using ActorTrading.Strategies;
using Xunit;

namespace ActorTrading.Node.Tests;

public sealed class StatusConsoleSpecs
{
    private static readonly StatusProtocol.Snapshot Snapshot = new(
        new DateTimeOffset(2026, 11, 25, 14, 45, 58, TimeSpan.Zero),
        [new StatusProtocol.FeedRow("kucoin.futures", "public", "Streaming", 2, "network: connection refused")],
        [new StatusProtocol.SymbolRow("kucoin.futures", "XBTUSDTM", 43, 860, new BookLevel(89999.9m, 97), new BookLevel(90000.1m, 20), BookHealth.Synced, 17, 90000.1m, 90000m, 0.000098m)],
        0);

    private static readonly StrategiesProtocol.Statuses Strategies = new(
    [
        new StrategyProtocol.Status("quoter", "quoting", new VenueId("paper-kucoin"), true, new Dictionary<Symbol, string>(), 2, 5, 3, 0.054m, 0.3m, 0.1m,
            [new StrategyProtocol.PositionRow(new Symbol("XBTUSDTM"), -1, 0.3m, 0.1m)]),
    ]);

    [Fact]
    public void Plain_lines_carry_the_time_and_every_value_as_key_value_pairs()
    {
        Assert.Equal(
            """
            2026-11-25T14:45:58Z feed kucoin.futures/public state=Streaming reconnects=2 problem="network: connection refused"
            2026-11-25T14:45:58Z symbol kucoin.futures/XBTUSDTM msg/s=43.0 bid=89999.9x97 ask=90000.1x20 book=Synced last=90000.1 mark=90000 funding=0.000098
            2026-11-25T14:45:58Z strategy quoter venue=paper-kucoin state=trading position="XBTUSDTM -1" open=2 orders=5 fills=3 realized=0.3 unrealized=0.1 fees=0.054

            """.ReplaceLineEndings("\n"),
            StatusConsole.Lines(Snapshot, Strategies));
    }

    [Theory]
    [InlineData(60)]
    [InlineData(100)]
    public void The_terminal_table_is_cut_to_the_terminal_width(int width)
    {
        var table = StatusConsole.Render(Snapshot, Strategies, redraw: true, width);
        Assert.StartsWith("\u001b[H\u001b[2JActorTrading  2026-11-25 14:45:58Z", table, StringComparison.Ordinal);
        Assert.All(table.Split('\n'), line => Assert.True(line.Replace("\u001b[H\u001b[2J", string.Empty, StringComparison.Ordinal).Length < width, line));
        Assert.Contains("kucoin.futures/XBTUSDTM", table, StringComparison.Ordinal);
        Assert.Contains(StatusConsole.Render(Snapshot, Strategies, redraw: false).Split('\n'), line => line.Length >= width);   // it did need cutting
    }
}
