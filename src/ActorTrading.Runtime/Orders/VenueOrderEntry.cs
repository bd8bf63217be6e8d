using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Orders;
using ActorTrading.Runtime.Rest;
using Akka.Actor;
using Akka.Event;

namespace ActorTrading.Runtime.Orders;

public static class OrderEntryProtocol
{
    /// <summary>A command about orders; the answer is <see cref="Results"/> with one result per order named here.</summary>
    public interface ICommand
    {
        IEnumerable<ClientOrderId> ClientOrderIds { get; }
    }

    /// <summary>Places orders; several go out in as few batch requests as the venue allows.</summary>
    public sealed record Place(IReadOnlyList<OrderTicket> Orders) : ICommand
    {
        public IEnumerable<ClientOrderId> ClientOrderIds => Orders.Select(o => o.ClientOrderId);
    }

    public sealed record Cancel(IReadOnlyList<CancelTicket> Cancels) : ICommand
    {
        public IEnumerable<ClientOrderId> ClientOrderIds => Cancels.Select(c => c.ClientOrderId);
    }

    public sealed record Amend(AmendTicket Ticket) : ICommand
    {
        public IEnumerable<ClientOrderId> ClientOrderIds => [Ticket.ClientOrderId];
    }

    /// <summary>The answer to a command: one result per order, in the command's order.</summary>
    public sealed record Results(IReadOnlyList<OrderEntryResult> Items);
}

public sealed record OrderEntrySettings
{
    public OrderRoute Route { get; init; } = OrderRoute.Rest;

    /// <summary>Longest wait for an answer; past it an order's state is <see cref="OrderStatusUnknown"/>.</summary>
    public TimeSpan AnswerTimeout { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// One venue market's order door. Commands are cut into the venue's batch sizes, built by the
/// <see cref="IOrderEntryAdapter"/> and sent over the configured route: the REST gateway, or the
/// <see cref="WsOrderClient"/> (calls the socket has no op for go by REST). Every order gets exactly one result:
/// accepted, rejected (the venue refused, or the ticket could not be built), or unknown when the command may have
/// reached the venue without an answer (timeout, lost connection, unreadable answer).
/// </summary>
public sealed class VenueOrderEntry : ReceiveActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IOrderEntryAdapter _adapter;
    private readonly IRestExecutor _rest;
    private readonly IActorRef? _tradingSocket;
    private readonly OrderEntrySettings _settings;

    public VenueOrderEntry(IOrderEntryAdapter adapter, IActorRef restGateway, IActorRef? tradingSocket, OrderEntrySettings settings)
    {
        _adapter = adapter;
        _rest = new GatewayRestExecutor(restGateway, settings.AnswerTimeout);
        _tradingSocket = settings.Route == OrderRoute.WebSocket
            ? tradingSocket ?? throw new ExchangeException(new ConfigurationError($"{adapter.Venue} {adapter.Market.ToWire()}: the WebSocket order route needs a trading socket"))
            : null;
        _settings = settings;

        Receive<OrderEntryProtocol.Place>(p => Execute(
            Chunks(p.Orders, adapter.MaxPlaceBatch, chunk => (chunk.Select(o => o.ClientOrderId).ToArray(), () => adapter.Place(chunk)))));
        Receive<OrderEntryProtocol.Cancel>(c => Execute(
            Chunks(c.Cancels, adapter.MaxCancelBatch, chunk => (chunk.Select(o => o.ClientOrderId).ToArray(), () => adapter.Cancel(chunk)))));
        Receive<OrderEntryProtocol.Amend>(a => Execute([([a.Ticket.ClientOrderId], () => adapter.Amend(a.Ticket))]));
    }

    public static Props Props(IOrderEntryAdapter adapter, IActorRef restGateway, IActorRef? tradingSocket, OrderEntrySettings? settings = null) =>
        Akka.Actor.Props.Create(() => new VenueOrderEntry(adapter, restGateway, tradingSocket, settings ?? new OrderEntrySettings()));

    private static IEnumerable<(IReadOnlyList<ClientOrderId> Orders, Func<OrderEntryCall> Build)> Chunks<T>(
        IReadOnlyList<T> items, int size, Func<T[], (IReadOnlyList<ClientOrderId>, Func<OrderEntryCall>)> plan) =>
        items.Chunk(Math.Max(1, size)).Select(plan);

    private void Execute(IEnumerable<(IReadOnlyList<ClientOrderId> Orders, Func<OrderEntryCall> Build)> plan)
    {
        var sends = new List<Task<IReadOnlyList<OrderEntryResult>>>();
        foreach (var (orders, build) in plan)
        {
            OrderEntryCall call;
            try
            {
                call = build();
            }
            catch (ExchangeException e)
            {
                // Refused before sending: nothing reached the venue.
                _log.Warning("{Venue} {Market}: {Count} order command(s) refused: {Error}", _adapter.Venue, _adapter.Market.ToWire(), orders.Count, e.Error);
                sends.Add(Task.FromResult<IReadOnlyList<OrderEntryResult>>(orders.Select(id => new OrderRejected(id, e.Error)).ToArray()));
                continue;
            }

            sends.Add(SendAsync(call));
        }

        Task.WhenAll(sends).PipeTo(Sender, success: results => new OrderEntryProtocol.Results(results.SelectMany(r => r).ToArray()));
    }

    private async Task<IReadOnlyList<OrderEntryResult>> SendAsync(OrderEntryCall call)
    {
        try
        {
            if (_tradingSocket is not null && call.WsOperation is not null)
            {
                var clientOid = call.Orders.Count == 1 ? call.Orders[0].Value : null;
                var outcome = await _tradingSocket.Ask<WsOrderProtocol.Outcome>(new WsOrderProtocol.Send(call.WsOperation, call.WsArgs!, clientOid), _settings.AnswerTimeout).ConfigureAwait(false);
                return outcome switch
                {
                    WsOrderProtocol.Accepted accepted => _adapter.ReadAnswer(call, accepted.Data),
                    WsOrderProtocol.Rejected rejected => All(call, id => new OrderRejected(id, rejected.Error)),
                    WsOrderProtocol.Unknown unknown => All(call, id => new OrderStatusUnknown(id, unknown.Reason)),
                    _ => All(call, id => new OrderStatusUnknown(id, "unexpected trading socket answer " + outcome.GetType().Name)),
                };
            }

            return _adapter.ReadAnswer(call, await _rest.SendAsync(call.Rest, CancellationToken.None).ConfigureAwait(false));
        }
        catch (ExchangeException e) when (e.Error is NetworkError or ProtocolError)
        {
            // Sent, or maybe sent, with no answer we can read: only a query can tell what the venue did.
            return All(call, id => new OrderStatusUnknown(id, e.Error.ToString()));
        }
        catch (ExchangeException e)
        {
            return All(call, id => new OrderRejected(id, e.Error));
        }
        catch (AskTimeoutException)
        {
            return All(call, id => new OrderStatusUnknown(id, $"no answer within {_settings.AnswerTimeout.TotalSeconds:0} s"));
        }
    }

    private static OrderEntryResult[] All(OrderEntryCall call, Func<ClientOrderId, OrderEntryResult> result) =>
        call.Orders.Select(result).ToArray();
}
