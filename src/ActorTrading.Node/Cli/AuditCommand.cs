using System.Globalization;
using System.Text;
using System.Text.Json;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Orders;
using ActorTrading.Journal;
using ActorTrading.Node.Hosting;

namespace ActorTrading.Node.Cli;

public enum AuditFormat
{
    Table,
    Csv,
    Json,
}

/// <summary>
/// <c>actortrading audit orders|fills|events|summary|verify</c>: reads the journal (read-only, so beside a running node
/// too) and prints rows as a table, CSV or JSON; with <c>--node</c> the node reads its own journal and sends the output.
/// </summary>
public static class AuditCommand
{
    public static readonly string[] Reports = ["orders", "fills", "events", "summary", "verify"];

    public static async Task<int> RunAsync(string report, AuditFilter filter, AuditFormat format, string? journalSpec, string? configPath,
        CliEnvironment environment, TextWriter output, CancellationToken ct, TextWriter? errors = null, string? node = null)
    {
        Check(report);
        if (node is not null)
        {
            if (journalSpec is not null)
            {
                throw new ExchangeException(new ConfigurationError("--node and --journal exclude each other: the node reads its own journal"));
            }

            return await ThroughNodeAsync(node, new AuditProtocol.RunAudit(report, filter, format.ToString().ToLowerInvariant()), output, errors, ct).ConfigureAwait(false);
        }

        var configuration = NodeHost.LoadConfiguration(configPath, environment.ConfigOverrides);
        var journal = JournalSettings.Parse(journalSpec ?? configuration["Journal:Store"], environment.Variable);
        return await RenderAsync(report, filter, format, journal, output, errors, ct).ConfigureAwait(false);
    }

    /// <summary>The node renders the audit of its journal; the command prints it as if it had read the journal itself.</summary>
    private static async Task<int> ThroughNodeAsync(string node, AuditProtocol.RunAudit request, TextWriter output, TextWriter? errors, CancellationToken ct)
    {
        await using var client = NodeClient.Connect(node, "actortrading-audit");
        var answer = await client.AskAsync<AuditProtocol.AuditOutput>("audit", request, ct).ConfigureAwait(false);
        if (answer.Error is { } error)
        {
            throw new ExchangeException(error);
        }

        await output.WriteAsync(answer.Output).ConfigureAwait(false);
        if (answer.Warning is { } warning && errors is not null)
        {
            await errors.WriteLineAsync(warning).ConfigureAwait(false);
        }

        return answer.ExitCode;
    }

    private static void Check(string report)
    {
        if (!Reports.Contains(report))
        {
            throw new ExchangeException(new ConfigurationError($"unknown audit '{report}' ({string.Join(", ", Reports)})"));
        }
    }

    /// <summary>One report of <paramref name="journal"/> to <paramref name="output"/> (a warning about unreadable rows to <paramref name="errors"/>).</summary>
    public static async Task<int> RenderAsync(string report, AuditFilter filter, AuditFormat format, JournalSettings journal, TextWriter output, TextWriter? errors, CancellationToken ct)
    {
        Check(report);
        journal.RequireExisting();
        var contents = await JournalRows.ReadAsync(journal, ct).ConfigureAwait(false);
        var (records, damaged) = contents;
        if (report == "verify")
        {
            var violations = contents.Violations();
            foreach (var violation in violations)
            {
                await output.WriteLineAsync(violation).ConfigureAwait(false);
            }

            var orders = records.Select(r => r.PersistenceId).Distinct().Count();
            await output.WriteLineAsync(violations.Count == 0
                ? $"journal OK: {orders} orders, {records.Count} events ({journal.Describe()})"
                : $"journal has {violations.Count} violation(s) in {orders} orders, {records.Count} events ({journal.Describe()})").ConfigureAwait(false);
            return violations.Count == 0 ? 0 : 1;
        }

        var (headers, rows) = report switch
        {
            "orders" => Orders(records, filter),
            "fills" => Fills(records, filter),
            "events" => Events(records, filter),
            _ => Summary(records, filter),
        };
        await output.WriteAsync(Render(headers, rows, format)).ConfigureAwait(false);
        if (damaged.Count > 0 && errors is not null)
        {
            await errors.WriteLineAsync($"warning: {damaged.Count} journal row(s) cannot be read and are left out ({damaged[0]}{(damaged.Count > 1 ? ", …" : string.Empty)}); audit verify lists them").ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary>The journal's order events (rows that cannot be read are left out: <c>audit verify</c> lists them).</summary>
    public static async Task<IReadOnlyList<JournalRecord>> LoadAsync(JournalSettings journal, CancellationToken ct) =>
        (await JournalRows.ReadAsync(journal, ct).ConfigureAwait(false)).Records;

    public static readonly string[] FillColumns =
        ["ts", "venue", "market", "symbol", "strategy", "clientOrderId", "orderId", "tradeId", "side", "price", "size", "fee", "feeCurrency", "liquidity", "source"];

    private static (string[], IEnumerable<string?[]>) Fills(IReadOnlyList<JournalRecord> records, AuditFilter filter) =>
        (FillColumns, AuditReport.FillRows(records, filter).Select(f => new[]
        {
            AuditReport.Time(f.Timestamp), f.Venue, f.Market, f.Symbol, f.Strategy, f.ClientOrderId, f.OrderId, f.TradeId, Side(f.Side),
            D(f.Price), D(f.Size), D(f.Fee), f.FeeCurrency, f.Liquidity?.ToString().ToLowerInvariant(), Source(f.Source),
        }));

    private static (string[], IEnumerable<string?[]>) Orders(IReadOnlyList<JournalRecord> records, AuditFilter filter) =>
        (["clientOrderId", "venue", "market", "symbol", "strategy", "side", "type", "size", "price", "status", "filledSize", "avgPrice", "fees", "orderId",
            "submittedAt", "acknowledgedAt", "firstFillAt", "lastFillAt", "cancelRequestedAt", "unknownAt", "finishedAt", "reason"],
        AuditReport.OrderRows(records, filter).Select(o => new[]
        {
            o.State.ClientOrderId.Value, o.State.Venue.Value, o.State.Market.ToString().ToLowerInvariant(), o.State.Symbol.Value, o.State.StrategyId,
            Side(o.State.Side), o.State.Type.ToString().ToLowerInvariant(), D(o.State.Size), D(o.State.Price), o.State.Status.ToString(), D(o.State.FilledSize),
            D(o.State.AveragePrice), D(o.State.Fees), o.State.VenueOrderId, T(o.SubmittedAt), T(o.AcknowledgedAt), T(o.FirstFillAt), T(o.LastFillAt),
            T(o.CancelRequestedAt), T(o.UnknownAt), T(o.FinishedAt), o.State.LastReason,
        }));

    private static (string[], IEnumerable<string?[]>) Events(IReadOnlyList<JournalRecord> records, AuditFilter filter)
    {
        var orders = AuditReport.Orders(records, filter).Select(o => OrderActor.PersistenceIdFor(o.State.ClientOrderId)).ToHashSet();
        // Time order, then order and sequence number: not the storage's insertion order, which concurrent order actors
        // decide by a race, so two replays of one capture print the same.
        return (["persistenceId", "sequenceNr", "manifest", "ts", "event"],
            records.Where(r => orders.Contains(r.PersistenceId) && filter.InTime(r.Event.Timestamp))
                .OrderBy(r => r.Event.Timestamp).ThenBy(r => r.PersistenceId, StringComparer.Ordinal).ThenBy(r => r.SequenceNr).Select(r => new[]
            {
                r.PersistenceId, r.SequenceNr.ToString(CultureInfo.InvariantCulture), r.Manifest,
                AuditReport.Time(r.Event.Timestamp), Encoding.UTF8.GetString(JournalSerializer.Serialize(r.Event)),
            }));
    }

    public static (string[] Headers, IEnumerable<string?[]> Rows) Summary(IReadOnlyList<JournalRecord> records, AuditFilter filter) =>
        (["venue", "symbol", "strategy", "orders", "fills", "volume", "notional", "fees", "realizedPnl", "openPosition"],
        AuditReport.Summary(records, filter).Select(s => new[]
        {
            s.Venue, s.Symbol, s.Strategy, s.Orders.ToString(CultureInfo.InvariantCulture), s.Fills.ToString(CultureInfo.InvariantCulture), D(s.Volume),
            D(s.Notional), string.Join(";", s.Fees.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{D(f.Value)} {f.Key}")), D(s.RealizedPnl), D(s.OpenPosition),
        }));

    public static string Render(string[] headers, IEnumerable<string?[]> rows, AuditFormat format)
    {
        var all = rows.ToArray();
        var text = new StringBuilder();
        switch (format)
        {
            case AuditFormat.Csv:
                text.AppendJoin(',', headers.Select(Csv)).Append('\n');
                foreach (var row in all)
                {
                    text.AppendJoin(',', row.Select(Csv)).Append('\n');
                }

                break;
            case AuditFormat.Json:
                var objects = all.Select(row => headers.Zip(row, (h, v) => (Header: h, Value: v)).ToDictionary(p => p.Header, p => p.Value)).ToArray();
                text.Append(JsonSerializer.Serialize(objects, new JsonSerializerOptions { WriteIndented = true })).Append('\n');
                break;
            default:
                var widths = headers.Select((h, i) => Math.Max(h.Length, all.Length == 0 ? 0 : all.Max(r => (r[i] ?? string.Empty).Length))).ToArray();
                text.AppendJoin("  ", headers.Select((h, i) => h.PadRight(widths[i]))).Append('\n');
                foreach (var row in all)
                {
                    text.AppendJoin("  ", row.Select((v, i) => (v ?? string.Empty).PadRight(widths[i]))).Append('\n');
                }

                text.Append(CultureInfo.InvariantCulture, $"({all.Length} rows)\n");
                break;
        }

        return text.ToString();
    }

    private static string Csv(string? value) =>
        value is null ? string.Empty
        : value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    private static string? D(decimal? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static string? T(long? unixMs) => unixMs is { } ms ? AuditReport.Time(ms) : null;

    private static string Side(Core.Market.Side side) => side == Core.Market.Side.Buy ? "buy" : "sell";

    private static string Source(FillSource source) => source switch
    {
        FillSource.WebSocket => "ws",
        FillSource.Rest => "rest",
        _ => "reconciliation",
    };
}
