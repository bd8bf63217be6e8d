using System.Text.Json;
using ActorTrading.Core.Errors;
using ActorTrading.Exchanges.CryptoCom.Auth;
using Xunit;

namespace ActorTrading.Exchanges.Tests;

/// <summary>Crypto.com Exchange v1 signing on the docs' signature procedure, with the inputs of the docs' own examples (protocols §7, rows 20–23).</summary>
public sealed class CryptoComSigningSpecs
{
    private static JsonElement Params(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Fact]
    public void A_request_with_one_parameter_signs_method_id_key_parameters_and_nonce()
    {
        var credentials = new CryptoComCredentials("token", "secretKey");
        var parameters = Params("""{"order_id":"53287421324"}""");

        Assert.Equal("private/get-order-detail11tokenorder_id532874213241587846358253", CryptoComSigner.Payload("private/get-order-detail", 11, "token", parameters, 1587846358253));
        Assert.Equal("02ef0a52c9428e5d3dcc5dd24d534ca39ef73f35acd3f6945f139a2364ef67a9", CryptoComSigner.Sign(credentials, "private/get-order-detail", 11, parameters, 1587846358253));
    }

    [Fact]
    public void Parameters_are_sorted_and_a_list_of_strings_is_its_items()
    {
        var credentials = new CryptoComCredentials("YOUR_API_KEY", "SECRET_KEY");
        var parameters = Params("""
            {"instrument_name":"BTCUSD-PERP","side":"SELL","type":"LIMIT","price":"50000.5","quantity":"1","client_oid":"c5f682ed-7108-4f1c-b755-972fcdca0f02","exec_inst":["POST_ONLY"],"time_in_force":"FILL_OR_KILL"}
            """);

        Assert.Equal("0d9033c21ef42374eba826aeabd6987c6ec57a3d091f32656f40cd21649eb186", CryptoComSigner.Sign(credentials, "private/create-order", 1, parameters, 1610905028000));
    }

    [Fact]
    public void A_list_of_objects_writes_each_objects_sorted_keys_and_values()
    {
        var credentials = new CryptoComCredentials("API_KEY", "SECRET_KEY");
        var parameters = Params("""
            {"contingency_type":"LIST","order_list":[
              {"instrument_name":"ONE_USDT","side":"BUY","type":"LIMIT","price":"0.24","quantity":"1.0"},
              {"instrument_name":"ONE_USDT","side":"BUY","type":"STOP_LIMIT","price":"0.27","quantity":"1.0","trigger_price":"0.26"}]}
            """);

        Assert.Equal("559d418964b99235c200f2c6ae76af2ac8dc4e31f8702b9274655b2be8216297", CryptoComSigner.Sign(credentials, "private/create-order-list", 14, parameters, 1610905028000));
    }

    [Fact]
    public void The_user_sockets_login_signs_without_parameters()
    {
        var credentials = new CryptoComCredentials("token", "secretKey");

        Assert.Equal("89b7f4457b587439d7093a705abf0063bd5de8eb4ca46e7dc14cb643600b58f1", CryptoComSigner.Sign(credentials, "public/auth", 1587846358253, null, 1587846358253));
    }

    [Fact]
    public void Credentials_come_from_the_environment_and_never_show_the_secret()
    {
        var missing = Assert.Throws<ExchangeException>(() => CryptoComCredentials.FromEnvironment(name => name == "CRYPTOCOM_API_KEY" ? "k" : null));
        Assert.Equal("configuration: Crypto.com credentials missing: set CRYPTOCOM_API_SECRET in the environment", missing.Error.ToString());
        Assert.Equal("CryptoComCredentials(key=abcd****)", new CryptoComCredentials("abcdefgh", "very-secret").ToString());
    }
}
