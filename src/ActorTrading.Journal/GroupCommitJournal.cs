using System.Collections.Immutable;
using ActorTrading.Runtime.Replay;
using ActorTrading.Runtime.Telemetry;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Sql.Journal;

namespace ActorTrading.Journal;

/// <summary>
/// Akka.Persistence.Sql's journal with group commit: the writes of many order actors that arrive while a commit is
/// running go to the database together, in one transaction.
/// </summary>
/// <remarks>
/// The plugin batches writes in an Akka Streams stage that only merges writes queued while its writer is busy. With
/// Microsoft.Data.Sqlite every "async" call completes synchronously, so the writer is never seen busy and every event
/// became its own transaction and its own fsync (≈ 2 k events/s). Here the journal actor holds the writes that arrive
/// while <c>max-commits-in-flight</c> commits run, then writes them as one batch, which the journal API allows ("the
/// batch is only for performance reasons"). Each persistent actor still has at most one write in flight,
/// so per-actor order is kept; a write's result (stored, rejected, failed) goes back to exactly the actor that sent it.
/// A batch is written by <see cref="JournalTableWriter"/> (SQLite: one prepared statement; PostgreSQL: one statement
/// over arrays) and recovery's reads are <see cref="JournalTableReader"/>'s; another provider would use the plugin's.
/// </remarks>
public sealed class GroupCommitJournal : SqlWriteJournal
{
    private readonly int _maxCommitsInFlight;
    private readonly int _maxEventsPerCommit;
    private readonly Queue<HeldWrite> _held = new();
    private readonly Dictionary<string, Task> _unfinishedByActor = new(StringComparer.Ordinal);
    private readonly Quiescence _quiescence = Quiescence.For(Context.System);
    private readonly KeyValuePair<string, object?> _store;
    private int _commitsInFlight;
    private bool _commitRequested;

    private readonly JournalTableWriter? _writer;
    private readonly JournalTableReader? _reads;

    public GroupCommitJournal(Config journalConfig) : base(journalConfig)
    {
        _writer = JournalTableWriter.For(journalConfig, Context.System.Serialization, Guid.NewGuid().ToString("N"));
        _reads = JournalTableReader.For(journalConfig, Context.System.Serialization);

        _maxCommitsInFlight = Math.Max(1, journalConfig.GetInt("group-commit.max-commits-in-flight", 1));
        _maxEventsPerCommit = Math.Max(1, journalConfig.GetInt("group-commit.max-events-per-commit", 500));
        _store = NodeTelemetry.Tag("store", _writer?.Store ?? "sql");
    }

    protected override void PreStart()
    {
        base.PreStart();
        Mailboxes.Watch(Self, "journal");
    }

    protected override Task<IImmutableList<Exception>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken)
    {
        var writes = messages.ToList();
        // Each write is serialized now, beside the running commit, so commits only insert.
        var write = new HeldWrite(writes, _writer?.Serialize(writes, DateTime.UtcNow.Ticks));
        _quiescence.BeginWork();   // ended once the write is answered
        _held.Enqueue(write);
        foreach (var atomicWrite in write.Writes)
        {
            _unfinishedByActor[atomicWrite.PersistenceId] = write.Result.Task;
        }

        RequestCommit();
        return write.Result.Task;
    }

    /// <summary>
    /// A restarting actor reads its highest sequence number only after its held or running write ends. The read is
    /// <see cref="JournalTableReader"/>'s: on PostgreSQL a round trip the journal actor does not wait for (every new
    /// order's recovery makes one, and the writes queued behind it would).
    /// </summary>
    public override Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken) =>
        _quiescence.Track(async () =>
        {
            if (_unfinishedByActor.TryGetValue(persistenceId, out var unfinished))
            {
                await unfinished.ContinueWith(static _ => { }, cancellationToken, TaskContinuationOptions.None, TaskScheduler.Default);
            }

            return _reads is { } reads
                ? await reads.HighestSequenceNrAsync(persistenceId, fromSequenceNr, cancellationToken)
                : await base.ReadHighestSequenceNrAsync(persistenceId, fromSequenceNr, cancellationToken);
        });

    /// <summary>
    /// Recovery reads count as work in flight for a replay's <see cref="Quiescence"/>. The events are
    /// <see cref="JournalTableReader"/>'s, read off the journal actor's thread so a long replay holds up no write.
    /// </summary>
    public override Task ReplayMessagesAsync(IActorContext context, string persistenceId, long fromSequenceNr, long toSequenceNr, long max,
        Action<IPersistentRepresentation> recoveryCallback) =>
        _quiescence.Track(() => _reads is { } reads
            ? Task.Run(() => reads.Replay(persistenceId, fromSequenceNr, toSequenceNr, max, recoveryCallback))
            : base.ReplayMessagesAsync(context, persistenceId, fromSequenceNr, toSequenceNr, max, recoveryCallback));

    protected override bool ReceivePluginInternal(object message)
    {
        switch (message)
        {
            case CommitHeldWrites:
                _commitRequested = false;
                CommitNext();
                return true;
            case CommitEnded ended:
                _commitsInFlight--;
                ForgetFinished(ended.Writes);
                RequestCommit();
                return true;
            default:
                return base.ReceivePluginInternal(message);
        }
    }

    /// <summary>
    /// Commits through a message to self, so every write already in the mailbox joins the batch before it goes.
    /// </summary>
    private void RequestCommit()
    {
        if (!_commitRequested && _held.Count > 0 && _commitsInFlight < _maxCommitsInFlight)
        {
            _commitRequested = true;
            Self.Tell(CommitHeldWrites.Instance);
        }
    }

    private void CommitNext()
    {
        if (_held.Count == 0 || _commitsInFlight >= _maxCommitsInFlight)
        {
            return;
        }

        var batch = new List<HeldWrite>();
        var events = 0;
        while (_held.Count > 0 && (batch.Count == 0 || events + _held.Peek().Events <= _maxEventsPerCommit))
        {
            var write = _held.Dequeue();
            batch.Add(write);
            events += write.Events;
        }

        _commitsInFlight++;
        Task<IImmutableList<Exception>> commit;
        try
        {
            // One caller's timeout (the circuit breaker's token) must not cancel the writes of the others in the batch.
            commit = _writer is { } writer
                ? writer.CommitAsync(batch.Select(w => w.Serialized!).ToList())!
                : base.WriteMessagesAsync(batch.SelectMany(w => w.Writes).ToList(), CancellationToken.None);
        }
        catch (Exception e)
        {
            commit = Task.FromException<IImmutableList<Exception>>(e);
        }

        NodeTelemetry.JournalCommitEvents.Record(events, _store);
        var self = Self;
        var quiescence = _quiescence;
        var store = _store;
        commit.ContinueWith(
            done =>
            {
                var outcome = NodeTelemetry.Tag("outcome", done.IsCompletedSuccessfully ? "stored" : "failed");
                foreach (var write in batch)
                {
                    NodeTelemetry.JournalWriteDuration.Record(NodeTelemetry.SecondsSince(write.ArrivedAt), store, outcome);
                }

                Answer(batch, done, quiescence);
                self.Tell(new CommitEnded(batch));
            },
            CancellationToken.None,
            // Answered on the thread that committed: queueing the answers as another work item would add a thread-pool
            // hop to every order's path to the venue.
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>
    /// Splits the plugin's answer for the batch back into one answer per original write. Each answer runs the
    /// journal's continuation inline (the results are plain promises), so its replies are in mailboxes before the
    /// write stops counting as work in flight, and a commit's answers cost no thread-pool hop each.
    /// </summary>
    private static void Answer(List<HeldWrite> batch, Task<IImmutableList<Exception>> commit, Quiescence quiescence)
    {
        var failure = commit.IsCompletedSuccessfully
            ? null
            : commit.Exception?.InnerExceptions.Count == 1
                ? commit.Exception.InnerException!
                : (Exception?)commit.Exception ?? new OperationCanceledException("journal commit canceled");
        var offset = 0;
        foreach (var write in batch)
        {
            if (failure is null)
            {
                write.Result.TrySetResult(RejectionsOf(commit.Result, offset, write.Writes.Count)!);
            }
            else
            {
                write.Result.TrySetException(failure);
            }

            offset += write.Writes.Count;
            quiescence.EndWork();
        }
    }

    /// <summary>One write's slice of the batch's rejections; null (the journal API's "all stored") when it has none.</summary>
    private static IImmutableList<Exception>? RejectionsOf(IImmutableList<Exception>? rejections, int offset, int count)
    {
        for (var i = offset; rejections is not null && i < offset + count; i++)
        {
            if (rejections[i] is not null)
            {
                return ImmutableList.CreateRange(rejections.Skip(offset).Take(count));
            }
        }

        return null;
    }

    protected override void PostStop()
    {
        Mailboxes.Forget(Self);
        base.PostStop();
        _writer?.Dispose();
    }

    private void ForgetFinished(List<HeldWrite> writes)
    {
        foreach (var write in writes)
        {
            foreach (var atomicWrite in write.Writes)
            {
                if (_unfinishedByActor.TryGetValue(atomicWrite.PersistenceId, out var latest) && latest == write.Result.Task)
                {
                    _unfinishedByActor.Remove(atomicWrite.PersistenceId);
                }
            }
        }
    }

    /// <summary>One write waiting for its commit: its atomic writes and their rows (null where the plugin writes).</summary>
    private sealed class HeldWrite(List<AtomicWrite> writes, JournalTableWriter.SerializedWrites? serialized)
    {
        public List<AtomicWrite> Writes { get; } = writes;

        public JournalTableWriter.SerializedWrites? Serialized { get; } = serialized;

        public int Events { get; } = writes.Sum(w => w.Size);

        /// <summary>When the write reached the journal (a <see cref="System.Diagnostics.Stopwatch"/> timestamp).</summary>
        public long ArrivedAt { get; } = System.Diagnostics.Stopwatch.GetTimestamp();

        public TaskCompletionSource<IImmutableList<Exception>> Result { get; } = new();
    }

    private sealed class CommitHeldWrites
    {
        public static readonly CommitHeldWrites Instance = new();
    }

    private sealed record CommitEnded(List<HeldWrite> Writes);
}
