using System.Text.Json;
using System.Text.Json.Nodes;
using ActorTrading.Core.Ids;
using ActorTrading.Node.Hosting;
using ActorTrading.Simulator;
using ActorTrading.TestExchange;

namespace ActorTrading.Soak;

/// <summary>
/// One simulated venue of the soak, its fault proxy, the example configuration its venue and strategies come from, and
/// the fake order entry behind the same proxy (null: market data only).
/// </summary>
public sealed record SoakVenue(string Name, SimulatedVenue Simulated, FaultProxy Proxy, string ExampleConfig, SoakOrderEntry? Orders)
{
    /// <summary>The live copy of the venue's paper quoter, trading on the fake's order entry.</summary>
    public string? LiveStrategy { get; set; }

    /// <summary>The venue as the node's status and API name it (<c>kraken.spot</c>).</summary>
    public string Key => $"{Simulated.Venue}.{Simulated.Market.ToWire()}";
}

/// <summary>
/// The five simulated venues behind their fault proxies, and one node configuration that streams all of them through
/// the proxies with each venue's example strategies trading on paper.
/// </summary>
public static class SoakVenues
{
    /// <summary>Each simulator and the example configuration holding its venue's settings and strategies.</summary>
    public static readonly (string Name, string Config)[] All =
    [
        ("kucoin", "appsettings.json"), ("binance", "binance.example.json"), ("bybit", "bybit.example.json"),
        ("kraken", "kraken.example.json"), ("cryptocom", "cryptocom.example.json"),
    ];

    /// <summary>
    /// The faults a venue's proxy injects: a socket dropped or stalled every few minutes, a frame in a few hundred damaged,
    /// REST bursts; at <paramref name="speed"/> drops and stalls come that much more often and stalls last that much less.
    /// </summary>
    public static FaultPlan Plan(string venue, double speed = 1) => new()
    {
        DisconnectsPerSecond = speed / 90.0,
        StallsPerSecond = speed / 240.0,
        StallFor = TimeSpan.FromSeconds(45 / speed),
        DelayProbability = 0.01,
        MaxDelay = TimeSpan.FromMilliseconds(150),
        TruncateProbability = 0.002,
        GarbageProbability = 0.002,
        RestBurstProbability = 0.02,
        BurstLength = 2,
        RestBurstKinds = venue == "binance" ? [FaultKind.Throttle, FaultKind.ServerError, FaultKind.Ban] : [FaultKind.Throttle, FaultKind.ServerError],
        TokenPaths = venue switch
        {
            "kucoin" => ["/api/v1/bullet-public", "/api/v1/bullet-private"],
            "binance" => ["/fapi/v1/listenKey"],
            "kraken" => ["/0/private/GetWebSocketsToken"],
            _ => [],
        },
        TokenFailureProbability = 0.2,
    };

    /// <summary>The named venues' simulators, each behind its proxy.</summary>
    /// <param name="names">Simulated venues (kucoin, binance, bybit, kraken, cryptocom).</param>
    /// <param name="symbols">Symbols per venue: the venue's own two and more (A01, A02, …).</param>
    /// <param name="seed">The run's seed; each proxy's is derived from it and the venue's name.</param>
    /// <param name="speed">How much faster than real time the faults come (<see cref="SoakOptions.Speed"/>).</param>
    public static async Task<IReadOnlyList<SoakVenue>> StartAsync(IEnumerable<string> names, int symbols, int seed, double speed = 1)
    {
        var venues = new List<SoakVenue>();
        foreach (var (name, config) in All.Where(v => names.Contains(v.Name)))
        {
            var simulated = await SimulatedVenue.StartAsync(name, Math.Max(0, symbols - 2)).ConfigureAwait(false);
            var orders = await SoakOrderEntry.StartAsync(name).ConfigureAwait(false);
            var proxy = await FaultProxy.StartAsync(orders?.Routes(simulated) ?? [new ProxyRoute(simulated.RestBaseUri)], Plan(name, speed), FaultProxy.SeedFor(seed, name))
                .ConfigureAwait(false);
            venues.Add(new SoakVenue(name, simulated, proxy, config, orders));
        }

        return venues;
    }

    /// <summary>
    /// The node's settings file: the default configuration with, in place of its venues and strategies, each soaked
    /// venue's entry and paper strategies from its example, REST and streams pointed at the venue's proxy; where a fake
    /// takes orders, the venue's orders and private channels on and a live copy of its quoter (<c>{id}_live</c>).
    /// </summary>
    /// <param name="venues">The soaked venues, their proxies and fakes started.</param>
    /// <param name="folder">Where the file is written (<c>soak.json</c>).</param>
    /// <param name="speed">The node's feed timers are divided by it (floors: 10 s idle and stable, 5 s for answers, 1 s backoff).</param>
    /// <param name="journal">The node's SQLite journal file.</param>
    /// <param name="httpPort">Its HTTP server's port (the soak watches it there).</param>
    public static string WriteNodeConfiguration(IReadOnlyList<SoakVenue> venues, string folder, double speed, string journal, int httpPort)
    {
        var node = Load("appsettings.json");
        node["Journal"]!["Store"] = "sqlite:" + journal;
        node["Http"]!["Port"] = httpPort;
        node["Node"] = new JsonObject { ["StatusIntervalSeconds"] = 1, ["AddressFile"] = Path.Combine(folder, "node.address") };
        node["Logging"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Default"] = "Error" } };
        var venueEntries = new JsonArray();
        var strategies = new JsonArray();
        foreach (var venue in venues)
        {
            var example = Load(venue.ExampleConfig);
            foreach (var entry in example["Venues"]!.AsArray().Where(e => Is(e!, venue)))
            {
                var copy = entry!.DeepClone();
                copy["Enabled"] = true;
                copy["Symbols"] = new JsonArray(venue.Simulated.Server.Symbols.Select(symbol => (JsonNode?)JsonValue.Create(symbol)).ToArray());
                copy["RestBaseUrl"] = venue.Proxy.Address.ToString();
                copy["WsEndpoint"] = venue.Simulated.StreamBase is { } stream
                    ? new UriBuilder(stream) { Host = venue.Proxy.Address.Host, Port = venue.Proxy.Address.Port }.Uri.ToString()
                    : null;
                copy["Feed"] = new JsonObject
                {
                    ["IdleTimeoutSeconds"] = Math.Max(10, 60 / speed),
                    ["BackoffMinSeconds"] = 0.5 / speed,
                    ["BackoffMaxSeconds"] = Math.Max(1, 30 / speed),
                    ["StableAfterSeconds"] = Math.Max(10, 60 / speed),
                    ["AckTimeoutSeconds"] = Math.Max(5, 30 / speed),
                };
                if (venue.Orders is { } orders)
                {
                    copy["Orders"] = new JsonObject { ["Enabled"] = true, ["Route"] = "rest" };
                    copy["PrivateChannels"] = new JsonArray(orders.PrivateChannels.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray());
                }

                venueEntries.Add(copy);
            }

            foreach (var strategy in example["Strategies"]!.AsArray().Where(s => Is(s!, venue) && s!["Mode"]?.GetValue<string>() == "paper"))
            {
                strategies.Add(strategy!.DeepClone());
                if (venue.Orders is not null && strategy!["Type"]?.GetValue<string>() == "quoting" && venue.LiveStrategy is null)
                {
                    var live = strategy.DeepClone();
                    venue.LiveStrategy = strategy["Id"]!.GetValue<string>() + "_live";
                    live["Id"] = venue.LiveStrategy;
                    live["Mode"] = "live";
                    strategies.Add(live);
                }
            }
        }

        node["Venues"] = venueEntries;
        node["Strategies"] = strategies;
        var path = Path.Combine(folder, "soak.json");
        File.WriteAllText(path, node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return path;
    }

    /// <summary>The fakes' API keys and secrets, as the node reads them from its environment.</summary>
    public static IReadOnlyDictionary<string, string?> Credentials(IReadOnlyList<SoakVenue> venues) =>
        venues.Where(v => v.Orders is not null).SelectMany(v => v.Orders!.Credentials).ToDictionary();

    private static JsonNode Load(string file) => JsonNode.Parse(File.ReadAllText(NodeHost.Locate(Path.Combine("config", file))))!;

    private static bool Is(JsonNode entry, SoakVenue venue) =>
        string.Equals(entry["Venue"]?.GetValue<string>(), venue.Simulated.Venue.Value, StringComparison.OrdinalIgnoreCase)
        && string.Equals(entry["Market"]?.GetValue<string>(), venue.Simulated.Market.ToWire(), StringComparison.OrdinalIgnoreCase);
}
