using ActorTrading.Core.Errors;
using ActorTrading.Journal;
using ActorTrading.Node.Cli;
using Akka.Actor;

namespace ActorTrading.Node.Hosting;

/// <summary>
/// <c>/user/audit</c>: renders an audit of the node's own journal for <c>audit --node</c>, exactly as the command would
/// print it. Each audit reads on the thread pool; a failure is the answer's error, never the actor's.
/// </summary>
public sealed class NodeAudit : ReceiveActor
{
    public NodeAudit(JournalSettings journal)
    {
        Receive<AuditProtocol.RunAudit>(request => RenderAsync(journal, request).PipeTo(Sender));
    }

    public static Props Props(JournalSettings journal) => Akka.Actor.Props.Create(() => new NodeAudit(journal));

    private static async Task<AuditProtocol.AuditOutput> RenderAsync(JournalSettings journal, AuditProtocol.RunAudit request)
    {
        if (!Enum.TryParse<AuditFormat>(request.Format, ignoreCase: true, out var format))
        {
            return new AuditProtocol.AuditOutput("", null, 1, new ConfigurationError($"unknown format '{request.Format}' (table, csv, json)"));
        }

        using var output = new StringWriter();
        using var warnings = new StringWriter();
        try
        {
            var exit = await AuditCommand.RenderAsync(request.Report, request.Filter, format, journal, output, warnings, CancellationToken.None).ConfigureAwait(false);
            var warning = warnings.ToString().TrimEnd();
            return new AuditProtocol.AuditOutput(output.ToString(), warning.Length == 0 ? null : warning, exit);
        }
        catch (ExchangeException e)
        {
            return new AuditProtocol.AuditOutput("", null, 1, e.Error);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or IOException or InvalidOperationException)
        {
            return new AuditProtocol.AuditOutput("", null, 1, new JournalError($"the node could not read its journal ({journal.Describe()}): {e.Message}"));
        }
    }
}
