using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Journal;
using ActorTrading.Node.Hosting;
using ActorTrading.Simulator;
using Akka.Actor;

namespace ActorTrading.Node.Cli;

/// <summary>
/// <c>actortrading journal-drill</c>: a burst of orders and fills through the real gateway and order actors into the
/// configured journal, against a venue that accepts everything. Each fill arrives twice (by "WebSocket" and "REST"),
/// so the burst also exercises de-duplication. Its orders go to the venue <c>drill</c> (never a real venue's name) and,
/// unless <c>--journal</c> says otherwise, into a journal of its own (<c>data/drills/{run}.db</c>), never the live one.
/// Used to check crash safety (kill it anywhere, then <c>audit verify</c>) and to see the journal's write rate.
/// </summary>
public static class JournalDrill
{
    /// <summary>The venue drill orders go to: a name no exchange adapter has.</summary>
    public static readonly VenueId Venue = new("drill");

    public static async Task<int> RunAsync(int orders, int fillsPerOrder, string? journalSpec, string? configPath, CliEnvironment environment, TextWriter output, CancellationToken ct)
    {
        if (orders < 1 || fillsPerOrder < 1)
        {
            throw new ExchangeException(new ConfigurationError($"--orders and --fills-per-order must be at least 1 (got {orders} and {fillsPerOrder})"));
        }

        NodeHost.LoadConfiguration(configPath, environment.ConfigOverrides);
        var run = RunId.New();
        var journal = JournalSettings.Parse(journalSpec ?? $"sqlite:{Path.Combine("data", "drills", run.Value + ".db")}", environment.Variable);
        var system = JournalSystem.Create("drill", journal, NodeHost.Locate("hocon.conf"));
        try
        {
            var venue = system.ActorOf(Props.Create(() => new AcceptingVenue()), "venue");
            var gateway = system.ActorOf(OrderGateway.Props(
                VenueDoors.Direct(new Dictionary<(VenueId, MarketKind), IActorRef> { [(Venue, MarketKind.Futures)] = venue }), settings: new OrderActorSettings { RunId = run.Value }), "orders");
            var done = new TaskCompletionSource<(int Acknowledged, int Fills)>(TaskCreationOptions.RunContinuationsAsynchronously);
            var started = DateTimeOffset.UtcNow;
            await output.WriteLineAsync($"drill {run}: {orders} orders, {fillsPerOrder} fills each (every fill delivered twice) into {journal.Describe()}").ConfigureAwait(false);
            system.ActorOf(Props.Create(() => new DrillStrategy(gateway, run, orders, fillsPerOrder, output, done)), "drill");
            var (acknowledged, fills) = await done.Task.WaitAsync(ct).ConfigureAwait(false);
            var seconds = (DateTimeOffset.UtcNow - started).TotalSeconds;
            await output.WriteLineAsync().ConfigureAwait(false);
            await output.WriteLineAsync($"done: {acknowledged} orders, {fills} fills in {seconds:0.0} s into {journal.Describe()}").ConfigureAwait(false);
            return 0;
        }
        finally
        {
            await system.Terminate().ConfigureAwait(false);
        }
    }

    /// <summary>Places every order at once, then fills each as soon as it is acknowledged.</summary>
    private sealed class DrillStrategy : ReceiveActor
    {
        public DrillStrategy(IActorRef gateway, RunId run, int orders, int fillsPerOrder, TextWriter output, TaskCompletionSource<(int, int)> done)
        {
            // One progress line, rewritten in place (a carriage return, no new line), every 50 fills and at the end.
            void Progress(int acknowledged, int fills) => output.Write($"\rprogress: {acknowledged}/{orders} acknowledged, {fills} fills");

            var acknowledged = 0;
            var fills = 0;
            var finished = 0;
            for (var i = 1; i <= orders; i++)
            {
                gateway.Tell(new OrderGatewayProtocol.PlaceOrder("drill", $"{run}-{i}", Venue, MarketKind.Futures, new Symbol("XBTUSDTM"),
                    i % 2 == 0 ? Side.Sell : Side.Buy, OrderType.Limit, fillsPerOrder, 60000m + i));
            }

            Receive<OrderGatewayProtocol.OrderStatus>(status =>
            {
                switch (status.Event)
                {
                    case OrderEvents.Acknowledged:
                        acknowledged++;
                        for (var f = 1; f <= fillsPerOrder; f++)
                        {
                            var fill = new FillInfo($"{status.State.ClientOrderId}-t{f}", status.State.Price ?? 0, 1, 0.01m, "USDT", Liquidity.Maker);
                            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                            gateway.Tell(new OrderActorProtocol.ReportFill(status.State.ClientOrderId, fill, FillSource.WebSocket, status.State.VenueOrderId, now));
                            gateway.Tell(new OrderActorProtocol.ReportFill(status.State.ClientOrderId, fill, FillSource.Rest, status.State.VenueOrderId, now));
                        }

                        break;
                    case OrderEvents.FillRecorded:
                        if (++fills % 50 == 0)
                        {
                            Progress(acknowledged, fills);
                        }

                        break;
                }

                if (status.Event is not null && status.State.IsTerminal && status.Event is OrderEvents.FillRecorded && ++finished == orders)
                {
                    Progress(acknowledged, fills);
                    done.TrySetResult((acknowledged, fills));
                }
            });
        }
    }
}
