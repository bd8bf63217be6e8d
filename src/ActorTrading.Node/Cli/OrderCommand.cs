using System.Text;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Journal;
using ActorTrading.Node.Hosting;
using ActorTrading.Runtime.Bus;
using ActorTrading.Runtime.Rest;
using ActorTrading.Runtime.Venues;
using ActorTrading.Strategies.Paper;
using Akka.Actor;

namespace ActorTrading.Node.Cli;

/// <summary>What <c>order place</c> asks for.</summary>
public sealed record OrderRequest(
    Symbol Symbol, Side Side, OrderType Type, decimal Size, decimal? Price, TimeInForce TimeInForce, bool PostOnly, bool ReduceOnly, int? Leverage, StopTrigger? Stop = null);

/// <summary>
/// <c>actortrading order place|cancel|amend|status</c>: one order command. While a node runs (<c>--node</c>, or the node
/// whose address <c>run</c> wrote, when no <c>--journal</c> is named) it goes to that node's order desk, so the node stays
/// the journal's only writer and its limits and reconciliation apply. Otherwise it goes through the same gateway, order
/// actor, journal and venue order entry as the node, in a small actor system of its own (REST only, no feeds). Prints
/// the order's state as the journal's JSON; exit 1 when the venue (or a limit) refused it or its fate is unknown.
/// </summary>
public static class OrderCommand
{
    /// <summary>The venue's order entry with its REST door and its instrument rules, as the node runs them.</summary>
    private static IActorRef StartLiveDoor(ActorSystem system, VenueDefinition venue, HttpClient http)
    {
        var prefix = venue.Name + "-";
        var rest = ExchangeSupervisor.StartRest(system, venue, http, TimeProvider.System, prefix);
        var instruments = ExchangeSupervisor.StartInstruments(system, venue, new GatewayRestExecutor(rest, TimeSpan.FromSeconds(30)), TimeProvider.System, prefix);
        return ExchangeSupervisor.StartOrderEntry(system, venue, rest, instruments, TimeProvider.System, prefix)!;
    }

    public static async Task<int> RunAsync(string action, string venueName, MarketKind market, string strategy, string? requestId, string? clientOrderId,
        OrderRequest? request, string? journalSpec, string? configPath, CliEnvironment environment, TextWriter output, CancellationToken ct,
        (decimal? NewPrice, decimal? NewSize) amend = default, string? node = null)
    {
        var command = new OrderInstruction(action, market, strategy, requestId, clientOrderId, request, amend);
        if (node is not null && journalSpec is not null)
        {
            throw new ExchangeException(new ConfigurationError("--node and --journal exclude each other: the node writes its own journal"));
        }

        if ((node ?? (journalSpec is null ? NodeClient.RunningNode(configPath, environment) : null)) is { } address)
        {
            return await ThroughNodeAsync(address, command, VenueIdOf(venueName), output, ct).ConfigureAwait(false);
        }

        var configuration = NodeHost.LoadConfiguration(configPath, environment.ConfigOverrides);
        var journal = JournalSettings.Parse(journalSpec ?? configuration["Journal:Store"], environment.Variable);
        var paper = venueName.StartsWith(PaperPrefix, StringComparison.OrdinalIgnoreCase);
        var venue = paper ? null : LiveVenue(configuration, venueName, market, environment);

        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var system = JournalSystem.Create("order", journal, NodeHost.Locate("hocon.conf"));
        try
        {
            // A paper venue lives in this command: it takes the order as the node's would, with no market data to fill
            // it; what rests there is closed by the next node's reconciliation (a paper venue keeps no state).
            var bus = new LocalMarketDataBus(system);
            var (venueId, door) = venue is null
                ? (VenueIdOf(venueName), system.ActorOf(PaperVenue.Props(
                    new PaperVenueSettings(new VenueId(venueName[PaperPrefix.Length..].ToLowerInvariant()), market,
                        (NodeHost.Section<PaperOptions>(configuration, "Paper") ?? new PaperOptions()).Checked().Fees, TimeSpan.Zero), bus), "paper"))
                : (venue.Venue, StartLiveDoor(system, venue, http));
            var gateway = system.ActorOf(OrderGateway.Props(VenueDoors.Direct(new Dictionary<(VenueId, MarketKind), IActorRef> { [(venueId, market)] = door }), bus: bus), "orders");
            return await command.ExecuteAsync(gateway, Inbox.Create(system), venueId, output, ct).ConfigureAwait(false);
        }
        finally
        {
            await system.Terminate().ConfigureAwait(false);
        }
    }

    /// <summary>The command through a running node's order desk; the node's configuration decides the venue's door.</summary>
    private static async Task<int> ThroughNodeAsync(string address, OrderInstruction command, VenueId venue, TextWriter output, CancellationToken ct)
    {
        await using var client = NodeClient.Connect(address, "actortrading-order");
        var desk = await client.ResolveAsync("order-desk-proxy", ct).ConfigureAwait(false);
        return await command.ExecuteAsync(desk, Inbox.Create(client.System), venue, output, ct).ConfigureAwait(false);
    }

    private static VenueId VenueIdOf(string venueName) =>
        venueName.StartsWith(PaperPrefix, StringComparison.OrdinalIgnoreCase)
            ? PaperVenue.IdFor(new VenueId(venueName[PaperPrefix.Length..].ToLowerInvariant()))
            : new VenueId(venueName.ToLowerInvariant());

    private const string PaperPrefix = "paper-";

    /// <summary>The venue's settings entry with order entry on (its credentials are then required).</summary>
    private static VenueDefinition LiveVenue(Microsoft.Extensions.Configuration.IConfiguration configuration, string venueName, MarketKind market, CliEnvironment environment)
    {
        var options = NodeHost.Entries<VenueOptions>(configuration, "Venues")
            .FirstOrDefault(v => v.Venue.Equals(venueName, StringComparison.OrdinalIgnoreCase) && MarketKindNames.TryParse(v.Market, out var m) && m == market)
            ?? throw new ExchangeException(new ConfigurationError($"no venue {venueName} {market.ToWire()} in the configuration"));
        options.Orders.Enabled = true;
        return options.ToDefinition(environment.Variable);
    }

    internal static ClientOrderId Required(string? clientOrderId) =>
        string.IsNullOrWhiteSpace(clientOrderId) ? throw new ExchangeException(new ConfigurationError("--order CLIENT_ORDER_ID is required")) : new ClientOrderId(clientOrderId);

    /// <summary>Gateway messages until an update of the order satisfies <paramref name="done"/>, or a refused command.</summary>
    internal static async Task<object> Await(Inbox inbox, Func<OrderGatewayProtocol.OrderStatus, bool> done, CancellationToken ct)
    {
        var deadline = DateTimeOffset.UtcNow + AnswerWithin;
        OrderState? last = null;
        try
        {
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                switch (await inbox.ReceiveAsync(deadline - DateTimeOffset.UtcNow).ConfigureAwait(false))
                {
                    case OrderGatewayProtocol.OrderStatus status when done(status):
                        return status.State;
                    case OrderGatewayProtocol.OrderStatus status:
                        last = status.State;
                        break;
                    case OrderGatewayProtocol.CommandRefused refused:
                        return refused;
                }
            }
        }
        catch (TimeoutException)
        {
            // The command or its answer was lost on the way (a node that died with it): what is known, and how to look again.
            throw new ExchangeException(new NetworkError(last is null
                ? $"no answer from the order gateway within {AnswerWithin.TotalSeconds:0} s: look the order up with `order status`"
                : $"no final answer within {AnswerWithin.TotalSeconds:0} s: order {last.ClientOrderId} was last {last.Status}; look it up with `order status`", IsTimeout: true));
        }
    }

    private static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(120);

    internal static async Task<int> Report(object answer, TextWriter output)
    {
        switch (answer)
        {
            case OrderState state:
                await output.WriteLineAsync(Encoding.UTF8.GetString(JournalSerializer.Serialize(state))).ConfigureAwait(false);
                return state.Status is OrderLifecycle.Rejected or OrderLifecycle.Unknown ? 1 : 0;
            case OrderGatewayProtocol.CommandRefused refused:
                await output.WriteLineAsync(CallCommand.ErrorLine(refused.Error)).ConfigureAwait(false);
                return 1;
            default:
                await output.WriteLineAsync(CallCommand.ErrorLine(new ConfigurationError("the journal has no such order"))).ConfigureAwait(false);
                return 1;
        }
    }
}

/// <summary>One <c>order</c> command, sent to a gateway (this command's own, or a node's order desk) and awaited.</summary>
internal sealed record OrderInstruction(string Action, MarketKind Market, string Strategy, string? RequestId, string? ClientOrderId, OrderRequest? Request,
    (decimal? NewPrice, decimal? NewSize) Amend)
{
    public async Task<int> ExecuteAsync(IActorRef gateway, Inbox inbox, VenueId venue, TextWriter output, CancellationToken ct)
    {
        switch (Action)
        {
            case "place":
                var request = Request!;
                var place = new OrderGatewayProtocol.PlaceOrder(Strategy, RequestId ?? DateTimeOffset.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture),
                    venue, Market, request.Symbol, request.Side, request.Type, request.Size, request.Price)
                {
                    TimeInForce = request.TimeInForce,
                    PostOnly = request.PostOnly,
                    ReduceOnly = request.ReduceOnly,
                    Leverage = request.Leverage,
                    Stop = request.Stop,
                };
                inbox.Send(gateway, place);
                return await OrderCommand.Report(await OrderCommand.Await(inbox, s => s.State.Status != OrderLifecycle.Submitted, ct).ConfigureAwait(false), output).ConfigureAwait(false);
            case "cancel":
                inbox.Send(gateway, new OrderGatewayProtocol.CancelOrder(Strategy, OrderCommand.Required(ClientOrderId)));
                return await OrderCommand.Report(await OrderCommand.Await(inbox, s => s.State.IsTerminal || s.State.Status == OrderLifecycle.Unknown, ct).ConfigureAwait(false), output)
                    .ConfigureAwait(false);
            case "amend":
                if (Amend is { NewPrice: null, NewSize: null })
                {
                    throw new ExchangeException(new ConfigurationError("amend needs --price and/or --size"));
                }

                inbox.Send(gateway, new OrderGatewayProtocol.AmendOrder(Strategy, OrderCommand.Required(ClientOrderId), Amend.NewPrice, Amend.NewSize));
                return await OrderCommand.Report(await OrderCommand.Await(inbox, s => s.Event is OrderEvents.Amended || s.State.IsTerminal || s.State.Status == OrderLifecycle.Unknown, ct)
                    .ConfigureAwait(false), output).ConfigureAwait(false);
            default:
                var state = await gateway.Ask<object>(new OrderGatewayProtocol.GetOrder(OrderCommand.Required(ClientOrderId)), TimeSpan.FromSeconds(30), ct).ConfigureAwait(false);
                return await OrderCommand.Report(state, output).ConfigureAwait(false);
        }
    }
}
