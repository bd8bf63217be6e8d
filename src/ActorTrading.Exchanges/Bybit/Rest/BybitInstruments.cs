using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;

namespace ActorTrading.Exchanges.Bybit.Rest;

/// <summary>
/// Bybit's trading rules from <c>GET /v5/market/instruments-info</c>: <c>priceFilter.tickSize</c>, the quantity step
/// (linear <c>qtyStep</c>, spot <c>basePrecision</c>), <c>minOrderQty</c>/<c>maxOrderQty</c> and the least notional
/// (linear <c>minNotionalValue</c>, spot <c>minOrderAmt</c>). A quantity is in the base coin on both categories; a
/// symbol takes orders while its status is <c>Trading</c>.
/// </summary>
public sealed class BybitInstruments(MarketKind market) : IInstrumentAdapter
{
    public RestRequest Request { get; } = RequestFor(market, null);

    /// <summary>1,000 a page covers every spot and linear symbol in one request.</summary>
    public static RestRequest RequestFor(MarketKind market, string? symbol) =>
        RestRequest.Get("/v5/market/instruments-info", BybitVenue.Pools.Ip, 1, ("category", BybitVenue.Category(market)), ("symbol", symbol), ("limit", symbol is null ? "1000" : null));

    public IReadOnlyList<InstrumentSpec> Read(JsonElement data) =>
        VenueAnswers.Deserialize(BybitMarketData.Venue, "instruments-info", data, BybitJsonContext.Default.BybitPageBybitInstrument).List
            .Select(i => new InstrumentSpec(new Symbol(i.Symbol), i.PriceFilter.TickSize, i.QtyStep, i.LotSizeFilter.MinOrderQty, 1m)
            {
                MaxSize = i.LotSizeFilter.MaxOrderQty > 0 ? i.LotSizeFilter.MaxOrderQty : null,
                MinNotional = i.MinNotional is > 0 ? i.MinNotional : null,
                Trading = i.IsTrading,
            })
            .ToArray();
}
