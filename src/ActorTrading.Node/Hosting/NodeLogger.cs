using Akka.Actor;
using Akka.Event;
using Akka.Hosting.Logging;
using Microsoft.Extensions.Logging;

namespace ActorTrading.Node.Hosting;

/// <summary>
/// The host's logging for Akka, one line of text or one JSON object per event, less remoting's chatter about a peer node
/// that went away: the cluster reports that once (unreachable, downed, removed), while remoting's endpoints log the
/// disassociation with its exception's stack trace and warn again every few seconds until the peer is quarantined.
/// </summary>
public sealed class NodeLogger : LoggerFactoryLogger
{
    private readonly NodeLogSetup? _setup = Context.System.Settings.Setup.Get<NodeLogSetup>().GetOrElse(null!);
    private ILogger? _logger;

    protected override void Log(LogEvent log, ActorPath path)
    {
        if (IsPeerLossChatter(log))
        {
            return;
        }

        _logger ??= Context.System.Settings.Setup.Get<LoggerFactorySetup>().Value.LoggerFactory.CreateLogger("Akka");
        if (_setup is { Format: LogFormat.Json } setup)
        {
            // One JSON object per event: its fields named (run, actor, venue, symbol, strategy, client order id), not a line to parse.
            _logger.Log(LevelOf(log.LogLevel()), default, NodeLogFields.Of(log, path, setup.Run), log.Cause, static (fields, _) => fields.ToString());
            return;
        }

        // One line: the actor and the message; the cause goes to the formatter as the exception, which names it without
        // its stack trace (Akka's own text put the cause's stack trace into the message).
        _logger.Log(LevelOf(log.LogLevel()), default, (Source: Source(log.LogSource), Message: log.Message?.ToString() ?? string.Empty), log.Cause,
            static (line, _) => $"{line.Source} {line.Message}");
    }

    /// <summary>
    /// Who logged: an actor's path without the system's address (<c>/user/exchanges/…</c>), else the logger's own source.
    /// Not the event's sender: an event logged outside an actor comes from dead letters.
    /// </summary>
    public static string Source(string logSource)
    {
        var scheme = logSource.IndexOf("://", StringComparison.Ordinal);
        var path = scheme < 0 ? -1 : logSource.IndexOf('/', scheme + 3);
        return path < 0 ? logSource : logSource[path..];
    }

    public static bool IsPeerLossChatter(LogEvent log) =>
        log.LogSource.Contains("/system/endpointManager/", StringComparison.Ordinal)
        || (log.LogSource.StartsWith("remoting", StringComparison.Ordinal) && log.Message?.ToString()?.Contains("is now gated for", StringComparison.Ordinal) == true);

    private static Microsoft.Extensions.Logging.LogLevel LevelOf(Akka.Event.LogLevel level) => level switch
    {
        Akka.Event.LogLevel.DebugLevel => Microsoft.Extensions.Logging.LogLevel.Debug,
        Akka.Event.LogLevel.InfoLevel => Microsoft.Extensions.Logging.LogLevel.Information,
        Akka.Event.LogLevel.WarningLevel => Microsoft.Extensions.Logging.LogLevel.Warning,
        _ => Microsoft.Extensions.Logging.LogLevel.Error,
    };
}
