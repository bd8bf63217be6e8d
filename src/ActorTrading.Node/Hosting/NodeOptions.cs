using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges;
using ActorTrading.Runtime.Books;
using ActorTrading.Runtime.Feeds;
using ActorTrading.Runtime.Hosting;
using ActorTrading.Runtime.Orders;
using ActorTrading.Runtime.Rest;
using ActorTrading.Runtime.Venues;

namespace ActorTrading.Node.Hosting;

/// <summary>The <c>Node</c> section of <c>config/appsettings.json</c>.</summary>
public sealed class NodeOptions
{
    public double StatusIntervalSeconds { get; set; } = 1;

    /// <summary>Where a running node writes its address, for <c>status</c> to find it (removed when it stops).</summary>
    public string AddressFile { get; set; } = DefaultAddressFile;

    public const string DefaultAddressFile = "data/node.address";

    /// <summary>
    /// How long an order waits for the venue's answer to a placement, cancel or amend before it is journaled as Unknown
    /// (and resolved by asking the venue).
    /// </summary>
    public double OrderAnswerTimeoutSeconds { get; set; } = 90;

    /// <summary><c>text</c> (one line per event) or <c>json</c> (one JSON object per event, fields named: run, venue, symbol, strategy, client order id).</summary>
    public string LogFormat { get; set; } = "text";

    public LogFormat LogFormatChecked() => LogFormat.ToLowerInvariant() switch
    {
        "text" => Hosting.LogFormat.Text,
        "json" => Hosting.LogFormat.Json,
        _ => throw new ExchangeException(new ConfigurationError($"Node.LogFormat = '{LogFormat}': text or json")),
    };
}

/// <summary>
/// The <c>Cluster</c> section: where the node listens and which cluster it joins. Left out, the node is a cluster of
/// its own on a free loopback port. Seeds and roles also come from <c>ACTORTRADING__Cluster__SeedNodes__0</c> and so on.
/// </summary>
public sealed class ClusterNodeOptions
{
    public string Hostname { get; set; } = "127.0.0.1";

    /// <summary>0 picks a free port (a node of its own); a node others join needs a fixed one.</summary>
    public int Port { get; set; }

    /// <summary>The host other nodes reach this one by, when it differs from <see cref="Hostname"/> (a container's service name).</summary>
    public string? PublicHostname { get; set; }

    public List<string> SeedNodes { get; set; } = [];

    public List<string> Roles { get; set; } = [];

    /// <summary>How long a node may stay unreachable before the others down it and take over its singletons.</summary>
    public double StableAfterSeconds { get; set; } = 7;

    /// <summary>How long another node's heartbeats may pause before it counts as unreachable.</summary>
    public double HeartbeatPauseSeconds { get; set; } = 3;

    public ClusterSettings ToSettings() =>
        new ClusterSettings(Hostname, Port, PublicHostname, SeedNodes, Roles) { StableAfter = TimeSpan.FromSeconds(StableAfterSeconds), HeartbeatPause = TimeSpan.FromSeconds(HeartbeatPauseSeconds) }.Checked();
}

public sealed class FeedOptions
{
    public double IdleTimeoutSeconds { get; set; } = 60;

    public double BackoffMinSeconds { get; set; } = 0.5;

    public double BackoffMaxSeconds { get; set; } = 30;

    public double StableAfterSeconds { get; set; } = 60;

    /// <summary>How long a venue that takes a login frame may take to answer it.</summary>
    public double LoginTimeoutSeconds { get; set; } = 10;

    /// <summary>How long subscription requests may go without the venue's next answer before the connection is replaced.</summary>
    public double AckTimeoutSeconds { get; set; } = 30;
}

/// <summary>One entry of <c>Venues</c>: a venue+market, what to stream and where its servers are.</summary>
/// <summary>Order entry of a venue: off by default; on, it needs the venue's credentials.</summary>
public sealed class OrderOptions
{
    public bool Enabled { get; set; }

    /// <summary><c>rest</c> or <c>ws</c> (the venue's trading WebSocket; calls it has no op for still go by REST).</summary>
    public string Route { get; set; } = "rest";

    /// <summary>Default leverage of derivatives orders that set none.</summary>
    public int Leverage { get; set; } = 1;

    /// <summary>Derivatives margin mode (<c>isolated</c>, <c>cross</c>); the account's when unset.</summary>
    public string? MarginMode { get; set; }

    /// <summary>Overrides the venue's trading WebSocket URL.</summary>
    public string? TradingWsEndpoint { get; set; }

    /// <summary>Longest wait for the venue's answer before an order's state is unknown.</summary>
    public double AnswerTimeoutSeconds { get; set; } = 60;
}

public sealed class VenueOptions
{
    public string Venue { get; set; } = "kucoin";

    public string Market { get; set; } = "futures";

    public bool Enabled { get; set; } = true;

    /// <summary>REST base URL; every venue's can be pointed at another server.</summary>
    public string? RestBaseUrl { get; set; }

    /// <summary>WebSocket endpoint replacing the one the venue hands out (the token is still fetched over REST).</summary>
    public string? WsEndpoint { get; set; }

    public List<string> Symbols { get; set; } = [];

    public List<string> Channels { get; set; } = [];

    public string CandleInterval { get; set; } = "1min";

    public bool Books { get; set; } = true;

    public FeedOptions Feed { get; set; } = new();

    public double BookStaleSeconds { get; set; } = 30;

    /// <summary>How often the venue's instrument list (tick, lot step, minimums, contract size) is reloaded.</summary>
    public double InstrumentRefreshMinutes { get; set; } = 60;

    /// <summary>Private channels (<c>orders</c>, <c>positions</c>, <c>balances</c>); any makes the node need credentials.</summary>
    public List<string> PrivateChannels { get; set; } = [];

    /// <summary>Symbols of the private channels; <c>*</c> means every symbol.</summary>
    public List<string> PrivateSymbols { get; set; } = ["*"];

    public OrderOptions Orders { get; set; } = new();

    /// <summary>Turns the options into a runnable definition, or a <see cref="ConfigurationError"/> saying what is wrong.</summary>
    public VenueDefinition ToDefinition() => ToDefinition(Environment.GetEnvironmentVariable);

    public VenueDefinition ToDefinition(Func<string, string?> environment)
    {
        if (!MarketKindNames.TryParse(Market, out var market))
        {
            throw Invalid($"unknown market '{Market}' (futures, spot, margin, unified)");
        }

        var module = ExchangeCatalog.Find(Venue, market);
        var endpoints = new VenueEndpoints(ParseUri(RestBaseUrl, "RestBaseUrl") ?? module.DefaultRestBase, ParseUri(WsEndpoint, "WsEndpoint"));
        if (Symbols.Count == 0)
        {
            throw Invalid("no Symbols configured");
        }

        var channels = Channels.Select(c => DataChannelNames.TryParse(c, out var channel) ? channel : throw Invalid($"unknown channel '{c}'")).ToArray();

        var subscriptions = Symbols.SelectMany(symbol => channels.Select(channel =>
            new Subscription(channel, new Symbol(symbol), channel == DataChannel.Candles ? CandleInterval : null))).ToArray();
        var bookSymbols = Books && channels.Any(c => c is DataChannel.BookDelta or DataChannel.BookDepth5 or DataChannel.BookDepth50)
            ? Symbols.Select(s => new Symbol(s)).ToArray()
            : [];

        var privateChannels = PrivateChannels.Select(c => DataChannelNames.TryParse(c, out var channel) && IsPrivate(channel)
            ? channel
            : throw Invalid($"unknown private channel '{c}' ({string.Join(", ", Enum.GetValues<DataChannel>().Where(IsPrivate).Select(p => p.ToWire()))})")).ToArray();
        var hasPrivateFeed = privateChannels.Length > 0;
        var privateModule = module as IPrivateVenueModule;
        if (hasPrivateFeed && privateModule is null)
        {
            throw Invalid("this venue has no private feed yet");
        }

        var orders = OrderEntry(module);
        var isPrivate = hasPrivateFeed || orders.Adapter is not null;

        var privateSubscriptions = privateChannels.SelectMany(channel => (channel is DataChannel.Balances or DataChannel.AccountSettings or DataChannel.StopOrders ? ["*"] : PrivateSymbols)
            .Select(symbol => new Subscription(channel, new Symbol(symbol)))).Distinct().ToArray();

        var feed = module.CreateFeedAdapter(endpoints);
        IFeedAdapter? privateFeed;
        try
        {
            privateFeed = hasPrivateFeed ? privateModule!.CreatePrivateFeedAdapter(endpoints, environment) : null;

            // The adapters know which channels and candle intervals their venue has: ask them now, not at the first connect.
            _ = feed.SubscriptionFrames(subscriptions, subscribe: true, () => "0");
            _ = privateFeed?.SubscriptionFrames(privateSubscriptions, subscribe: true, () => "0");
            _ = privateFeed?.LoginFrame("0", DateTimeOffset.UtcNow);   // and whether they have the keys to log in with
        }
        catch (ExchangeException e)
        {
            throw Invalid(e.Error.Message);
        }

        return new VenueDefinition(
            feed,
            isPrivate ? privateModule!.CreateSignedRestAdapter(endpoints, environment) : module.CreateRestAdapter(endpoints),
            module.Limits,
            subscriptions,
            bookSymbols,
            FeedSettings(),
            new OrderBookSettings { StaleAfter = Seconds(BookStaleSeconds, "BookStaleSeconds") },
            new RestClientOptions(),
            privateFeed,
            privateSubscriptions,
            orders.Adapter,
            orders.Settings,
            orders.Settings?.Route == OrderRoute.WebSocket ? TradingSocket((ITradingSocketModule)module, environment) : null)
        {
            Instruments = module.Instruments,
            InstrumentSettings = new InstrumentCatalogSettings { Refresh = TimeSpan.FromMinutes(InstrumentRefreshMinutes > 0 ? InstrumentRefreshMinutes : throw Invalid($"InstrumentRefreshMinutes = {InstrumentRefreshMinutes} must be above zero")) },
        };
    }

    /// <summary>What a private feed can carry: the account's own state, and its lend orders.</summary>
    private static bool IsPrivate(DataChannel channel) => channel.IsAccount() || channel == DataChannel.Lending;

    private FeedSettings FeedSettings()
    {
        var settings = new FeedSettings
        {
            IdleTimeout = Seconds(Feed.IdleTimeoutSeconds, "Feed.IdleTimeoutSeconds"),
            BackoffMin = Seconds(Feed.BackoffMinSeconds, "Feed.BackoffMinSeconds"),
            BackoffMax = Seconds(Feed.BackoffMaxSeconds, "Feed.BackoffMaxSeconds"),
            StableAfter = Seconds(Feed.StableAfterSeconds, "Feed.StableAfterSeconds"),
            LoginTimeout = Seconds(Feed.LoginTimeoutSeconds, "Feed.LoginTimeoutSeconds"),
            AckTimeout = Seconds(Feed.AckTimeoutSeconds, "Feed.AckTimeoutSeconds"),
        };
        return settings.BackoffMax >= settings.BackoffMin
            ? settings
            : throw Invalid($"Feed.BackoffMaxSeconds ({Feed.BackoffMaxSeconds}) is below Feed.BackoffMinSeconds ({Feed.BackoffMinSeconds})");
    }

    private (IOrderEntryAdapter? Adapter, OrderEntrySettings? Settings) OrderEntry(IVenueModule venue)
    {
        if (!Orders.Enabled)
        {
            return (null, null);
        }

        if (venue is not IOrderEntryModule module)
        {
            throw Invalid("this venue has no order entry yet");
        }

        var route = Orders.Route.ToLowerInvariant() switch
        {
            "rest" => OrderRoute.Rest,
            "ws" or "websocket" when module is ITradingSocketModule => OrderRoute.WebSocket,
            "ws" or "websocket" => throw Invalid("this venue has no trading WebSocket: use Orders.Route rest"),
            _ => throw Invalid($"unknown Orders.Route '{Orders.Route}' (rest, ws)"),
        };
        var settings = new OrderEntrySettings { Route = route, AnswerTimeout = Seconds(Orders.AnswerTimeoutSeconds, "Orders.AnswerTimeoutSeconds") };
        try
        {
            return (module.CreateOrderEntry(new OrderEntryOptions(Orders.Leverage, Orders.MarginMode)), settings);
        }
        catch (ExchangeException e)
        {
            throw Invalid(e.Error.Message);
        }
    }

    private IRequestReplyAdapter TradingSocket(ITradingSocketModule module, Func<string, string?> environment)
    {
        var endpoint = ParseUri(Orders.TradingWsEndpoint, "Orders.TradingWsEndpoint");
        try
        {
            return module.CreateTradingSocket(endpoint, environment);
        }
        catch (ExchangeException e) when (e.Error is ConfigurationError)
        {
            throw Invalid(e.Error.Message);
        }
    }

    private ExchangeException Invalid(string message) => new(new ConfigurationError($"venue {Venue} {Market}: {message}"));

    private Uri? ParseUri(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri : throw Invalid($"{field} '{text}' is not an absolute URL");
    }

    private TimeSpan Seconds(double value, string field) =>
        value > 0 ? TimeSpan.FromSeconds(value) : throw Invalid($"{field} must be positive");
}
