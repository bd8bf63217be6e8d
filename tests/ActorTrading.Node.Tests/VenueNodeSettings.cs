using ActorTrading.Node.Hosting;
using ActorTrading.TestExchange;

namespace ActorTrading.Node.Tests;

/// <summary>The node's own settings with only one venue on (<c>Venues:1</c>), pointed at a fake, with no strategy.</summary>
internal static class VenueNodeSettings
{
    /// <summary>KuCoin and every strategy off; <paramref name="venue"/> <paramref name="market"/> on the fake's hosts with <paramref name="symbol"/> and these channels.</summary>
    public static Dictionary<string, string?> Overrides(string venue, string market, Uri restUri, Uri? streamBase, string journal, string[] channels, string[] privateChannels,
        string symbol = "BTCUSDT")
    {
        var overrides = new Dictionary<string, string?>
        {
            ["Journal:Store"] = journal,
            ["Venues:0:Enabled"] = "false",
            ["Venues:1:Venue"] = venue,
            ["Venues:1:Market"] = market,
            ["Venues:1:RestBaseUrl"] = restUri.ToString(),
            ["Venues:1:WsEndpoint"] = streamBase?.ToString(),
            ["Venues:1:Symbols:0"] = symbol,
        };
        for (var i = 0; i < channels.Length; i++)
        {
            overrides[$"Venues:1:Channels:{i}"] = channels[i];
        }

        for (var i = 0; i < privateChannels.Length; i++)
        {
            overrides[$"Venues:1:PrivateChannels:{i}"] = privateChannels[i];
        }

        foreach (var strategy in NodeHost.LoadConfiguration(null).GetSection("Strategies").GetChildren())
        {
            overrides[$"Strategies:{strategy.Key}:Enabled"] = "false";
        }

        return overrides;
    }
}

/// <summary>The node's own settings with only KuCoin Futures on (XBTUSDTM), pointed at the fake account.</summary>
internal static class KuCoinNodeSettings
{
    /// <summary>The sockets' endpoints come from the token endpoints (bullet-public, bullet-private), as on the venue.</summary>
    public static Dictionary<string, string?> Overrides(FakeKuCoinRest rest, string journal, string[] channels, string[] privateChannels) =>
        VenueNodeSettings.Overrides("kucoin", "futures", rest.BaseUri, null, journal, channels, privateChannels, "XBTUSDTM");
}

/// <summary>The node's own settings with only Binance USDⓈ-M on, pointed at the fake, and the fake's credentials.</summary>
internal static class BinanceNodeSettings
{
    public static readonly IReadOnlyDictionary<string, string?> Credentials = new Dictionary<string, string?>
    {
        ["BINANCE_API_KEY"] = FakeBinanceVenue.ApiKey,
        ["BINANCE_API_SECRET"] = FakeBinanceVenue.Secret,
    };

    /// <summary>KuCoin and every strategy off; Binance (<c>Venues:1</c>, USDⓈ-M unless <paramref name="market"/> says spot) on <paramref name="venue"/> with BTCUSDT and these channels.</summary>
    public static Dictionary<string, string?> Overrides(FakeBinanceVenue venue, string journal, string[] channels, string[] privateChannels, string market = "futures") =>
        VenueNodeSettings.Overrides("binance", market, venue.RestUri, venue.StreamBase, journal, channels, privateChannels);
}

/// <summary>The node's own settings with only Bybit on, pointed at the fake, and the fake's credentials.</summary>
internal static class BybitNodeSettings
{
    public static readonly IReadOnlyDictionary<string, string?> Credentials = new Dictionary<string, string?>
    {
        ["BYBIT_API_KEY"] = FakeBybitVenue.ApiKey,
        ["BYBIT_API_SECRET"] = FakeBybitVenue.Secret,
    };

    public static Dictionary<string, string?> Overrides(FakeBybitVenue venue, string journal, string[] channels, string[] privateChannels, string market = "futures") =>
        VenueNodeSettings.Overrides("bybit", market, venue.RestUri, venue.StreamBase, journal, channels, privateChannels);
}

/// <summary>The node's own settings with only Kraken on (spot, BTC/USD), pointed at the fake, and the fake's credentials.</summary>
internal static class KrakenNodeSettings
{
    public static readonly IReadOnlyDictionary<string, string?> Credentials = new Dictionary<string, string?>
    {
        ["KRAKEN_API_KEY"] = FakeKrakenVenue.ApiKey,
        ["KRAKEN_API_SECRET"] = FakeKrakenVenue.Secret,
    };

    public static Dictionary<string, string?> Overrides(FakeKrakenVenue venue, string journal, string[] channels, string[] privateChannels) =>
        VenueNodeSettings.Overrides("kraken", "spot", venue.RestUri, venue.StreamBase, journal, channels, privateChannels, "BTC/USD");
}

/// <summary>The node's own settings with only Crypto.com on (spot, BTC_USDT), pointed at the fake, and the fake's credentials.</summary>
internal static class CryptoComNodeSettings
{
    public static readonly IReadOnlyDictionary<string, string?> Credentials = new Dictionary<string, string?>
    {
        ["CRYPTOCOM_API_KEY"] = FakeCryptoComVenue.ApiKey,
        ["CRYPTOCOM_API_SECRET"] = FakeCryptoComVenue.Secret,
    };

    public static Dictionary<string, string?> Overrides(FakeCryptoComVenue venue, string journal, string[] channels, string[] privateChannels) =>
        VenueNodeSettings.Overrides("cryptocom", "spot", venue.RestUri, venue.StreamBase, journal, channels, privateChannels, "BTC_USDT");
}
