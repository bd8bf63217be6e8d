using System.Security.Cryptography;

namespace ActorTrading.Core.Ids;

/// <summary>
/// One run of the node (live, simulated, offline or a replay): 10 characters of <c>[0-9a-z]</c>, the start second
/// since 2020 (base 36) and four random ones. Every order a run places carries it, and it is part of the run's client
/// order ids and paper trade ids, so two runs on one journal never share an id.
/// </summary>
public readonly record struct RunId
{
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
    private static readonly DateTimeOffset Epoch = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private RunId(string value) => Value = value;

    public string Value { get; }

    /// <summary>A new run id from the wall clock and a random suffix.</summary>
    public static RunId New(TimeProvider? clock = null)
    {
        var seconds = (long)Math.Max(0, ((clock ?? TimeProvider.System).GetUtcNow() - Epoch).TotalSeconds);
        Span<char> text = stackalloc char[10];
        for (var i = 5; i >= 0; i--)
        {
            text[i] = Alphabet[(int)(seconds % 36)];
            seconds /= 36;
        }

        for (var i = 6; i < 10; i++)
        {
            text[i] = Alphabet[RandomNumberGenerator.GetInt32(36)];
        }

        return new RunId(new string(text));
    }

    /// <summary>A given run id (to repeat a replay exactly): 1 to 12 of <c>[0-9a-z]</c>.</summary>
    public static bool TryParse(string? text, out RunId runId)
    {
        var valid = text is { Length: >= 1 and <= 12 } && text.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'z'));
        runId = valid ? new RunId(text!) : default;
        return valid;
    }

    public override string ToString() => Value;
}
