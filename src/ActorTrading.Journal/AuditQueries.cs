using ActorTrading.Core.Orders;
using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace ActorTrading.Journal;

/// <summary>
/// Reads the journal through Akka.Persistence.Sql's read journal: every order event by its <c>order-event</c> tag, in
/// journal order. Works beside a running node (SQLite in WAL mode, or PostgreSQL).
/// </summary>
public static class AuditQueries
{
    public static async Task<IReadOnlyList<JournalRecord>> LoadAsync(ActorSystem system, string tag = OrderEventTags.All, CancellationToken ct = default)
    {
        var journal = PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);
        var envelopes = await journal.CurrentEventsByTag(tag, Offset.NoOffset())
            .RunWith(Sink.Seq<EventEnvelope>(), system.Materializer())
            .WaitAsync(ct)
            .ConfigureAwait(false);
        return envelopes
            .Where(e => e.Event is IJournalEvent)
            .Select(e => new JournalRecord(((Sequence)e.Offset).Value, e.PersistenceId, e.SequenceNr, (IJournalEvent)e.Event))
            .ToArray();
    }
}
