using System.Collections.Immutable;
using Npgsql;
using NpgsqlTypes;

namespace ActorTrading.Journal;

/// <summary>
/// The journal's rows into PostgreSQL: a whole batch is one statement over arrays (<c>unnest</c>), one round trip and
/// its own transaction, prepared once per connection; rows keep the batch's order in the <c>ordering</c> column.
/// Commits may run side by side (<c>max-commits-in-flight</c>), each on a connection of the pool.
/// </summary>
public sealed class PostgresJournalWriter : JournalTableWriter
{
    private const string Insert =
        "INSERT INTO journal (created, deleted, persistence_id, sequence_number, message, tags, manifest, identifier, writer_uuid) "
        + "SELECT created, false, persistence_id, sequence_number, message, tags, manifest, identifier, $8 "
        + "FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bytea[], $5::text[], $6::text[], $7::integer[]) "
        + "WITH ORDINALITY AS row (created, persistence_id, sequence_number, message, tags, manifest, identifier, n) ORDER BY n";

    private readonly NpgsqlDataSource _dataSource;

    public PostgresJournalWriter(string connectionString, Akka.Serialization.Serialization serialization, string writerUuid)
        : base(serialization, writerUuid) =>
        // Prepared on each pooled connection at its second use, then reused for the connection's life.
        _dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 4, AutoPrepareMinUsages = 2 });

    public override string Store => "postgres";

    public override async Task<IImmutableList<Exception?>> CommitAsync(IReadOnlyList<SerializedWrites> batch)
    {
        var rows = batch.SelectMany(w => w.Rows).ToArray();
        if (rows.Length > 0)
        {
            await using var command = _dataSource.CreateCommand(Insert);
            command.Parameters.Add(Column(rows, NpgsqlDbType.Bigint, r => r.Created));
            command.Parameters.Add(Column(rows, NpgsqlDbType.Text, r => r.PersistenceId));
            command.Parameters.Add(Column(rows, NpgsqlDbType.Bigint, r => r.SequenceNr));
            command.Parameters.Add(Column(rows, NpgsqlDbType.Bytea, r => r.Message));
            command.Parameters.Add(Column(rows, NpgsqlDbType.Text, r => r.Tags));
            command.Parameters.Add(Column(rows, NpgsqlDbType.Text, r => r.Manifest));
            command.Parameters.Add(Column(rows, NpgsqlDbType.Integer, r => r.Identifier));
            command.Parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = WriterUuid });
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        return Outcomes(batch);
    }

    public override void Dispose() => _dataSource.Dispose();

    /// <summary>One column of the batch as a typed array parameter (<c>$1</c>…<c>$7</c> in <see cref="Insert"/>'s order).</summary>
    private static NpgsqlParameter<T[]> Column<T>(Row[] rows, NpgsqlDbType type, Func<Row, T> value) =>
        new() { NpgsqlDbType = NpgsqlDbType.Array | type, TypedValue = Array.ConvertAll(rows, r => value(r)) };
}
