using System.Globalization;
using ActorTrading.Simulator;
using ActorTrading.TestExchange;

namespace ActorTrading.Soak;

/// <summary>
/// A venue's order entry in the soak: the venue's fake (its account keeps the truth) behind the same proxy as the
/// simulator, which keeps serving the market data. The proxy sends the simulator's own paths to it, any other socket to
/// the fake's stream server and any other request to the fake's REST: the node sees one venue.
/// </summary>
/// <param name="fake">The venue's fake, stopped with this.</param>
/// <param name="account">Its account: the truth the journal is checked against.</param>
/// <param name="restUri">The fake's REST.</param>
/// <param name="streamBase">The fake's stream server.</param>
/// <param name="credentials">The fake's API key as the node reads it from its environment.</param>
/// <param name="privateChannels">The private channels the venue's entry subscribes.</param>
/// <param name="ownPaths">Paths the simulator serves too that must reach the fake (KuCoin's private token: its sockets are the fake's).</param>
public sealed class SoakOrderEntry(IAsyncDisposable fake, IFakeAccount account, Uri restUri, Uri streamBase, IReadOnlyDictionary<string, string?> credentials,
    string[] privateChannels, string[]? ownPaths = null) : IAsyncDisposable
{
    public IFakeAccount Account { get; } = account;

    /// <summary>The environment variables holding the fake's API key and secret, as the node reads them.</summary>
    public IReadOnlyDictionary<string, string?> Credentials { get; } = credentials;

    /// <summary>The private channels the venue's entry subscribes (orders, and positions or balances).</summary>
    public IReadOnlyList<string> PrivateChannels { get; } = privateChannels;

    /// <summary>The fake's order entry for the venue (null: no fake account for it, market data only).</summary>
    public static async Task<SoakOrderEntry?> StartAsync(string venue)
    {
        switch (venue)
        {
            case "binance":
                var binance = await FakeBinanceVenue.StartAsync().ConfigureAwait(false);
                return new SoakOrderEntry(binance, new FakeBinanceAccount(binance, futures: true), binance.RestUri, binance.StreamBase,
                    Keys("BINANCE", FakeBinanceVenue.ApiKey, FakeBinanceVenue.Secret), ["orders", "positions"]);
            case "bybit":
                var bybit = await FakeBybitVenue.StartAsync().ConfigureAwait(false);
                return new SoakOrderEntry(bybit, new FakeBybitAccount(bybit, "linear"), bybit.RestUri, bybit.StreamBase,
                    Keys("BYBIT", FakeBybitVenue.ApiKey, FakeBybitVenue.Secret), ["orders", "positions"]);
            case "kraken":
                var kraken = await FakeKrakenVenue.StartAsync().ConfigureAwait(false);
                return new SoakOrderEntry(kraken, new FakeKrakenAccount(kraken), kraken.RestUri, kraken.StreamBase,
                    Keys("KRAKEN", FakeKrakenVenue.ApiKey, FakeKrakenVenue.Secret), ["orders", "balances"]);
            case "cryptocom":
                var cryptocom = await FakeCryptoComVenue.StartAsync().ConfigureAwait(false);
                return new SoakOrderEntry(cryptocom, new FakeCryptoComAccount(cryptocom), cryptocom.RestUri, cryptocom.StreamBase,
                    Keys("CRYPTOCOM", FakeCryptoComVenue.ApiKey, FakeCryptoComVenue.Secret), ["orders", "balances"]);
            case "kucoin":
                var kucoin = await FakeKuCoinVenue.StartAsync().ConfigureAwait(false);
                return new SoakOrderEntry(kucoin, kucoin.Account, kucoin.Rest.BaseUri, kucoin.StreamBase, FakeKuCoinVenue.Credentials, ["orders", "positions"],
                    ["/api/v1/bullet-private"]);
            default:
                return null;
        }
    }

    /// <summary>The proxy's routes: the simulator's paths to it, other sockets to the fake's stream server, the rest to its REST.</summary>
    public IReadOnlyList<ProxyRoute> Routes(SimulatedVenue simulated) =>
    [
        new ProxyRoute(simulated.RestBaseUri, simulated.Server.Paths.Except(ownPaths ?? []).ToHashSet()),
        new ProxyRoute(streamBase, Sockets: true),
        new ProxyRoute(restUri, Sockets: false),
    ];

    public ValueTask DisposeAsync() => fake.DisposeAsync();

    private static Dictionary<string, string?> Keys(string prefix, string key, string secret) =>
        new() { [prefix + "_API_KEY"] = key, [prefix + "_API_SECRET"] = secret };
}

/// <summary>
/// The other side of the live quoters' orders: every so often it fills part or all of an open order on each fake
/// account, its push sent once, lost (the node must reconcile it) or sent twice (the node must record it once).
/// </summary>
public sealed class SoakCounterparty(IReadOnlyList<(string Venue, IFakeAccount Account)> accounts, int seed, double speed)
{
    private readonly TimeSpan _every = TimeSpan.FromSeconds(2 / speed);
    private long _nextTrade = 900_000_000;

    /// <summary>Fills made, and of them how many pushes were lost and how many sent twice.</summary>
    public SoakReport.CounterpartyFills Made { get; private set; } = new(0, 0, 0);

    public async Task RunAsync(CancellationToken ct)
    {
        var random = new Random(FaultProxy.SeedFor(seed, "counterparty"));
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await Task.Delay(_every, ct).ConfigureAwait(false);
                foreach (var (_, account) in accounts)
                {
                    var open = account.Orders.Where(o => o.Open && o.Price is not null).ToArray();
                    if (open.Length == 0 || random.NextDouble() < 0.5)
                    {
                        continue;
                    }

                    var order = open[random.Next(open.Length)];
                    var left = order.Quantity - order.Executed;
                    var half = Math.Round(left / 2, order.Quantity.Scale, MidpointRounding.ToZero);
                    var size = random.NextDouble() < 0.5 && half > 0 ? half : left;
                    var roll = random.NextDouble();
                    var pushes = roll < 0.1 ? 0 : roll < 0.2 ? 2 : 1;
                    var tradeId = Interlocked.Increment(ref _nextTrade).ToString(CultureInfo.InvariantCulture);
                    if (await account.FillAsync(order.ClientOrderId, size, order.Price!.Value, tradeId, pushes).ConfigureAwait(false))
                    {
                        Made = new(Made.Fills + 1, Made.Lost + (pushes == 0 ? 1 : 0), Made.Twice + (pushes == 2 ? 1 : 0));
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
