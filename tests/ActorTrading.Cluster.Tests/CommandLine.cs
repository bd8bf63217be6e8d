using ActorTrading.Node;
using ActorTrading.Node.Cli;

namespace ActorTrading.Cluster.Tests;

/// <summary>The node's command line in this process, as a user runs it: exit code and stdout; errors are thrown, not printed.</summary>
public static class CommandLine
{
    public static async Task<(int Exit, string Output)> RunAsync(IReadOnlyDictionary<string, string?> settings, params string[] args)
    {
        var output = new StringWriter();
        var exit = await Program.BuildCommandLine(output, TextWriter.Null, new CliEnvironment(_ => null, settings))
            .Parse(args)
            .InvokeAsync(new System.CommandLine.InvocationConfiguration { EnableDefaultExceptionHandler = false });
        return (exit, output.ToString());
    }
}
