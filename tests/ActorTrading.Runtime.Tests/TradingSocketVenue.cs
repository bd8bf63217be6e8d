using System.Text.Json;
using ActorTrading.Exchanges.KuCoin.Auth;
using ActorTrading.TestExchange;

namespace ActorTrading.Runtime.Tests;

/// <summary>A scripted KuCoin trading socket (<c>wsapi</c>) on Kestrel: challenge, welcome on the right answer, replies per request.</summary>
internal static class TradingSocketVenue
{
    public const string Secret = "test_api_secret";

    /// <summary>The docs' challenge, byte for byte (note the space after the comma).</summary>
    public const string Challenge = """{"sessionId":"92f2aec4-d87e-47cc-917d-4e7c93911bdc", "timestamp": 1742175983882}""";

    public static readonly KuCoinCredentials Credentials = new("test_api_key", Secret, "test_passphrase");

    public static async Task<FakeWebSocketServer> StartAsync(Func<JsonElement, string?> reply)
    {
        var ws = await FakeWebSocketServer.StartAsync();
        ws.OnConnected = _ => [Challenge];
        ws.OnClientMessage = m =>
        {
            if (m.Text == "HRb1PEgWSF6IdTheMljK9P7jvoNWkAFvD5X8LGsEk/c=")
            {
                return ["""{"sessionId":"92f2aec4-d87e-47cc-917d-4e7c93911bdc","data":"welcome","pingInterval":18000,"pingTimeout":10000}"""];
            }

            if (!m.Text.StartsWith('{'))
            {
                return ["""{"code":"400005","msg":"Invalid KC-API-SIGN","inTime":1,"outTime":1}"""];
            }

            using var doc = JsonDocument.Parse(m.Text);
            return reply(doc.RootElement) is { } answer ? [answer] : [];
        };
        return ws;
    }
}
