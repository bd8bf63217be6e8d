namespace ActorTrading.Core.Errors;

/// <summary>
/// Takes credential-derived values (keys, signatures, passphrases, tokens) out of text a venue sent back before it is
/// printed, logged or journaled: a server that echoes what it was sent must not leak it through us.
/// </summary>
public static class Secrets
{
    /// <summary>Values shorter than this are not scrubbed: they could be ordinary words or numbers.</summary>
    public const int MinLength = 6;

    public const string Mark = "[redacted]";

    public static string Scrub(string text, IReadOnlyCollection<string> secrets)
    {
        if (secrets.Count == 0 || text.Length < MinLength)
        {
            return text;
        }

        // Longest first: a secret that contains another is replaced whole.
        foreach (var secret in secrets.Where(s => s.Length >= MinLength).OrderByDescending(s => s.Length))
        {
            text = text.Replace(secret, Mark, StringComparison.Ordinal);
        }

        return text;
    }

    public static ExchangeError Scrub(ExchangeError error, IReadOnlyCollection<string> secrets) => secrets.Count == 0
        ? error
        : error switch
        {
            ProtocolError protocol => protocol with { Message = Scrub(protocol.Message, secrets), Frame = Scrub(protocol.Frame, secrets) },
            _ => error with { Message = Scrub(error.Message, secrets) },
        };
}
