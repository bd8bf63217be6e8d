using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;

namespace ActorTrading.Simulator;

/// <summary>A simulated venue by name, as <c>run --simulate NAME</c> starts it: where to point the venue's settings.</summary>
public sealed class SimulatedVenue : IAsyncDisposable
{
    private SimulatedVenue(VenueId venue, SimulatedServer server, Uri restBaseUri, Uri? streamBase, MarketKind market = MarketKind.Futures)
    {
        (Venue, Server, RestBaseUri, StreamBase, Market) = (venue, server, restBaseUri, streamBase, market);
    }

    public VenueId Venue { get; }

    /// <summary>The simulator itself: its markets' books, a pause.</summary>
    public SimulatedServer Server { get; }

    /// <summary>The market simulated: futures (KuCoin, Binance USDⓈ-M, Bybit linear) or spot (Kraken, Crypto.com).</summary>
    public MarketKind Market { get; }

    public Uri RestBaseUri { get; }

    /// <summary>The stream host for <c>WsEndpoint</c>; null where the venue's token endpoint names it (KuCoin).</summary>
    public Uri? StreamBase { get; }

    /// <param name="name">kucoin, binance, bybit, kraken or cryptocom.</param>
    /// <param name="moreMarkets">Markets beyond the venue's own two (a soak's: A01, A02, …).</param>
    public static async Task<SimulatedVenue> StartAsync(string name, int moreMarkets = 0)
    {
        switch (name.ToLowerInvariant())
        {
            case "kucoin":
                var kucoin = await SimulatedKuCoinFutures.StartAsync(moreMarkets: moreMarkets).ConfigureAwait(false);
                return new SimulatedVenue(VenueId.KuCoin, kucoin, kucoin.RestBaseUri, null);
            case "binance":
                var binance = await SimulatedBinanceFutures.StartAsync(moreMarkets: moreMarkets).ConfigureAwait(false);
                return new SimulatedVenue(new VenueId("binance"), binance, binance.RestBaseUri, binance.StreamBase);
            case "bybit":
                var bybit = await SimulatedBybitLinear.StartAsync(moreMarkets: moreMarkets).ConfigureAwait(false);
                return new SimulatedVenue(new VenueId("bybit"), bybit, bybit.RestBaseUri, bybit.StreamBase);
            case "kraken":
                var kraken = await SimulatedKrakenSpot.StartAsync(moreMarkets: moreMarkets).ConfigureAwait(false);
                return new SimulatedVenue(new VenueId("kraken"), kraken, kraken.RestBaseUri, kraken.StreamBase, MarketKind.Spot);
            case "cryptocom":
                var cryptocom = await SimulatedCryptoComSpot.StartAsync(moreMarkets: moreMarkets).ConfigureAwait(false);
                return new SimulatedVenue(new VenueId("cryptocom"), cryptocom, cryptocom.RestBaseUri, cryptocom.StreamBase, MarketKind.Spot);
            default:
                throw new ExchangeException(new ConfigurationError($"--simulate {name}: the simulated venues are kucoin, binance, bybit, kraken and cryptocom"));
        }
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
