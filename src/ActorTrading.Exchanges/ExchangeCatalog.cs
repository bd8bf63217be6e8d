using System.Collections.Frozen;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Exchanges.Binance;
using ActorTrading.Exchanges.Bybit;
using ActorTrading.Exchanges.CryptoCom;
using ActorTrading.Exchanges.Kraken;
using ActorTrading.Exchanges.KuCoin;

namespace ActorTrading.Exchanges;

/// <summary>The venues this build runs: adding an exchange is its adapter folder plus one line here.</summary>
public static class ExchangeCatalog
{
    public static readonly IReadOnlyList<IVenueModule> Modules =
    [
        .. KuCoinModule.All,
        .. BinanceModule.All,
        .. BybitModule.All,
        .. KrakenModule.All,
        .. CryptoComModule.All,
    ];

    /// <summary>The longest client order id every market of <paramref name="venue"/> takes; null for a venue without order entry here (paper, tests' own).</summary>
    public static int? ClientOrderIdMaxLength(VenueId venue) => MaxClientOrderIds.TryGetValue(venue, out var length) ? length : null;

    // Read for every order placed: worked out once.
    private static readonly FrozenDictionary<VenueId, int> MaxClientOrderIds = Modules.OfType<IOrderEntryModule>()
        .GroupBy(m => m.Venue).ToFrozenDictionary(g => g.Key, g => g.Min(m => m.ClientOrderIds.MaxLength));

    public static IVenueModule Find(string venue, MarketKind market) =>
        Modules.FirstOrDefault(m => m.Venue.Value.Equals(venue, StringComparison.OrdinalIgnoreCase) && m.Market == market)
        ?? throw new ExchangeException(new ConfigurationError(
            $"no adapter for venue '{venue}' market '{market.ToWire()}' (available: {string.Join(", ", Modules.Select(m => $"{m.Venue} {m.Market.ToWire()}"))})"));
}
