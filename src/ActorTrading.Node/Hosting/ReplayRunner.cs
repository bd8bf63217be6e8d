using ActorTrading.Runtime.Hosting;
using ActorTrading.Runtime.Replay;
using ActorTrading.Runtime.Venues;
using ActorTrading.Strategies;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.Hosting;

namespace ActorTrading.Node.Hosting;

/// <summary>
/// Drives a replay inside the node: once every book actor is running and every strategy is ready, pumps the capture
/// through the adapters onto the bus (<see cref="ReplayPump"/>), then stops the node.
/// </summary>
public sealed class ReplayRunner(
    ActorSystem system, IRequiredActor<StrategiesSupervisor> strategies, IRequiredActor<ExchangesRoot> exchanges, MarketDataBusHolder busHolder,
    IReadOnlyList<VenueDefinition> venues, ReplayClock clock, ReplaySettings settings, IHostApplicationLifetime lifetime) : BackgroundService
{
    public ReplayExchangesProtocol.Finished? Result { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // A book answers only once it runs (and has subscribed to the bus): no frame may reach the bus before that.
            var root = await exchanges.GetAsync(stoppingToken).ConfigureAwait(false);
            foreach (var venue in venues)
            {
                foreach (var symbol in venue.Books)
                {
                    await root.Ask<object>(new ExchangesRootProtocol.ToVenue(venue.Venue, venue.Market, new ExchangeSupervisorProtocol.GetBook(symbol, 1)), stoppingToken)
                        .ConfigureAwait(false);
                }
            }

            var supervisor = await strategies.GetAsync(stoppingToken).ConfigureAwait(false);
            while (!(await supervisor.Ask<StrategiesProtocol.Statuses>(StrategiesProtocol.GetStatuses.Instance, stoppingToken).ConfigureAwait(false)).Items.All(s => s.Ready))
            {
                await Task.Delay(20, stoppingToken).ConfigureAwait(false);
            }

            Result = await new ReplayPump(system, venues, busHolder.Bus!, clock, settings).RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            lifetime.StopApplication();
        }
    }
}
