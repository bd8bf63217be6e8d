using System.Text.Json;
using System.Text.Json.Nodes;
using ActorTrading.Core.Ids;
using ActorTrading.Node.Hosting;
using ActorTrading.Simulator;
using ActorTrading.TestExchange;

namespace ActorTrading.Soak;

/// <summary>One simulated venue of the soak, its fault proxy, and the example configuration its venue and strategies come from.</summary>
public sealed record SoakVenue(string Name, SimulatedVenue Simulated, FaultProxy Proxy, string ExampleConfig)
{
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

    /// <summary>The faults a venue's proxy injects: a socket dropped or stalled every few minutes, a frame in a few hundred damaged, REST bursts.</summary>
    public static FaultPlan Plan(string venue) => new()
    {
        DisconnectsPerSecond = 1 / 90.0,
        StallsPerSecond = 1 / 240.0,
        StallFor = TimeSpan.FromSeconds(45),
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
    public static async Task<IReadOnlyList<SoakVenue>> StartAsync(IEnumerable<string> names, int symbols, int seed)
    {
        var venues = new List<SoakVenue>();
        foreach (var (name, config) in All.Where(v => names.Contains(v.Name)))
        {
            var simulated = await SimulatedVenue.StartAsync(name, Math.Max(0, symbols - 2)).ConfigureAwait(false);
            var proxy = await FaultProxy.StartAsync(simulated.RestBaseUri, Plan(name), FaultProxy.SeedFor(seed, name)).ConfigureAwait(false);
            venues.Add(new SoakVenue(name, simulated, proxy, config));
        }

        return venues;
    }

    /// <summary>
    /// The node's settings file: the default configuration with, in place of its venues and strategies, each soaked
    /// venue's entry and paper strategies from its example, REST and streams pointed at the venue's proxy.
    /// </summary>
    public static string WriteNodeConfiguration(IReadOnlyList<SoakVenue> venues, string folder)
    {
        var node = Load("appsettings.json");
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
                venueEntries.Add(copy);
            }

            foreach (var strategy in example["Strategies"]!.AsArray().Where(s => Is(s!, venue) && s!["Mode"]?.GetValue<string>() == "paper"))
            {
                strategies.Add(strategy!.DeepClone());
            }
        }

        node["Venues"] = venueEntries;
        node["Strategies"] = strategies;
        var path = Path.Combine(folder, "soak.json");
        File.WriteAllText(path, node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return path;
    }

    private static JsonNode Load(string file) => JsonNode.Parse(File.ReadAllText(NodeHost.Locate(Path.Combine("config", file))))!;

    private static bool Is(JsonNode entry, SoakVenue venue) =>
        string.Equals(entry["Venue"]?.GetValue<string>(), venue.Simulated.Venue.Value, StringComparison.OrdinalIgnoreCase)
        && string.Equals(entry["Market"]?.GetValue<string>(), venue.Simulated.Market.ToWire(), StringComparison.OrdinalIgnoreCase);
}
