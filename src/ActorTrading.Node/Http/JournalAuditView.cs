using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Journal;
using ActorTrading.Node.Cli;

namespace ActorTrading.Node.Http;

/// <summary>
/// <c>/api/audit</c>: the journal's audit as JSON, read beside the running node the way <c>audit</c> reads it —
/// <c>audit verify</c>'s verdict over the whole journal and <c>audit summary</c>'s rows (amounts as exact decimal
/// strings) for a filter, this run's orders unless <c>run=all</c> or another run id is asked for. Reads are shared
/// for a moment, so a dashboard and a scraper asking together read the journal once.
/// </summary>
public sealed class JournalAuditView(JournalSettings journal, RunId run, TimeProvider clock)
{
    private static readonly TimeSpan Reuse = TimeSpan.FromSeconds(2);
    private readonly SemaphoreSlim _reading = new(1, 1);
    private (DateTimeOffset At, JournalContents Contents)? _last;

    /// <summary>The audit for the query's filter (<c>run</c>, <c>venue</c>, <c>symbol</c>, <c>strategy</c>, <c>from</c>, <c>to</c>).</summary>
    /// <exception cref="ExchangeException">A filter that does not parse (a <see cref="ConfigurationError"/>), or a journal that cannot be read.</exception>
    public async Task<AuditJson> ReadAsync(Func<string, string?> query, CancellationToken ct)
    {
        var filter = FilterOf(query);
        var contents = await ContentsAsync(ct).ConfigureAwait(false);
        var violations = contents.Violations();
        var (headers, rows) = AuditCommand.Summary(contents.Records, filter);
        return new AuditJson(journal.Describe(), filter.RunId, violations.Count == 0, contents.Records.Select(r => r.PersistenceId).Distinct().Count(),
            contents.Records.Count, violations, rows.Select(row => headers.Zip(row, (name, value) => (name, value)).ToDictionary(c => c.name, c => c.value)).ToArray());
    }

    private AuditFilter FilterOf(Func<string, string?> query)
    {
        try
        {
            var runId = query("run") switch
            {
                null or "" => run.Value,
                "all" => null,
                var id => id,
            };
            return new AuditFilter(query("venue"), query("symbol"), query("strategy"), From: AuditFilter.ParseTime(query("from")), To: AuditFilter.ParseTime(query("to")),
                RunId: runId);
        }
        catch (FormatException e)
        {
            throw new ExchangeException(new ConfigurationError(e.Message));
        }
    }

    private async Task<JournalContents> ContentsAsync(CancellationToken ct)
    {
        await _reading.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_last is { } last && clock.GetUtcNow() - last.At < Reuse)
            {
                return last.Contents;
            }

            journal.RequireExisting();
            var contents = await JournalRows.ReadAsync(journal, ct).ConfigureAwait(false);
            _last = (clock.GetUtcNow(), contents);
            return contents;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or IOException or InvalidOperationException)
        {
            throw new ExchangeException(new JournalError($"the node could not read its journal ({journal.Describe()}): {e.Message}"));
        }
        finally
        {
            _reading.Release();
        }
    }

    /// <summary>What <c>/api/audit</c> answers: whether the journal passes <c>audit verify</c>, and the summary rows (as <c>audit summary --format json</c>).</summary>
    public sealed record AuditJson(string Journal, string? Run, bool Ok, int Orders, int Events, IReadOnlyList<string> Violations,
        IReadOnlyList<Dictionary<string, string?>> Summary);
}
