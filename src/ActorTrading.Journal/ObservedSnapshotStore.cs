using ActorTrading.Runtime.Replay;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Sql.Snapshot;

namespace ActorTrading.Journal;

/// <summary>
/// Akka.Persistence.Sql's snapshot store, with its loads and saves counted as work in flight for a replay's
/// <see cref="Quiescence"/> (an order actor's recovery starts with a snapshot load). On SQLite loads are
/// <see cref="SqliteJournalReader"/>'s.
/// </summary>
public sealed class ObservedSnapshotStore(Config config) : SqlSnapshotStore(config)
{
    private readonly Quiescence _quiescence = Quiescence.For(Context.System);
    private readonly SqliteJournalReader? _sqlite = SqliteJournalReader.ConnectionStringOf(config) is { } sqlite
        ? new SqliteJournalReader(sqlite, Context.System.Serialization)
        : null;

    protected override Task<SelectedSnapshot?> LoadAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken) =>
        _quiescence.Track(() => _sqlite is { } sqlite
            ? Task.FromResult(sqlite.LatestSnapshot(persistenceId, criteria))
            : base.LoadAsync(persistenceId, criteria, cancellationToken));

    protected override Task SaveAsync(SnapshotMetadata metadata, object snapshot, CancellationToken cancellationToken) =>
        _quiescence.Track(() => base.SaveAsync(metadata, snapshot, cancellationToken));
}
