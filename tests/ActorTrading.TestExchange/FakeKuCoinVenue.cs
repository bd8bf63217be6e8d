namespace ActorTrading.TestExchange;

/// <summary>
/// KuCoin Futures on loopback with an account: REST on WireMock.Net (<see cref="FakeKuCoinRest"/>, public tokens
/// included), sockets on a <see cref="FakeWebSocketServer"/>, and the <see cref="FakeKuCoinAccount"/> that keeps the orders.
/// </summary>
public sealed class FakeKuCoinVenue : IAsyncDisposable
{
    private FakeKuCoinVenue(FakeKuCoinRest rest, FakeWebSocketServer ws)
    {
        (Rest, Ws) = (rest, ws);
        rest.ServeBullet(ws.Uri);
        Account = new FakeKuCoinAccount(rest, ws);
    }

    public FakeKuCoinRest Rest { get; }

    public FakeWebSocketServer Ws { get; }

    public FakeKuCoinAccount Account { get; }

    /// <summary>The stream server's host (scheme, host, port): private sockets come here by the private token's endpoint.</summary>
    public Uri StreamBase => new(Ws.Uri.GetLeftPart(UriPartial.Authority));

    /// <summary>The variables the node reads the account's key from.</summary>
    public static IReadOnlyDictionary<string, string?> Credentials { get; } = new Dictionary<string, string?>
    {
        ["KC_KEY"] = FakeKuCoinAccount.ApiKey,
        ["KC_SECRET"] = FakeKuCoinAccount.Secret,
        ["KC_PASSPHRASE"] = FakeKuCoinAccount.Passphrase,
    };

    public static async Task<FakeKuCoinVenue> StartAsync() => new(new FakeKuCoinRest(), await FakeWebSocketServer.StartAsync().ConfigureAwait(false));

    public async ValueTask DisposeAsync()
    {
        Rest.Dispose();
        await Ws.DisposeAsync().ConfigureAwait(false);
    }
}
