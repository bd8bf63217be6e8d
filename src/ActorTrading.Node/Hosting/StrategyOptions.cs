using System.Text.RegularExpressions;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Journal;
using ActorTrading.Runtime.Capture;
using ActorTrading.Runtime.Venues;
using ActorTrading.Strategies;
using ActorTrading.Strategies.Paper;
using Microsoft.Extensions.Configuration;

namespace ActorTrading.Node.Hosting;

/// <summary>One entry of <c>Strategies</c>: which strategy runs, on what, with which parameters and limits.</summary>
public sealed partial class StrategyOptions
{
    /// <summary>Its name: <c>/user/strategies/{Id}</c> and the prefix of its client order ids (letters, digits and _; up to 16).</summary>
    public string Id { get; set; } = "";

    /// <summary><c>quoting</c>, <c>funding-monitor</c>, <c>candle-momentum</c>, or a StrategyActor's full type name (in <see cref="Assembly"/>).</summary>
    public string Type { get; set; } = "";

    /// <summary>Path of the assembly (a class library of the user's) that holds <see cref="Type"/>, relative to the working folder.</summary>
    public string? Assembly { get; set; }

    public bool Enabled { get; set; } = true;

    public string Venue { get; set; } = "kucoin";

    public string Market { get; set; } = "futures";

    public List<string> Symbols { get; set; } = [];

    /// <summary><c>paper</c> (the default: the paper venue on this venue's data) or <c>live</c> (the venue's order entry).</summary>
    public string Mode { get; set; } = "paper";

    public Dictionary<string, string> Parameters { get; set; } = new();

    public RiskOptions Risk { get; set; } = new();

    /// <summary>
    /// The cluster role of the nodes that run it (<c>Cluster.Roles</c>); none: every node runs it. Its risk limits and
    /// paper venue live with the order desk wherever it runs.
    /// </summary>
    public string? Role { get; set; }

    /// <summary>Whether a node with <paramref name="roles"/> runs this strategy.</summary>
    public bool RunsOn(IReadOnlyCollection<string> roles) => string.IsNullOrEmpty(Role) || roles.Contains(Role, StringComparer.Ordinal);

    /// <summary>Checks the entry against the venues that run; a wrong one is a configuration error naming the strategy.</summary>
    public StrategySettings ToSettings(IReadOnlyList<VenueDefinition> venues)
    {
        if (!IdRule().IsMatch(Id))
        {
            throw Invalid($"id '{Id}' must be 1-16 letters, digits or _ (a '-' would make client order ids ambiguous)");
        }

        var paper = Mode.ToLowerInvariant() switch
        {
            "paper" => true,
            "live" => false,
            _ => throw Invalid($"Mode '{Mode}' must be paper or live"),
        };
        if (!MarketKindNames.TryParse(Market, out var market))
        {
            throw Invalid($"unknown market '{Market}'");
        }

        var venue = venues.FirstOrDefault(v => string.Equals(v.Venue.Value, Venue, StringComparison.OrdinalIgnoreCase) && v.Market == market)
            ?? throw Invalid($"venue {Venue} {Market} is not enabled in Venues");
        if (!paper && venue.OrderEntry is null)
        {
            throw Invalid($"live trading on {venue.Name} needs its Orders.Enabled (and credentials)");
        }

        var streamed = venue.Subscriptions.Select(s => s.Symbol).ToHashSet();
        var symbols = Symbols.Select(s => new Symbol(s)).ToArray();
        if (symbols.Length == 0)
        {
            throw Invalid("no Symbols");
        }

        if (symbols.FirstOrDefault(s => !streamed.Contains(s)) is { Value: not null } missing)
        {
            throw Invalid($"symbol {missing} is not streamed by {venue.Name}");
        }

        var settings = new StrategySettings(Id, Type, venue.Venue, market, symbols, paper, Parameters, Risk.ToLimits(Invalid))
        {
            AssemblyPath = string.IsNullOrWhiteSpace(Assembly) ? null : Path.GetFullPath(Assembly),
            Role = string.IsNullOrEmpty(Role) ? null : Role,
        };
        StrategyCatalog.Check(settings);
        return settings;
    }

    private ExchangeException Invalid(string reason) => new(new ConfigurationError($"strategy {(Id.Length > 0 ? Id : "?")}: {reason}"));

    [GeneratedRegex("^[A-Za-z0-9_]{1,16}$")]
    private static partial Regex IdRule();
}

/// <summary>A strategy's limits, enforced by the order gateway (a refused order is journaled as rejected with the limit).</summary>
public sealed class RiskOptions
{
    public decimal? MaxOrderSize { get; set; }

    public decimal? MaxNotional { get; set; }

    public int? MaxOpenOrders { get; set; }

    public int? MaxOrdersPerSecond { get; set; }

    /// <summary>The limits; a limit that is set must be above zero (<paramref name="invalid"/> names the strategy).</summary>
    public RiskLimits ToLimits(Func<string, Exception> invalid)
    {
        foreach (var (name, value) in new (string, decimal?)[]
                 {
                     ("MaxOrderSize", MaxOrderSize), ("MaxNotional", MaxNotional), ("MaxOpenOrders", MaxOpenOrders), ("MaxOrdersPerSecond", MaxOrdersPerSecond),
                 })
        {
            if (value <= 0)
            {
                throw invalid($"Risk.{name} = {value} must be above zero (leave it out for no limit)");
            }
        }

        return new RiskLimits
        {
            MaxOrderSize = MaxOrderSize,
            MaxNotional = MaxNotional,
            MaxOpenOrders = MaxOpenOrders,
            MaxOrdersPerSecond = MaxOrdersPerSecond,
        };
    }
}

/// <summary>The <c>Paper</c> section: fees and latency of the paper venues.</summary>
public sealed class PaperOptions
{
    /// <summary>Maker fee as a rate of notional (0.0002 = 2 bps).</summary>
    public decimal MakerFeeRate { get; set; } = 0.0002m;

    public decimal TakerFeeRate { get; set; } = 0.0006m;

    public string FeeCurrency { get; set; } = "USDT";

    /// <summary>Gone: each instrument's contract size comes from the venue's instrument list. Set, it is a configuration error.</summary>
    public decimal? ContractSize { get; set; }

    /// <summary>Time from an order's acceptance to its arrival in the simulated book.</summary>
    public double LatencyMs { get; set; } = 50;

    public PaperFees Fees => new(MakerFeeRate, TakerFeeRate, FeeCurrency);

    /// <summary>These options, or a configuration error for a value that cannot work (fee rates may be negative: rebates).</summary>
    public PaperOptions Checked() =>
        LatencyMs < 0 ? throw Invalid($"Paper.LatencyMs = {LatencyMs} must be zero or more")
        : ContractSize is not null ? throw Invalid("Paper.ContractSize is no longer read: paper venues take each instrument's contract size from the venue's instrument list; remove it")
        : string.IsNullOrWhiteSpace(FeeCurrency) ? throw Invalid("Paper.FeeCurrency is empty")
        : this;

    private static ExchangeException Invalid(string message) => new(new ConfigurationError(message));

    public TimeSpan Latency => TimeSpan.FromMilliseconds(LatencyMs);
}

/// <summary>The <c>Capture</c> section: raw frames (and the book snapshots feeds fetch) to rotating compressed files.</summary>
public sealed class CaptureOptions
{
    public bool Enabled { get; set; }

    public string Directory { get; set; } = "data/captures";

    public double RotateMegabytes { get; set; } = 64;

    public double RotateMinutes { get; set; } = 60;

    /// <summary>The writer the config asks for, or null when capture is off.</summary>
    public static CaptureWriter? From(IConfiguration configuration, TimeProvider clock)
    {
        var options = NodeHost.Section<CaptureOptions>(configuration, "Capture") ?? new CaptureOptions();
        if (!options.Enabled)
        {
            return null;
        }

        if (options.RotateMegabytes <= 0 || options.RotateMinutes <= 0)
        {
            throw new ExchangeException(new ConfigurationError("Capture.RotateMegabytes and Capture.RotateMinutes must be positive"));
        }

        return new CaptureWriter(options.Directory, (long)(options.RotateMegabytes * 1024 * 1024), TimeSpan.FromMinutes(options.RotateMinutes), clock);
    }
}
