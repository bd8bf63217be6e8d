using ActorTrading.Runtime.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace ActorTrading.Node.Hosting;

/// <summary>
/// The text log format: one line per event, <c>warn: Category message (ExceptionType: its message ← inner …)</c>.
/// An exception is named with its messages, never its stack trace: a node stopped by Ctrl+C while a service starts
/// printed the host's report of a cancelled service as a stack trace. The JSON format keeps the whole exception.
/// </summary>
public sealed class TextLineFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "actortrading-line";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null)
        {
            return;
        }

        textWriter.Write(Level(logEntry.LogLevel));
        textWriter.Write(": ");
        textWriter.Write(logEntry.Category);
        textWriter.Write(' ');
        textWriter.Write(LogText.OneLine(message));
        if (logEntry.Exception is { } exception)
        {
            textWriter.Write(" (");
            textWriter.Write(LogText.Describe(exception));
            textWriter.Write(')');
        }

        textWriter.Write('\n');
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };
}
