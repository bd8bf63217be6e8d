using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Exchanges.Binance.Rest;
using ActorTrading.Exchanges.KuCoin;
using ActorTrading.Exchanges.KuCoin.Rest;
using ActorTrading.Runtime.Limits;
using ActorTrading.Runtime.Orders;
using ActorTrading.Runtime.Rest;
using ActorTrading.Runtime.Venues;
using ActorTrading.TestExchange;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using Xunit;
using Xunit.Abstractions;

namespace ActorTrading.Runtime.Tests;

/// <summary>
/// Instrument rules: what each venue's list says, the catalog that loads and refreshes it from the venue (WireMock), and
/// order entry refusing, unsent, what breaks them.
/// </summary>
public sealed class InstrumentSpecs(ITestOutputHelper output) : TestKit(output: output), IDisposable
{
    private static readonly Symbol Xbt = new("XBTUSDTM");
    private readonly FakeKuCoinRest _venue = new();
    private readonly HttpClient _http = new();

    /// <summary>Binance USDⓈ-M BTCUSDT: 0.1 tick, 0.001 step and minimum, 1,000 maximum, 100 USDT notional.</summary>
    private static readonly InstrumentSpec BtcUsdt = new(new Symbol("BTCUSDT"), 0.1m, 0.001m, 0.001m, 1m) { MaxSize = 1000m, MinNotional = 100m };

    private static OrderTicket Order(decimal size, decimal? price, OrderType type = OrderType.Limit) =>
        new(new ClientOrderId("c-1"), BtcUsdt.Symbol, Side.Buy, type, size, price);

    [Theory]
    [InlineData(0.002, 60000.1, null)]
    [InlineData(0.002, 60000.15, "price 60000.15 is not a multiple of BTCUSDT's tick size 0.1")]
    [InlineData(0.0025, 60000.1, "size 0.0025 is not a multiple of BTCUSDT's lot step 0.001")]
    [InlineData(0.0005, 60000, "size 0.0005 is below BTCUSDT's minimum 0.001")]
    [InlineData(1000.001, 60000, "size 1000.001 is above BTCUSDT's maximum 1000")]
    [InlineData(0.001, 60000, "notional 60.000 is below BTCUSDT's minimum 100")]
    [InlineData(0.002, 50000, null)]
    public void Rules_refuse_what_the_venue_would_refuse(double size, double price, string? refusal) =>
        Assert.Equal(refusal, BtcUsdt.Refusal(Order((decimal)size, (decimal)price)));

    [Fact]
    public void A_market_order_has_no_price_to_check_and_a_stop_price_is_on_the_tick_too()
    {
        Assert.Null(BtcUsdt.Refusal(Order(0.001m, null, OrderType.Market)));   // its notional is the venue's to check at fill
        Assert.Equal("stop price 59000.05 is not a multiple of BTCUSDT's tick size 0.1",
            BtcUsdt.Refusal(Order(0.002m, 60000m) with { Stop = new StopTrigger(TriggerDirection.FallsTo, 59000.05m) }));
        Assert.Equal("BTCUSDT is not trading at the venue", (BtcUsdt with { Trading = false }).Refusal(Order(0.002m, 60000m)));
        Assert.Equal((1, 3), (BtcUsdt.PricePrecision, BtcUsdt.SizePrecision));
        Assert.Equal((6, 0), ((BtcUsdt with { TickSize = 0.00000100m }).PricePrecision, (BtcUsdt with { LotStep = 1m }).SizePrecision));
    }

    [Fact]
    public void Each_venue_list_reads_into_the_rules_with_their_contract_sizes()
    {
        static IReadOnlyList<InstrumentSpec> Read(IInstrumentAdapter adapter, string body, bool envelope) =>
            adapter.Read(envelope ? JsonDocument.Parse(body).RootElement.GetProperty("data") : JsonDocument.Parse(body).RootElement);

        var futures = Read(new KuCoinInstruments(MarketKind.Futures), Fixtures.KuCoin("futures_rest_GET_api_v1_contracts_active.response.json"), true);
        Assert.Equal(new InstrumentSpec(Xbt, 0.1m, 1m, 1m, 0.001m) { MaxSize = 1000000m }, Assert.Single(futures));

        var spot = Read(new KuCoinInstruments(MarketKind.Spot), Fixtures.KuCoin("spot_rest_GET_api_v2_symbols.response.json"), true);
        Assert.Equal(new InstrumentSpec(new Symbol("BTC-USDT"), 0.1m, 0.00000001m, 0.00001m, 1m) { MaxSize = 10000000000m, MinNotional = 0.1m }, Assert.Single(spot));

        var inverse = Read(new KuCoinInstruments(MarketKind.Futures), FakeInstruments.KuCoinFutures([new("XBTUSDM", 0.1m, 1m, -1m, "Paused")]), true);
        Assert.Equal((1m, false), (inverse[0].ContractSize, inverse[0].Trading));

        var binance = Read(new BinanceInstruments(MarketKind.Futures), FakeInstruments.Binance(true, FakeInstruments.BinanceFuturesDefaults), false);
        Assert.Equal(new InstrumentSpec(new Symbol("BTCUSDT"), 0.1m, 0.001m, 0.001m, 1m) { MaxSize = 9000m, MinNotional = 100m }, binance[0]);
        var binanceSpot = Read(new BinanceInstruments(MarketKind.Spot), FakeInstruments.Binance(false, [new("ETHUSDT", 0.01m, 0.0001m, 0.0001m, 5m, "BREAK")]), false);
        Assert.Equal(new InstrumentSpec(new Symbol("ETHUSDT"), 0.01m, 0.0001m, 0.0001m, 1m) { MaxSize = 9000m, MinNotional = 5m, Trading = false }, binanceSpot[0]);
        Assert.Equal(("/api/v3/exchangeInfo", 20), (new BinanceInstruments(MarketKind.Spot).Request.Path, new BinanceInstruments(MarketKind.Spot).Request.Weight));
    }

    [Fact]
    public void The_catalog_says_it_has_no_rules_while_the_venue_fails_and_publishes_them_once_loaded()
    {
        // The client retries a GET once: two 500s fail the first load.
        var answers = new Queue<(int, string)>([(500, "oops"), (500, "oops"), (200, FakeInstruments.KuCoinFutures(FakeInstruments.KuCoinFuturesDefaults))]);
        ServeContracts(() => answers.Count > 1 ? answers.Dequeue() : answers.Peek());
        var catalog = Catalog(new InstrumentCatalogSettings { RetryMin = TimeSpan.FromMilliseconds(100) });
        catalog.Tell(InstrumentCatalogProtocol.Subscribe.Instance);

        var missing = ExpectMsg<InstrumentCatalogProtocol.Unavailable>(TimeSpan.FromSeconds(10));
        Assert.Equal((VenueId.KuCoin, MarketKind.Futures), (missing.Venue, missing.Market));
        var loaded = ExpectMsg<InstrumentCatalogProtocol.Instruments>(TimeSpan.FromSeconds(10));
        Assert.Equal(6, loaded.BySymbol.Count);
        Assert.Equal(new InstrumentSpec(new Symbol("ETHUSDTM"), 0.01m, 1m, 1m, 0.01m) { MaxSize = 1000000m }, loaded.BySymbol[new Symbol("ETHUSDTM")]);

        // A later subscriber hears the list at once.
        var late = CreateTestProbe();
        catalog.Tell(InstrumentCatalogProtocol.Subscribe.Instance, late);
        Assert.Same(loaded, late.ExpectMsg<InstrumentCatalogProtocol.Instruments>());
    }

    [Fact]
    public void A_refresh_brings_the_venues_new_rules_and_a_failed_one_keeps_the_last()
    {
        var calls = 0;
        ServeContracts(() => Interlocked.Increment(ref calls) switch
        {
            1 => (200, FakeInstruments.KuCoinFutures([new("XBTUSDTM", 0.1m, 1m, 0.001m)])),
            2 => (200, """{"code":"200000","data":[{"symbol":"XBTUSDTM"}]}"""),   // truncated: not taken
            _ => (200, FakeInstruments.KuCoinFutures([new("XBTUSDTM", 1m, 1m, 0.001m)])),
        });
        var catalog = Catalog(new InstrumentCatalogSettings { Refresh = TimeSpan.FromMilliseconds(300), RetryMin = TimeSpan.FromMilliseconds(300) });
        catalog.Tell(InstrumentCatalogProtocol.Subscribe.Instance);

        Assert.Equal(0.1m, ExpectMsg<InstrumentCatalogProtocol.Instruments>(TimeSpan.FromSeconds(10)).BySymbol[Xbt].TickSize);
        Assert.Equal(1m, ExpectMsg<InstrumentCatalogProtocol.Instruments>(TimeSpan.FromSeconds(10)).BySymbol[Xbt].TickSize);
        Assert.True(Volatile.Read(ref calls) >= 3);   // the truncated list in between was never published
    }

    [Fact]
    public async Task Order_entry_waits_for_the_rules_and_refuses_unsent_only_the_orders_that_break_them()
    {
        ServeContracts(() => (200, FakeInstruments.KuCoinFutures(FakeInstruments.KuCoinFuturesDefaults)), delay: TimeSpan.FromMilliseconds(500));
        _venue.Server.Given(Request.Create().WithPath("/api/v1/orders/multi").UsingPost()).RespondWith(Response.Create().WithHeader("Content-Type", "application/json")
            .WithBody("""{"code":"200000","data":[{"orderId":"o-a","clientOid":"a","symbol":"XBTUSDTM","code":"200000","msg":"success"},{"orderId":"o-d","clientOid":"d","symbol":"XBTUSDTM","code":"200000","msg":"success"}]}"""));
        var gateway = Gateway();
        var entry = Sys.ActorOf(VenueOrderEntry.Props(new KuCoinOrderEntryAdapter(MarketKind.Futures), gateway, null, new OrderEntrySettings(), Catalog(gateway: gateway)));

        OrderTicket Ticket(string id, decimal price, string symbol = "XBTUSDTM") => new(new ClientOrderId(id), new Symbol(symbol), Side.Buy, OrderType.Limit, 2, price);
        var results = await entry.Ask<OrderEntryProtocol.Results>(new OrderEntryProtocol.Place(
            [Ticket("a", 60000.5m), Ticket("b", 60000.55m), Ticket("c", 1m, "NOPEUSDTM"), Ticket("d", 60001m)]), TimeSpan.FromSeconds(15));

        Assert.Equal(new OrderAccepted(new ClientOrderId("a"), "o-a"), results.Items[0]);
        Assert.Equal(new OrderRejected(new ClientOrderId("b"), new OrderCheckError("price 60000.55 is not a multiple of XBTUSDTM's tick size 0.1")), results.Items[1]);
        Assert.Equal(new OrderRejected(new ClientOrderId("c"), new OrderCheckError("NOPEUSDTM is not an instrument of kucoin futures")), results.Items[2]);
        Assert.Equal(new OrderAccepted(new ClientOrderId("d"), "o-d"), results.Items[3]);
        var sent = _venue.Server.LogEntries.Select(e => e.RequestMessage).Single(r => r.Path == "/api/v1/orders/multi");
        Assert.Equal(["a", "d"], JsonDocument.Parse(sent.Body!).RootElement.EnumerateArray().Select(o => o.GetProperty("clientOid").GetString()));
    }

    [Fact]
    public async Task Without_rules_an_order_is_refused_with_why_rather_than_sent_unchecked()
    {
        ServeContracts(() => (200, """{"code":"400100","msg":"Service unavailable"}"""));
        var gateway = Gateway();
        var entry = Sys.ActorOf(VenueOrderEntry.Props(new KuCoinOrderEntryAdapter(MarketKind.Futures), gateway, null, new OrderEntrySettings(), Catalog(gateway: gateway)));

        var results = await entry.Ask<OrderEntryProtocol.Results>(
            new OrderEntryProtocol.Place([new OrderTicket(new ClientOrderId("a"), Xbt, Side.Buy, OrderType.Limit, 1, 60000m)]), TimeSpan.FromSeconds(15));

        var error = Assert.IsType<OrderCheckError>(Assert.IsType<OrderRejected>(Assert.Single(results.Items)).Error);
        Assert.Equal("kucoin futures instrument rules are not loaded (Service unavailable): the order is not sent", error.Message);
        Assert.DoesNotContain(_venue.Server.LogEntries, e => e.RequestMessage.Path.StartsWith("/api/v1/orders", StringComparison.Ordinal));
    }

    private void ServeContracts(Func<(int Status, string Body)> answer, TimeSpan? delay = null) =>
        _venue.Server.Given(Request.Create().WithPath("/api/v1/contracts/active").UsingGet())
            .RespondWith((delay is { } wait ? Response.Create().WithDelay(wait) : Response.Create()).WithCallback(_ =>
            {
                var (status, body) = answer();
                return new WireMock.ResponseMessage
                {
                    StatusCode = status,
                    BodyData = new WireMock.Util.BodyData { BodyAsString = body, DetectedBodyType = WireMock.Types.BodyType.String },
                    Headers = new Dictionary<string, WireMock.Types.WireMockList<string>> { ["Content-Type"] = new("application/json") },
                };
            }));

    private IActorRef Gateway()
    {
        var limiter = Sys.ActorOf(RateLimiter.Props(KuCoinVenue.Vip0Quota, KuCoinVenue.QuotaWindow));
        var client = new RestClient(_http, new KuCoinRestAdapter(_venue.BaseUri, TradingSocketVenue.Credentials), new RestClientOptions { MaxRetries = 0 });
        return Sys.ActorOf(RestGateway.Props(client, limiter));
    }

    private IActorRef Catalog(InstrumentCatalogSettings? settings = null, IActorRef? gateway = null) =>
        Sys.ActorOf(InstrumentCatalog.Props(VenueId.KuCoin, MarketKind.Futures, new KuCoinInstruments(MarketKind.Futures),
            new GatewayRestExecutor(gateway ?? Gateway(), TimeSpan.FromSeconds(10)), TimeProvider.System, settings));

    public new void Dispose()
    {
        _venue.Dispose();
        _http.Dispose();
        base.Dispose();
    }
}
