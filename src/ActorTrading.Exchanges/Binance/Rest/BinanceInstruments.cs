using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;

namespace ActorTrading.Exchanges.Binance.Rest;

/// <summary>
/// Binance's trading rules from <c>exchangeInfo</c> (spot <c>/api/v3</c>, weight 20; USDⓈ-M <c>/fapi/v1</c>, weight 1):
/// <c>PRICE_FILTER</c> tick, <c>LOT_SIZE</c> step and bounds, <c>NOTIONAL</c>/<c>MIN_NOTIONAL</c>. A quantity is in the
/// base asset on both markets (a USDⓈ-M contract is one unit of it); a symbol takes orders while its status is
/// <c>TRADING</c>.
/// </summary>
public sealed class BinanceInstruments(MarketKind market) : IInstrumentAdapter
{
    public RestRequest Request { get; } = market == MarketKind.Futures
        ? RestRequest.Get("/fapi/v1/exchangeInfo", BinanceVenue.Pools.Weight, 1)
        : RestRequest.Get("/api/v3/exchangeInfo", BinanceVenue.Pools.Weight, 20);

    public IReadOnlyList<InstrumentSpec> Read(JsonElement data) => BinanceMarketData.ParseExchangeInfo(data)
        .Select(i => new InstrumentSpec(new Symbol(i.Symbol), i.TickSize, i.StepSize, i.MinQty, 1m)
        {
            // 0 in a filter field means the venue does not set that bound.
            MaxSize = i.MaxQty > 0 ? i.MaxQty : null,
            MinNotional = i.MinNotional is > 0 ? i.MinNotional : null,
            Trading = i.IsTrading,
        })
        .ToArray();
}
