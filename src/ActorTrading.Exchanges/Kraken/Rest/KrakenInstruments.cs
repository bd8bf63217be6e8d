using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;

namespace ActorTrading.Exchanges.Kraken.Rest;

/// <summary>
/// Kraken's trading rules from <c>GET /0/public/AssetPairs</c>, under the v2 names: <c>tick_size</c> (or one unit of
/// <c>pair_decimals</c>), a lot step of one unit of <c>lot_decimals</c>, <c>ordermin</c> in the base asset and
/// <c>costmin</c> in the quote; a pair takes any order while its status is <c>online</c>.
/// </summary>
public sealed class KrakenInstruments : IInstrumentAdapter
{
    public RestRequest Request { get; } = KrakenMarketData.AssetPairsRequest();

    public IReadOnlyList<InstrumentSpec> Read(JsonElement data) =>
        VenueAnswers.Read(KrakenVenue.Name, "AssetPairs", () => KrakenMarketData.ReadAssetPairs(data))
            .Select(p => new InstrumentSpec(new Symbol(p.Symbol), p.TickSize is > 0 ? p.TickSize.Value : Unit(p.PriceDecimals), Unit(p.LotDecimals),
                p.OrderMin ?? Unit(p.LotDecimals), 1m)
            {
                MinNotional = p.CostMin is > 0 ? p.CostMin : null,
                Trading = p.Status == "online",
            })
            .ToArray();

    /// <summary>One unit in the last of <paramref name="decimals"/> places: 3 → 0.001.</summary>
    public static decimal Unit(int decimals) => new(1, 0, 0, false, (byte)decimals);
}
