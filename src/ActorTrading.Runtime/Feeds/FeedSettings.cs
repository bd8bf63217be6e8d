namespace ActorTrading.Runtime.Feeds;

/// <summary>Connection policy of a feed; every value can be set from config.</summary>
public sealed record FeedSettings
{
    /// <summary>Name of the feed within its venue ("public", "private"), used in topics and logs.</summary>
    public string Name { get; init; } = "public";

    /// <summary>No frame at all for this long forces a reconnect.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan BackoffMin { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Streaming this long without trouble resets the backoff to its minimum.</summary>
    public TimeSpan StableAfter { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long to wait for the server's welcome after the socket opens.</summary>
    public TimeSpan WelcomeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long to wait for the venue's answer to the login frame of a venue that takes one.</summary>
    public TimeSpan LoginTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Reconnect (with a fresh token) after this long on one connection, before the venue cuts it: KuCoin tokens and
    /// connections last 24 hours.
    /// </summary>
    public TimeSpan MaxConnectionAge { get; init; } = TimeSpan.FromHours(23);

    /// <summary>
    /// How long subscription requests may wait for the venue's next answer before the connection is replaced (an answer
    /// lost or mangled on the way). Every answer restarts the clock, so a long subscription burst paced by the send
    /// window does not trip it.
    /// </summary>
    public TimeSpan AckTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Consecutive refused tokens after which the feed stops instead of spinning.</summary>
    public int MaxTokenRejections { get; init; } = 5;

    /// <summary>Send-window slots kept free for pings so subscription bursts never starve the keep-alive.</summary>
    public int PingReserve { get; init; } = 2;

    /// <summary>Overrides the adapter's send window (tests use short windows).</summary>
    public Core.Adapters.SendWindow? SendWindow { get; init; }

    public int MaxFrameBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>
    /// How long a public feed waits before asking again when the venue refuses it as unauthorized (a 401 or an IP
    /// ban on the public token endpoint): long, so the node never hammers a venue that said no.
    /// </summary>
    public TimeSpan RefusedRetryDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Random spread of each backoff delay, ±fraction.</summary>
    public double Jitter { get; init; } = 0.2;
}
