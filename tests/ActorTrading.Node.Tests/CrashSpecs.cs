using System.Diagnostics;
using ActorTrading.Core.Ids;
using ActorTrading.Journal;
using ActorTrading.Node.Cli;
using ActorTrading.TestExchange;
using Akka.Actor;
using Xunit;
using Xunit.Abstractions;

namespace ActorTrading.Node.Tests;

/// <summary>
/// A node process killed with SIGKILL in the middle of a burst of orders and fills: what it had journaled is all
/// there after the restart, <c>audit verify</c> passes, and recovery rebuilds the same order states.
/// </summary>
public sealed class CrashSpecs(ITestOutputHelper output)
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_node_killed_mid_burst_restarts_with_every_persisted_event_and_a_journal_that_verifies(string provider)
    {
        using var database = JournalDatabase.Create(provider);
        var killedAt = await RunDrillAndKillAsync(database, killAfterFills: 300);
        output.WriteLine($"killed after: {killedAt}");

        var records = await AuditCommand.LoadAsync(database.Settings, CancellationToken.None);
        var fills = records.Count(r => r.Event is Core.Orders.OrderEvents.FillRecorded);
        Assert.InRange(fills, 300, (2000 * 3) - 1);   // it died mid-burst, after at least what it had reported
        Assert.Empty(AuditReport.Verify(records));

        // Recovery: every order actor comes back with exactly the state its journaled events fold into.
        var expected = AuditReport.Orders(records, new AuditFilter()).Select(o => o.State).ToArray();
        var system = JournalSystem.Create("recovery", database.Settings, Path.Combine(AppContext.BaseDirectory, "hocon.conf"));
        try
        {
            var gateway = system.ActorOf(OrderGateway.Props(VenueDoors.Direct(new Dictionary<(VenueId, MarketKind), IActorRef>())));
            foreach (var state in expected.Where((_, i) => i % 7 == 0 || !expected[i].IsTerminal))
            {
                var recovered = await gateway.Ask<OrderState>(new OrderGatewayProtocol.GetOrder(state.ClientOrderId), TimeSpan.FromSeconds(20));
                Assert.Equal(state with { TradeIds = recovered.TradeIds }, recovered);
                Assert.Equal(state.TradeIds, recovered.TradeIds);
            }
        }
        finally
        {
            await system.Terminate();
        }

        var stdout = new StringWriter();
        var exit = await Program.BuildCommandLine(stdout, TextWriter.Null, new CliEnvironment(
                name => name == JournalSettings.PostgresVariable ? database.Settings.ConnectionString : Environment.GetEnvironmentVariable(name), new Dictionary<string, string?>()))
            .Parse(["audit", "verify", "--journal", database.CliSpec])
            .InvokeAsync(new System.CommandLine.InvocationConfiguration { EnableDefaultExceptionHandler = false });
        Assert.Equal(0, exit);
        Assert.StartsWith("journal OK:", stdout.ToString());
    }

    /// <summary>Starts <c>actortrading journal-drill</c> as its own process and SIGKILLs it once it reported enough fills.</summary>
    private static async Task<string> RunDrillAndKillAsync(JournalDatabase database, int killAfterFills)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "actortrading.dll"), "journal-drill", "--orders", "2000", "--fills-per-order", "3", "--journal", database.CliSpec },
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment[JournalSettings.PostgresVariable] = database.Settings.ConnectionString;
        using var process = Process.Start(start)!;
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (DateTimeOffset.UtcNow < deadline && await process.StandardOutput.ReadLineAsync() is { } line)
        {
            // The drill rewrites one progress line with carriage returns: "progress: 40/2000 acknowledged, 300 fills".
            if (line.StartsWith("progress: ", StringComparison.Ordinal)
                && int.Parse(line.Split(' ')[^2], System.Globalization.CultureInfo.InvariantCulture) >= killAfterFills)
            {
                process.Kill(entireProcessTree: true);   // SIGKILL: no shutdown hooks, no flush
                await process.WaitForExitAsync();
                return line;
            }

            if (line.StartsWith("done:", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("the drill finished before it could be killed: " + line);
            }
        }

        process.Kill(entireProcessTree: true);
        throw new InvalidOperationException("the drill never reported enough fills: " + await process.StandardError.ReadToEndAsync());
    }
}
