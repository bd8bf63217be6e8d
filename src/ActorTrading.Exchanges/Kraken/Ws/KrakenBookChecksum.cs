using System.Globalization;
using System.IO.Hashing;
using ActorTrading.Core.Market;

namespace ActorTrading.Exchanges.Kraken.Ws;

/// <summary>
/// The CRC32 Kraken's WebSocket v2 book carries with every snapshot and update (docs "Spot WebSocket book checksum"):
/// the top 10 asks from the best (lowest) up, then the top 10 bids from the best (highest) down; each level's price and
/// then quantity written at the instrument's precision (trailing zeros kept), the decimal point removed and leading
/// zeros stripped, all concatenated; CRC32 of that text as an unsigned 32-bit number. No string is built: the numbers are
/// written from their mantissas into one stack buffer, hashed at once.
/// </summary>
public static class KrakenBookChecksum
{
    /// <summary>Levels of each side the checksum covers.</summary>
    public const int Levels = 10;

    /// <param name="asks">Best (lowest) first.</param>
    /// <param name="bids">Best (highest) first.</param>
    /// <param name="priceDecimals">The pair's price precision.</param>
    /// <param name="qtyDecimals">The pair's quantity precision.</param>
    public static uint Compute(ReadOnlySpan<BookLevel> asks, ReadOnlySpan<BookLevel> bids, int priceDecimals, int qtyDecimals)
    {
        // 40 numbers of at most 29 digits and their places' zeros: the whole text fits one stack buffer, hashed at once.
        Span<byte> text = stackalloc byte[4096];
        var length = Append(text, 0, asks, priceDecimals, qtyDecimals);
        length = Append(text, length, bids, priceDecimals, qtyDecimals);
        return Crc32.HashToUInt32(text[..length]);
    }

    private static int Append(Span<byte> text, int at, ReadOnlySpan<BookLevel> side, int priceDecimals, int qtyDecimals)
    {
        for (var i = 0; i < side.Length && i < Levels; i++)
        {
            at += Write(text[at..], side[i].Price, priceDecimals);
            at += Write(text[at..], side[i].Size, qtyDecimals);
        }

        return at;
    }

    /// <summary>
    /// <c>0.00100000</c> → <c>100000</c>: at <paramref name="decimals"/> places, no point, no leading zeros. That text is
    /// the digits of the value's mantissa followed by as many zeros as its scale falls short of the places, so it is
    /// written straight from the mantissa; only a value with more places than the pair's (never sent by the venue) or a
    /// mantissa beyond 64 bits goes through rounding and formatting. Returns the bytes written.
    /// </summary>
    private static int Write(Span<byte> text, decimal value, int decimals)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var scale = (bits[3] >> 16) & 0xFF;
        if (bits[2] == 0 && scale <= decimals && value >= 0 && decimals <= 28)
        {
            var mantissa = ((ulong)(uint)bits[1] << 32) | (uint)bits[0];
            if (mantissa == 0)
            {
                return 0;   // zero: every digit a leading zero
            }

            if (!System.Buffers.Text.Utf8Formatter.TryFormat(mantissa, text, out var digits) || digits + decimals - scale > text.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "a book level that does not fit a checksum's text");
            }

            var zeros = decimals - scale;
            text.Slice(digits, zeros).Fill((byte)'0');
            return digits + zeros;
        }

        return Formatted(text, value, decimals);
    }

    private static int Formatted(Span<byte> text, decimal value, int decimals)
    {
        Span<char> format = stackalloc char[4];
        format[0] = 'F';
        if (!decimals.TryFormat(format[1..], out var digits, provider: CultureInfo.InvariantCulture)
            || !value.TryFormat(text, out var written, format[..(1 + digits)], CultureInfo.InvariantCulture))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "a book level that does not fit a checksum's text");
        }

        var kept = 0;
        for (var i = 0; i < written; i++)
        {
            var c = text[i];
            if (c == (byte)'.' || (c == (byte)'0' && kept == 0))
            {
                continue;
            }

            text[kept++] = c;
        }

        return kept;
    }
}
