using System.Text.Json;
using ActorTrading.Core.Errors;
using ActorTrading.Exchanges.Bybit.Auth;
using Xunit;

namespace ActorTrading.Exchanges.Tests;

/// <summary>
/// Bybit v5 signing on the strings of the docs' examples (v5/guide, websocket auth). The docs do not state the secret
/// behind their printed signatures, so the expected values are the protocol notes' derived vectors (§7 rows 16-18,
/// secret <c>XXXXXXXXXX</c>), computed from the documented strings.
/// </summary>
public sealed class BybitAuthSpecs
{
    private static readonly BybitCredentials Docs = new("XXXXXXXXXX", "XXXXXXXXXX");

    [Fact]
    public void A_get_signs_timestamp_key_window_and_the_query_string()
    {
        Assert.Equal("c00720f96c5934ca7057ac28ae65b823f83b8b67a8fe784e7795ca0fa3c148ec",
            BybitSigner.SignRequest(Docs, 1658384314791, 5000, "category=option&symbol=BTC-29JUL22-25000-C"));
    }

    [Fact]
    public void A_post_signs_the_body_byte_for_byte_and_the_headers_carry_it()
    {
        // The docs' body has a space after the colon: the signed text is exactly what is sent.
        var headers = BybitSigner.Headers(Docs, 1658385579423, BybitSigner.DefaultRecvWindow, """{"category": "option"}""");

        Assert.Equal(
            [
                KeyValuePair.Create("X-BAPI-API-KEY", "XXXXXXXXXX"),
                KeyValuePair.Create("X-BAPI-TIMESTAMP", "1658385579423"),
                KeyValuePair.Create("X-BAPI-RECV-WINDOW", "5000"),
                KeyValuePair.Create("X-BAPI-SIGN", "fbb4648b585b3e62de2c4eaecc8f3b6066aa18e98cc300eaff4d87f15b55724a"),
            ],
            headers);
        Assert.NotEqual(headers[3].Value, BybitSigner.SignRequest(Docs, 1658385579423, 5000, """{"category":"option"}"""));
    }

    [Fact]
    public void The_auth_frame_carries_the_key_the_expiry_and_the_signature_of_get_realtime()
    {
        using var frame = JsonDocument.Parse(BybitSigner.AuthFrame(Docs, 1662350400000, "10001"));
        var root = frame.RootElement;

        Assert.Equal(("10001", "auth"), (root.GetProperty("req_id").GetString(), root.GetProperty("op").GetString()));
        var args = root.GetProperty("args");
        Assert.Equal(("XXXXXXXXXX", 1662350400000L, "3d6cbbfa4569aab894f661add824ff3f06090d0edba388f1e47dc15e6a7b5a8b"),
            (args[0].GetString(), args[1].GetInt64(), args[2].GetString()));
    }

    [Fact]
    public void Credentials_come_from_the_environment_only_and_never_show_the_secret()
    {
        var missing = Assert.Throws<ExchangeException>(() => BybitCredentials.FromEnvironment(name => name == "BYBIT_API_KEY" ? "key-1234" : null));
        Assert.Equal("configuration: Bybit credentials missing: set BYBIT_API_SECRET in the environment", missing.Error.ToString());

        var credentials = BybitCredentials.FromEnvironment(name => name == "BYBIT_API_KEY" ? " key-1234 " : "s3cret-value");
        Assert.Equal("key-1234", credentials.ApiKey);
        Assert.Equal("BybitCredentials(key=key-****)", credentials.ToString());
        Assert.DoesNotContain("s3cret", credentials.ToString());
    }
}
