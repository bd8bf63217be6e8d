using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Json;
using ActorTrading.Core.Orders;
using ActorTrading.Exchanges.KuCoin.Rest;
using CoreOrderType = ActorTrading.Core.Orders.OrderType;
using CoreTimeInForce = ActorTrading.Core.Orders.TimeInForce;

namespace ActorTrading.Exchanges.KuCoin;

/// <summary>
/// KuCoin order entry for futures, HF spot and HF margin. Each command is built once, as REST and as the trading
/// socket's op (<c>futures.order|multi_order|cancel|multi_cancel</c>, <c>spot.order|cancel|modify</c>,
/// <c>margin.order|cancel</c>) with the REST body as <c>args</c>; replies are read the same way on both routes.
/// Batches are answered per order and matched by clientOid, never by position.
/// </summary>
public sealed class KuCoinOrderEntryAdapter : IOrderEntryAdapter
{
    private readonly int _defaultLeverage;
    private readonly FuturesMarginMode? _futuresMarginMode;
    private readonly bool _isolatedMargin;

    /// <param name="market">Futures, Spot or Margin.</param>
    /// <param name="defaultLeverage">Futures leverage for tickets that set none (the venue requires one).</param>
    /// <param name="futuresMarginMode">Futures margin mode sent with every order; the account's when null.</param>
    /// <param name="isolatedMargin">Margin orders on the isolated (true) or cross (false) margin account.</param>
    public KuCoinOrderEntryAdapter(MarketKind market, int defaultLeverage = 1, FuturesMarginMode? futuresMarginMode = null, bool isolatedMargin = false)
    {
        if (market is not (MarketKind.Futures or MarketKind.Spot or MarketKind.Margin))
        {
            throw new ExchangeException(new ConfigurationError($"KuCoin order entry covers futures, spot and margin, not {market.ToWire()}"));
        }

        if (defaultLeverage <= 0)
        {
            throw new ExchangeException(new ConfigurationError("KuCoin futures leverage must be positive"));
        }

        Market = market;
        Queries = market == MarketKind.Futures ? new KuCoinFuturesOrderQueries() : new KuCoinSpotOrderQueries(market == MarketKind.Margin, isolatedMargin);
        _defaultLeverage = defaultLeverage;
        _futuresMarginMode = futuresMarginMode;
        _isolatedMargin = isolatedMargin;
    }

    public VenueId Venue => KuCoinVenue.Id;

    public MarketKind Market { get; }

    /// <summary>KuCoin's clientOid: at most 40 of letters, digits, <c>_</c> and <c>-</c> (futures and HF spot alike).</summary>
    /// <summary>The venue's client order id rule (the module declares it, so ids are made to fit it).</summary>
    public static readonly ClientOrderIdRule Rule = new(40, "_-");

    public ClientOrderIdRule ClientOrderIds => Rule;

    public int MaxPlaceBatch => Market switch
    {
        MarketKind.Futures => KuCoinOrderRequests.FuturesBatchLimit,
        MarketKind.Spot => KuCoinOrderRequests.SpotBatchLimit,
        _ => 1,
    };

    public int MaxCancelBatch => Market == MarketKind.Futures ? KuCoinOrderRequests.FuturesBatchLimit : 1;

    public IOrderQueryAdapter Queries { get; }

    public OrderEntryCall Place(IReadOnlyList<OrderTicket> orders)
    {
        var ids = orders.Select(o => o.ClientOrderId).ToArray();
        if (orders.Count == 1)
        {
            return Market switch
            {
                MarketKind.Futures => Call(OrderCommandKind.Place, ids, KuCoinOrderRequests.FuturesPlace(ToFutures(orders[0])), "futures.order"),
                MarketKind.Spot => Call(OrderCommandKind.Place, ids, KuCoinOrderRequests.SpotPlace(ToSpot(orders[0])), "spot.order"),
                _ => Call(OrderCommandKind.Place, ids, KuCoinOrderRequests.MarginPlace(ToMargin(orders[0])), "margin.order"),
            };
        }

        return Market switch
        {
            MarketKind.Futures => Call(OrderCommandKind.Place, ids, KuCoinOrderRequests.FuturesPlaceBatch(orders.Select(ToFutures).ToArray()), "futures.multi_order"),

            // The trading socket has no spot batch op: this call goes by REST on either route.
            MarketKind.Spot => Call(OrderCommandKind.Place, ids, KuCoinOrderRequests.SpotPlaceBatch(orders.Select(ToSpot).ToArray()), wsOperation: null),
            _ => throw Invalid($"KuCoin margin has no batch placement: send {orders.Count} orders one by one"),
        };
    }

    public OrderEntryCall Cancel(IReadOnlyList<CancelTicket> cancels)
    {
        var ids = cancels.Select(c => c.ClientOrderId).ToArray();
        if (cancels.Count > 1)
        {
            if (Market != MarketKind.Futures)
            {
                throw Invalid($"KuCoin {Market.ToWire()} has no batch cancel: send {cancels.Count} cancels one by one");
            }

            // By clientOid always: every ticket has one, and the answer is matched on it.
            var batch = new FuturesBatchCancelRequest(null, cancels.Select(c => new FuturesClientOrderRef(c.Symbol.Value, c.ClientOrderId.Value)).ToArray());
            return Call(OrderCommandKind.Cancel, ids, KuCoinOrderRequests.FuturesCancelBatch(batch), "futures.multi_cancel");
        }

        var cancel = cancels[0];
        var (symbol, clientOid, orderId) = (cancel.Symbol.Value, cancel.ClientOrderId.Value, cancel.VenueOrderId);
        return Market switch
        {
            MarketKind.Futures when orderId is not null =>
                Call(OrderCommandKind.Cancel, ids, KuCoinOrderRequests.FuturesCancel(orderId), "futures.cancel", CancelArgs(null, orderId, null)),
            MarketKind.Futures =>
                Call(OrderCommandKind.Cancel, ids, KuCoinOrderRequests.FuturesCancelByClientOid(symbol, clientOid), "futures.cancel", CancelArgs(symbol, null, clientOid)),
            MarketKind.Spot when orderId is not null =>
                Call(OrderCommandKind.Cancel, ids, KuCoinOrderRequests.SpotCancel(symbol, orderId), "spot.cancel", CancelArgs(symbol, orderId, null)),
            MarketKind.Spot =>
                Call(OrderCommandKind.Cancel, ids, KuCoinOrderRequests.SpotCancelByClientOid(symbol, clientOid), "spot.cancel", CancelArgs(symbol, null, clientOid)),
            _ when orderId is not null =>
                Call(OrderCommandKind.Cancel, ids, KuCoinOrderRequests.MarginCancel(symbol, orderId), "margin.cancel", CancelArgs(symbol, orderId, null)),
            _ => Call(OrderCommandKind.Cancel, ids, KuCoinOrderRequests.MarginCancelByClientOid(symbol, clientOid), "margin.cancel", CancelArgs(symbol, null, clientOid)),
        };
    }

    public OrderEntryCall Amend(AmendTicket amend)
    {
        if (Market != MarketKind.Spot)
        {
            throw Invalid($"KuCoin {Market.ToWire()} has no order amendment: cancel and place a new order");
        }

        var modify = new SpotModifyRequest
        {
            Symbol = amend.Symbol.Value,
            OrderId = amend.VenueOrderId,
            ClientOid = amend.VenueOrderId is null ? amend.ClientOrderId.Value : null,
            NewPrice = amend.NewPrice,
            NewSize = amend.NewSize,
        };
        return Call(OrderCommandKind.Amend, [amend.ClientOrderId], KuCoinOrderRequests.SpotModify(modify), "spot.modify");
    }

    public IReadOnlyList<OrderEntryResult> ReadAnswer(OrderEntryCall call, JsonElement data)
    {
        try
        {
            return data.ValueKind == JsonValueKind.Array ? ReadBatch(call, data) : [ReadSingle(call, data)];
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new ExchangeException(new ProtocolError($"unexpected KuCoin answer to {call.Rest.Path}: {e.Message}", "(answer data)"), e);
        }
    }

    private static OrderEntryResult ReadSingle(OrderEntryCall call, JsonElement data)
    {
        var id = call.Orders[0];
        var venueOrderId = call.Kind switch
        {
            OrderCommandKind.Amend => data.Required("newOrderId").GetString(),
            OrderCommandKind.Cancel when data.Field("cancelledOrderIds") is { ValueKind: JsonValueKind.Array } cancelled =>
                cancelled.GetArrayLength() > 0 ? cancelled[0].GetString() : null,
            OrderCommandKind.Cancel => data.Field("orderId").GetNullableString(),
            _ => data.Required("orderId").GetString(),
        };
        return new OrderAccepted(id, venueOrderId);
    }

    private IReadOnlyList<OrderEntryResult> ReadBatch(OrderEntryCall call, JsonElement data)
    {
        var answers = new Dictionary<string, OrderEntryResult>(StringComparer.Ordinal);
        if (Market == MarketKind.Spot)
        {
            foreach (var item in data.Deserialize(KuCoinSpotJsonContext.Default.IReadOnlyListSpotBatchOrderResult) ?? [])
            {
                if (item.ClientOid is { } clientOid)
                {
                    var id = new ClientOrderId(clientOid);
                    answers[clientOid] = item.Success
                        ? new OrderAccepted(id, item.OrderId)
                        : new OrderRejected(id, new ApiError("batch-item", item.FailMsg ?? "refused", 200));
                }
            }
        }
        else
        {
            foreach (var item in data.Deserialize(KuCoinJsonContext.Default.IReadOnlyListBatchOrderResult) ?? [])
            {
                if (item.ClientOid is { } clientOid)
                {
                    var id = new ClientOrderId(clientOid);
                    answers[clientOid] = item.IsSuccess
                        ? new OrderAccepted(id, item.OrderId)
                        : new OrderRejected(id, new ApiError(item.Code, item.Msg ?? string.Empty, 200));
                }
            }
        }

        return call.Orders
            .Select(id => answers.TryGetValue(id.Value, out var answer) ? answer : new OrderStatusUnknown(id, "the venue's batch answer does not mention this order"))
            .ToArray();
    }

    private FuturesOrderRequest ToFutures(OrderTicket t)
    {
        if (decimal.Truncate(t.Size) != t.Size)
        {
            throw Invalid($"KuCoin futures sizes are whole contracts, got {t.Size} for {t.ClientOrderId}");
        }

        var limit = t.Type == CoreOrderType.Limit;
        return new FuturesOrderRequest
        {
            ClientOid = t.ClientOrderId.Value,
            Side = t.Side,
            Symbol = t.Symbol.Value,
            Leverage = t.Leverage ?? _defaultLeverage,
            Type = limit ? FuturesOrderType.Limit : FuturesOrderType.Market,
            ReduceOnly = t.ReduceOnly ? true : null,
            MarginMode = _futuresMarginMode,
            Price = t.Price,
            Size = (long)t.Size,
            TimeInForce = !limit ? null : t.TimeInForce switch
            {
                CoreTimeInForce.GoodTillCanceled => FuturesTimeInForce.GoodTillCanceled,
                CoreTimeInForce.ImmediateOrCancel => FuturesTimeInForce.ImmediateOrCancel,
                _ => throw Invalid("KuCoin futures take GTC or IOC, not FOK"),
            },
            PostOnly = t.PostOnly ? true : null,
            Stop = t.Stop is null ? null : t.Stop.Direction == TriggerDirection.RisesTo ? StopDirection.Up : StopDirection.Down,
            StopPrice = t.Stop?.Price is { } stopPrice ? (stopPrice > 0 ? stopPrice : throw Invalid($"stop price must be positive, got {stopPrice}")) : null,
            StopPriceType = t.Stop?.Source switch
            {
                null => null,
                TriggerPrice.LastTrade => StopPriceType.TradePrice,
                TriggerPrice.Mark => StopPriceType.MarkPrice,
                _ => StopPriceType.IndexPrice,
            },
        };
    }

    private static SpotOrderRequest ToSpot(OrderTicket t)
    {
        if (t.ReduceOnly)
        {
            throw Invalid("reduce-only is for futures orders");
        }

        if (t.Stop is not null)
        {
            // Spot stop orders live apart (POST /api/v1/stop-order, their own ids until triggered): not on this path.
            throw Invalid("KuCoin spot and margin stop orders are not supported by order entry: only futures stop orders are");
        }

        var limit = t.Type == CoreOrderType.Limit;
        return new SpotOrderRequest
        {
            Type = limit ? FuturesOrderType.Limit : FuturesOrderType.Market,
            Symbol = t.Symbol.Value,
            Side = t.Side,
            Price = t.Price,
            Size = t.Size,
            ClientOid = t.ClientOrderId.Value,
            TimeInForce = !limit ? null : t.TimeInForce switch
            {
                CoreTimeInForce.GoodTillCanceled => SpotTimeInForce.GoodTillCanceled,
                CoreTimeInForce.ImmediateOrCancel => SpotTimeInForce.ImmediateOrCancel,
                _ => SpotTimeInForce.FillOrKill,
            },
            PostOnly = t.PostOnly ? true : null,
        };
    }

    private SpotOrderRequest ToMargin(OrderTicket t) => ToSpot(t) with { IsIsolated = _isolatedMargin };

    private static string CancelArgs(string? symbol, string? orderId, string? clientOid) =>
        JsonSerializer.Serialize(new KuCoinCancelArgs(symbol, orderId, clientOid), KuCoinSpotJsonContext.Default.KuCoinCancelArgs);

    /// <summary>A call whose socket args are the REST body, as KuCoin's trading API defines them.</summary>
    private static OrderEntryCall Call(OrderCommandKind kind, IReadOnlyList<ClientOrderId> ids, RestRequest rest, string? wsOperation, string? wsArgs = null) =>
        new(kind, ids, rest, wsOperation, wsOperation is null ? null : wsArgs ?? rest.Body);

    private static ExchangeException Invalid(string message) => new(new ConfigurationError(message));
}
