using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ActorTrading.Simulator;

/// <summary>
/// What every simulated venue shares: its Kestrel app on loopback, its markets moving every tick, and a stop that ends
/// the market loop, drops the sockets and stops the server.
/// </summary>
public abstract class SimulatedServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    private protected SimulatedServer(WebApplication app, IEnumerable<(string Symbol, decimal Mid, decimal Tick, decimal Multiplier)> markets, int seed)
    {
        App = app;
        var random = new Random(seed);
        Markets = markets.ToDictionary(m => m.Symbol, m => new SimulatedMarket(m.Symbol, m.Mid, m.Tick, new Random(random.Next())) { Multiplier = m.Multiplier });
    }

    /// <summary>While paused the markets stand still: no step, no frame (a soak compares the node's books with them then).</summary>
    public bool Paused { get; set; }

    /// <summary>The simulated symbols, as the venue names them.</summary>
    public IReadOnlyCollection<string> Symbols => Markets.Keys.ToArray();

    /// <summary>A market's book now, best first, sizes as this venue writes them on its wire.</summary>
    public (IReadOnlyList<(decimal Price, decimal Size)> Bids, IReadOnlyList<(decimal Price, decimal Size)> Asks) Book(string symbol)
    {
        var market = Markets[symbol];
        var book = market.Snapshot();
        return (book.Bids.Select(l => (l.Price, WireSize(market, l.Size))).ToArray(), book.Asks.Select(l => (l.Price, WireSize(market, l.Size))).ToArray());
    }

    /// <summary>The paths this venue serves (REST and streams), as mapped: a proxy that also fronts order entry routes by them.</summary>
    public IReadOnlySet<string> Paths => App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
        .Select(e => e.RoutePattern.RawText!).ToHashSet(StringComparer.Ordinal);

    /// <summary>The REST base URL to point the venue at (<c>RestBaseUrl</c>).</summary>
    public Uri RestBaseUri { get; private set; } = null!;

    private protected WebApplication App { get; }

    private protected IReadOnlyDictionary<string, SimulatedMarket> Markets { get; }

    /// <summary>The sockets open now (aborted at stop).</summary>
    private protected abstract IEnumerable<WebSocket> OpenSockets { get; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        foreach (var socket in OpenSockets)
        {
            socket.Abort();
        }

        await App.StopAsync().ConfigureAwait(false);
        await App.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Starts the server (its endpoints mapped) and the market loop.</summary>
    private protected async Task StartServingAsync(TimeSpan tick)
    {
        await App.StartAsync().ConfigureAwait(false);
        RestBaseUri = new Uri(LoopbackServer.Address(App), "/");
        _loop = Task.Run(() => RunAsync(tick));
    }

    /// <summary>
    /// Markets beyond a venue's own two (a soak's twenty symbols): base coins A01, A02, … with mids 110, 120, …, a cent
    /// tick and <paramref name="multiplier"/>; <paramref name="symbolOf"/> names a base coin's market the venue's way.
    /// </summary>
    private protected static IEnumerable<(string Symbol, decimal Mid, decimal Tick, decimal Multiplier)> MoreMarkets(int count, Func<string, string> symbolOf, decimal multiplier) =>
        Enumerable.Range(1, count).Select(i => (symbolOf($"A{i:00}"), 100m + (10m * i), 0.01m, multiplier));

    /// <summary>A size in the market's whole units as this venue writes it (base units; KuCoin writes contracts).</summary>
    private protected virtual decimal WireSize(SimulatedMarket market, decimal units) => units * market.Multiplier;

    /// <summary>Sends one market step as the venue frames it to the sockets that subscribed to it.</summary>
    private protected abstract Task PublishAsync(SimulatedMarket market, MarketStep step);

    private async Task RunAsync(TimeSpan tick)
    {
        using var timer = new PeriodicTimer(tick);
        var ticks = 0L;
        while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
        {
            if (Paused)
            {
                continue;
            }

            ticks++;
            var now = DateTimeOffset.UtcNow;
            foreach (var market in Markets.Values)
            {
                await PublishAsync(market, market.Step(now, slow: ticks % 10 == 0)).ConfigureAwait(false);
            }
        }
    }
}
