using System.Security.Cryptography;
using System.Text;
using ActorTrading.Exchanges.KuCoin.Auth;
using ActorTrading.Exchanges.KuCoin.Rest;
using ActorTrading.Runtime.Rest;
using ActorTrading.TestExchange;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using Xunit;

namespace ActorTrading.Runtime.Tests;

/// <summary>
/// A KuCoin REST venue on WireMock and a signed client for it. <see cref="SignedRequest"/> checks what the venue saw
/// (method, path, query, body) and recomputes the signature headers with plain HMAC-SHA256, not with the code under test.
/// </summary>
public abstract class SignedKuCoinVenue : IDisposable
{
    protected const string Key = "test_api_key";
    protected const string Secret = "test_api_secret";
    protected const string Passphrase = "test_passphrase";
    private readonly HttpClient _http = new();

    protected SignedKuCoinVenue()
    {
        Client = new RestClient(_http, new KuCoinRestAdapter(Venue.BaseUri, new KuCoinCredentials(Key, Secret, Passphrase)),
            new RestClientOptions { MaxRetries = 1, BaseDelay = TimeSpan.FromMilliseconds(10) });
    }

    protected FakeKuCoinRest Venue { get; } = new();

    protected RestClient Client { get; }

    protected void Serve(string method, string path, string data) =>
        Venue.Server.Given(Request.Create().WithPath(path).UsingMethod(method))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody($$"""{"code":"200000","data":{{data}}}"""));

    protected void ServeFixture(string method, string path, string fixture) =>
        Venue.Server.Given(Request.Create().WithPath(path).UsingMethod(method))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(Fixtures.KuCoin(fixture)));

    /// <summary>The one request the venue saw, with its signature checked independently; the log is cleared for the next.</summary>
    protected ILogEntry SignedRequest(string method, string pathAndQuery, string? body = null)
    {
        var entry = Assert.Single(Venue.Server.LogEntries);
        var request = entry.RequestMessage;
        Assert.Equal(method, request.Method);
        Assert.Equal(pathAndQuery, request.Path + (request.RawQuery is { Length: > 0 } q ? "?" + Uri.UnescapeDataString(q.TrimStart('?')) : string.Empty));
        Assert.Equal(body ?? string.Empty, request.Body ?? string.Empty);

        string Header(string name) => Assert.Single(request.Headers![name]);
        var timestamp = Header("KC-API-TIMESTAMP");
        Assert.InRange(long.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Assert.Equal(Key, Header("KC-API-KEY"));
        Assert.Equal(Hmac(timestamp + method + pathAndQuery + (body ?? string.Empty)), Header("KC-API-SIGN"));
        Assert.Equal(Hmac(Passphrase), Header("KC-API-PASSPHRASE"));
        Assert.Equal("3", Header("KC-API-KEY-VERSION"));
        Venue.Server.ResetLogEntries();
        return entry;
    }

    public void Dispose()
    {
        Venue.Dispose();
        _http.Dispose();
        GC.SuppressFinalize(this);
    }

    private static string Hmac(string message) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(message)));
}
