using ActorTrading.Node.Hosting;
using ActorTrading.TestExchange;

namespace ActorTrading.Node.Tests;

/// <summary>The node's own settings with only Binance USDⓈ-M on, pointed at the fake, and the fake's credentials.</summary>
internal static class BinanceNodeSettings
{
    public static readonly IReadOnlyDictionary<string, string?> Credentials = new Dictionary<string, string?>
    {
        ["BINANCE_API_KEY"] = FakeBinanceVenue.ApiKey,
        ["BINANCE_API_SECRET"] = FakeBinanceVenue.Secret,
    };

    /// <summary>KuCoin and every strategy off; Binance (<c>Venues:1</c>, USDⓈ-M unless <paramref name="market"/> says spot) on <paramref name="venue"/> with BTCUSDT and these channels.</summary>
    public static Dictionary<string, string?> Overrides(FakeBinanceVenue venue, string journal, string[] channels, string[] privateChannels, string market = "futures")
    {
        var overrides = new Dictionary<string, string?>
        {
            ["Journal:Store"] = journal,
            ["Venues:0:Enabled"] = "false",
            ["Venues:1:Venue"] = "binance",
            ["Venues:1:Market"] = market,
            ["Venues:1:RestBaseUrl"] = venue.RestUri.ToString(),
            ["Venues:1:WsEndpoint"] = venue.StreamBase.ToString(),
            ["Venues:1:Symbols:0"] = "BTCUSDT",
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
