using System.Data.Common;
using ActorTrading.Core.Orders;
using Microsoft.Data.Sqlite;

namespace ActorTrading.Journal;

/// <summary>A journal row the audit could not read as an order event: where it is and why.</summary>
public sealed record JournalDamage(string PersistenceId, long SequenceNr, string Reason)
{
    public override string ToString() => $"{PersistenceId} #{SequenceNr}: {Reason}";
}

/// <summary>The order events of a journal, in journal order, and every row that could not be read as one.</summary>
public sealed record JournalContents(IReadOnlyList<JournalRecord> Records, IReadOnlyList<JournalDamage> Damaged)
{
    /// <summary>What <c>audit verify</c> reports: each row that cannot be read, then each broken rule of the events read.</summary>
    public IReadOnlyList<string> Violations() => Damaged.Select(d => $"{d}: row cannot be read").Concat(AuditReport.Verify(Records)).ToArray();
}

/// <summary>
/// Reads the order actors' rows straight from the table Akka.Persistence.Sql writes (the same on SQLite and
/// PostgreSQL), deserializing each on its own: a row that does not decode (an unknown manifest, another serializer,
/// damaged bytes) is reported with its persistence id and sequence number, and the rest is read, where a read through
/// the plugin's query stream would stop at the first such row. No actor system, nothing written: it reads beside a
/// running node.
/// </summary>
public static class JournalRows
{
    private const string Query =
        "SELECT ordering, persistence_id, sequence_number, manifest, identifier, message FROM journal "
        + "WHERE deleted = false AND persistence_id LIKE 'order-%' ORDER BY ordering";

    public static async Task<JournalContents> ReadAsync(JournalSettings journal, CancellationToken ct)
    {
        await using var connection = Open(journal);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = Query;
        var records = new List<JournalRecord>();
        var damaged = new List<JournalDamage>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var (ordering, persistenceId, sequenceNr) = (reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2));
                var manifest = reader.IsDBNull(3) ? string.Empty : reader.GetString(3);
                if (reader.IsDBNull(4) || reader.GetInt32(4) != JournalSerializer.Id)
                {
                    damaged.Add(new JournalDamage(persistenceId, sequenceNr, $"written by serializer {(reader.IsDBNull(4) ? "(none)" : reader.GetInt32(4))}, not the journal's ({JournalSerializer.Id})"));
                    continue;
                }

                try
                {
                    var e = JournalSerializer.Deserialize((byte[])reader.GetValue(5), manifest) as IJournalEvent
                        ?? throw new System.Runtime.Serialization.SerializationException($"{manifest} is not an order event");
                    records.Add(new JournalRecord(ordering, persistenceId, sequenceNr, e));
                }
                catch (Exception bad) when (bad is System.Runtime.Serialization.SerializationException or System.Text.Json.JsonException or NotSupportedException or InvalidOperationException)
                {
                    damaged.Add(new JournalDamage(persistenceId, sequenceNr, $"{manifest}: {bad.Message.ReplaceLineEndings(" ")}"));
                }
            }
        }
        catch (DbException e) when (e.Message.Contains("no such table", StringComparison.OrdinalIgnoreCase) || e.SqlState == "42P01")
        {
            // A journal no node has written to yet: no table, no orders.
        }

        return new JournalContents(records, damaged);
    }

    private static DbConnection Open(JournalSettings journal) => journal.Provider == JournalProvider.Sqlite
        ? new SqliteConnection(new SqliteConnectionStringBuilder(journal.ConnectionString) { Mode = SqliteOpenMode.ReadOnly }.ToString())
        : new Npgsql.NpgsqlConnection(journal.ConnectionString);
}
