using System.CommandLine;
using ActorTrading.Node.Cli;

namespace ActorTrading.Node.Tests;

/// <summary>The command line run in this process as a user runs it: its stdout and exit code; an exception escapes as it would to Main.</summary>
internal static class Cli
{
    public static (int Exit, string Output) Run(CliEnvironment? environment, params string[] args)
    {
        var stdout = new StringWriter();
        var exit = Program.BuildCommandLine(stdout, TextWriter.Null, environment).Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        return (exit, stdout.ToString());
    }
}
