using Akka.Actor;
using Akka.Event;
using Akka.Hosting.Logging;

namespace ActorTrading.Node.Hosting;

/// <summary>
/// The host's logging for Akka, less remoting's chatter about a peer node that went away: the cluster reports that once
/// (unreachable, downed, removed), while remoting's endpoints log the disassociation with its exception's stack trace and
/// warn again every few seconds until the peer is quarantined.
/// </summary>
public sealed class NodeLogger : LoggerFactoryLogger
{
    protected override void Log(LogEvent log, ActorPath path)
    {
        if (IsPeerLossChatter(log))
        {
            return;
        }

        base.Log(log, path);
    }

    public static bool IsPeerLossChatter(LogEvent log) =>
        log.LogSource.Contains("/system/endpointManager/", StringComparison.Ordinal)
        || (log.LogSource.StartsWith("remoting", StringComparison.Ordinal) && log.Message?.ToString()?.Contains("is now gated for", StringComparison.Ordinal) == true);
}
