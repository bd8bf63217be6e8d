using System.Text;
using System.Text.Json;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Market;
using ActorTrading.Exchanges.Kraken.Auth;
using ActorTrading.Exchanges.Kraken.Ws;
using ActorTrading.TestExchange;
using Xunit;

namespace ActorTrading.Exchanges.Tests;

/// <summary>Kraken Spot (issue 17, first slice): the docs' API-Sign vector, strictly increasing nonces, and the book checksum on the docs' examples.</summary>
public sealed class KrakenSigningSpecs
{
    [Fact]
    public void Api_sign_reproduces_the_docs_example()
    {
        var credentials = new KrakenCredentials("key", "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==");

        Assert.Equal("4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ==",
            KrakenSigner.Sign(credentials, "/0/private/AddOrder", 1616492376594, "nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25"));
    }

    [Fact]
    public void Credentials_come_from_the_environment_and_a_secret_that_is_not_base64_is_named_not_shown()
    {
        var missing = Assert.Throws<ExchangeException>(() => KrakenCredentials.FromEnvironment(name => name == "KRAKEN_API_KEY" ? "k" : null));
        Assert.Equal("configuration: Kraken credentials missing: set KRAKEN_API_SECRET in the environment", missing.Error.ToString());

        var garbled = Assert.Throws<ExchangeException>(() => KrakenCredentials.FromEnvironment(name => name == "KRAKEN_API_KEY" ? "k" : "not*base64!"));
        Assert.Contains("KRAKEN_API_SECRET is not base64", garbled.Error.Message);
        Assert.DoesNotContain("not*base64!", garbled.Error.Message);
        Assert.Equal("KrakenCredentials(key=abcd****)", new KrakenCredentials("abcdefgh", "c2VjcmV0").ToString());
    }

    [Fact]
    public void Nonces_increase_strictly_even_within_one_microsecond_and_when_the_clock_steps_back()
    {
        var clock = new SteppingClock(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
        var nonces = new KrakenNonce(clock);

        var first = nonces.Next();
        Assert.Equal(1_700_000_000_000_000L, first);
        Assert.Equal(first + 1, nonces.Next());
        clock.Now = clock.Now.AddSeconds(-5);
        Assert.Equal(first + 2, nonces.Next());
        clock.Now = clock.Now.AddSeconds(10);
        Assert.Equal(1_700_000_005_000_000L, nonces.Next());
    }

    [Fact]
    public void The_book_checksum_reproduces_the_docs_worked_example_and_the_matic_snapshot()
    {
        var (btcAsks, btcBids, btcChecksum) = Book(Fixtures.Kraken("ws_v2_book_snapshot_checksum_example_RECONSTRUCTED"));
        Assert.Equal(3310070434u, btcChecksum);
        Assert.Equal(btcChecksum, KrakenBookChecksum.Compute(btcAsks, btcBids, priceDecimals: 1, qtyDecimals: 8));

        // The docs' string for it, hashed as it stands: the same number.
        var crc = System.IO.Hashing.Crc32.HashToUInt32(Encoding.ASCII.GetBytes(
            "45285210000045286415457195345286615457110945289615456091145290215890660452918154553491452947445474945296135380000452975994554245299518772827452835100000004528341545820154528211000000045281010000000452803154592586452790799000045277633101034527753000000045277315460273745276615445238"));
        Assert.Equal(3310070434u, crc);

        // MATIC/USD: JSON numbers drop trailing zeros (0.567); at the pair's precision (4 and 8 decimals) they are kept.
        var (maticAsks, maticBids, maticChecksum) = Book(Fixtures.Kraken("ws_v2_book_snapshot_MATICUSD_docs_example"));
        Assert.Equal(2439117997u, maticChecksum);
        Assert.Equal(maticChecksum, KrakenBookChecksum.Compute(maticAsks, maticBids, priceDecimals: 4, qtyDecimals: 8));
        Assert.NotEqual(maticChecksum, KrakenBookChecksum.Compute(maticAsks, maticBids, priceDecimals: 3, qtyDecimals: 8));

        // Only the top ten of each side count.
        var deeper = maticAsks.Append(new BookLevel(0.6m, 1m)).ToArray();
        Assert.Equal(maticChecksum, KrakenBookChecksum.Compute(deeper, maticBids, 4, 8));
    }

    private static (BookLevel[] Asks, BookLevel[] Bids, uint Checksum) Book(string frame)
    {
        var data = JsonDocument.Parse(frame).RootElement.GetProperty("data")[0];
        BookLevel[] Side(string name) => data.GetProperty(name).EnumerateArray()
            .Select(l => new BookLevel(l.GetProperty("price").GetDecimal(), l.GetProperty("qty").GetDecimal())).ToArray();
        return (Side("asks"), Side("bids"), data.GetProperty("checksum").GetUInt32());
    }

    private sealed class SteppingClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void The_checksum_written_from_mantissas_equals_the_docs_recipe_on_text_for_any_level()
    {
        var random = new Random(7);
        for (var round = 0; round < 200; round++)
        {
            var (priceDecimals, qtyDecimals) = (random.Next(0, 6), random.Next(0, 9));
            BookLevel Level() => new(
                Math.Round((decimal)random.NextDouble() * 100_000m, random.Next(0, priceDecimals + 1)),
                random.Next(4) == 0 ? 0m : Math.Round((decimal)random.NextDouble() * 50m, random.Next(0, qtyDecimals + 1)));
            var asks = Enumerable.Range(0, 10).Select(_ => Level()).ToArray();
            var bids = Enumerable.Range(0, 10).Select(_ => Level()).ToArray();

            string Text(decimal value, int decimals) =>
                value.ToString("F" + decimals, System.Globalization.CultureInfo.InvariantCulture).Replace(".", string.Empty, StringComparison.Ordinal).TrimStart('0');
            var recipe = string.Concat(asks.Concat(bids).Select(l => Text(l.Price, priceDecimals) + Text(l.Size, qtyDecimals)));

            Assert.Equal(System.IO.Hashing.Crc32.HashToUInt32(Encoding.ASCII.GetBytes(recipe)), KrakenBookChecksum.Compute(asks, bids, priceDecimals, qtyDecimals));
        }
    }
}
