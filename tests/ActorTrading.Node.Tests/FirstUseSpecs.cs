using System.CommandLine;
using System.Globalization;
using ActorTrading.Node.Hosting;
using Xunit;

namespace ActorTrading.Node.Tests;

/// <summary>
/// The README's first-use path as a new user walks it: runs and replays that always finish, one run never colliding
/// with another in a journal, and a summary of exactly this run.
/// </summary>
[Collection(QuiescenceCollection.Name)]
public sealed class FirstUseSpecs
{
    private static string TempFolder() => Directory.CreateTempSubdirectory("actortrading-first-use-").FullName;

    private static async Task<(int Exit, string Output)> Cli(params string[] args)
    {
        var output = new StringWriter();
        var exit = await Program.BuildCommandLine(output, output).Parse(args)
            .InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false })
            .WaitAsync(TimeSpan.FromSeconds(150));
        return (exit, output.ToString());
    }

    [Fact]
    public async Task A_replay_finishes_every_time_on_a_journal_that_holds_another_venues_orders()
    {
        var journal = "sqlite:" + Path.Combine(TempFolder(), "drilled.db");
        var (drillExit, drill) = await Cli("journal-drill", "--orders", "20", "--journal", journal);
        Assert.Equal(0, drillExit);
        var lines = drill.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);   // what it does, one progress line rewritten in place, done
        Assert.StartsWith("drill ", lines[0], StringComparison.Ordinal);
        Assert.Equal("progress: 20/20 acknowledged, 60 fills", lines[1].Split('\r', StringSplitOptions.RemoveEmptyEntries)[^1]);
        Assert.Contains("done: 20 orders, 60 fills", drill, StringComparison.Ordinal);

        // It hung in 5 of 6 tries when the read journal's timers waited on virtual time.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var (exit, output) = await Cli("replay", "--capture", NodeHost.Locate(Program.ShippedCapture), "--journal", journal);
            Assert.Equal(0, exit);
            Assert.Contains("2452 frames, 2442 messages, 0 frame errors", output, StringComparison.Ordinal);
            Assert.Contains("replay: 2452/2452 frames (100 %), ", output, StringComparison.Ordinal);   // --speed max shows progress
        }

        var (summaryExit, summary) = await Cli("audit", "summary", "--venue", "drill", "--journal", journal, "--format", "csv");
        Assert.Equal(0, summaryExit);
        Assert.StartsWith("drill,XBTUSDTM,drill,20,60,", summary.Split('\n')[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Three_offline_runs_into_one_journal_verify_and_each_summary_counts_only_its_own_run()
    {
        var journal = "sqlite:" + Path.Combine(TempFolder(), "offline.db");
        var runs = new List<(string Run, int Orders)>();
        for (var i = 0; i < 3; i++)
        {
            var (exit, output) = await Cli("run", "--offline", "--duration", "6", "--journal", journal);
            Assert.Equal(0, exit);
            var run = output.Split('\n').Single(l => l.StartsWith("run ", StringComparison.Ordinal)).Split(' ')[1];
            var row = output.Split('\n').Single(l => l.StartsWith("paper-kucoin  XBTUSDTM  quoter", StringComparison.Ordinal));
            runs.Add((run, int.Parse(row.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3], CultureInfo.InvariantCulture)));
        }

        Assert.Equal(3, runs.Select(r => r.Run).Distinct().Count());
        var (verifyExit, verify) = await Cli("audit", "verify", "--journal", journal);
        Assert.True(verifyExit == 0, verify);

        var (_, all) = await Cli("audit", "summary", "--journal", journal, "--format", "csv");
        Assert.Equal(runs.Sum(r => r.Orders), int.Parse(all.Split('\n')[1].Split(',')[3], CultureInfo.InvariantCulture));   // venue,symbol,strategy,orders
        foreach (var (run, orders) in runs)
        {
            var (_, one) = await Cli("audit", "orders", "--run", run, "--journal", journal, "--format", "csv");
            var rows = one.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToArray();
            Assert.Equal(orders, rows.Length);
            Assert.All(rows, r => Assert.Contains($"quoter-{run}-", r, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_replay_without_a_journal_option_writes_a_journal_of_its_own_named_by_its_run()
    {
        var (exit, output) = await Cli("replay", "--capture", NodeHost.Locate(Program.ShippedCapture), "--strategy", "funding");
        Assert.Equal(0, exit);
        var run = output.Split('\n').Single(l => l.StartsWith("run ", StringComparison.Ordinal)).Split(' ')[1];
        var journal = output.Split('\n').Single(l => l.StartsWith("journal: ", StringComparison.Ordinal))["journal: ".Length..].Trim();
        Assert.Equal(Path.GetFullPath(Path.Combine("data", "replays", run + ".db")), journal);
        Assert.True(File.Exists(journal));
    }

    [Fact]
    public async Task An_offline_run_serves_its_dashboard_health_api_and_metrics_while_it_runs()
    {
        var folder = TempFolder();
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "actortrading.dll"), "run", "--offline", "--duration", "20", "--journal", "sqlite:" + Path.Combine(folder, "j.db") })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ACTORTRADING__Http__Port"] = "0";   // beside other nodes on this machine
        using var node = System.Diagnostics.Process.Start(start)!;
        var stderr = node.StandardError.ReadToEndAsync();
        try
        {
            // `run` says where its dashboard is: the first line that starts with "http: ".
            string? line;
            while ((line = await node.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60))) is not null && !line.StartsWith("http: ", StringComparison.Ordinal))
            {
            }

            Assert.NotNull(line);
            var stdout = node.StandardOutput.ReadToEndAsync();
            using var http = new HttpClient { BaseAddress = new Uri(line["http: ".Length..].Split(' ')[0]) };
            var page = await http.GetStringAsync("");
            Assert.Contains("<title>ActorTrading node</title>", page, StringComparison.Ordinal);
            Assert.Contains("new EventSource(\"api/events\"", page, StringComparison.Ordinal);

            // The replayed capture's books and the paper quoter, as the API, health and metrics show them.
            var status = await Eventually.Answer(async () => System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("api/status")).RootElement.Clone(),
                s => s.GetProperty("symbols").EnumerateArray().Any(b => b.GetProperty("symbol").GetString() == "XBTUSDTM" && b.GetProperty("health").GetString() == "Synced"), 30);
            Assert.Contains(status.GetProperty("strategies").EnumerateArray(), s => s.GetProperty("id").GetString() == "quoter");
            await Eventually.Answer(async () => (await http.GetAsync("health/ready")).StatusCode, s => s == System.Net.HttpStatusCode.OK, 30);   // every book Synced
            var metrics = await http.GetStringAsync("metrics");
            Assert.Matches(@"actortrading_feed_messages_total\{[^}]*symbol=""XBTUSDTM""[^}]*\} [1-9]", metrics);
            var audit = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("api/audit")).RootElement;
            Assert.True(audit.GetProperty("ok").GetBoolean());
            Assert.Equal(status.GetProperty("run").GetString(), audit.GetProperty("run").GetString());

            await node.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(node.ExitCode == 0, $"exit {node.ExitCode}: {await stderr}");
            Assert.Contains("paper-kucoin  XBTUSDTM  quoter", await stdout, StringComparison.Ordinal);   // and it finished with its summary
        }
        finally
        {
            if (!node.HasExited)
            {
                node.Kill(entireProcessTree: true);
            }
        }
    }

    [Theory]
    [InlineData(500)]
    [InlineData(2000)]
    [InlineData(5000)]
    public async Task Ctrl_c_stops_the_node_at_any_stage_of_its_life(int afterMs)
    {
        var folder = TempFolder();
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "actortrading.dll"), "run", "--offline" })
        {
            start.ArgumentList.Add(arg);
        }

        using var node = System.Diagnostics.Process.Start(start)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        await Task.Delay(afterMs);
        using (var interrupt = System.Diagnostics.Process.Start("kill", ["-INT", node.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await interrupt.WaitForExitAsync();
        }

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await node.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            node.Kill(entireProcessTree: true);
            Assert.Fail($"the node was still running 20 s after Ctrl+C at {afterMs} ms");
        }

        // Stopped cleanly (0, with the run's summary), or by the signal itself before the runtime had a handler.
        var output = await stdout + await stderr;
        Assert.True(node.ExitCode is 0 or 130, $"exit {node.ExitCode}: {output}");
        Assert.False(output.Contains("   at ", StringComparison.Ordinal), $"a stack trace after Ctrl+C at {afterMs} ms:\n{output}");
    }

    [Fact]
    public async Task Reading_a_journal_that_does_not_exist_is_an_error_and_creates_nothing()
    {
        var path = Path.Combine(TempFolder(), "typo.db");
        var e = await Assert.ThrowsAsync<Core.Errors.ExchangeException>(() => Cli("audit", "orders", "--journal", "sqlite:" + path));
        Assert.Equal($"configuration: journal {path} does not exist", e.Error.ToString());
        Assert.False(File.Exists(path));
    }
}
