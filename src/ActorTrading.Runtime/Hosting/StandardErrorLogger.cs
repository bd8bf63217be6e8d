using Akka.Event;

namespace ActorTrading.Runtime.Hosting;

/// <summary>
/// Akka's fallback logger (<c>akka.stdout-logger-class</c>): what it says before the host's logging starts or after it
/// stops. Akka drains the host logger's unread events into this logger when the system stops, whatever their level,
/// so the stock one printed remoting's "Remoting shut down" into the status view on stdout. This one writes warnings
/// and errors to stderr, one line each, with the cause's message and never its stack trace.
/// </summary>
public sealed class StandardErrorLogger : MinimalLogger
{
    protected override void Log(object message)
    {
        if (message is LogEvent e && e.LogLevel() is var level && level is LogLevel.WarningLevel or LogLevel.ErrorLevel)
        {
            var cause = e.Cause is null ? "" : $" ({LogText.Describe(e.Cause)})";
            Console.Error.WriteLine(LogText.OneLine($"{(level == LogLevel.ErrorLevel ? "fail" : "warn")}: {e.LogSource} {e.Message}{cause}"));
        }
    }
}
