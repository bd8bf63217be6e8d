using ActorTrading.Core.Errors;
using ActorTrading.Soak;

// The soak (README "Soak"): the simulated venues behind fault-injecting proxies, one node on all of them, faults for a
// while, then every book checked against its venue's, the journal audited, the feeds and memory reported. Exit 0 when
// it passed, 1 when a check failed, 2 for a wrong command line.
SoakOptions options;
try
{
    options = SoakOptions.Parse(args);
}
catch (FormatException e)
{
    await Console.Error.WriteLineAsync($"error: {e.Message}\n{SoakOptions.Usage}");
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

SoakReport report;
try
{
    report = await new SoakRun(options, Console.Out).RunAsync(stop.Token);
}
catch (ExchangeException e)
{
    // The node refused the soak's settings: one line, as the node's own commands say it.
    await Console.Error.WriteLineAsync($"error: {e.Error}");
    return 1;
}

foreach (var line in report.Lines())
{
    Console.WriteLine(line);
}

await File.WriteAllTextAsync(options.ReportPath, report.ToJson());
Console.WriteLine($"report: {Path.GetFullPath(options.ReportPath)}");
return report.Passed ? 0 : 1;
