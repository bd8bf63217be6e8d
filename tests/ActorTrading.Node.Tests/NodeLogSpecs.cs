using System.Text.Json;
using ActorTrading.Node.Hosting;
using Akka.Actor;
using Akka.Event;
using Akka.TestKit.Xunit2;
using Xunit;

namespace ActorTrading.Node.Tests;

/// <summary>
/// The JSON log (<c>Node:LogFormat json</c>): one object per event, the run and the trading fields named; the text log:
/// one line per event, an exception named with its messages and never its stack trace.
/// </summary>
public sealed class NodeLogSpecs : TestKit
{
    [Fact]
    public async Task A_strategys_warning_names_its_run_strategy_order_and_every_template_property()
    {
        var probe = CreateTestProbe();
        Sys.EventStream.Subscribe(probe, typeof(Warning));
        Logging.GetLogger(Sys, "spec").Warning("{Strategy}: {Command} of {ClientOrderId} refused: {Error}", "cquoter", "cancel", "cquoter-3lyv-5", "order is already Filled");
        var warning = await probe.ExpectMsgAsync<Warning>();

        var fields = NodeLogFields.Of(warning, ActorPath.Parse("akka://actortrading/user/strategies/cquoter/singleton/cquoter"), "3lyvrun").ToDictionary(f => f.Key, f => f.Value);
        Assert.Equal("3lyvrun", fields["run"]);
        Assert.Equal("cquoter", fields["strategy"]);
        Assert.Equal("cquoter-3lyv-5", fields["clientOrderId"]);
        Assert.Equal(("cancel", "order is already Filled"), (fields["command"], fields["error"]));
        Assert.Equal("/user/strategies/cquoter/singleton/cquoter", fields["actor"]);
        Assert.Equal("cquoter: cancel of cquoter-3lyv-5 refused: order is already Filled", NodeLogFields.Of(warning, ActorPath.Parse("akka://actortrading/user/x"), "r").ToString());

        var venue = NodeLogFields.Of(warning, ActorPath.Parse("akka://actortrading/user/exchanges/kraken-spot/singleton/feed-public"), "3lyvrun").ToDictionary(f => f.Key, f => f.Value);
        Assert.Equal("kraken-spot", venue["venue"]);
    }

    [Fact]
    public async Task A_node_run_with_json_logs_writes_nothing_on_stderr_but_json_objects_carrying_its_run()
    {
        var folder = Directory.CreateTempSubdirectory("actortrading-jsonlog-").FullName;
        var example = Path.Combine(AppContext.BaseDirectory, "config", "cryptocom.example.json");
        var (exit, stdout, stderr) = await CliErrorSpecs.RunAsync(
            ["run", "--simulate", "cryptocom", "--config", example, "--duration", "6", "--journal", "sqlite:" + Path.Combine(folder, "j.db")],
            ["ACTORTRADING__Node__LogFormat=json", "ACTORTRADING__Logging__LogLevel__Default=Information", "ACTORTRADING__Http__Port=0"], folder);
        Assert.Equal(0, exit);
        var run = System.Text.RegularExpressions.Regex.Match(stdout, "run ([a-z0-9]+) stopped after").Groups[1].Value;
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        var akka = new List<JsonElement>();
        foreach (var line in lines)
        {
            var entry = JsonDocument.Parse(line).RootElement;   // every line is one JSON object
            Assert.True(entry.TryGetProperty("LogLevel", out _), line);
            if (entry.GetProperty("Category").GetString() == "Akka")
            {
                akka.Add(entry.GetProperty("State"));
            }
        }

        Assert.NotEmpty(akka);
        Assert.All(akka, state => Assert.Equal(run, state.GetProperty("run").GetString()));
        // Fields, not the field list's type name (what .NET's formatter writes for a state without a message of its own).
        Assert.True(lines.All(line => !line.Contains("KeyValuePair", StringComparison.Ordinal)), lines.FirstOrDefault(line => line.Contains("KeyValuePair", StringComparison.Ordinal)));
        Assert.Contains(akka, state => state.TryGetProperty("venue", out var v) && v.GetString() == "cryptocom-spot");
    }

    [Fact]
    public void A_text_log_line_names_an_exception_and_its_cause_on_one_line_without_a_stack_trace()
    {
        Exception thrown;
        try
        {
            throw new InvalidOperationException("hosted service failed\nto start", new TaskCanceledException());
        }
        catch (InvalidOperationException e)
        {
            thrown = e;
        }

        using var writer = new StringWriter();
        var entry = new Microsoft.Extensions.Logging.Abstractions.LogEntry<string>(
            Microsoft.Extensions.Logging.LogLevel.Critical, "Microsoft.Extensions.Hosting.Internal.Host", new Microsoft.Extensions.Logging.EventId(10), "stopping\r\nthe host", thrown, (state, _) => state);
        new TextLineFormatter().Write(entry, null, writer);

        Assert.NotNull(thrown.StackTrace);
        Assert.Equal("crit: Microsoft.Extensions.Hosting.Internal.Host stopping the host (InvalidOperationException: hosted service failed to start ← TaskCanceledException: A task was canceled.)\n",
            writer.ToString());
    }

    [Theory]
    [InlineData("akka.tcp://actortrading@127.0.0.1:33881/user/strategies/quoter/singleton/quoter", "/user/strategies/quoter/singleton/quoter")]
    [InlineData("akka://actortrading/user/exchanges/kucoin-futures/singleton/rest", "/user/exchanges/kucoin-futures/singleton/rest")]
    [InlineData("replay", "replay")]
    public void A_text_log_line_names_who_logged_by_its_path_without_the_address(string logSource, string shown) =>
        Assert.Equal(shown, NodeLogger.Source(logSource));
}
