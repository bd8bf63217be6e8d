using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.TestExchange;
using Xunit;

namespace ActorTrading.Journal.Tests;

/// <summary>The soak's judge of orders: a fake venue's truth against the journal's orders, agreeing and not.</summary>
public sealed class VenueTruthSpecs
{
    private static readonly VenueId Venue = new("bybit");

    private static (OrderState, IReadOnlyList<JournalRecord>) Journaled(string id, params Func<ClientOrderId, IJournalEvent>[] after)
    {
        var clientOrderId = new ClientOrderId(id);
        IJournalEvent[] events =
        [
            new OrderEvents.Submitted(clientOrderId, "yq", Venue, MarketKind.Futures, new Symbol("BTCUSDT"), Side.Buy, OrderType.Limit, 0.002m, 60000m,
                TimeInForce.GoodTillCanceled, PostOnly: true, ReduceOnly: false, Timestamp: 1),
            .. after.Select(e => e(clientOrderId)),
        ];
        var records = events.Select((e, i) => new JournalRecord(i + 1, "order-" + id, i + 1, e)).ToArray();
        return AuditReport.Orders(records, new AuditFilter()).Single();
    }

    private static Func<ClientOrderId, IJournalEvent> Ack => id => new OrderEvents.Acknowledged(id, "v-" + id.Value, 2);

    private static Func<ClientOrderId, IJournalEvent> Fill(string trade, decimal size) =>
        id => new OrderEvents.FillRecorded(id, trade, 60000m, size, null, null, null, FillSource.WebSocket, null, 3);

    private static Func<ClientOrderId, IJournalEvent> Canceled => id => new OrderEvents.Canceled(id, "canceled", 4);

    [Fact]
    public void Orders_the_venue_and_the_journal_tell_alike_are_no_difference()
    {
        var venue = new[]
        {
            new FakeOrder("filled", "BTCUSDT", 0.002m, 60000m, 0.002m, Open: false, [("t1", 0.001m), ("t2", 0.001m)]),
            new FakeOrder("canceled", "BTCUSDT", 0.002m, 60000m, 0.001m, Open: false, [("t3", 0.001m)]),
            new FakeOrder("open", "BTCUSDT", 0.002m, 60000m, 0, Open: true, []),
        };
        var journal = new[]
        {
            Journaled("filled", Ack, Fill("t2", 0.001m), Fill("t1", 0.001m)),
            Journaled("canceled", Ack, Fill("t3", 0.001m), Canceled),
            Journaled("open", Ack),
            Journaled("refused", id => new OrderEvents.Rejected(id, "risk:max-open-orders", "four open", 2)),   // never sent
        };

        Assert.Empty(VenueTruth.Differences(venue, journal));
    }

    [Fact]
    public void An_order_unjournaled_a_fill_lost_or_twice_and_an_order_the_venue_never_took_are_each_named()
    {
        var venue = new[]
        {
            new FakeOrder("unjournaled", "BTCUSDT", 0.002m, 60000m, 0, Open: true, []),
            new FakeOrder("lost", "BTCUSDT", 0.002m, 60000m, 0.002m, Open: false, [("t5", 0.001m), ("t6", 0.001m)]),
            new FakeOrder("twice", "BTCUSDT", 0.002m, 60000m, 0.001m, Open: true, [("t7", 0.001m)]),
        };
        var journal = new[]
        {
            Journaled("lost", Ack, Fill("t5", 0.001m)),
            Journaled("twice", Ack, Fill("t7", 0.001m), Fill("t7", 0.001m)),
            Journaled("phantom", Ack),
        };

        Assert.Equal(
        [
            "unjournaled: the venue took it, the journal has no such order",
            "lost: fills [t5:0.001] in the journal, [t5:0.001 t6:0.001] at the venue",
            "lost: PartiallyFilled in the journal, filled at the venue (0.002 of 0.002 filled)",
            "twice: fills [t7:0.001 t7:0.001] in the journal, [t7:0.001] at the venue",
            "phantom: Acknowledged in the journal (0 filled), the venue never took it",
        ], VenueTruth.Differences(venue, journal));
    }
}
