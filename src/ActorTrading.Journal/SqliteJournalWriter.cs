using System.Collections.Immutable;
using Microsoft.Data.Sqlite;

namespace ActorTrading.Journal;

/// <summary>
/// The journal's rows into SQLite: one prepared statement, kept for the connection's life, a batch per transaction.
/// Microsoft.Data.Sqlite runs every call synchronously, so a commit runs off the journal actor's thread.
/// </summary>
public sealed class SqliteJournalWriter(string connectionString, Akka.Serialization.Serialization serialization, string writerUuid)
    : JournalTableWriter(serialization, writerUuid)
{
    private const string Insert =
        "INSERT INTO journal (created, deleted, persistence_id, sequence_number, message, tags, manifest, identifier, writer_uuid) "
        + "VALUES ($created, 0, $pid, $seq, $message, $tags, $manifest, $identifier, $writer)";

    private readonly Lock _gate = new();
    private SqliteConnection? _connection;
    private InsertCommand? _insert;

    public override string Store => "sqlite";

    public override Task<IImmutableList<Exception?>> CommitAsync(IReadOnlyList<SerializedWrites> batch) => Task.Run(() => Commit(batch));

    /// <summary>
    /// Stores the rows of <paramref name="batch"/> in one transaction. The answer has one entry per atomic write, in
    /// order: null when stored, its rejection otherwise. A database error fails all and throws.
    /// </summary>
    private IImmutableList<Exception?> Commit(IReadOnlyList<SerializedWrites> batch)
    {
        lock (_gate)
        {
            try
            {
                var connection = Connection();
                using var transaction = connection.BeginTransaction();
                var insert = _insert ??= new InsertCommand(connection, WriterUuid);
                insert.Command.Transaction = transaction;
                foreach (var writes in batch)
                {
                    foreach (var row in writes.Rows)
                    {
                        insert.Execute(row);
                    }
                }

                transaction.Commit();
            }
            catch
            {
                // Start the next commit on a fresh connection: this one may be left in any state.
                Reset();
                throw;
            }
        }

        return Outcomes(batch);
    }

    public override void Dispose()
    {
        lock (_gate)
        {
            Reset();
        }
    }

    private void Reset()
    {
        _insert?.Command.Dispose();
        _insert = null;
        _connection?.Dispose();
        _connection = null;
    }

    private SqliteConnection Connection()
    {
        if (_connection is null)
        {
            _connection = new SqliteConnection(connectionString);
            _connection.Open();
        }

        return _connection;
    }

    /// <summary>The insert, prepared once for the connection's life; only the transaction changes per commit.</summary>
    private sealed class InsertCommand
    {
        private readonly SqliteParameter _created, _pid, _seq, _message, _tags, _manifest, _identifier;

        public InsertCommand(SqliteConnection connection, string writerUuid)
        {
            Command = connection.CreateCommand();
            Command.CommandText = Insert;
            _created = Command.Parameters.Add("$created", SqliteType.Integer);
            _pid = Command.Parameters.Add("$pid", SqliteType.Text);
            _seq = Command.Parameters.Add("$seq", SqliteType.Integer);
            _message = Command.Parameters.Add("$message", SqliteType.Blob);
            _tags = Command.Parameters.Add("$tags", SqliteType.Text);
            _manifest = Command.Parameters.Add("$manifest", SqliteType.Text);
            _identifier = Command.Parameters.Add("$identifier", SqliteType.Integer);
            Command.Parameters.AddWithValue("$writer", writerUuid);
        }

        public SqliteCommand Command { get; }

        public void Execute(Row row)
        {
            _created.Value = row.Created;
            _pid.Value = row.PersistenceId;
            _seq.Value = row.SequenceNr;
            _message.Value = row.Message;
            _tags.Value = row.Tags;
            _manifest.Value = row.Manifest;
            _identifier.Value = row.Identifier;
            Command.ExecuteNonQuery();
        }
    }
}
