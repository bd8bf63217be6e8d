using System.Collections.Immutable;
using Akka.Persistence;
using Akka.Persistence.Journal;
using Akka.Serialization;
using Microsoft.Data.Sqlite;

namespace ActorTrading.Journal;

/// <summary>
/// Writes a batch of journal rows to SQLite with one prepared statement in one transaction: the rows Akka.Persistence.Sql
/// writes (default table mapping, tags in the row), which its reads and queries then serve. The plugin's own SQLite
/// write path builds every multi-row INSERT as text through linq2db and runs twice as long as this (see the README's
/// journal benchmark); PostgreSQL keeps the plugin's path.
/// </summary>
public sealed class SqliteJournalWriter(string connectionString, Akka.Serialization.Serialization serialization, string writerUuid) : IDisposable
{
    private const string Insert =
        "INSERT INTO journal (created, deleted, persistence_id, sequence_number, message, tags, manifest, identifier, writer_uuid) "
        + "VALUES ($created, 0, $pid, $seq, $message, $tags, $manifest, $identifier, $writer)";

    private readonly Lock _gate = new();
    private SqliteConnection? _connection;

    /// <summary>
    /// Serializes and stores <paramref name="writes"/>. The answer has one entry per atomic write: null when stored, the
    /// exception when it was rejected (it could not be serialized; nothing of it is stored). A database error fails all.
    /// </summary>
    public IImmutableList<Exception?> Write(IReadOnlyList<AtomicWrite> writes, long createdTicks)
    {
        var rows = new List<Row>();
        var rejections = new Exception?[writes.Count];
        for (var i = 0; i < writes.Count; i++)
        {
            try
            {
                rows.AddRange(((IImmutableList<IPersistentRepresentation>)writes[i].Payload).Select(p => Serialize(p, createdTicks)).ToArray());
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                rejections[i] = e;
            }
        }

        // Serialization above runs beside another batch's commit; commits themselves take turns on the one connection.
        lock (_gate)
        {
            Commit(rows);
        }

        return ImmutableList.Create(rejections);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _connection?.Dispose();
        }
    }

    private void Commit(List<Row> rows)
    {
        var connection = Connection();
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = Insert;
        var created = command.Parameters.Add("$created", SqliteType.Integer);
        var pid = command.Parameters.Add("$pid", SqliteType.Text);
        var seq = command.Parameters.Add("$seq", SqliteType.Integer);
        var message = command.Parameters.Add("$message", SqliteType.Blob);
        var tags = command.Parameters.Add("$tags", SqliteType.Text);
        var manifest = command.Parameters.Add("$manifest", SqliteType.Text);
        var identifier = command.Parameters.Add("$identifier", SqliteType.Integer);
        command.Parameters.AddWithValue("$writer", writerUuid);
        command.Prepare();
        foreach (var row in rows)
        {
            created.Value = row.Created;
            pid.Value = row.PersistenceId;
            seq.Value = row.SequenceNr;
            message.Value = row.Message;
            tags.Value = row.Tags;
            manifest.Value = row.Manifest;
            identifier.Value = row.Identifier;
            command.ExecuteNonQuery();
        }

        transaction.Commit();
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
    private Row Serialize(IPersistentRepresentation representation, long createdTicks)
    {
        var (payload, tags) = representation.Payload is Tagged tagged ? (tagged.Payload, tagged.Tags) : (representation.Payload, ImmutableHashSet<string>.Empty);
        var serializer = serialization.FindSerializerFor(payload);
        var manifest = serializer switch
        {
            SerializerWithStringManifest withManifest => withManifest.Manifest(payload),
            { IncludeManifest: true } => Akka.Util.TypeExtensions.TypeQualifiedName(payload.GetType()),
            _ => string.Empty,
        };
        return new Row(representation.Timestamp == 0 ? createdTicks : representation.Timestamp, representation.PersistenceId, representation.SequenceNr,
            serializer.ToBinary(payload), tags.Count == 0 ? string.Empty : ";" + string.Join(';', tags) + ";", manifest, serializer.Identifier);
    }

    private sealed record Row(long Created, string PersistenceId, long SequenceNr, byte[] Message, string Tags, string Manifest, int Identifier);
}
