using System.Collections.Immutable;
using Akka.Persistence;
using Akka.Persistence.Journal;
using Akka.Serialization;
using Microsoft.Data.Sqlite;

namespace ActorTrading.Journal;

/// <summary>
/// Writes journal rows to SQLite with one prepared statement, a batch per transaction: the rows Akka.Persistence.Sql
/// writes (default table mapping, tags in the row), which its reads and queries then serve. The plugin's own SQLite
/// write path builds every multi-row INSERT as text through linq2db and runs twice as long as this (see the README's
/// journal benchmark); PostgreSQL keeps the plugin's path.
/// </summary>
/// <remarks>
/// Serializing and committing are separate steps so the journal serializes each write as it arrives, beside the
/// commit in progress: the one connection then spends its time on inserts only.
/// </remarks>
public sealed class SqliteJournalWriter(string connectionString, Akka.Serialization.Serialization serialization, string writerUuid) : IDisposable
{
    private const string Insert =
        "INSERT INTO journal (created, deleted, persistence_id, sequence_number, message, tags, manifest, identifier, writer_uuid) "
        + "VALUES ($created, 0, $pid, $seq, $message, $tags, $manifest, $identifier, $writer)";

    private readonly Lock _gate = new();
    private SqliteConnection? _connection;
    private InsertCommand? _insert;

    /// <summary>
    /// The rows of <paramref name="writes"/>, and for each atomic write the exception that rejects it when it cannot be
    /// serialized (nothing of it is stored).
    /// </summary>
    public SerializedWrites Serialize(IReadOnlyList<AtomicWrite> writes, long createdTicks)
    {
        var rows = new List<Row>(writes.Count);
        var rejections = new Exception?[writes.Count];
        for (var i = 0; i < writes.Count; i++)
        {
            var start = rows.Count;
            try
            {
                // Indexed: an immutable list's enumerator costs more than the row it yields.
                var representations = (IImmutableList<IPersistentRepresentation>)writes[i].Payload;
                for (var j = 0; j < representations.Count; j++)
                {
                    rows.Add(RowOf(representations[j], createdTicks));
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                rows.RemoveRange(start, rows.Count - start);   // an atomic write is stored whole or not at all
                rejections[i] = e;
            }
        }

        return new SerializedWrites(rows, rejections);
    }

    /// <summary>
    /// Stores the rows of <paramref name="batch"/> in one transaction. The answer has one entry per atomic write, in
    /// order: null when stored, its rejection otherwise. A database error fails all and throws.
    /// </summary>
    public IImmutableList<Exception?> Commit(IReadOnlyList<SerializedWrites> batch)
    {
        lock (_gate)
        {
            try
            {
                var connection = Connection();
                using var transaction = connection.BeginTransaction();
                var insert = _insert ??= new InsertCommand(connection, writerUuid);
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

        return ImmutableList.CreateRange(batch.SelectMany(w => w.Rejections));
    }

    public void Dispose()
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

    /// <summary>The row of one event, as the plugin builds it: tags as <c>;a;b;</c>, the payload by its bound serializer.</summary>
    private Row RowOf(IPersistentRepresentation representation, long createdTicks)
    {
        var (payload, tags) = representation.Payload is Tagged tagged ? (tagged.Payload, JournalTags.ColumnOf(tagged.Tags)) : (representation.Payload, string.Empty);
        var serializer = serialization.FindSerializerFor(payload);
        var manifest = serializer switch
        {
            SerializerWithStringManifest withManifest => withManifest.Manifest(payload),
            { IncludeManifest: true } => Akka.Util.TypeExtensions.TypeQualifiedName(payload.GetType()),
            _ => string.Empty,
        };
        return new Row(representation.Timestamp == 0 ? createdTicks : representation.Timestamp, representation.PersistenceId, representation.SequenceNr,
            serializer.ToBinary(payload), tags, manifest, serializer.Identifier);
    }

    /// <summary>Rows ready to insert and, per atomic write, its rejection (null when it serialized).</summary>
    public sealed record SerializedWrites(IReadOnlyList<Row> Rows, Exception?[] Rejections);

    public sealed record Row(long Created, string PersistenceId, long SequenceNr, byte[] Message, string Tags, string Manifest, int Identifier);

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
