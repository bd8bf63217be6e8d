using System.Buffers;
using System.Buffers.Text;
using System.Collections.Immutable;
using System.Text.Json;
using ActorTrading.Core.Market;

namespace ActorTrading.Core.Json;

/// <summary>A frame or body did not have the shape we expect; turned into a <c>ProtocolError</c> by the caller.</summary>
public sealed class FrameFormatException(string message) : Exception(message);

/// <summary>
/// Allocation-free readers for venue JSON. Venues send decimals both as strings ("90503.9") and as
/// numbers (90445.02, 6.1e-05); both are read straight into <see cref="decimal"/>, never through double.
/// </summary>
public static class JsonReading
{
    public static decimal ReadDecimal(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return !reader.HasValueSequence && TryParsePlain(reader.ValueSpan, out var plain) ? plain
                : reader.TryGetDecimal(out var number) ? number : throw OutOfRange(field);
        }

        if (reader.TokenType == JsonTokenType.String)
        {
            var span = ValueSpan(ref reader);
            if (TryParsePlain(span, out var plain))
            {
                return plain;
            }

            if (Utf8Parser.TryParse(span, out decimal parsed, out var consumed) && consumed == span.Length)
            {
                return parsed;
            }

            // Scientific notation ("6.1E-05") is rare: only then pay for the second attempt.
            if (Utf8Parser.TryParse(span, out parsed, out consumed, 'E') && consumed == span.Length)
            {
                return parsed;
            }

            throw new FrameFormatException($"field '{field}' is not a decimal");
        }

        throw new FrameFormatException($"field '{field}' must be a number or numeric string, got {reader.TokenType}");
    }

    public static decimal? ReadNullableDecimal(ref Utf8JsonReader reader, string field) =>
        reader.TokenType == JsonTokenType.Null ? null : ReadDecimal(ref reader, field);

    /// <summary>An optional number: null and the empty string (how KuCoin sends "no value") are no value.</summary>
    public static decimal? ReadOptionalDecimal(ref Utf8JsonReader reader, string field) =>
        reader.TokenType == JsonTokenType.Null || (reader.TokenType == JsonTokenType.String && reader.ValueSpan.IsEmpty && !reader.HasValueSequence)
            ? null
            : ReadDecimal(ref reader, field);

    public static long ReadInt64(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.TryGetInt64(out var number) ? number : throw OutOfRange(field);
        }

        if (reader.TokenType == JsonTokenType.String)
        {
            var span = ValueSpan(ref reader);
            if (Utf8Parser.TryParse(span, out long parsed, out var consumed) && consumed == span.Length)
            {
                return parsed;
            }
        }

        throw new FrameFormatException($"field '{field}' must be an integer, got {reader.TokenType}");
    }

    /// <summary>A JSON <c>true</c> or <c>false</c>; anything else (a quoted "true", a number) is refused.</summary>
    public static bool ReadBoolean(ref Utf8JsonReader reader, string field) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw new FrameFormatException($"field '{field}' must be true or false, got {reader.TokenType}"),
    };

    public static string ReadString(ref Utf8JsonReader reader, string field)
    {
        return reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString()!,
            JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(ValueSpan(ref reader)),
            _ => throw new FrameFormatException($"field '{field}' must be a string, got {reader.TokenType}"),
        };
    }

    /// <summary>Advances to the next token, failing on a truncated frame.</summary>
    public static void Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new FrameFormatException("frame ends early");
        }
    }

    public static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string what)
    {
        if (reader.TokenType != type)
        {
            throw new FrameFormatException($"{what} must be {type}, got {reader.TokenType}");
        }
    }

    /// <summary>Reads <c>[[price, size], …]</c> where each value may be a string or a number.</summary>
    public static ImmutableArray<BookLevel> ReadLevels(ref Utf8JsonReader r, string field) => ReadLevels(ref r, field, new List<BookLevel>());

    /// <summary>
    /// Reads <c>[[price, size], …]</c> through <paramref name="scratch"/> (a parser's reusable list), so the only
    /// allocation is the array of exactly the levels read.
    /// </summary>
    public static ImmutableArray<BookLevel> ReadLevels(ref Utf8JsonReader r, string field, List<BookLevel> scratch)
    {
        Expect(ref r, JsonTokenType.StartArray, field);
        scratch.Clear();
        var builder = scratch;
        while (true)
        {
            Next(ref r);
            if (r.TokenType == JsonTokenType.EndArray)
            {
                break;
            }

            // The field's own name in any error: a name built per level would allocate on every frame.
            Expect(ref r, JsonTokenType.StartArray, field);
            Next(ref r);
            var price = ReadDecimal(ref r, field);
            Next(ref r);
            var size = ReadDecimal(ref r, field);
            Next(ref r);
            while (r.TokenType != JsonTokenType.EndArray)
            {
                r.Skip();
                Next(ref r);
            }

            builder.Add(Level(price, size, field));
        }

        return builder.Count == 0 ? ImmutableArray<BookLevel>.Empty : ImmutableArray.Create(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(builder));
    }

    /// <summary>
    /// The byte of a one-byte member name (Binance's <c>"s"</c>, <c>"p"</c>, <c>"q"</c>…), else 0: a switch on it
    /// replaces a chain of name comparisons on the hot path.
    /// </summary>
    public static byte OneByteName(ref Utf8JsonReader r)
    {
        if (!r.ValueIsEscaped && !r.HasValueSequence)
        {
            var name = r.ValueSpan;
            return name.Length == 1 ? name[0] : (byte)0;
        }

        return r.GetString() is [var c] && c < 0x80 ? (byte)c : (byte)0;
    }

    /// <summary>Moves to the next member of an object: false at its end.</summary>
    public static bool NextMember(ref Utf8JsonReader r)
    {
        Next(ref r);
        if (r.TokenType == JsonTokenType.EndObject)
        {
            return false;
        }

        Expect(ref r, JsonTokenType.PropertyName, "data member");
        return true;
    }

    /// <summary>Skips the value of the member the reader is on.</summary>
    public static void SkipValue(ref Utf8JsonReader r)
    {
        Next(ref r);
        r.Skip();
    }

    public static T Required<T>(T? value, string field)
        where T : struct => value ?? throw Missing(field);

    public static FrameFormatException Missing(string field) => new($"missing field '{field}'");

    /// <summary>A book level as venues send them: a positive price, a size of zero (remove) or more.</summary>
    public static BookLevel Level(decimal price, decimal size, string field) => price > 0 && size >= 0
        ? new BookLevel(price, size)
        : throw new FrameFormatException($"{field} level {price} x {size}: the price must be positive and the size not negative");

    /// <summary>Decimal from an already-read JSON element (REST payloads).</summary>
    public static decimal GetDecimal(this JsonElement element, string field)
    {
        if (element.ValueKind == JsonValueKind.Number)
        {
            return element.TryGetDecimal(out var number) ? number : throw OutOfRange(field);
        }

        if (element.ValueKind == JsonValueKind.String
            && decimal.TryParse(element.GetString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
        {
            return parsed;
        }

        throw new FrameFormatException($"field '{field}' is not a decimal ({element.ValueKind})");
    }

    public static decimal? GetNullableDecimal(this JsonElement element, string field) =>
        element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? null : element.GetDecimal(field);

    public static long GetLong(this JsonElement element, string field)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var number))
        {
            return number;
        }

        if (element.ValueKind == JsonValueKind.String && long.TryParse(element.GetString(), out var parsed))
        {
            return parsed;
        }

        throw new FrameFormatException($"field '{field}' is not an integer ({element.ValueKind})");
    }

    public static long? GetNullableLong(this JsonElement element, string field) =>
        element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? null : element.GetLong(field);

    /// <summary>The named property, or an element of kind Undefined when absent.</summary>
    public static JsonElement Field(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;

    /// <summary>The named property; a missing one is a format error naming the field.</summary>
    public static JsonElement Required(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value
            : throw new FrameFormatException($"missing field '{name}'");

    public static string? GetNullableString(this JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    /// <summary>
    /// The hot path of price and size reading: <c>-?digits(.digits)?</c> with at most 19 digits, the form venues send
    /// almost always, read straight into the decimal's mantissa and scale (the same value and scale as
    /// <see cref="Utf8Parser"/> gives, about three times faster). Anything else (exponents, longer numbers, signs
    /// like <c>+</c>) is left to the general parser.
    /// </summary>
    public static bool TryParsePlain(ReadOnlySpan<byte> span, out decimal value)
    {
        value = 0;
        var i = span.Length > 0 && span[0] == (byte)'-' ? 1 : 0;
        var negative = i == 1;
        if (span.Length - i is 0 or > 20)
        {
            return false;
        }

        ulong mantissa = 0;
        var digits = 0;
        var scale = -1;
        for (; i < span.Length; i++)
        {
            var c = span[i];
            if (c == (byte)'.')
            {
                if (scale >= 0 || digits == 0)
                {
                    return false;
                }

                scale = 0;
                continue;
            }

            var digit = (uint)(c - '0');
            if (digit > 9 || ++digits > 19)
            {
                return false;
            }

            mantissa = (mantissa * 10) + digit;
            if (scale >= 0)
            {
                scale++;
            }
        }

        if (digits == 0 || scale == 0)
        {
            return false;   // "-", "." or "5.": the general parser decides
        }

        value = new decimal((int)(uint)mantissa, (int)(uint)(mantissa >> 32), 0, negative && mantissa != 0, (byte)Math.Max(scale, 0));
        return true;
    }

    private static ReadOnlySpan<byte> ValueSpan(ref Utf8JsonReader reader) =>
        reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;

    private static FrameFormatException OutOfRange(string field) => new($"field '{field}' is out of range");
}
