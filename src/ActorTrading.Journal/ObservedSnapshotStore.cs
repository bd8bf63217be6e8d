using ActorTrading.Runtime.Replay;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Sql.Snapshot;

namespace ActorTrading.Journal;

/// <summary>
/// Akka.Persistence.Sql's snapshot store, with its loads and saves counted as work in flight for a replay's
/// <see cref="Quiescence"/> (a persistent actor's recovery starts with a snapshot load). Loads are
/// <see cref="JournalTableReader"/>'s (SQLite and PostgreSQL).
/// </summary>
public sealed class ObservedSnapshotStore(Config config) : SqlSnapshotStore(config)
{
    private readonly Quiescence _quiescence = Quiescence.For(Context.System);
    private readonly JournalTableReader? _reads = JournalTableReader.For(config, Context.System.Serialization);

    protected override Task<SelectedSnapshot?> LoadAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken) =>
        _quiescence.Track(() => _reads is { } reads
            ? Task.FromResult(reads.LatestSnapshot(persistenceId, criteria))
            : base.LoadAsync(persistenceId, criteria, cancellationToken));

    protected override Task SaveAsync(SnapshotMetadata metadata, object snapshot, CancellationToken cancellationToken) =>
        _quiescence.Track(() => base.SaveAsync(metadata, snapshot, cancellationToken));
}
