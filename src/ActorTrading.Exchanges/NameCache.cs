using System.Text;
using System.Text.Json;

namespace ActorTrading.Exchanges;

/// <summary>
/// One kind of name, by its UTF-8 bytes. The name just seen is compared first (a stream repeats its symbol frame
/// after frame: one byte comparison, no decoding, no hashing); others are looked up without allocating.
/// </summary>
internal sealed class NameCache<T>(Func<string, T> create)
{
    private const int MaxCached = 4096;
    private const int MaxNameBytes = 256;
    private readonly Dictionary<string, T> _byName = new(StringComparer.Ordinal);
    private readonly byte[] _lastBytes = new byte[MaxNameBytes];   // reused: names interleaving on a socket allocate nothing
    private int _lastLength = -1;
    private T? _last;

    public T Get(ReadOnlySpan<byte> utf8, bool escaped)
    {
        if (!escaped && _lastLength >= 0 && utf8.SequenceEqual(_lastBytes.AsSpan(0, _lastLength)))
        {
            return _last!;
        }

        var value = Lookup(utf8, escaped);
        if (!escaped && utf8.Length <= MaxNameBytes)
        {
            utf8.CopyTo(_lastBytes);
            (_lastLength, _last) = (utf8.Length, value);
        }

        return value;
    }

    private T Lookup(ReadOnlySpan<byte> utf8, bool escaped)
    {
        if (escaped || utf8.Length > MaxNameBytes)
        {
            return create(escaped ? JsonSerializer.Deserialize<string>("\"" + Encoding.UTF8.GetString(utf8) + "\"")! : Encoding.UTF8.GetString(utf8));
        }

        Span<char> chars = stackalloc char[MaxNameBytes];
        var length = Encoding.UTF8.GetChars(utf8, chars);
        var lookup = _byName.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(chars[..length], out var known))
        {
            return known;
        }

        if (_byName.Count >= MaxCached)
        {
            _byName.Clear();
        }

        var text = new string(chars[..length]);
        var value = create(text);
        _byName[text] = value;
        return value;
    }
}
