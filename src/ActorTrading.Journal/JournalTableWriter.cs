using System.Collections.Immutable;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Journal;
using Akka.Serialization;

namespace ActorTrading.Journal;

/// <summary>
/// Writes journal rows straight to the table Akka.Persistence.Sql reads (<c>table-mapping = default</c>, tags in the
/// row as <c>;a;b;</c>): the same rows its own write path makes, which its reads and queries then serve. Through the
/// plugin every commit went through linq2db (SQLite: a multi-row INSERT built as text, twice as long as a prepared
/// statement; PostgreSQL: a connection, a transaction and a binary COPY, several round trips for one order's event).
/// </summary>
/// <remarks>
/// Serializing and committing are separate steps so the journal serializes each write as it arrives, beside the
/// commit in progress: the commit then spends its time on the database only.
/// </remarks>
public abstract class JournalTableWriter(Akka.Serialization.Serialization serialization, string writerUuid) : IDisposable
{
    /// <summary>The writer for a journal plugin section on SQLite or PostgreSQL; null on any other provider.</summary>
    public static JournalTableWriter? For(Config journalConfig, Akka.Serialization.Serialization serialization, string writerUuid)
    {
        var connectionString = journalConfig.GetString("connection-string");
        return JournalTableReader.Is(journalConfig, "SQLite") ? new SqliteJournalWriter(connectionString, serialization, writerUuid)
            : JournalTableReader.Is(journalConfig, "PostgreSQL") ? new PostgresJournalWriter(connectionString, serialization, writerUuid)
            : null;
    }

    /// <summary>The store's name in the journal's metrics.</summary>
    public abstract string Store { get; }

    /// <summary>Stamped on every row, as the plugin stamps its writer's.</summary>
    protected string WriterUuid { get; } = writerUuid;

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
    /// order: null when stored, its rejection otherwise. A database error fails all.
    /// </summary>
    public abstract Task<IImmutableList<Exception?>> CommitAsync(IReadOnlyList<SerializedWrites> batch);

    public abstract void Dispose();

    /// <summary>The answer to a stored batch: each atomic write's rejection, or null.</summary>
    protected static IImmutableList<Exception?> Outcomes(IReadOnlyList<SerializedWrites> batch) =>
        ImmutableList.CreateRange(batch.SelectMany(w => w.Rejections));

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
}
