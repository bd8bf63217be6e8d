using System.Collections.Immutable;
using System.Text;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Exchanges;
using ActorTrading.Exchanges.Kraken;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using Xunit;

namespace ActorTrading.Journal.Tests;

public sealed class JournalSerializerSpecs() : TestKit(ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "hocon.conf"))))
{
    private static readonly ClientOrderId Id = new("quoter-000017");

    public static TheoryData<object, string> EveryJournalType() => new()
    {
        { new OrderEvents.Submitted(Id, "quoter", VenueId.KuCoin, MarketKind.Futures, new Symbol("XBTUSDTM"), Side.Sell, OrderType.Limit, 3, 67158.4m, TimeInForce.ImmediateOrCancel, true, false, 1729163001000, "3lwlcjf9v9"), "order-submitted.v3" },
        { new OrderEvents.Submitted(Id, "quoter", VenueId.KuCoin, MarketKind.Futures, new Symbol("XBTUSDTM"), Side.Sell, OrderType.Market, 3, null, TimeInForce.GoodTillCanceled, false, true, 1729163001000, "3lwlcjf9v9", new StopTrigger(TriggerDirection.FallsTo, 60000.5m, TriggerPrice.Mark)), "order-submitted.v3" },
        { new OrderEvents.Acknowledged(Id, "234125150956625920", 1729163001100), "order-acknowledged.v1" },
        { new OrderEvents.Rejected(Id, "risk:max-notional", "notional 540000 exceeds the limit 500000", 1729163001100), "order-rejected.v1" },
        { new OrderEvents.FillRecorded(Id, "1722000000123", 67158.4m, 3, 0.0201475m, "USDT", Liquidity.Maker, FillSource.WebSocket, "234125150956625920", 1729163001780), "fill-recorded.v1" },
        { new OrderEvents.FillRecorded(Id, "t-2", 1.000000000000000001m, 0.5m, null, null, null, FillSource.Reconciliation, null, 1), "fill-recorded.v1" },
        { new OrderEvents.CancelRequested(Id, 1729163002000), "cancel-requested.v1" },
        { new OrderEvents.Canceled(Id, "canceled on request", 1729163002100), "order-canceled.v1" },
        { new OrderEvents.Expired(Id, 1729163002100), "order-expired.v1" },
        { new OrderEvents.Amended(Id, 67100m, null, "new-id", 1729163002200), "order-amended.v1" },
        { new OrderEvents.StatusUnknown(Id, "place: no reply within 5 s", 1729163002300), "status-unknown.v1" },
        { new OrderEvents.Reconciled(Id, OrderLifecycle.Canceled, 1.5m, "234125150956625920", 1729163002400), "order-reconciled.v1" },
        {
            new OrderState(Id, "quoter", VenueId.KuCoin, MarketKind.Futures, new Symbol("XBTUSDTM"), Side.Buy, OrderType.Limit, 3, 67158.4m, OrderLifecycle.PartiallyFilled,
                "234125150956625920", 1, 67158.4m, 0.02m, ["t-1"], true, 1, 2, null, "3lwlcjf9v9"),
            "order-state.v2"
        },
    };

    [Theory]
    [MemberData(nameof(EveryJournalType))]
    public void Every_event_and_snapshot_round_trips_through_the_bound_serializer_with_its_manifest(object value, string manifest)
    {
        var serializer = Sys.Serialization.FindSerializerFor(value);
        Assert.IsType<JournalSerializer>(serializer);
        Assert.Equal(4117, serializer.Identifier);
        Assert.Equal(manifest, Akka.Serialization.Serialization.ManifestFor(serializer, value));

        var back = ((JournalSerializer)serializer).FromBinary(serializer.ToBinary(value), manifest);
        if (value is OrderState state)
        {
            var read = Assert.IsType<OrderState>(back);
            Assert.Equal(state with { TradeIds = ImmutableSortedSet<string>.Empty }, read with { TradeIds = ImmutableSortedSet<string>.Empty });
            Assert.Equal(state.TradeIds, read.TradeIds);
        }
        else
        {
            Assert.Equal(value, back);
        }
    }

    [Fact]
    public void Every_manifest_is_covered_and_an_unknown_one_is_a_clear_error()
    {
        Assert.Equal(EveryJournalType().Select(row => (string)row[1]).Concat(["order-submitted.v1", "order-submitted.v2", "order-state.v1"]).Distinct().Order(), JournalSerializer.Manifests.Order());
        var e = Assert.Throws<System.Runtime.Serialization.SerializationException>(() => JournalSerializer.Deserialize("{}"u8, "fill-recorded.v9"));
        Assert.Equal("unknown journal manifest 'fill-recorded.v9'", e.Message);
    }

    [Fact]
    public void A_v1_fill_written_by_an_earlier_build_still_reads()
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "fixtures", "journal", "fill-recorded.v1.json"));
        var fill = Assert.IsType<OrderEvents.FillRecorded>(JournalSerializer.Deserialize(bytes, "fill-recorded.v1"));
        Assert.Equal(new OrderEvents.FillRecorded(Id, "1722000000123", 67158.4m, 3, 0.0201475m, "USDT", Liquidity.Maker, FillSource.WebSocket, "234125150956625920", 1729163001780), fill);
    }

    [Fact]
    public void A_v1_submitted_row_from_before_run_ids_still_reads_with_no_run()
    {
        // A v1 row is the v2 shape without runId (nulls are not written).
        var v1 = JournalSerializer.Serialize(new OrderEvents.Submitted(
            Id, "quoter", VenueId.KuCoin, MarketKind.Futures, new Symbol("XBTUSDTM"), Side.Sell, OrderType.Limit, 3, 67158.4m, TimeInForce.GoodTillCanceled, false, false, 1729163001000));
        Assert.DoesNotContain("runId", Encoding.UTF8.GetString(v1), StringComparison.Ordinal);
        var submitted = Assert.IsType<OrderEvents.Submitted>(JournalSerializer.Deserialize(v1, "order-submitted.v1"));
        Assert.Equal((Id, 67158.4m, 1729163001000L, (string?)null), (submitted.ClientOrderId, submitted.Price!.Value, submitted.Timestamp, submitted.RunId));
        Assert.Null(OrderState.Start(submitted).RunId);
        Assert.Contains("\"runId\":\"r1\"", Encoding.UTF8.GetString(JournalSerializer.Serialize(submitted with { RunId = "r1" })), StringComparison.Ordinal);
    }

    [Fact]
    public void A_v2_submitted_row_from_before_stop_orders_reads_as_an_order_without_a_trigger_and_a_stop_is_written_by_name()
    {
        // A v2 row is the v3 shape without a stop (nulls are not written).
        var v2 = JournalSerializer.Serialize(new OrderEvents.Submitted(
            Id, "quoter", VenueId.KuCoin, MarketKind.Futures, new Symbol("XBTUSDTM"), Side.Sell, OrderType.Limit, 3, 67158.4m, TimeInForce.GoodTillCanceled, false, false, 1729163001000, "3lwlcjf9v9"));
        Assert.DoesNotContain("stop", Encoding.UTF8.GetString(v2), StringComparison.Ordinal);
        var submitted = Assert.IsType<OrderEvents.Submitted>(JournalSerializer.Deserialize(v2, "order-submitted.v2"));
        Assert.Equal(("3lwlcjf9v9", (StopTrigger?)null), (submitted.RunId, submitted.Stop));

        var stop = Encoding.UTF8.GetString(JournalSerializer.Serialize(submitted with { Stop = new StopTrigger(TriggerDirection.FallsTo, 60000.5m, TriggerPrice.Mark) }));
        Assert.EndsWith(""","stop":{"direction":"FallsTo","price":"60000.5","source":"Mark"}}""", stop, StringComparison.Ordinal);
    }

    [Fact]
    public void Rows_keep_decimals_exact_as_strings()
    {
        var json = Encoding.UTF8.GetString(JournalSerializer.Serialize(new OrderEvents.FillRecorded(Id, "t", 0.1m + 0.2m, 1.000000000000000001m, null, null, null, FillSource.Rest, null, 5)));
        Assert.Equal("""{"clientOrderId":"quoter-000017","tradeId":"t","price":"0.3","size":"1.000000000000000001","source":"Rest","timestamp":5}""", json);
    }

    [Fact]
    public void Client_order_ids_of_different_strategy_and_request_pairs_never_meet()
    {
        Assert.Equal("desk-a-1", ClientOrderIds.For("desk", "a-1").Value);
        var dashed = ClientOrderIds.For("desk-a", "1");
        Assert.NotEqual(ClientOrderIds.For("desk", "a-1"), dashed);   // a strategy id with '-' gets the hashed form
        Assert.Matches("^deska-[0-9a-f]{30}$", dashed.Value);
        Assert.Equal(dashed, ClientOrderIds.For("desk-a", "1"));
    }

    [Theory]
    [InlineData("quoter", "17", "quoter-17")]
    [InlineData("a strategy with spaces", "r/1", "astrategyw-")]
    [InlineData("quoter", "a-request-id-that-is-far-too-long-for-any-venue", "quoter-")]
    public void Client_order_ids_are_deterministic_and_fit_every_venue(string strategy, string request, string prefix)
    {
        var id = ClientOrderIds.For(strategy, request);
        Assert.StartsWith(prefix, id.Value);
        Assert.InRange(id.Value.Length, 1, 36);
        Assert.Matches("^[A-Za-z0-9_-]+$", id.Value);
        Assert.Equal(id, ClientOrderIds.For(strategy, request));
        Assert.NotEqual(id, ClientOrderIds.For(strategy, request + "x"));
    }

    [Fact]
    public void A_strategys_ids_fit_krakens_eighteen_characters_and_every_other_venue_keeps_its_ids()
    {
        // A strategy's request ids are {run}-{n}: "kquoter-3lz7yi742x-17" is 21 characters, which Kraken refuses.
        var kraken = ClientOrderIds.For("kquoter", "3lz7yi742x-17", new VenueId("kraken"));
        Assert.Matches("^kquo-[A-Za-z0-9_-]{13}$", kraken.Value);
        Assert.True(KrakenOrderEntryAdapter.Rule.Allows(kraken));
        Assert.Equal(kraken, ClientOrderIds.For("kquoter", "3lz7yi742x-17", new VenueId("kraken")));
        Assert.NotEqual(kraken, ClientOrderIds.For("kquoter", "3lz7yi742x-18", new VenueId("kraken")));
        Assert.Equal("kq-3lz7yi742x-17", ClientOrderIds.For("kq", "3lz7yi742x-17", new VenueId("kraken")).Value);   // short enough: readable

        foreach (var module in ExchangeCatalog.Modules.OfType<IOrderEntryModule>())
        {
            var id = ClientOrderIds.For("a_long_strategy", "3lz7yi742x-123456", module.Venue);
            Assert.True(module.ClientOrderIds.Allows(id), $"{module.Venue} {module.Market}: {id}");
            Assert.True(module.ClientOrderIds.Allows(ClientOrderIds.For("quoter", "3lz7yi742x-17", module.Venue)));
        }

        // Venues taking 36 or more keep the ids they had (a retried placement after an upgrade finds its order).
        Assert.Equal("quoter-3lz7yi742x-17", ClientOrderIds.For("quoter", "3lz7yi742x-17", VenueId.KuCoin).Value);
        Assert.Equal(ClientOrderIds.For("a strategy with spaces", "r/1"), ClientOrderIds.For("a strategy with spaces", "r/1", new VenueId("binance")));
        Assert.Equal(ClientOrderIds.For("quoter", "1"), ClientOrderIds.For("quoter", "1", new VenueId("paper-only")));
    }
}
