using System.Data.Common;
using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ActorTrading.Journal;

/// <summary>
/// Recovery's reads straight from the tables Akka.Persistence.Sql writes with <c>table-mapping = default</c>, as
/// hocon.conf sets it (the same tables and columns on SQLite and PostgreSQL):
/// the latest snapshot, the highest sequence number and the events after the snapshot. Every order is a new persistent
/// actor whose recovery reads its highest sequence number (a new order has nothing to replay); through linq2db each
/// such read cost about as much as writing 35 journal rows (query tree built and compared per call), so a burst of new
/// orders spent more on finding nothing than on journaling (see the README's journal benchmark). A replay through the
/// plugin also materialized a stream per actor.
/// </summary>
public sealed class JournalTableReader(DbProviderFactory provider, string connectionString, Akka.Serialization.Serialization serialization)
{
    /// <summary>A reader for a journal or snapshot plugin section on SQLite or PostgreSQL; null on any other provider.</summary>
    public static JournalTableReader? For(Config pluginConfig, Akka.Serialization.Serialization serialization)
    {
        DbProviderFactory? factory = Is(pluginConfig, "SQLite") ? SqliteFactory.Instance : Is(pluginConfig, "PostgreSQL") ? NpgsqlFactory.Instance : null;
        return factory is null ? null : new JournalTableReader(factory, pluginConfig.GetString("connection-string"), serialization);
    }

    /// <summary>Whether the section's <c>provider-name</c> is one of linq2db's names for <paramref name="database"/> (e.g. <c>SQLite.MS</c>, <c>PostgreSQL.15</c>).</summary>
    internal static bool Is(Config pluginConfig, string database) =>
        pluginConfig.GetString("provider-name", "").StartsWith(database, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// As the plugin: the highest sequence number above <paramref name="fromSequenceNr"/>, deleted rows included (a
    /// delete keeps the last row). Asynchronous where the provider is (PostgreSQL: the round trip holds no thread);
    /// SQLite's in-process read completes at once.
    /// </summary>
    public async Task<long> HighestSequenceNrAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken)
    {
        await using var connection = Connection();
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, "SELECT MAX(sequence_number) FROM journal WHERE persistence_id = @pid AND sequence_number > @from",
            ("@pid", persistenceId), ("@from", fromSequenceNr));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long highest ? highest : 0;
    }

    /// <summary>
    /// As the plugin: the events from <paramref name="fromSequenceNr"/> to <paramref name="toSequenceNr"/> in order, at
    /// most <paramref name="max"/>, deleted ones skipped, each deserialized by the serializer its row names.
    /// </summary>
    public void Replay(string persistenceId, long fromSequenceNr, long toSequenceNr, long max, Action<IPersistentRepresentation> recoveryCallback) =>
        Read(
            "SELECT sequence_number, created, message, identifier, manifest, writer_uuid FROM journal "
            + "WHERE persistence_id = @pid AND sequence_number BETWEEN @from AND @to AND NOT deleted "
            + "ORDER BY sequence_number LIMIT @max",
            reader =>
            {
                while (reader.Read())
                {
                    var sequenceNr = reader.GetInt64(0);
                    if (reader.IsDBNull(3))
                    {
                        throw new SerializationException($"{persistenceId} #{sequenceNr}: journal row without a serializer identifier");
                    }

                    var manifest = TextOrEmpty(reader, 4);
                    var payload = serialization.Deserialize((byte[])reader.GetValue(2), reader.GetInt32(3), manifest);
                    recoveryCallback(new Persistent(payload, sequenceNr, persistenceId, manifest, false, ActorRefs.NoSender,
                        reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetInt64(1)));
                }

                return true;
            },
            ("@pid", persistenceId), ("@from", fromSequenceNr), ("@to", toSequenceNr), ("@max", max));

    /// <summary>The newest snapshot within <paramref name="criteria"/>, read as the plugin writes it (creation time in ticks).</summary>
    public SelectedSnapshot? LatestSnapshot(string persistenceId, SnapshotSelectionCriteria criteria) =>
        Read(
            "SELECT sequence_number, created, snapshot, serializer_id, manifest FROM snapshot "
            + "WHERE persistence_id = @pid AND sequence_number BETWEEN @minSeq AND @maxSeq AND created BETWEEN @minCreated AND @maxCreated "
            + "ORDER BY sequence_number DESC LIMIT 1",
            reader => reader.Read()
                ? new SelectedSnapshot(
                    new SnapshotMetadata(persistenceId, reader.GetInt64(0), new DateTime(reader.GetInt64(1))),
                    serialization.Deserialize((byte[])reader.GetValue(2), reader.GetInt32(3), TextOrEmpty(reader, 4)))
                : null,
            ("@pid", persistenceId), ("@minSeq", criteria.MinSequenceNr), ("@maxSeq", criteria.MaxSequenceNr),
            ("@minCreated", (criteria.MinTimestamp ?? DateTime.MinValue).Ticks), ("@maxCreated", criteria.MaxTimeStamp.Ticks));

    /// <summary>Runs one query on a pooled connection of its own (on SQLite each statement reads a committed WAL snapshot).</summary>
    private T Read<T>(string sql, Func<DbDataReader, T> read, params (string Name, object Value)[] parameters)
    {
        using var connection = Connection();
        connection.Open();
        using var command = Command(connection, sql, parameters);
        using var reader = command.ExecuteReader();
        return read(reader);
    }

    private DbConnection Connection()
    {
        var connection = provider.CreateConnection() ?? throw new InvalidOperationException($"{provider.GetType().Name} made no connection");
        connection.ConnectionString = connectionString;
        return connection;
    }

    private static DbCommand Command(DbConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private static string TextOrEmpty(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? string.Empty : reader.GetString(ordinal);
}
