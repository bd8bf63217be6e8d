using System.Net;
using System.Security.Cryptography;
using System.Text;
using ActorTrading.Core.Errors;
using ActorTrading.Journal;
using ActorTrading.Runtime.Telemetry;
using Akka.Actor;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;

namespace ActorTrading.Node.Http;

/// <summary>
/// The node's HTTP endpoint, started and stopped with the node: <c>/health/live</c>, <c>/health/ready</c> (what is not
/// ready, as JSON, with 503), the read-only JSON API (<c>/api/status</c>, <c>/api/book</c>, <c>/api/orders</c>, <c>/api/activity</c>,
/// <c>/api/audit</c>, <c>/api/events</c>) and <c>/metrics</c> (OpenTelemetry's Prometheus
/// exporter: the node's meters, the runtime's GC and memory). Its own Kestrel app, fed by the node's services.
/// </summary>
public sealed class NodeHttpServer(
    HttpOptions options, NodeSources node, TextWriter output, Func<string, string?> environment, MeterProvider meters, ILogger<NodeHttpServer> log)
    : IHostedService, IAsyncDisposable
{
    private readonly NodeReadiness _readiness = new(TimeSpan.FromSeconds(options.ReadyGraceSeconds), TimeProvider.System);
    private readonly JournalProbe _journal = new(node.Journal);
    private readonly JournalAuditView _audit = new(node.Journal, node.Run, TimeProvider.System);
    private WebApplication? _app;
    private StatusMetrics? _metrics;

    /// <summary>Where the endpoint listens once started (<c>http://127.0.0.1:5380/</c>).</summary>
    public Uri? Address { get; private set; }

    /// <summary>The node's meter provider: its meters, the runtime's, and the Prometheus exporter the endpoint serves.</summary>
    public static void AddMetrics(IServiceCollection services) => services.AddOpenTelemetry().WithMetrics(metrics => metrics
        .AddMeter(NodeTelemetry.MeterName, StatusMetrics.MeterName)
        .AddRuntimeInstrumentation()
        .AddPrometheusExporter());

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var address = IPAddress.Parse(options.Address);
        try
        {
            try
            {
                _app = await StartOnAsync(address, options.Port, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e) when (options.Port != 0 && e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
            {
                // Another node on this machine has the port: this one still serves, on a free port it says.
                log.LogWarning("Http:Port {Port} is taken ({Reason}): serving on a free port instead", options.Port, e.Message);
                _app = await StartOnAsync(address, 0, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            throw new ExchangeException(new ConfigurationError($"the HTTP endpoint cannot listen on {options.Address}:{options.Port}: {e.Message} (set Http:Address, Http:Port, or Http:Enabled false)"));
        }

        Address = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        await output.WriteLineAsync($"http: {Address} (dashboard {Address}, health {Address}health/ready, metrics {Address}metrics, API {Address}api/status)").ConfigureAwait(false);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            _app = null;
        }

        _metrics?.Dispose();
    }

    private async Task<WebApplication> StartOnAsync(IPAddress address, int port, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(address, port));
        _metrics ??= new StatusMetrics(node.Status);
        var app = builder.Build();
        if (environment(HttpOptions.TokenVariable) is { Length: > 0 } token)
        {
            app.Use((http, next) => Authorized(http, token) ? next(http) : Refuse(http));
        }

        app.MapGet("/health/live", () => Results.Json(new { status = "live", run = node.Run.Value }));
        app.MapGet("/health/ready", async () =>
        {
            var verdict = _readiness.Evaluate(node.Status.Last, await _journal.ProblemAsync().ConfigureAwait(false), ClusterProblem());
            return Results.Json(new { status = verdict.Ready ? "ready" : "not-ready", problems = verdict.Problems },
                statusCode: verdict.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        app.MapGet("/api/status", () => Results.Json(StatusView.Of(node.Run, node.Status.Last, node.Status.LastStrategies)));
        app.MapGet("/api/book", async (string venue, string symbol, int? depth) => await node.BookAsync(venue, symbol, depth ?? 10).ConfigureAwait(false) is { } book
            ? Results.Json(book)
            : Results.Json(new { error = $"no book of {symbol} on {venue} (venue as venue.market, e.g. kucoin.futures)" }, statusCode: StatusCodes.Status404NotFound));
        app.MapGet("/api/activity", async () => Results.Json(await node.ActivityAsync().ConfigureAwait(false)));
        app.MapGet("/api/orders", async () => await node.OpenOrdersAsync().ConfigureAwait(false) is { } orders
            ? Results.Json(orders)
            : Results.Json(new { error = "the order desk did not answer in time" }, statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapGet("/api/audit", async (HttpContext http) =>
        {
            try
            {
                return Results.Json(await _audit.ReadAsync(name => http.Request.Query[name].FirstOrDefault(), http.RequestAborted).ConfigureAwait(false));
            }
            catch (ExchangeException e)
            {
                log.LogWarning("/api/audit: {Error}", e.Error);
                return Results.Json(new { error = e.Error.ToString() },
                    statusCode: e.Error is ConfigurationError ? StatusCodes.Status400BadRequest : StatusCodes.Status503ServiceUnavailable);
            }
        });
        app.MapGet("/api/events", (Func<HttpContext, Task>)(http => DashboardEvents.StreamAsync(http, node)));
        app.MapGet("/", () => Results.Content(DashboardPage.Html, "text/html; charset=utf-8"));
        app.UseOpenTelemetryPrometheusScrapingEndpoint(meters, predicate: null, path: "/metrics", configureBranchedPipeline: null, optionsName: null);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            return app;
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Health is for probes and stays open; everything else takes <c>Authorization: Bearer</c> or <c>?access_token=</c> (a browser's page and event stream).</summary>
    private static bool Authorized(HttpContext http, string token)
    {
        if (http.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal))
        {
            return true;
        }

        var given = http.Request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.Ordinal)
            ? header["Bearer ".Length..]
            : http.Request.Query["access_token"].ToString();
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(token));
    }

    private static Task Refuse(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status401Unauthorized;
        http.Response.Headers.WWWAuthenticate = "Bearer";
        return http.Response.WriteAsJsonAsync(new { error = $"a bearer token is required ({HttpOptions.TokenVariable})" });
    }

    /// <summary>A live node is a cluster member and must be Up; a replay has no cluster.</summary>
    private string? ClusterProblem()
    {
        if (node.System is not ExtendedActorSystem { Provider: Akka.Cluster.ClusterActorRefProvider })
        {
            return null;
        }

        var self = Akka.Cluster.Cluster.Get(node.System).SelfMember;
        return self.Status == Akka.Cluster.MemberStatus.Up ? null : $"this member is {self.Status}, not Up";
    }

    /// <summary>Whether the journal answers, asked at most every few seconds (a probe every scrape would be a load of its own).</summary>
    private sealed class JournalProbe(JournalSettings journal)
    {
        private static readonly TimeSpan Reuse = TimeSpan.FromSeconds(5);
        private (DateTimeOffset At, string? Problem)? _last;

        public async Task<string?> ProblemAsync()
        {
            if (_last is { } last && DateTimeOffset.UtcNow - last.At < Reuse)
            {
                return last.Problem;
            }

            var problem = await Task.Run(() =>
            {
                try
                {
                    journal.RequireExisting();
                    return null;
                }
                catch (ExchangeException e)
                {
                    return e.Error.Message;
                }
            }).ConfigureAwait(false);
            _last = (DateTimeOffset.UtcNow, problem);
            return problem;
        }
    }
}
