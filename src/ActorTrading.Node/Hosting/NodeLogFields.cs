using System.Globalization;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Event;

namespace ActorTrading.Node.Hosting;

/// <summary>How the node's logs are written: one line of text each (the default), or one JSON object each (<c>Node:LogFormat json</c>).</summary>
public enum LogFormat
{
    Text,
    Json,
}

/// <summary>The run's id and the log format, handed to the node's Akka logger with the actor system's setup.</summary>
public sealed class NodeLogSetup(string run, LogFormat format) : Setup
{
    public string Run { get; } = run;

    public LogFormat Format { get; } = format;
}

/// <summary>
/// A log event as named fields for the JSON log: the run, the actor that logged, and <c>venue</c>, <c>symbol</c>,
/// <c>strategy</c> and <c>clientOrderId</c> wherever the message's template or the actor's path names them (an exchange
/// supervisor's subtree is its venue, a strategy's its id); every other template property as itself. Values are the
/// message's own, already scrubbed of secrets where they were logged.
/// </summary>
public static class NodeLogFields
{
    private static readonly Dictionary<string, string> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Venue"] = "venue",
        ["Symbol"] = "symbol",
        ["Strategy"] = "strategy",
        ["StrategyId"] = "strategy",
        ["ClientOrderId"] = "clientOrderId",
        ["ClientOid"] = "clientOrderId",
    };

    public static Fields Of(LogEvent log, ActorPath path, string run)
    {
        var fields = new List<KeyValuePair<string, object?>>(8)
        {
            new("run", run),
            new("source", log.LogSource),
            new("actor", path.ToStringWithoutAddress()),
        };
        var elements = path.Elements;
        for (var i = 0; i + 1 < elements.Count; i++)
        {
            if (elements[i] == "exchanges")
            {
                Add(fields, "venue", elements[i + 1]);
            }
            else if (elements[i] == "strategies")
            {
                Add(fields, "strategy", elements[i + 1]);
            }
        }

        if (log.TryGetProperties(out var properties) && properties is not null)
        {
            foreach (var (name, value) in properties)
            {
                if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    continue;   // positional {0}: no name to give it
                }

                Add(fields, Known.TryGetValue(name, out var known) ? known : char.ToLowerInvariant(name[0]) + name[1..], value?.ToString(), replace: true);
            }
        }

        return new Fields(fields, log.Message?.ToString() ?? string.Empty);
    }

    /// <summary>The event's fields, read by the JSON formatter; as text, the message (what the formatter's <c>State.Message</c> shows).</summary>
    public sealed class Fields(List<KeyValuePair<string, object?>> fields, string message) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public int Count => fields.Count;

        public KeyValuePair<string, object?> this[int index] => fields[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => fields.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => message;
    }

    private static void Add(List<KeyValuePair<string, object?>> fields, string name, object? value, bool replace = false)
    {
        var at = fields.FindIndex(f => f.Key == name);
        if (at < 0)
        {
            fields.Add(new(name, value));
        }
        else if (replace)
        {
            fields[at] = new(name, value);
        }
    }
}
