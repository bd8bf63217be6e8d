using System.Globalization;
using System.Text;
using ActorTrading.Core.Market;
using ActorTrading.Runtime.Status;
using ActorTrading.Strategies;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.Hosting;

namespace ActorTrading.Node.Hosting;

/// <summary>
/// Prints the node's live status every interval: feeds (state, reconnects), symbols (msgs/s, top of book, health) and
/// strategies (state, position, open orders, PnL). In a terminal it redraws a table cut to the terminal's width;
/// anywhere else (a file, a pipe, a log collector) it writes plain timestamped lines and never clears anything.
/// </summary>
public sealed class StatusConsole(IRequiredActor<StatusCollector> collector, IRequiredActor<StrategiesSupervisor> strategies, TimeSpan interval, TextWriter output)
    : BackgroundService
{
    private readonly bool _terminal = output == Console.Out && !Console.IsOutputRedirected;

    public StatusProtocol.Snapshot? Last { get; private set; }

    public StrategiesProtocol.Statuses? LastStrategies { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A stop may come before the actors are there (Ctrl+C while the node starts): that ends the view, not an error.
        try
        {
            var actor = await collector.GetAsync(stoppingToken).ConfigureAwait(false);
            var strategiesActor = await strategies.GetAsync(stoppingToken).ConfigureAwait(false);
            using var timer = new PeriodicTimer(interval);
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    Last = await actor.Ask<StatusProtocol.Snapshot>(StatusProtocol.GetSnapshot.Instance, TimeSpan.FromSeconds(2), stoppingToken).ConfigureAwait(false);
                    LastStrategies = await strategiesActor.Ask<StrategiesProtocol.Statuses>(StrategiesProtocol.GetStatuses.Instance, TimeSpan.FromSeconds(2), stoppingToken)
                        .ConfigureAwait(false);
                }
                catch (AskTimeoutException)
                {
                    continue;
                }

                await output.WriteAsync(_terminal ? Render(Last, LastStrategies, redraw: true, TerminalWidth()) : Lines(Last, LastStrategies)).ConfigureAwait(false);
                await output.FlushAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// The status as plain lines, each starting with the snapshot's time: one per feed, symbol and strategy, as
    /// <c>key=value</c> pairs a log search can read.
    /// </summary>
    public static string Lines(StatusProtocol.Snapshot snapshot, StrategiesProtocol.Statuses? strategies)
    {
        var sb = new StringBuilder();
        var at = snapshot.At.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        foreach (var feed in snapshot.Feeds)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{at} feed {feed.Venue}/{feed.Feed} state={feed.State} reconnects={feed.Reconnects} problem=\"{feed.LastProblem ?? "-"}\"\n");
        }

        foreach (var row in snapshot.Symbols)
        {
            sb.Append(CultureInfo.InvariantCulture,
                $"{at} symbol {row.Venue}/{row.Symbol} msg/s={row.MessagesPerSecond:0.0} bid={Level(row.BestBid).Replace(" ", string.Empty, StringComparison.Ordinal)} ask={Level(row.BestAsk).Replace(" ", string.Empty, StringComparison.Ordinal)} book={row.Health?.ToString() ?? "-"} last={Num(row.LastPrice)} mark={Num(row.MarkPrice)} funding={Num(row.FundingRate)}\n");
        }

        foreach (var s in strategies?.Items ?? [])
        {
            sb.Append(CultureInfo.InvariantCulture,
                $"{at} strategy {s.Id} venue={s.TradingVenue.Value} state={State(s)} position=\"{Positions(s)}\" open={s.OpenOrders} orders={s.Orders} fills={s.Fills} realized={Num(decimal.Round(s.RealizedPnl, 4))} unrealized={Num(decimal.Round(s.UnrealizedPnl, 4))} fees={Num(decimal.Round(s.Fees, 6))}\n");
            foreach (var (symbol, reason) in s.Halted)
            {
                sb.Append(CultureInfo.InvariantCulture, $"{at} strategy {s.Id} halted on {symbol}: {reason}\n");
            }
        }

        return sb.ToString();
    }

    /// <summary>The status table; with <paramref name="width"/> every line is cut to fit it.</summary>
    public static string Render(StatusProtocol.Snapshot snapshot, StrategiesProtocol.Statuses? strategies, bool redraw, int? width = null)
    {
        var table = Table(snapshot, strategies);
        if (width is > 1)
        {
            table = string.Concat(table.Split('\n').Select((line, i) => (i > 0 ? "\n" : string.Empty) + (line.Length >= width ? line[..(width.Value - 1)] : line)));
        }

        return redraw ? "\u001b[H\u001b[2J" + table : table;
    }

    private static int? TerminalWidth()
    {
        try
        {
            return Console.WindowWidth;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string State(StrategyProtocol.Status s) => !s.Ready ? "starting" : s.Halted.Count > 0 ? "halted" : "trading";

    private static string Positions(StrategyProtocol.Status s) =>
        s.Positions.Count == 0 ? "flat" : string.Join(' ', s.Positions.Where(p => p.Size != 0).Select(p => $"{p.Symbol} {p.Size.ToString(CultureInfo.InvariantCulture)}").DefaultIfEmpty("flat"));

    private static string Table(StatusProtocol.Snapshot snapshot, StrategiesProtocol.Statuses? strategies)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"ActorTrading  {snapshot.At:yyyy-MM-dd HH:mm:ss}Z  protocol errors: {snapshot.ErrorCount}  (Ctrl+C to stop)\n");
        sb.Append(CultureInfo.InvariantCulture, $"{"FEED",-24} {"STATE",-11} {"RECONNECTS",10}  LAST PROBLEM\n");
        foreach (var feed in snapshot.Feeds)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{feed.Venue + "/" + feed.Feed,-24} {feed.State,-11} {feed.Reconnects,10}  {feed.LastProblem ?? "-"}\n");
        }

        sb.Append(CultureInfo.InvariantCulture, $"{"SYMBOL",-24} {"MSG/S",8} {"BID",22} {"ASK",22} {"BOOK",-10} {"LAST",12} {"MARK",12} {"FUNDING",10}\n");
        foreach (var row in snapshot.Symbols)
        {
            sb.Append(CultureInfo.InvariantCulture,
                $"{row.Venue + "/" + row.Symbol,-24} {row.MessagesPerSecond,8:0.0} {Level(row.BestBid),22} {Level(row.BestAsk),22} {row.Health?.ToString() ?? "-",-10} {Num(row.LastPrice),12} {Num(row.MarkPrice),12} {Num(row.FundingRate),10}\n");
        }

        if (strategies is { Items.Count: > 0 })
        {
            sb.Append(CultureInfo.InvariantCulture,
                $"{"STRATEGY",-16} {"VENUE",-16} {"STATE",-10} {"POSITION",-24} {"OPEN",5} {"ORDERS",7} {"FILLS",6} {"REALIZED",12} {"UNREALIZED",12} {"FEES",12}\n");
            foreach (var s in strategies.Items)
            {
                sb.Append(CultureInfo.InvariantCulture,
                    $"{s.Id,-16} {s.TradingVenue.Value,-16} {State(s),-10} {Positions(s),-24} {s.OpenOrders,5} {s.Orders,7} {s.Fills,6} {Num(decimal.Round(s.RealizedPnl, 4)),12} {Num(decimal.Round(s.UnrealizedPnl, 4)),12} {Num(decimal.Round(s.Fees, 6)),12}\n");
                foreach (var (symbol, reason) in s.Halted)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"  halted on {symbol}: {reason}\n");
                }
            }
        }

        return sb.ToString();
    }

    private static string Level(BookLevel? level) => level is { } l ? $"{l.Price.ToString(CultureInfo.InvariantCulture)} x {l.Size.ToString(CultureInfo.InvariantCulture)}" : "-";

    private static string Num(decimal? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";
}
