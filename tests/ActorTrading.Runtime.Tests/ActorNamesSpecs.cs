using ActorTrading.Runtime.Hosting;
using Akka.Actor;
using Xunit;

namespace ActorTrading.Runtime.Tests;

/// <summary>Actor names made from venue symbols: valid for Akka, unchanged when already valid, and never two symbols to one name.</summary>
public sealed class ActorNamesSpecs
{
    [Theory]
    [InlineData("BTCUSDT", "BTCUSDT")]
    [InlineData("XBTUSDTM", "XBTUSDTM")]
    [InlineData("BTC-USDT", "BTC-USDT")]
    [InlineData("BTC/USD", "BTC~2FUSD")]
    [InlineData("BTC~2FUSD", "BTC~7E2FUSD")]
    [InlineData("ÄB C", "~C3~84B~20C")]
    public void A_symbol_becomes_a_valid_and_distinct_actor_name(string symbol, string expected)
    {
        var name = ActorNames.Of(symbol);

        Assert.Equal(expected, name);
        Assert.True(ActorPath.IsValidPathElement(name));
    }
}
