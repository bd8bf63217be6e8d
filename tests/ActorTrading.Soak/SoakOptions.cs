using System.Globalization;

namespace ActorTrading.Soak;

/// <summary>
/// How long to soak, with which seed and venues, where the report goes, and how much faster than real time faults come
/// (<see cref="Speed"/>: fault rates and the counterparty's pace times it; stalls, and the node's feed timers — idle
/// timeout, backoff, stable-after, subscription answers — divided by it, down to floors the venues' heartbeats allow).
/// </summary>
public sealed record SoakOptions(TimeSpan Duration, int Seed, IReadOnlyList<string> Venues, int Symbols, string ReportPath, double Speed = 1)
{
    public const string Usage =
        "usage: actortrading-soak [--duration 10m] [--seed 7] [--venues kucoin,binance,bybit,kraken,cryptocom] [--symbols 20] [--speed 1] [--report soak-report.json]";

    /// <summary>The command line's options; a mistake is a <see cref="FormatException"/> that says which.</summary>
    public static SoakOptions Parse(IReadOnlyList<string> args)
    {
        var options = new SoakOptions(TimeSpan.FromMinutes(10), 7, SoakVenues.All.Select(v => v.Name).ToArray(), 20, "soak-report.json");
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : throw new FormatException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--duration" => options with { Duration = ParseDuration(value) },
                "--seed" => options with { Seed = int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) ? seed : throw new FormatException($"--seed '{value}' is not a whole number") },
                "--venues" => options with { Venues = ParseVenues(value) },
                "--symbols" => options with
                {
                    Symbols = int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var symbols) && symbols is >= 1 and <= 100
                        ? symbols
                        : throw new FormatException($"--symbols '{value}': 1 to 100 per venue"),
                },
                "--report" => options with { ReportPath = value },
                "--speed" => options with
                {
                    Speed = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var speed) && speed is >= 1 and <= 10
                        ? speed
                        : throw new FormatException($"--speed '{value}': 1 (real time) to 10"),
                },
                _ => throw new FormatException($"unknown option '{args[i]}'"),
            };
            i++;
        }

        return options;
    }

    /// <summary><c>90</c> (seconds), <c>90s</c>, <c>10m</c>, <c>1h</c>.</summary>
    private static TimeSpan ParseDuration(string text)
    {
        var (number, unit) = char.IsLetter(text[^1]) ? (text[..^1], text[^1]) : (text, 's');
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) || amount <= 0 || unit is not ('s' or 'm' or 'h'))
        {
            throw new FormatException($"--duration '{text}': a positive number of seconds, or with s, m or h (90s, 10m, 1h)");
        }

        return unit switch { 'h' => TimeSpan.FromHours(amount), 'm' => TimeSpan.FromMinutes(amount), _ => TimeSpan.FromSeconds(amount) };
    }

    private static string[] ParseVenues(string text)
    {
        var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = names.Except(SoakVenues.All.Select(v => v.Name)).ToArray();
        return names.Length == 0 || unknown.Length > 0
            ? throw new FormatException($"--venues '{text}': from {string.Join(", ", SoakVenues.All.Select(v => v.Name))}")
            : names;
    }
}
