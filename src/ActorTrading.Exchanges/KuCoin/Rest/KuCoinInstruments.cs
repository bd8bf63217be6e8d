using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Json;
using ActorTrading.Core.Market;

namespace ActorTrading.Exchanges.KuCoin.Rest;

/// <summary>
/// KuCoin's trading rules. Futures (<c>GET /api/v1/contracts/active</c>): sizes are whole lots of <c>lotSize</c>
/// contracts, one contract is <c>multiplier</c> of the base (an inverse contract's multiplier is negative: one contract
/// is |multiplier| quote), orders up to <c>maxOrderQty</c>, tradable while <c>status</c> is <c>Open</c>. Spot
/// (<c>GET /api/v2/symbols</c>): <c>priceIncrement</c>, <c>baseIncrement</c>, <c>baseMinSize</c>/<c>baseMaxSize</c>,
/// <c>minFunds</c> the least notional, tradable while <c>enableTrading</c>.
/// </summary>
public sealed class KuCoinInstruments(MarketKind market) : IInstrumentAdapter
{
    public RestRequest Request { get; } = market == MarketKind.Futures
        ? RestRequest.Get("/api/v1/contracts/active", KuCoinVenue.Pools.Public, 3)
        : RestRequest.Get("/api/v2/symbols", KuCoinVenue.Pools.Public, 4);

    public IReadOnlyList<InstrumentSpec> Read(JsonElement data) => market == MarketKind.Futures
        ? data.EnumerateArray().Select(KuCoinFuturesMarketData.ParseContract).Select(c => new InstrumentSpec(
                new Symbol(c.Symbol), c.TickSize, c.LotSize, c.LotSize, Math.Abs(c.Multiplier))
        { MaxSize = c.MaxOrderQty, Trading = c.Status == "Open" }).ToArray()
        : data.EnumerateArray().Select(s => new InstrumentSpec(
                new Symbol(s.Required("symbol").GetString()!), s.Required("priceIncrement").GetDecimal("priceIncrement"),
                s.Required("baseIncrement").GetDecimal("baseIncrement"), s.Required("baseMinSize").GetDecimal("baseMinSize"), 1m)
        {
            MaxSize = s.Required("baseMaxSize").GetDecimal("baseMaxSize"),
            MinNotional = s.Field("minFunds").GetNullableDecimal("minFunds"),
            Trading = s.Required("enableTrading").ValueKind == JsonValueKind.True,
        }).ToArray();
}
