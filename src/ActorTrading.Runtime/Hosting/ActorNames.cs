using System.Globalization;
using System.Text;

namespace ActorTrading.Runtime.Hosting;

/// <summary>
/// Actor names from venue text (symbols): Kraken's <c>BTC/USD</c> has a character no actor path may hold. Every
/// character outside what Akka allows, and <c>~</c> itself, is written <c>~XX</c> (its code in hex), so two names never
/// meet and a plain symbol keeps its name.
/// </summary>
public static class ActorNames
{
    private const string Allowed = "-_.*$+:@&=,!';()";

    public static string Of(string text)
    {
        if (text.All(IsPlain))
        {
            return text;
        }

        var name = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (IsPlain(c))
            {
                name.Append(c);
            }
            else
            {
                foreach (var b in Encoding.UTF8.GetBytes(c.ToString()))
                {
                    name.Append('~').Append(b.ToString("X2", CultureInfo.InvariantCulture));
                }
            }
        }

        return name.ToString();
    }

    private static bool IsPlain(char c) => char.IsAsciiLetterOrDigit(c) || Allowed.Contains(c, StringComparison.Ordinal);
}
